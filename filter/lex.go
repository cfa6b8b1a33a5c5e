package filter

import (
	"fmt"
	"strings"
	"unicode"
)

// tokKind is the kind of a lexical token.
type tokKind int

const (
	tEOF    tokKind = iota
	tWord           // a bare word: field name, keyword or unquoted value
	tString         // a quoted value
	tOp             // a comparison operator
	tLParen
	tRParen
	tComma
)

// token is one lexical token; pos is its 1-based character position, which
// every error message names.
type token struct {
	kind tokKind
	text string
	pos  int
}

// opChars start an operator; they end a bare word, so "grade=重点" needs no
// spaces.
const opChars = "=!<>~^"

var closingQuote = map[rune]rune{'"': '"', '\'': '\'', '“': '”', '‘': '’', '「': '」'}

func isWordRune(r rune) bool {
	if unicode.IsSpace(r) || strings.ContainsRune(opChars, r) || r == 0 {
		return false
	}
	if _, q := closingQuote[r]; q {
		return false
	}
	switch r {
	case '(', ')', '（', '）', ',', '，', '、':
		return false
	}
	return true
}

// lex splits an expression into tokens. Full-width parentheses and commas
// count as their ASCII forms, since Chinese input methods type them.
func lex(s string) ([]token, error) {
	rs := []rune(s)
	var out []token
	for i := 0; i < len(rs); {
		r := rs[i]
		pos := i + 1
		switch {
		case unicode.IsSpace(r) || r == 0:
			i++
		case r == '(' || r == '（':
			out = append(out, token{tLParen, "(", pos})
			i++
		case r == ')' || r == '）':
			out = append(out, token{tRParen, ")", pos})
			i++
		case r == ',' || r == '，' || r == '、':
			out = append(out, token{tComma, ",", pos})
			i++
		case strings.ContainsRune(opChars, r):
			op, n, err := lexOp(rs[i:], pos)
			if err != nil {
				return nil, err
			}
			out = append(out, token{tOp, op, pos})
			i += n
		case closingQuote[r] != 0:
			end := closingQuote[r]
			j := i + 1
			for j < len(rs) && rs[j] != end {
				j++
			}
			if j == len(rs) {
				return nil, errAt(pos, "unclosed quote %c", r)
			}
			out = append(out, token{tString, string(rs[i+1 : j]), pos})
			i = j + 1
		default:
			j := i
			for j < len(rs) && isWordRune(rs[j]) {
				j++
			}
			out = append(out, token{tWord, string(rs[i:j]), pos})
			i = j
		}
	}
	return append(out, token{tEOF, "", len(rs) + 1}), nil
}

func lexOp(rs []rune, pos int) (string, int, error) {
	two := ""
	if len(rs) > 1 {
		two = string(rs[:2])
	}
	switch two {
	case "==":
		return "=", 2, nil
	case "!=", "<>":
		return "!=", 2, nil
	case "<=", ">=", "^=":
		return two, 2, nil
	}
	switch rs[0] {
	case '=', '<', '>', '~':
		return string(rs[0]), 1, nil
	case '!':
		return "", 0, errAt(pos, "'!' must be followed by '=' (use NOT to negate a condition)")
	}
	return "", 0, errAt(pos, "'^' must be followed by '=' (^= means \"starts with\")")
}

// Error is a parse error with the position it concerns.
type Error struct {
	Pos int
	Msg string
}

func (e *Error) Error() string { return fmt.Sprintf("at %d: %s", e.Pos, e.Msg) }

func errAt(pos int, format string, args ...any) *Error {
	return &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)}
}
