package dedupe

import (
	"encoding/csv"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestNormalizeName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"  深圳市 华为 技术有限公司 ", "深圳市华为技术有限公司"},
		{"华为技术（深圳）有限公司", "华为技术(深圳)有限公司"},
		{"华为技术【深圳】有限公司", "华为技术(深圳)有限公司"},
		{"ＡＢＣ科技有限公司", "abc科技有限公司"},
		{"IBM  Research, Almaden", "ibm research almaden"},
		{"Acme-Widgets Ltd.", "acme widgets ltd"},
		{"华为·技术", "华为技术"},
		{"A 华为", "a华为"},
		{"\xff\xfe坏", "坏"},
	}
	for _, tt := range tests {
		if got := NormalizeName(tt.in); got != tt.want {
			t.Errorf("NormalizeName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseName(t *testing.T) {
	tests := []struct {
		in   string
		want Name
	}{
		{"深圳市华为技术有限公司", Name{Region: "深圳市", Trade: "华为", Industry: "技术", Form: "有限公司"}},
		{"华为技术(深圳)有限公司", Name{Region: "深圳", Trade: "华为", Industry: "技术", Form: "有限公司"}},
		{"华为技术（深圳）有限公司", Name{Region: "深圳", Trade: "华为", Industry: "技术", Form: "有限公司"}},
		{"深圳华为技术有限责任公司", Name{Region: "深圳", Trade: "华为", Industry: "技术", Form: "有限责任公司"}},
		{"广东省深圳市腾讯网络科技股份有限公司", Name{Region: "广东省深圳市", Trade: "腾讯", Industry: "网络科技", Form: "股份有限公司"}},
		{"上海都德商贸有限公司", Name{Region: "上海", Trade: "都德", Industry: "商贸", Form: "有限公司"}},
		{"中山市汇通商务策划咨询有限公司", Name{Region: "中山市", Trade: "汇通", Industry: "商务策划咨询", Form: "有限公司"}},
		{"美的集团有限公司", Name{Trade: "美的", Form: "集团有限公司"}},
		{"河北华联商贸有限公司保定分公司", Name{Region: "河北", Trade: "华联", Industry: "商贸", Form: "有限公司", Branch: "保定分公司"}},
		{"高唐县鑫源纺织有限公司", Name{Region: "高唐县", Trade: "鑫源", Industry: "纺织", Form: "有限公司"}},
		{"宏达投资合伙企业(有限合伙)", Name{Trade: "宏达", Industry: "投资", Form: "合伙企业有限合伙"}},
		{"华为", Name{Trade: "华为"}},
		{"深圳科技有限公司", Name{Region: "深圳", Trade: "科技", Form: "有限公司"}},
		{"Acme Widgets Ltd.", Name{Trade: "acme widgets", Form: "ltd"}},
		{"", Name{}},
		{"有限公司", Name{Trade: "有限", Form: "公司"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, ParseName(tt.in)); diff != "" {
				t.Errorf("ParseName(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

// TestParseNameLabelled measures the parser on the 1,400 labelled names of
// ../shared/datasets (not in the repository: skipped when absent). The
// trade name is what matching relies on, so it carries the bar.
func TestParseNameLabelled(t *testing.T) {
	f, err := os.Open("../../shared/datasets/chinese-company-names-labelled/company_names_spans.csv")
	if err != nil {
		t.Skip("labelled names not present:", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var n, region, trade, industry, form, nTest, tradeTest int
	for _, row := range rows[1:] {
		want := labelledParts(row[2])
		got := ParseName(row[1])
		n++
		if row[0] == "test.200" { // the split the word lists were not tuned on
			nTest++
			tradeTest += eq(got.Trade, want.Trade)
		}
		region += eq(got.Region, want.Region)
		trade += eq(got.Trade, want.Trade)
		industry += eq(got.Industry, want.Industry)
		form += eq(got.Form, want.Form)
		if testing.Verbose() && got.Trade != want.Trade {
			t.Logf("%s: trade %q, want %q (%s)", row[1], got.Trade, want.Trade, row[2])
		}
	}
	pct := func(k int) float64 { return float64(k) / float64(n) }
	t.Logf("%d names: region %.3f, trade %.3f, industry %.3f, form %.3f; test.200 trade %.3f",
		n, pct(region), pct(trade), pct(industry), pct(form), float64(tradeTest)/float64(max(nTest, 1)))
	if pct(trade) < 0.85 || pct(form) < 0.95 {
		t.Errorf("part accuracy below the bar: trade %.3f (want ≥ 0.85), form %.3f (want ≥ 0.95)", pct(trade), pct(form))
	}
}

func eq(a, b string) int {
	if a == b {
		return 1
	}
	return 0
}

// labelledParts reads "LOC=上海;NAME=都德;INDU=商贸;ORG=有限公司": the first
// place, and the trade and industry spans before the first legal form.
func labelledParts(spans string) Name {
	var n Name
	formSeen := false
	for _, sp := range strings.Split(spans, ";") {
		typ, text, _ := strings.Cut(sp, "=")
		text = NormalizeName(text)
		switch {
		case typ == "LOC" && n.Region == "":
			n.Region = text
		case typ == "NAME" && !formSeen:
			n.Trade += text
		case typ == "INDU" && !formSeen:
			n.Industry += text
		case typ == "ORG" && !formSeen:
			n.Form, formSeen = text, true
		}
	}
	return n
}

func FuzzParseName(f *testing.F) {
	for _, s := range []string{"深圳市华为技术有限公司", "华为技术(深圳)有限公司", "((", ")(有限公司", "Acme Ltd", "广西南宁", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := ParseName(s)
		norm := NormalizeName(s)
		if !utf8.ValidString(n.Core()) {
			t.Fatalf("invalid UTF-8 in %+v", n)
		}
		// Parsing only drops brackets and spaces: the parts never hold
		// more letters than the normalised name.
		parts := n.Region + n.Trade + n.Industry + n.Form + n.Branch
		if utf8.RuneCountInString(strings.ReplaceAll(parts, " ", "")) > utf8.RuneCountInString(norm) {
			t.Fatalf("ParseName(%q) = %+v: more than %q", s, n, norm)
		}
		if norm != "" && parts == "" && strings.Trim(norm, "() ") != "" {
			t.Fatalf("ParseName(%q) lost everything", s)
		}
	})
}
