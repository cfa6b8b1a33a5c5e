package dossier

import (
	"fmt"
	"math"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
)

// This file holds the parsers of the value types of the registry. Each one is
// small, total (never panics) and covered by a table test and a fuzz target:
// bad input becomes an error that says what was expected.

// CleanText folds full-width ASCII to half-width, turns the ideographic space
// into a space, collapses runs of white space and trims the ends.
func CleanText(s string) string {
	if isClean(s) {
		// Most cells are clean already: an import cleans every one of them,
		// some twice, and copying each showed in its profile.
		return s
	}
	return cleanRunes(s)
}

// cleanRunes is CleanText rune by rune, without the fast path.
func cleanRunes(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			r -= 0xFEE0
		case r == 0x3000 || r == 0xA0:
			r = ' '
		case r == utf8Invalid:
			continue
		}
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

const utf8Invalid = '\uFFFD'

// isClean reports whether CleanText would return s unchanged: no full-width
// ASCII, no white space but single ASCII spaces between other characters,
// no control characters and no invalid UTF-8 (or U+FFFD, which CleanText
// drops too). The empty string is not clean (CleanText returns it anyway).
func isClean(s string) bool {
	space := true // a space at the start is a leading one
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			switch {
			case c == ' ':
				if space {
					return false
				}
				space = true
			case c < 0x21 || c == 0x7F:
				return false
			default:
				space = false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8Invalid || (r >= 0xFF01 && r <= 0xFF5E) || r == 0x3000 || r == 0xA0 || unicode.IsSpace(r) || unicode.IsControl(r) {
			return false
		}
		space = false
		i += n
	}
	return !space
}

var vagueWords = []string{"大概", "大约", "可能", "左右", "估计", "差不多", "也许", "或许", "上下", "约"}

// HasVagueWording reports whether s hedges ("大概", "可能", "左右" …): such a
// value is kept but marked pending verification (SPEC R5).
func HasVagueWording(s string) bool {
	for _, w := range vagueWords {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// StripVague removes hedging words so that "大概30万左右" parses as 30万.
func StripVague(s string) string {
	for _, w := range vagueWords {
		s = strings.ReplaceAll(s, w, "")
	}
	return strings.TrimSpace(s)
}

// ParseNumber parses a plain or grouped decimal ("1,200", "1200人", "1.2万").
func ParseNumber(s string) (float64, error) {
	t := strings.TrimSpace(CleanText(s))
	t = strings.TrimRight(t, "人名个家次元% ")
	mult := 1.0
	switch {
	case strings.HasSuffix(t, "万"):
		mult, t = 1e4, strings.TrimSuffix(t, "万")
	case strings.HasSuffix(t, "亿"):
		mult, t = 1e8, strings.TrimSuffix(t, "亿")
	}
	t = strings.ReplaceAll(t, ",", "")
	f, err := strconv.ParseFloat(strings.TrimSpace(t), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > 1e15 {
		return 0, reasonf("not_number", "%q is not a number", s)
	}
	return f * mult, nil
}

// FormatNumber prints n without exponent and without trailing zeros.
func FormatNumber(n float64) string {
	return strconv.FormatFloat(n, 'f', -1, 64)
}

// ParsePercent parses "78%", "78" or "0.78" (a fraction, when it has a decimal
// point, no % sign and is at most 1) into percent points.
func ParsePercent(s string) (float64, error) {
	t := CleanText(s)
	hasSign := strings.HasSuffix(t, "%")
	n, err := ParseNumber(strings.TrimSuffix(t, "%"))
	if err != nil {
		return 0, reasonf("not_percent", "%q is not a percentage", s)
	}
	if !hasSign && strings.Contains(t, ".") && n <= 1 && n >= 0 {
		n = math.Round(n*1e6) / 1e4
	}
	return n, nil
}

// Money is an amount in whole yuan.
type Money int64

func (m Money) String() string { return strconv.FormatInt(int64(m), 10) }

// Wan returns m in 万 (ten thousand yuan), as people say it: "30万", "1.2亿".
func (m Money) Wan() string {
	switch {
	case m >= 1e8 && m%1e6 == 0:
		return FormatNumber(float64(m)/1e8) + "亿"
	case m >= 1e4 && m%100 == 0:
		return FormatNumber(float64(m)/1e4) + "万"
	}
	return m.String() + "元"
}

var moneyRE = regexp.MustCompile(`^(?:¥|￥|RMB|人民币)?\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*(亿|千万|百万|万|千|k|K|w|W)?\s*(?:元|块|人民币|RMB)?$`)

// ParseMoney parses an amount in yuan, 万 or 亿: "300000", "30万", "1.2亿",
// "¥1,200", "50万元". It rounds to whole yuan.
func ParseMoney(s string) (Money, error) {
	// The stored (canonical) form is whole yuan in digits: read it without
	// the regular expression. Up to 15 digits a float64 holds the value
	// exactly, so this is what the general path gives.
	if len(s) > 0 && len(s) <= 15 && onlyDigits(s) {
		n, _ := strconv.ParseInt(s, 10, 64)
		return Money(n), nil
	}
	t := strings.ReplaceAll(CleanText(s), " ", "")
	m := moneyRE.FindStringSubmatch(t)
	if m == nil {
		return 0, reasonf("not_amount", "%q is not an amount (examples: 300000, 30万, 1.2亿)", s)
	}
	n, err := strconv.ParseFloat(strings.ReplaceAll(m[1], ",", ""), 64)
	if err != nil {
		return 0, reasonf("not_amount", "%q is not an amount", s)
	}
	n *= unitMultiplier(m[2])
	if n > 1e16 {
		return 0, reasonf("too_large", "%q is too large", s)
	}
	return Money(math.Round(n)), nil
}

// onlyDigits reports whether s is ASCII digits only ("" counts).
func onlyDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func unitMultiplier(u string) float64 {
	switch u {
	case "亿":
		return 1e8
	case "千万":
		return 1e7
	case "百万":
		return 1e6
	case "万", "w", "W":
		return 1e4
	case "千", "k", "K":
		return 1e3
	}
	return 1
}

// IsNegotiable reports whether s says the amount is open: "面议", "待定".
func IsNegotiable(s string) bool {
	switch strings.ToLower(CleanText(s)) {
	case "面议", "待定", "未定", "不确定", "待确认", "negotiable", "tbd", "n/a", "-":
		return true
	}
	return false
}

// MoneyRange is a budget: Lo and Hi in yuan, either of which may be open (0),
// or Negotiable ("面议") when nothing is known yet.
type MoneyRange struct {
	Lo, Hi     Money
	Negotiable bool
}

// String gives the canonical form: "300000-500000", "500000-", "-200000",
// "300000" or "negotiable".
func (r MoneyRange) String() string {
	switch {
	case r.Negotiable:
		return "negotiable"
	case r.Lo == r.Hi:
		return r.Lo.String()
	case r.Hi == 0:
		return r.Lo.String() + "-"
	case r.Lo == 0:
		return "-" + r.Hi.String()
	}
	return r.Lo.String() + "-" + r.Hi.String()
}

// Mid returns the amount that represents the range in scoring: the midpoint
// of a closed range, the known end of an open one; ok is false when nothing
// is known.
func (r MoneyRange) Mid() (Money, bool) {
	switch {
	case r.Negotiable || (r.Lo == 0 && r.Hi == 0):
		return 0, false
	case r.Lo == 0:
		return r.Hi, true
	case r.Hi == 0:
		return r.Lo, true
	}
	return (r.Lo + r.Hi) / 2, true
}

var rangeSep = regexp.MustCompile(`\s*(?:-|~|～|—|–|至|到)\s*`)

// ParseMoneyRange parses a budget: "10-20万", "5000万-1亿", "30万", "50万以上",
// "20万以内", "面议". A unit written only after the upper end applies to both.
func ParseMoneyRange(s string) (MoneyRange, error) {
	// The stored form "lo-hi" (either end may be empty) needs no cleaning;
	// "-" alone is negotiable, below.
	if s != "-" && onlyDigits(strings.Replace(s, "-", "", 1)) {
		if canon, ok := parseCanonicalRange(s); ok {
			return canon, nil
		}
	}
	t := strings.ReplaceAll(CleanText(s), " ", "")
	if IsNegotiable(t) {
		return MoneyRange{Negotiable: true}, nil
	}
	if canon, ok := parseCanonicalRange(t); ok {
		return canon, nil
	}
	for _, suf := range []string{"以上", "起", "+"} {
		if rest, ok := strings.CutSuffix(t, suf); ok {
			lo, err := ParseMoney(rest)
			return MoneyRange{Lo: lo}, wrapRange(s, err)
		}
	}
	for _, suf := range []string{"以下", "以内", "内"} {
		if rest, ok := strings.CutSuffix(t, suf); ok {
			hi, err := ParseMoney(rest)
			return MoneyRange{Hi: hi}, wrapRange(s, err)
		}
	}
	parts := rangeSep.Split(t, -1)
	switch len(parts) {
	case 1:
		m, err := ParseMoney(t)
		return MoneyRange{Lo: m, Hi: m}, wrapRange(s, err)
	case 2:
		return parseTwoEnds(s, parts[0], parts[1])
	}
	return MoneyRange{}, reasonf("not_range", "%q is not a budget range (examples: 10-20万, 5000万-1亿, 面议)", s)
}

func parseTwoEnds(s, a, b string) (MoneyRange, error) {
	hi, err := ParseMoney(b)
	if err != nil {
		return MoneyRange{}, wrapRange(s, err)
	}
	lo, err := ParseMoney(a)
	if err != nil {
		return MoneyRange{}, wrapRange(s, err)
	}
	// "10-20万": the unit of the upper end applies to a bare lower end.
	if _, e := strconv.ParseFloat(strings.ReplaceAll(a, ",", ""), 64); e == nil {
		if u := moneyRE.FindStringSubmatch(b); u != nil && u[2] != "" {
			lo = Money(math.Round(float64(lo) * unitMultiplier(u[2])))
		}
	}
	if lo > hi {
		return MoneyRange{}, reasonf("range_reversed", "%q: the lower end is above the upper end", s)
	}
	return MoneyRange{Lo: lo, Hi: hi}, nil
}

// parseCanonicalRange reads the stored form back ("300000-500000", "500000-").
func parseCanonicalRange(t string) (MoneyRange, bool) {
	lo, hi, found := strings.Cut(t, "-")
	if !found {
		return MoneyRange{}, false
	}
	var r MoneyRange
	for _, p := range []struct {
		s   string
		dst *Money
	}{{lo, &r.Lo}, {hi, &r.Hi}} {
		if p.s == "" {
			continue
		}
		n, err := strconv.ParseInt(p.s, 10, 64)
		if err != nil || n < 0 {
			return MoneyRange{}, false
		}
		*p.dst = Money(n)
	}
	if (lo == "" && hi == "") || (r.Hi != 0 && r.Lo > r.Hi) {
		return MoneyRange{}, false
	}
	return r, true
}

func wrapRange(s string, err error) error {
	if err == nil {
		return nil
	}
	return reasonf("not_range", "%q is not a budget range (examples: 10-20万, 5000万-1亿, 面议)", s)
}

// DateLayout is the canonical form of dates in facts and columns.
const DateLayout = "2006-01-02"

var (
	dateRE   = regexp.MustCompile(`^(\d{4})\s*(?:[-/.年])\s*(\d{1,2})\s*(?:[-/.月])\s*(\d{1,2})\s*日?(?:[ T].*)?$`)
	serialRE = regexp.MustCompile(`^\d{1,5}(?:\.\d+)?$`)
)

// ParseDate parses "2024-03-15", "2024/3/15", "2024.3.15", "2024年3月15日",
// "20240315", an RFC 3339 time, or an Excel serial day number (1900 system).
func ParseDate(s string) (time.Time, error) {
	t := CleanText(s)
	if m := dateRE.FindStringSubmatch(t); m != nil {
		return civilDate(s, m[1], m[2], m[3])
	}
	if len(t) == 8 && isDigits(t) {
		return civilDate(s, t[:4], t[4:6], t[6:])
	}
	if serialRE.MatchString(t) {
		f, _ := strconv.ParseFloat(t, 64)
		if f >= 1 && f < 2958466 {
			// Excel counts from 1899-12-30 once its 1900 leap-year bug is absorbed.
			return time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(f)), nil
		}
	}
	return time.Time{}, reasonf("not_date", "%q is not a date (examples: 2024-03-15, 2024/3/15, 2024年3月15日)", s)
}

func civilDate(orig, y, m, d string) (time.Time, error) {
	yy, _ := strconv.Atoi(y)
	mm, _ := strconv.Atoi(m)
	dd, _ := strconv.Atoi(d)
	t := time.Date(yy, time.Month(mm), dd, 0, 0, 0, 0, time.UTC)
	if yy < 1800 || yy > 2200 || t.Day() != dd || int(t.Month()) != mm {
		return time.Time{}, reasonf("not_calendar_date", "%q is not a calendar date", orig)
	}
	return t, nil
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// FormatDate gives the canonical form of a date, "" for the zero time.
func FormatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(DateLayout)
}

// Timeline is when a purchase is expected: a year, a half, a quarter or a
// month of a year, or TBD (待定).
type Timeline struct {
	Year   int
	Period string // "", "H1", "H2", "Q1".."Q4" or "01".."12"
	TBD    bool
}

func (t Timeline) String() string {
	switch {
	case t.TBD:
		return "tbd"
	case t.Period == "":
		return strconv.Itoa(t.Year)
	}
	return fmt.Sprintf("%d-%s", t.Year, t.Period)
}

var (
	timelineRE = regexp.MustCompile(`^(\d{4})\s*(?:年|-|/)?\s*(?:(?:Q|q|第)?\s*([1-4一二三四])\s*(?:季度|季|Q)?|([上下])半年|H([12])|(\d{1,2})\s*月?)?$`)
	cnDigit    = map[string]string{"一": "1", "二": "2", "三": "3", "四": "4"}
)

// ParseTimeline parses "2024年Q3", "2024Q3", "2024年第三季度", "2024年下半年",
// "2024年7月", "2024-07", "2024年" and "待定".
func ParseTimeline(s string) (Timeline, error) {
	t := strings.TrimSpace(CleanText(s))
	if IsNegotiable(t) {
		return Timeline{TBD: true}, nil
	}
	t = strings.Replace(t, "第三", "第3", 1)
	t = strings.NewReplacer("第一", "第1", "第二", "第2", "第四", "第4").Replace(t)
	m := timelineRE.FindStringSubmatch(t)
	if m == nil {
		return Timeline{}, reasonf("not_timeline", "%q is not a purchase timeline (examples: 2024年Q3, 2024年7月, 待定)", s)
	}
	y, _ := strconv.Atoi(m[1])
	tl := Timeline{Year: y}
	isQuarter := strings.Contains(t, "Q") || strings.Contains(t, "q") || strings.Contains(t, "季")
	switch {
	case m[2] != "" && isQuarter:
		q := m[2]
		if d, ok := cnDigit[q]; ok {
			q = d
		}
		tl.Period = "Q" + q
	case m[3] != "":
		tl.Period = map[string]string{"上": "H1", "下": "H2"}[m[3]]
	case m[4] != "":
		tl.Period = "H" + m[4]
	case m[5] != "" || m[2] != "":
		mon := m[5] + m[2]
		n, _ := strconv.Atoi(mon)
		if n < 1 || n > 12 {
			return Timeline{}, reasonf("no_such_month", "%q: month %s does not exist", s, mon)
		}
		tl.Period = fmt.Sprintf("%02d", n)
	}
	if y < 1900 || y > 2200 {
		return Timeline{}, reasonf("year_out_of_range", "%q: year %d is out of range", s, y)
	}
	return tl, nil
}

// ParseEmail checks an e-mail address and returns it lower-cased.
func ParseEmail(s string) (string, error) {
	t := strings.ToLower(strings.ReplaceAll(CleanText(s), " ", ""))
	a, err := mail.ParseAddress(t)
	if err != nil || a.Address != t || !strings.Contains(t[strings.LastIndex(t, "@"):], ".") {
		return "", reasonf("not_email", "%q is not an e-mail address", s)
	}
	return t, nil
}

// phoneExt turns the Chinese ways of writing an extension ("转123",
// "分机123", "-转-123") into one libphonenumber reads.
var phoneExt = strings.NewReplacer("分机号", " ext ", "分机", " ext ", "转", " ext ")

// ParsePhone reads a phone number with libphonenumber's Go port, China by
// default (a number written with +CC or 00CC keeps its country): mobiles,
// landlines with their area code (010, 021, 0755, …) and service numbers
// (400…). It returns the E.164 form ("+8613912345678"), with
// ";ext=123" when an extension was given ("0755-12345678转123"). A number
// libphonenumber does not know as valid for its region is refused.
func ParsePhone(s string) (string, error) {
	if p, ok := phoneMemo.get(s); ok {
		return p, nil
	}
	p, err := parsePhone(s)
	if err == nil {
		phoneMemo.put(s, p)
		// The E.164 form is a fixed point (FuzzParsePhone): the quality
		// tables validate it again in the same transaction.
		phoneMemo.put(p, p)
	}
	return p, err
}

// phoneMemo remembers recent phone numbers read: libphonenumber's regular
// expressions were a tenth of an import's CPU, a number read once from the
// file and again, canonical, when its customer's quality rows are written.
var phoneMemo = newMemo(1 << 14)

// memo is a map of recent strings that holds at most twice its size: when
// the current generation is full it becomes the old one, and the oldest
// entries go. Safe for concurrent use.
type memo struct {
	mu       sync.Mutex
	size     int
	cur, old map[string]string
}

func newMemo(size int) *memo {
	return &memo{size: size, cur: map[string]string{}}
}

func (m *memo) get(k string) (string, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.cur[k]
	if !ok {
		if v, ok = m.old[k]; ok && len(m.cur) < m.size {
			m.cur[k] = v
		}
	}
	return v, ok
}

func (m *memo) put(k, v string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.cur) >= m.size {
		m.old, m.cur = m.cur, make(map[string]string, m.size)
	}
	// A clone: a cell of a CSV row shares the memory of the whole row.
	m.cur[strings.Clone(k)] = v
}

func parsePhone(s string) (string, error) {
	t := CleanText(s)
	if t == "" {
		return "", reasonf("empty_phone", "empty phone number")
	}
	n, err := phonenumbers.Parse(phoneExt.Replace(t), "CN")
	if err != nil || !phonenumbers.IsValidNumber(n) {
		return "", reasonf("not_phone", "%q is not a valid phone number: write a mobile (11 digits) or a landline with its area code (010-88886666, 0755-12345678)", s)
	}
	out := phonenumbers.Format(n, phonenumbers.E164)
	if ext := n.GetExtension(); ext != "" {
		out += ";ext=" + ext
	}
	return out, nil
}

// MaskPhone hides the middle of a phone number: "+8613912345678" →
// "139****5678"; an extension is dropped with the rest.
func MaskPhone(p string) string {
	p, _, _ = strings.Cut(p, ";")
	t := strings.TrimPrefix(p, "+86")
	r := []rune(t)
	if len(r) < 7 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:3]) + "****" + string(r[len(r)-4:])
}
