// Package filter is the segment filter language (SPEC R21): expressions such
// as `grade = 重点 AND need_match >= 4` over registry fields (by key, Chinese
// or English label), tags, open risks and scores, compiled to a parameterised
// SQL WHERE fragment for SQLite and PostgreSQL. Values are parsed by their
// field's type with the root package's parsers (30万, 1.2亿, 2026/1/1, 78%);
// SQL identifiers come only from the field registry and fixed tables.
package filter

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dossier/dossier"
)

// Limits that keep a hostile expression cheap to parse and to run.
const (
	MaxLength = 4000 // characters
	maxDepth  = 64   // nesting of parentheses and NOTs
	maxValues = 500  // values in one IN list
)

// node is a parsed expression.
type node interface{ isNode() }

type andNode struct{ kids []node }
type orNode struct{ kids []node }
type notNode struct{ kid node }

// cond is one comparison: field op values.
type cond struct {
	t    target
	op   string // = != < <= > >= ~ ^= in notin empty notempty
	args []any  // typed values
	pos  int
}

func (andNode) isNode() {}
func (orNode) isNode()  {}
func (notNode) isNode() {}
func (*cond) isNode()   {}

// Expr is a parsed, checked filter expression. The zero Expr (from an empty
// expression) matches every customer.
type Expr struct {
	root node
	src  string
}

// String returns the expression as written.
func (e *Expr) String() string { return e.src }

// Empty reports whether the expression filters nothing.
func (e *Expr) Empty() bool { return e == nil || e.root == nil }

// Parse reads an expression, resolving field names against reg. Errors are
// *dossier.Error with code EINVALID, field "filter" and a message that starts
// with the character position ("at 14: unknown field 'gradee', did you mean
// 'grade'?").
func Parse(src string, reg *dossier.Registry) (*Expr, error) {
	e, err := parse(src, reg)
	if err != nil {
		return nil, &dossier.Error{Code: dossier.EINVALID, Field: "filter", Message: err.Error()}
	}
	return e, nil
}

func parse(src string, reg *dossier.Registry) (*Expr, error) {
	if n := len([]rune(src)); n > MaxLength {
		return nil, errAt(MaxLength, "the expression is longer than %d characters", MaxLength)
	}
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks, reg: reg}
	if p.peek().kind == tEOF {
		return &Expr{src: src}, nil
	}
	root, err := p.or(0)
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		if t.kind == tRParen {
			return nil, errAt(t.pos, "unexpected ')' without a matching '('")
		}
		return nil, errAt(t.pos, "expected AND or OR before '%s'", t.text)
	}
	return &Expr{root: root, src: src}, nil
}

type parser struct {
	toks []token
	i    int
	reg  *dossier.Registry
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

// keyword reports whether t is the given keyword in any of its spellings.
func keyword(t token, kw string) bool {
	if t.kind != tWord {
		return false
	}
	w := strings.ToUpper(t.text)
	switch kw {
	case "AND":
		return w == "AND" || w == "且" || w == "并且" || w == "&&"
	case "OR":
		return w == "OR" || w == "或" || w == "或者" || w == "||"
	case "NOT":
		return w == "NOT" || w == "非" || w == "不是"
	}
	return w == kw
}

func (p *parser) or(depth int) (node, error) {
	first, err := p.and(depth)
	if err != nil {
		return nil, err
	}
	kids := []node{first}
	for keyword(p.peek(), "OR") {
		p.next()
		n, err := p.and(depth)
		if err != nil {
			return nil, err
		}
		kids = append(kids, n)
	}
	if len(kids) == 1 {
		return first, nil
	}
	return orNode{kids}, nil
}

func (p *parser) and(depth int) (node, error) {
	first, err := p.unary(depth)
	if err != nil {
		return nil, err
	}
	kids := []node{first}
	for keyword(p.peek(), "AND") {
		p.next()
		n, err := p.unary(depth)
		if err != nil {
			return nil, err
		}
		kids = append(kids, n)
	}
	if len(kids) == 1 {
		return first, nil
	}
	return andNode{kids}, nil
}

func (p *parser) unary(depth int) (node, error) {
	t := p.peek()
	if depth > maxDepth {
		return nil, errAt(t.pos, "the expression nests deeper than %d levels", maxDepth)
	}
	if keyword(t, "NOT") {
		p.next()
		n, err := p.unary(depth + 1)
		if err != nil {
			return nil, err
		}
		return notNode{n}, nil
	}
	if t.kind == tLParen {
		p.next()
		n, err := p.or(depth + 1)
		if err != nil {
			return nil, err
		}
		if c := p.next(); c.kind != tRParen {
			return nil, errAt(c.pos, "expected ')' to close the '(' at %d", t.pos)
		}
		return n, nil
	}
	return p.cond()
}

func (p *parser) cond() (node, error) {
	ft := p.next()
	switch {
	case ft.kind == tEOF:
		return nil, errAt(ft.pos, "expected a condition such as grade = 重点")
	case ft.kind != tWord && ft.kind != tString:
		return nil, errAt(ft.pos, "expected a field name, found '%s'", ft.text)
	case keyword(ft, "AND") || keyword(ft, "OR"):
		return nil, errAt(ft.pos, "expected a condition before '%s'", ft.text)
	}
	t, err := resolveField(p.reg, ft.text, ft.pos)
	if err != nil {
		return nil, err
	}
	c := &cond{t: t, pos: ft.pos}
	ot := p.next()
	switch {
	case ot.kind == tOp:
		c.op = ot.text
		if err := checkOp(c.t, c.op, ot.pos); err != nil {
			return nil, err
		}
		vt := p.next()
		if vt.kind != tWord && vt.kind != tString {
			return nil, errAt(vt.pos, "expected a value after '%s'", ot.text)
		}
		v, err := value(c.t, c.op, vt)
		if err != nil {
			return nil, err
		}
		c.args = []any{v}
	case keyword(ot, "IN"):
		c.op = "in"
		c.args, err = p.list(c.t, ot)
	case keyword(ot, "NOT") && keyword(p.peek(), "IN"):
		c.op = "notin"
		c.args, err = p.list(c.t, p.next())
	case keyword(ot, "IS"):
		c.op = "empty"
		if keyword(p.peek(), "NOT") {
			p.next()
			c.op = "notempty"
		}
		if e := p.next(); !keyword(e, "EMPTY") && !keyword(e, "NULL") {
			return nil, errAt(e.pos, "expected EMPTY after IS")
		}
	default:
		return nil, errAt(ot.pos, "expected an operator (=, !=, <, <=, >, >=, ~, ^=, IN, IS EMPTY) after '%s'", ft.text)
	}
	if err != nil {
		return nil, err
	}
	return c, nil
}

// list reads "(v1, v2, …)" after IN.
func (p *parser) list(t target, in token) ([]any, error) {
	if l := p.next(); l.kind != tLParen {
		return nil, errAt(l.pos, "expected '(' after IN, as in industry IN (制造业, 零售)")
	}
	var out []any
	for {
		vt := p.next()
		if vt.kind != tWord && vt.kind != tString {
			return nil, errAt(vt.pos, "expected a value in the IN list")
		}
		v, err := value(t, "=", vt)
		if err != nil {
			return nil, err
		}
		if out = append(out, v); len(out) > maxValues {
			return nil, errAt(vt.pos, "an IN list takes at most %d values", maxValues)
		}
		switch sep := p.next(); sep.kind {
		case tComma:
			continue
		case tRParen:
			return out, nil
		default:
			return nil, errAt(sep.pos, "expected ',' or ')' in the IN list that starts at %d", in.pos)
		}
	}
}

// ordered reports whether values of type t have an order that SQL compares
// correctly: numbers as numbers, dates and timelines as ISO text.
func ordered(t dossier.FieldType) bool {
	switch t {
	case dossier.TypeNumber, dossier.TypeMoney, dossier.TypePercent, dossier.TypeRating, dossier.TypeDate, dossier.TypeTimeline:
		return true
	}
	return false
}

func numeric(t dossier.FieldType) bool {
	return ordered(t) && t != dossier.TypeDate && t != dossier.TypeTimeline
}

func checkOp(t target, op string, pos int) error {
	switch op {
	case "<", "<=", ">", ">=":
		if !ordered(t.typ) {
			return errAt(pos, "'%s' compares numbers and dates; '%s' is %s", op, t.name, typeName(t.typ))
		}
	case "~", "^=":
		if numeric(t.typ) || t.typ == dossier.TypeEnum || t.typ == dossier.TypeDate {
			return errAt(pos, "'%s' matches text; '%s' is %s", op, t.name, typeName(t.typ))
		}
	}
	return nil
}

func typeName(t dossier.FieldType) string {
	switch t {
	case dossier.TypeEnum:
		return "a choice (use = or IN)"
	case dossier.TypeMoney:
		return "an amount"
	case dossier.TypeDate:
		return "a date"
	case dossier.TypeNumber, dossier.TypePercent, dossier.TypeRating:
		return "a number"
	case dossier.TypeRange:
		return "a money range (use = or IS EMPTY)"
	}
	return "text"
}

// value parses one value for the target's type: the typed argument that SQL
// compares with the column.
func value(t target, op string, tok token) (any, error) {
	raw := strings.TrimSpace(tok.text)
	if raw == "" {
		return nil, errAt(tok.pos, "empty value; use IS EMPTY to find customers without '%s'", t.name)
	}
	if op == "~" || op == "^=" {
		return raw, nil
	}
	bad := func(err error) error { return errAt(tok.pos, "%s for '%s'", err.Error(), t.name) }
	switch t.typ {
	case dossier.TypeMoney:
		m, err := dossier.ParseMoney(raw)
		if err != nil {
			return nil, bad(err)
		}
		return int64(m), nil
	case dossier.TypeNumber, dossier.TypeRating:
		n, err := dossier.ParseNumber(raw)
		if err != nil {
			return nil, bad(err)
		}
		return n, nil
	case dossier.TypePercent:
		n, err := dossier.ParsePercent(raw)
		if err != nil {
			return nil, bad(err)
		}
		return n, nil
	case dossier.TypeDate:
		d, err := dossier.ParseDate(raw)
		if err != nil {
			return nil, bad(err)
		}
		return dossier.FormatDate(d), nil
	case dossier.TypeEnum:
		f := dossier.Field{Options: t.opts}
		if o, ok := f.Option(raw); ok {
			return o.Value, nil
		}
		return nil, errAt(tok.pos, "'%s' is not a value of '%s': use %s", raw, t.name, optionNames(t.opts))
	case dossier.TypeText, dossier.TypeTags, dossier.TypeRange:
		return raw, nil
	}
	// Phone, e-mail, credit code, timeline: compare in canonical form.
	v, _, err := dossier.Field{Key: t.name, Type: t.typ}.Canonical(raw)
	if err != nil {
		return nil, errAt(tok.pos, "%s", dossier.ErrorMessage(err))
	}
	return v, nil
}

func optionNames(opts []dossier.Option) string {
	var s []string
	for _, o := range opts {
		s = append(s, fmt.Sprintf("%s (%s)", o.LabelZH, o.Value))
	}
	return strings.Join(s, ", ")
}

// Fields returns the keys of the fields the expression uses ("name",
// "tag", "risk.level", …), each once.
func (e *Expr) Fields() []string {
	var out []string
	e.eachCond(true, func(n *cond) {
		if !slices.Contains(out, n.t.name) {
			out = append(out, n.t.name)
		}
	})
	return out
}

// RequiredTags returns the tags every matching customer must have: those
// of `tag = X` conditions that the whole expression ANDs (not under OR or
// NOT). A store may use them to read the few customers of a rare tag first.
func (e *Expr) RequiredTags() []string {
	var out []string
	e.eachCond(false, func(n *cond) {
		if s, ok := n.args0(); ok && n.t.kind == kTag && n.op == "=" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	})
	return out
}

// eachCond calls fn for the expression's conditions in order: all of
// them, or (all = false) only those the top-level AND requires.
func (e *Expr) eachCond(all bool, fn func(*cond)) {
	if e.Empty() {
		return
	}
	var walk func(n node)
	walk = func(n node) {
		switch n := n.(type) {
		case andNode:
			for _, k := range n.kids {
				walk(k)
			}
		case orNode:
			if all {
				for _, k := range n.kids {
					walk(k)
				}
			}
		case notNode:
			if all {
				walk(n.kid)
			}
		case *cond:
			fn(n)
		}
	}
	walk(e.root)
}

// args0 is the condition's first value as text.
func (n *cond) args0() (string, bool) {
	if len(n.args) == 0 {
		return "", false
	}
	s, ok := n.args[0].(string)
	return s, ok
}
