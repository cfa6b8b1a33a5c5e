package dedupe

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// Name is a company name split into the parts of a registered Chinese name
// (企业名称 = 行政区划 + 字号 + 行业 + 组织形式): "深圳市华为技术有限公司" is
// Region 深圳市, Trade 华为, Industry 技术, Form 有限公司. Branch holds what
// follows the parent's name in a branch's name ("保定分公司"). Names in
// other scripts keep everything but a trailing legal form in Trade.
type Name struct {
	Region, Trade, Industry, Form, Branch string
}

// Core is the name without region and legal form: what two ways of writing
// one company's name share.
func (n Name) Core() string { return n.Trade + n.Industry }

// NormalizeName folds full-width characters to half-width, lower-cases,
// turns every kind of bracket into ASCII parentheses, and drops spaces and
// punctuation; spaces survive only between two Latin letters or digits, so
// "IBM  Research, Almaden" becomes "ibm research almaden".
func NormalizeName(s string) string {
	s = width.Fold.String(s)
	var b strings.Builder
	b.Grow(len(s))
	var prev rune // last written rune, 0 at the start
	space := false
	for _, r := range s {
		switch r {
		case '（', '【', '〔', '［', '[', '{', '「', '『', '《', '<':
			r = '('
		case '）', '】', '〕', '］', ']', '}', '」', '』', '》', '>':
			r = ')'
		}
		switch {
		case r == '(' || r == ')':
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			r = unicode.ToLower(r)
		case r == utf8.RuneError:
			continue
		default: // spaces, punctuation, symbols, controls
			space = prev != 0
			continue
		}
		if space && latin(prev) && latin(r) {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

// latin reports whether r is a letter or digit outside the Han script, that
// is one that words are built of with spaces between them.
func latin(r rune) bool {
	return (unicode.IsLetter(r) || unicode.IsDigit(r)) && !unicode.Is(unicode.Han, r)
}

// hasHan reports whether s contains a Chinese character.
func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// ParseName normalises s and splits it into its parts. It never fails: a
// name it cannot split is all Trade, and an empty name gives the zero Name.
func ParseName(s string) Name {
	t := NormalizeName(s)
	if !hasHan(t) {
		return parseLatin(t)
	}
	var n Name
	t, bracketRegion, bracketForm := unbracket(t)
	t, n.Branch = cutBranch(t)
	t, n.Form = cutForm(t)
	n.Form += bracketForm
	t, n.Region = cutRegion(t)
	if n.Region == "" {
		n.Region = bracketRegion
	}
	n.Trade, n.Industry = cutIndustry(t)
	return n
}

// unbracket removes bracketed groups: a region ("(深圳)") or a legal form
// ("(有限合伙)") is returned apart, anything else is kept without brackets.
func unbracket(t string) (rest, region, form string) {
	if !strings.ContainsAny(t, "()") {
		return t, "", ""
	}
	var b strings.Builder
	for t != "" {
		i := strings.IndexAny(t, "()")
		if i < 0 {
			b.WriteString(t)
			break
		}
		b.WriteString(t[:i])
		if t[i] == ')' { // stray closing bracket
			t = t[i+1:]
			continue
		}
		t = t[i+1:]
		j := strings.IndexByte(t, ')')
		inner := t
		if j >= 0 {
			inner, t = t[:j], t[j+1:]
		} else {
			t = ""
		}
		inner = strings.ReplaceAll(inner, "(", "")
		switch {
		case inner == "":
		case region == "" && (isRegion(inner) || beforeForm(inner, t)):
			region = inner
		case isForm(inner):
			form += inner
		default:
			b.WriteString(inner)
		}
	}
	return b.String(), region, form
}

// isRegion reports whether all of s is a place name ("深圳", "广东省深圳市");
// in brackets a word-like place (长春, 中山) is a place.
func isRegion(s string) bool {
	rest, reg := cutRegionMin(s, 0, false)
	return reg != "" && rest == ""
}

// beforeForm reports whether a bracketed group of two to four Chinese
// characters stands just before the legal form at the end of a name
// ("源亿企业管理(海伦)有限公司"): that is where people put the region, and
// the gazetteer does not know every county-level city. rest is what
// follows the closing bracket.
func beforeForm(inner, rest string) bool {
	n := utf8.RuneCountInString(inner)
	if n < 2 || n > 4 || !allHan([]rune(inner)) || rest == "" || lex().industry[inner] {
		return false
	}
	for rest != "" {
		cut := false
		for _, f := range legalForms {
			if h, ok := strings.CutSuffix(rest, f); ok {
				rest, cut = h, true
				break
			}
		}
		if !cut {
			return false
		}
	}
	return true
}

func isForm(s string) bool {
	for _, f := range legalForms {
		if s == f {
			return true
		}
	}
	return false
}

// cutBranch splits "X有限公司保定分公司" into the parent and "保定分公司".
func cutBranch(t string) (parent, branch string) {
	for _, m := range branchMarkers {
		head, ok := strings.CutSuffix(t, m)
		if !ok {
			continue
		}
		for _, end := range []string{"公司", "集团", "厂"} {
			if p := strings.LastIndex(head, end); p > 0 {
				p += len(end)
				return t[:p], t[p:]
			}
		}
	}
	return t, ""
}

// cutForm strips legal forms from the end, repeatedly (集团有限公司 is 集团 +
// 有限公司), keeping at least one character.
func cutForm(t string) (rest, form string) {
	for {
		cut := false
		for _, f := range legalForms {
			if h, ok := strings.CutSuffix(t, f); ok && h != "" {
				t, form, cut = h, f+form, true
				break
			}
		}
		if !cut {
			return t, form
		}
	}
}

// cutRegion strips place names from the front ("广东省深圳市", "广西南宁")
// while two characters remain for the trade name.
func cutRegion(t string) (rest, region string) { return cutRegionMin(t, 2, true) }

func cutRegionMin(t string, keep int, strict bool) (rest, region string) {
	l := lex()
	rs := []rune(t)
	for {
		n := regionPrefix(rs, l, strict)
		if n == 0 || len(rs)-n < keep {
			return string(rs), region
		}
		region += string(rs[:n])
		rs = rs[n:]
	}
}

// regionPrefix returns the length in runes of the place name rs starts
// with, 0 if none: a known place (with or without 市/省/县 …), or one to
// three characters followed by 县 (two or three before 市, 区 or 旗), which
// are rarely how a trade name begins.
// When strict, a word-like place without its suffix (阿里巴巴) is not one.
func regionPrefix(rs []rune, l *lexicon, strict bool) int {
	for n := min(l.maxReg, len(rs)); n >= 2; n-- {
		if !l.regions[string(rs[:n])] {
			continue
		}
		suf := suffixLen(rs[n:])
		if strict && suf == 0 && l.wordLike[string(rs[:n])] {
			continue
		}
		return n + suf
	}
	for n := 1; n <= 3 && n < len(rs); n++ {
		switch rs[n] {
		case '县':
		case '市', '区', '旗':
			// 市政 and 市场 are words (华建市政工程), not a city.
			if n == 1 || (rs[n] == '市' && n+1 < len(rs) && (rs[n+1] == '政' || rs[n+1] == '场')) {
				continue
			}
		default:
			continue
		}
		if allHan(rs[:n]) {
			return n + 1
		}
	}
	return 0
}

// suffixLen is the length of the administrative suffix at the start of rs.
func suffixLen(rs []rune) int {
	s := string(rs)
	for _, suf := range regionSuffixes {
		if strings.HasPrefix(s, suf) {
			return utf8.RuneCountInString(suf)
		}
	}
	return 0
}

func allHan(rs []rune) bool {
	for _, r := range rs {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return true
}

// cutIndustry splits the industry words off the end of t, keeping at least
// two characters of trade name (or the whole of t when it is all industry).
func cutIndustry(t string) (trade, industry string) {
	l := lex()
	rs := []rune(t)
	end := len(rs)
	for {
		n := 0
		for k := min(l.maxInd, end-2); k >= 2; k-- {
			if l.industry[string(rs[end-k:end])] {
				n = k
				break
			}
		}
		if n == 0 {
			break
		}
		end -= n
	}
	return string(rs[:end]), string(rs[end:])
}

// parseLatin handles names without Chinese characters: trailing legal-form
// words ("Acme Widgets Ltd") are the Form, the rest is the Trade.
func parseLatin(t string) Name {
	words := strings.Fields(strings.NewReplacer("(", " ", ")", " ").Replace(t))
	var form []string
	for len(words) > 1 && isForm(words[len(words)-1]) {
		form = append([]string{words[len(words)-1]}, form...)
		words = words[:len(words)-1]
	}
	return Name{Trade: strings.Join(words, " "), Form: strings.Join(form, " ")}
}
