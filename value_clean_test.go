package dossier

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

var cleanTextCases = []string{
	"", " ", "a", "a b", "a  b", " a", "a ", "a\tb", "a\nb", "\x00", "a\x7fb", "华信科技", "华信 科技",
	"华信\u3000科技", "华信\u00a0科技", "ＡＢＣ１２３", "a\u2003b", "a\u0085b", "a\u200bb", "\xff", "a\xffb",
	"\ufffd", "a\ufffdb", "+8613912345678", "2026-Q4", "积极 系统运行稳定,使用顺畅", "a b ", " a b", "~!@#", "\x1f",
	"\u2028", "é", "e\u0301", "（深圳）",
}

func TestCleanTextFastPath(t *testing.T) {
	for _, s := range cleanTextCases {
		if got, want := CleanText(s), cleanRunes(s); got != want {
			t.Errorf("CleanText(%q) = %q, want %q", s, got, want)
		}
		if isClean(s) && cleanRunes(s) != s {
			t.Errorf("isClean(%q) but cleaning changes it", s)
		}
	}
}

func FuzzCleanTextFastPath(f *testing.F) {
	for _, s := range cleanTextCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := CleanText(s), cleanRunes(s); got != want {
			t.Fatalf("CleanText(%q) = %q, want %q", s, got, want)
		}
	})
}

func TestPhoneMemo(t *testing.T) {
	for _, s := range []string{"139 1234 5678", "0755-12345678转123", "+86 10 8888 6666"} {
		first, err := ParsePhone(s)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := parsePhone(s)
		again, _ := ParsePhone(s)
		canon, _ := ParsePhone(first)
		if first != want || again != want || canon != want {
			t.Errorf("ParsePhone(%q) = %q, again %q, of itself %q; want %q", s, first, again, canon, want)
		}
	}
	if _, err := ParsePhone("12345"); err == nil {
		t.Error("an invalid number passes")
	}
	if _, err := ParsePhone("12345"); err == nil {
		t.Error("an invalid number passes the second time")
	}
}

func TestMemoBounded(t *testing.T) {
	m := newMemo(4)
	for i := range 100 {
		m.put(strings.Repeat("x", i), "v")
	}
	if n := len(m.cur) + len(m.old); n > 8 {
		t.Errorf("memo holds %d entries, want at most 8", n)
	}
	if v, ok := m.get(strings.Repeat("x", 99)); !ok || v != "v" {
		t.Error("the newest entry is gone")
	}
	if _, ok := m.get("x"); ok {
		t.Error("an old entry is still there")
	}
}

// moneySlow is ParseMoney without its fast path for plain digits.
func moneySlow(s string) (Money, bool) {
	t := strings.ReplaceAll(CleanText(s), " ", "")
	m := moneyRE.FindStringSubmatch(t)
	if m == nil {
		return 0, false
	}
	n, err := strconv.ParseFloat(strings.ReplaceAll(m[1], ",", ""), 64)
	if err != nil || n*unitMultiplier(m[2]) > 1e16 {
		return 0, false
	}
	return Money(math.Round(n * unitMultiplier(m[2]))), true
}

// FuzzParseMoneyDigits checks ParseMoney against its regular-expression
// path, which main's fast path for plain digits must agree with.
func FuzzParseMoneyDigits(f *testing.F) {
	for _, s := range []string{"0", "007", "1317000000", "999999999999999", "9999999999999999", "12a", "", " 12 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseMoney(s)
		want, ok := moneySlow(s)
		if (err == nil) != ok || got != want {
			t.Fatalf("ParseMoney(%q) = %d, %v; without the fast path %d, %v", s, got, err, want, ok)
		}
	})
}
