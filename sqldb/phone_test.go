package sqldb

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/dossier/dossier"
)

// slowCanonPhone is canonPhone without the shortcut: what it must equal.
func slowCanonPhone(p string) string {
	if c, err := dossier.ParsePhone(p); err == nil {
		return c
	}
	return strings.TrimSpace(p)
}

func TestCanonCNPhoneTable(t *testing.T) {
	for _, tc := range []struct {
		in   string
		fast bool
	}{
		{"+8613912345678", true},          // mobile
		{"+8617712345678", true},          // 17x mobile
		{"+861088886666", true},           // Beijing landline
		{"+862188886666", true},           // Shanghai
		{"+8675512345678", true},          // Shenzhen, 4-digit area code
		{"+8675512345678;ext=123", true},  // extension
		{"+864001234567", true},           // service number
		{"+861391234", true},              // too short: invalid, kept as is
		{"+86139123456789012", true},      // 17 digits: invalid, kept
		{"+8617951139123456", false},      // carrier code 17951
		{"+8617912345678", false},         // 179: may be a carrier code
		{"+861259313912345678", false},    // carrier code 12593
		{"+8611234567890", false},         // 11…
		{"+8601088886666", false},         // national prefix after +86
		{"+8613912345678;ext=", false},    // empty extension
		{"+8613912345678;ext=12a", false}, // not digits
		{"+8613912345678;ext=123456789012345678901", false},
		{"+86139123456780000000", false}, // over 17 digits
		{"+1 2025550123", false},         // other country: parsed
		{"+12025550123", false},
		{"13912345678", false}, // national form: parsed
		{"+86 139 1234 5678", false},
		{"+８６13912345678", false}, // full-width
		{"+86", false},
		{"+862", false},
		{"", false},
	} {
		t.Run(tc.in, func(t *testing.T) {
			if got := canonCNPhone(tc.in); got != tc.fast {
				t.Errorf("canonCNPhone(%q) = %v, want %v", tc.in, got, tc.fast)
			}
			if got, want := canonPhone(tc.in), slowCanonPhone(tc.in); got != want {
				t.Errorf("canonPhone(%q) = %q, want %q as ParsePhone gives", tc.in, got, want)
			}
		})
	}
}

// TestCanonCNPhone checks the shortcut against libphonenumber on random
// strings of the shape it accepts, valid or not, and that the E.164 forms
// ParsePhone gives for Chinese numbers nearly all take it.
func TestCanonCNPhone(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	digits := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('0' + r.IntN(10))
		}
		return string(b)
	}
	n := 20000
	if testing.Short() {
		n = 2000
	}
	for range n {
		s := "+86" + digits(1+r.IntN(18))
		if r.IntN(4) == 0 {
			s += ";ext=" + digits(r.IntN(22))
		}
		if canonCNPhone(s) && slowCanonPhone(s) != s {
			t.Fatalf("canonCNPhone(%q) but ParsePhone gives %q", s, slowCanonPhone(s))
		}
	}
	// Numbers as people write them: mobiles, landlines with area codes,
	// national prefix, extensions; the canonical form must take the
	// shortcut unless it starts like a carrier code.
	areas := []string{"010", "021", "022", "023", "020", "0755", "0571", "0512", "0311", "0898"}
	var fast, canonical int
	for range n {
		var in string
		switch r.IntN(4) {
		case 0:
			in = "1" + strconv.Itoa(3+r.IntN(7)) + digits(9)
		case 1:
			in = areas[r.IntN(len(areas))] + "-" + strconv.Itoa(2+r.IntN(8)) + digits(6+r.IntN(2))
		case 2:
			in = areas[r.IntN(len(areas))] + " " + strconv.Itoa(2+r.IntN(8)) + digits(7) + "转" + digits(1+r.IntN(5))
		default:
			in = "400" + digits(7)
		}
		c, err := dossier.ParsePhone(in)
		if err != nil {
			continue
		}
		canonical++
		if canonCNPhone(c) {
			fast++
		} else if !strings.HasPrefix(c, "+86179") {
			t.Errorf("canonical %q (from %q) misses the shortcut", c, in)
		}
		if got := canonPhone(c); got != c {
			t.Fatalf("canonPhone(%q) = %q, not a fixed point", c, got)
		}
	}
	if canonical < n/4 || fast < canonical*9/10 {
		t.Errorf("%d of %d generated numbers parsed, %d took the shortcut", canonical, n, fast)
	}
}

func FuzzCanonPhone(f *testing.F) {
	for _, s := range []string{"+8613912345678", "+861088886666;ext=12", "+8617951139123456", "0755-12345678转123", "+8601088886666", "13912345678"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := canonPhone(s), slowCanonPhone(s); got != want {
			t.Errorf("canonPhone(%q) = %q, want %q", s, got, want)
		}
	})
}
