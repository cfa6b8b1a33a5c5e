package dossier_test

import (
	"strings"
	"testing"

	"github.com/dossier/dossier"
)

func TestParseMoney(t *testing.T) {
	tests := []struct {
		in   string
		want dossier.Money
		err  bool
	}{
		{"300000", 300000, false},
		{"30万", 300000, false},
		{"30万元", 300000, false},
		{"1.2亿", 120000000, false},
		{"¥1,200", 1200, false},
		{"５０万", 500000, false}, // full-width digits
		{" 5000 万 ", 50000000, false},
		{"3千万", 30000000, false},
		{"12.5w", 125000, false},
		{"abc", 0, true},
		{"", 0, true},
		{"-5万", 0, true},
		{"1e30", 0, true},
		{"99999999999亿", 0, true},
	}
	for _, tt := range tests {
		got, err := dossier.ParseMoney(tt.in)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("ParseMoney(%q) = %d, %v; want %d, err %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestParseMoneyRange(t *testing.T) {
	tests := []struct {
		in, want string
		err      bool
	}{
		{"10-20万", "100000-200000", false},
		{"30-50万", "300000-500000", false},
		{"5000万-1亿", "50000000-100000000", false},
		{"10万~20万", "100000-200000", false},
		{"10至20万", "100000-200000", false},
		{"30万", "300000", false},
		{"50万以上", "500000-", false},
		{"20万以内", "-200000", false},
		{"面议", "negotiable", false},
		{"待定", "negotiable", false},
		{"300000-500000", "300000-500000", false}, // the canonical form reads back
		{"500000-", "500000-", false},
		{"50-10万", "", true},
		{"很多", "", true},
		{"1-2-3万", "", true},
	}
	for _, tt := range tests {
		got, err := dossier.ParseMoneyRange(tt.in)
		if (err != nil) != tt.err || (!tt.err && got.String() != tt.want) {
			t.Errorf("ParseMoneyRange(%q) = %s, %v; want %s, err %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2024-03-15", "2024-03-15"},
		{"2024/3/15", "2024-03-15"},
		{"2024年3月15日", "2024-03-15"},
		{"2024.03.15", "2024-03-15"},
		{"20240315", "2024-03-15"},
		{"2024-03-15 10:30:00", "2024-03-15"},
		{"45366", "2024-03-15"}, // Excel serial day
		{"2024-02-30", ""},
		{"2024-13-01", ""},
		{"昨天", ""},
		{"", ""},
	}
	for _, tt := range tests {
		got, err := dossier.ParseDate(tt.in)
		if tt.want == "" {
			if err == nil {
				t.Errorf("ParseDate(%q) = %s, want an error", tt.in, got)
			}
			continue
		}
		if err != nil || dossier.FormatDate(got) != tt.want {
			t.Errorf("ParseDate(%q) = %s, %v; want %s", tt.in, dossier.FormatDate(got), err, tt.want)
		}
	}
}

func TestParseTimeline(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2024年Q3", "2024-Q3"},
		{"2024Q3", "2024-Q3"},
		{"2024 Q3", "2024-Q3"},
		{"2024年第三季度", "2024-Q3"},
		{"2024年3季度", "2024-Q3"},
		{"2024年下半年", "2024-H2"},
		{"2024年7月", "2024-07"},
		{"2024-07", "2024-07"},
		{"2024年", "2024"},
		{"待定", "tbd"},
		{"2024年13月", ""},
		{"明年", ""},
	}
	for _, tt := range tests {
		got, err := dossier.ParseTimeline(tt.in)
		if tt.want == "" {
			if err == nil {
				t.Errorf("ParseTimeline(%q) = %s, want an error", tt.in, got)
			}
			continue
		}
		if err != nil || got.String() != tt.want {
			t.Errorf("ParseTimeline(%q) = %s, %v; want %s", tt.in, got, err, tt.want)
		}
	}
}

func TestParsePhone(t *testing.T) {
	tests := []struct{ in, want string }{
		{"13912345678", "+8613912345678"},
		{"139 1234 5678", "+8613912345678"},
		{"１３９１２３４５６７８", "+8613912345678"}, // full-width digits
		{"+86 139-1234-5678", "+8613912345678"},
		{"0086 139 1234 5678", "+8613912345678"},
		{"19912345678", "+8619912345678"},
		{"010-88886666", "+861088886666"},
		{"(021) 6666 8888", "+862166668888"},
		{"0755-12345678", "+8675512345678"},
		{"+86 755 1234 5678", "+8675512345678"},
		{"0912-1234567", "+869121234567"}, // 7-digit local number
		{"400-820-8820", "+864008208820"},
		{"0755-12345678转123", "+8675512345678;ext=123"},
		{"0755-12345678 分机 8001", "+8675512345678;ext=8001"},
		{"010-88886666 ext. 12", "+861088886666;ext=12"},
		{"+8675512345678;ext=123", "+8675512345678;ext=123"},
		{"+1 650 253 0000", "+16502530000"}, // a foreign number keeps its country
		{"12345", ""},
		{"23912345678", ""},
		{"88886666", ""}, // a landline without its area code
		{"1391234567", ""},
		{"139123456789", ""},
		{"电话", ""},
		{"", ""},
	}
	for _, tt := range tests {
		got, err := dossier.ParsePhone(tt.in)
		if (tt.want == "") != (err != nil) || got != tt.want {
			t.Errorf("ParsePhone(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
		if err != nil && tt.in != "" && !strings.Contains(err.Error(), "area code") {
			t.Errorf("ParsePhone(%q): unclear message %q", tt.in, err)
		}
	}
	for in, want := range map[string]string{"+8613912345678": "139****5678", "+861088886666": "108****6666", "+8675512345678;ext=123": "755****5678"} {
		if m := dossier.MaskPhone(in); m != want {
			t.Errorf("MaskPhone(%s) = %s, want %s", in, m, want)
		}
	}
}

func TestParseCreditCode(t *testing.T) {
	// 91350100M000100Y43 is a published example code with a valid check.
	if got, err := dossier.ParseCreditCode("91350100m000100y43"); err != nil || got != "91350100M000100Y43" {
		t.Errorf("valid code: %q, %v", got, err)
	}
	for _, bad := range []string{"91350100M000100Y44", "91350100M000100Y4", "91350100M000100I43", ""} {
		if _, err := dossier.ParseCreditCode(bad); err == nil {
			t.Errorf("ParseCreditCode(%q) accepted", bad)
		}
	}
}

func TestCanonicalFlagsVagueWording(t *testing.T) {
	reg := dossier.NewRegistry(nil)
	f, _ := reg.Field("expected_amount")
	v, rm, err := f.Canonical("大概30万左右")
	if err != nil || v != "300000" || rm != dossier.RemarkPending {
		t.Errorf("vague amount: %q %q %v", v, rm, err)
	}
	g, _ := reg.Field("grade")
	if v, _, err := g.Canonical("重点客户"); err != nil || v != "key" {
		t.Errorf("enum synonym: %q %v", v, err)
	}
	if _, _, err := g.Canonical("VIP"); err == nil || !strings.Contains(err.Error(), "重点") {
		t.Errorf("bad enum error should list the options: %v", err)
	}
}

func TestCleanText(t *testing.T) {
	if got := dossier.CleanText("  华信科技（深圳）　有限公司\t"); got != "华信科技(深圳) 有限公司" {
		t.Errorf("CleanText = %q", got)
	}
}

// Fuzz targets: every parser is total (no panic), and what it returns is a
// fixed point — the canonical form parses back to itself.

func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{"30万", "1.2亿", "¥1,200", "面议", "1e9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := dossier.ParseMoney(s)
		if err != nil {
			return
		}
		if m < 0 {
			t.Fatalf("negative amount %d from %q", m, s)
		}
		if back, err := dossier.ParseMoney(m.String()); err != nil || back != m {
			t.Fatalf("%q → %d does not read back: %d %v", s, m, back, err)
		}
	})
}

func FuzzParseMoneyRange(f *testing.F) {
	for _, s := range []string{"10-20万", "5000万-1亿", "50万以上", "面议", "-200000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := dossier.ParseMoneyRange(s)
		if err != nil {
			return
		}
		back, err := dossier.ParseMoneyRange(r.String())
		if err != nil || back != r {
			t.Fatalf("%q → %s does not read back: %+v %v", s, r, back, err)
		}
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2024-03-15", "2024年3月15日", "45366", "20240315"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := dossier.ParseDate(s)
		if err != nil {
			return
		}
		back, err := dossier.ParseDate(dossier.FormatDate(d))
		if err != nil || !back.Equal(d) {
			t.Fatalf("%q → %s does not read back", s, dossier.FormatDate(d))
		}
	})
}

func FuzzParseTimeline(f *testing.F) {
	for _, s := range []string{"2024年Q3", "2024年下半年", "2024-07", "待定"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tl, err := dossier.ParseTimeline(s)
		if err != nil {
			return
		}
		back, err := dossier.ParseTimeline(tl.String())
		if err != nil || back != tl {
			t.Fatalf("%q → %s does not read back: %+v %v", s, tl, back, err)
		}
	})
}

func FuzzParsePhone(f *testing.F) {
	for _, s := range []string{"13912345678", "010-88886666", "+86 139 1234 5678", "0755-12345678转123", "+1 650 253 0000 x9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := dossier.ParsePhone(s)
		if err != nil {
			return
		}
		if back, err := dossier.ParsePhone(p); err != nil || back != p {
			t.Fatalf("%q → %s does not read back", s, p)
		}
	})
}

func FuzzParseCreditCode(f *testing.F) {
	f.Add("91350100M000100Y43")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := dossier.ParseCreditCode(s)
		if err != nil {
			return
		}
		if want, _ := dossier.CreditCodeCheck(c[:17]); c[17] != want {
			t.Fatalf("%q accepted with a wrong check character", s)
		}
	})
}

// FuzzCanonical checks every field type: canonical values are fixed points.
func FuzzCanonical(f *testing.F) {
	reg := dossier.NewRegistry(nil)
	for _, s := range []string{"30万", "78%", "0.5", "2024年Q3", "重点", "4分", "a@b.cn", "100-500人"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, fd := range reg.Fields() {
			v, _, err := fd.Canonical(s)
			if err != nil || v == "" {
				continue
			}
			back, _, err := fd.Canonical(v)
			if err != nil || back != v {
				t.Fatalf("field %s: %q → %q → %q (%v)", fd.Key, s, v, back, err)
			}
		}
	})
}

// TestMoneyFastPathsMatch: the stored forms (digits, "lo-hi") skip the
// cleaning and the regular expression; they must parse as the general path
// does, which a leading space forces.
func TestMoneyFastPathsMatch(t *testing.T) {
	var in []string
	for _, d := range []string{"0", "7", "007", "1080000", "999999999999999", "123456789012345"} {
		in = append(in, d, d+"-", "-"+d, d+"-"+d, "1-"+d, d+"-1")
	}
	for _, s := range append(in, "-", "--", "1-2-3", "", "1000000000000000", "12345678901234567") {
		m1, err1 := dossier.ParseMoney(s)
		m2, err2 := dossier.ParseMoney(" " + s)
		if m1 != m2 || (err1 == nil) != (err2 == nil) {
			t.Errorf("ParseMoney(%q) = %v, %v; general path %v, %v", s, m1, err1, m2, err2)
		}
		r1, err1 := dossier.ParseMoneyRange(s)
		r2, err2 := dossier.ParseMoneyRange(" " + s)
		if r1 != r2 || (err1 == nil) != (err2 == nil) {
			t.Errorf("ParseMoneyRange(%q) = %+v, %v; general path %+v, %v", s, r1, err1, r2, err2)
		}
	}
}
