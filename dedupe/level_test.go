package dedupe

import (
	"context"
	"strings"
	"testing"

	"github.com/dossier/dossier"
)

// TestSameCompanyCore: the ways people write one company's name reduce to
// one core (name without region and legal form) and one region; a
// regression in normalisation fails here with the real example.
func TestSameCompanyCore(t *testing.T) {
	groups := []struct {
		region, core string
		names        []string
	}{
		{"深圳", "华为技术", []string{"深圳市华为技术有限公司", "华为技术(深圳)有限公司", "华为技术（深圳）有限公司",
			"华为技术【深圳】有限公司", "深圳 华为技术有限责任公司", "华为技术（深圳）有限责任公司"}},
		{"深圳", "鑫志通科技", []string{"深圳市鑫志通科技有限公司", "鑫志通科技(深圳)有限公司", "鑫志通科技（深圳市）有限公司"}},
		// A county-level city the gazetteer does not know: in brackets
		// before the legal form it is still the region.
		{"海伦", "源亿企业管理", []string{"源亿企业管理(海伦)有限公司", "源亿企业管理（海伦）有限责任公司"}},
		{"上海", "都德商贸", []string{"上海都德商贸有限公司", "都德商贸（上海）有限公司", "上海市都德商贸股份有限公司"}},
	}
	for _, g := range groups {
		for _, s := range g.names {
			n := ParseName(s)
			if n.Core() != g.core {
				t.Errorf("ParseName(%q).Core() = %q, want %q (%+v)", s, n.Core(), g.core, n)
			}
			if got := shortPlace(n.Region); got != g.region {
				t.Errorf("ParseName(%q) region %q, want %q", s, got, g.region)
			}
		}
	}
	// A bracketed word that is not a region stays in the name.
	if n := ParseName("华为(技术)有限公司"); n.Core() != "华为技术" {
		t.Errorf("ParseName(华为(技术)有限公司).Core() = %q, want 华为技术", n.Core())
	}
	if n := ParseName("宏达(中外合资)经营公司"); n.Region != "" {
		t.Errorf("ParseName(宏达(中外合资)经营公司): region %q, want none", n.Region)
	}
}

func TestNameLevel(t *testing.T) {
	jw := newJW()
	tests := []struct {
		a, b string
		want uint8
	}{
		{"深圳市华为技术有限公司", "华为技术（深圳）有限公司", 0},
		{"深圳市华为技术有限公司", "华为通信有限公司", 1},
		{"上海君聚天华工艺装饰品有限公司", "上海君聚天华有限公司", nameShort},
		{"广西龙都有限公司", "龙都环境监测有限公司", nameShort},
		{"淮安星酷商贸有限公司", "淮安盛酷商贸有限公司", nameShort + 1}, // one slip
		{"铭赫物流有限公司", "铭赫国际物流有限公司", 1},
		{"星酷商贸有限公司", "星酷达商贸有限公司", nameShort + 1}, // one character added
		{"华为技术有限公司", "华达技术有限公司", nameShort + 1},
		{"华为有限公司", "华为达科技有限公司", nameShort}, // a short name is only a prefix: its own level, weighed by the data
		{"深圳市华为技术有限公司", "腾讯科技有限公司", 5},
		{"", "腾讯科技有限公司", missing},
	}
	for _, tt := range tests {
		got := nameLevel(newNameFeat(ParseName(tt.a)), newNameFeat(ParseName(tt.b)), jw, nil, false)
		if got != tt.want {
			t.Errorf("nameLevel(%s, %s) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestOneSlip(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"星酷商贸", "盛酷商贸", true},
		{"星酷商贸", "星酷国商贸", true},
		{"星酷商贸", "酷商贸", false}, // three characters: too short to tell
		{"星酷商贸", "星酷商贸", true},
		{"星酷商贸", "盛宝商贸", false},
		{"星酷商贸物流", "星酷商贸", false},
	}
	for _, tt := range tests {
		if got := oneSlip([]rune(tt.a), []rune(tt.b)); got != tt.want {
			t.Errorf("oneSlip(%s, %s) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestAttachUnambiguous: a record without place or identifier whose name
// is that of one company joins it; when the data hold a namesake in
// another city, it stays apart, and so do the namesakes.
func TestAttachUnambiguous(t *testing.T) {
	recs := companies(400,
		rec("a1", "name", "济南铭赫物流有限公司", "city", "济南市", "credit_code", "91370100MA3C5TXQ4B"),
		rec("a2", "name", "铭赫物流有限责任公司"),
		rec("n1", "name", "南宁市瑞康物流有限公司", "city", "南宁市", "credit_code", "91450100MA5KB3XQ1P"),
		rec("n2", "name", "瑞康物流有限公司"),
		rec("n3", "name", "贵阳瑞康物流有限公司", "city", "贵阳市", "credit_code", "91520100MA6DN3KB2W"),
	)
	res, err := Run(context.Background(), recs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	cl := res.Cluster
	if cl["a2"] != cl["a1"] {
		t.Errorf("a2 (the only company of that name) not attached to a1; attached %d", res.Report.Attached)
	}
	if cl["n2"] == cl["n1"] || cl["n2"] == cl["n3"] || cl["n1"] == cl["n3"] {
		t.Errorf("namesakes joined: n1 %s, n2 %s, n3 %s", cl["n1"], cl["n2"], cl["n3"])
	}
}

// TestIdentifiersPhone: a phone already in E.164 takes the fast path and
// gives what ParsePhone gives; other spellings still meet it.
func TestIdentifiersPhone(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"+8613912345678", []string{"+8613912345678"}},
		{"139 1234 5678", []string{"+8613912345678"}},
		{"+86 139-1234-5678;0755-28780808", []string{"+8613912345678", "+8675528780808"}},
		{"+0123456789", []string{"0123456789"}}, // not E.164, not valid: digits
		{"+86139", []string{"86139"}},
	}
	for _, tt := range tests {
		got := identifiers("contact_phone", tt.in)
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("identifiers(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	for _, s := range []string{"+8613912345678", "+8675528780808", "+14155552671"} {
		if p, err := dossier.ParsePhone(s); err != nil || p != s || !e164(s) {
			t.Errorf("%s: ParsePhone = %q, %v; e164 %v: the fast path must agree", s, p, err, e164(s))
		}
	}
}
