package http

import (
	"slices"
	"strings"
	"testing"

	"github.com/dossier/dossier"
)

// TestFieldOptions: the option list of the field forms, value=中文 or
// value=中文=English, and its writing back.
func TestFieldOptions(t *testing.T) {
	tests := []struct {
		in   string
		want []dossier.Option
		back string
	}{
		{"high=高, low=低", []dossier.Option{{Value: "high", LabelZH: "高", LabelEN: "high"}, {Value: "low", LabelZH: "低", LabelEN: "low"}}, "high=高, low=低"},
		{"high=高=High；mid=中=Medium", []dossier.Option{{Value: "high", LabelZH: "高", LabelEN: "High"}, {Value: "mid", LabelZH: "中", LabelEN: "Medium"}}, "high=高=High, mid=中=Medium"},
		{"大客户", []dossier.Option{{Value: "大客户", LabelZH: "大客户", LabelEN: "大客户"}}, "大客户=大客户"},
		{"", nil, ""},
	}
	for _, tt := range tests {
		got := fieldOptions(tt.in)
		if !slices.EqualFunc(got, tt.want, func(a, b dossier.Option) bool {
			return a.Value == b.Value && a.LabelZH == b.LabelZH && a.LabelEN == b.LabelEN
		}) {
			t.Errorf("fieldOptions(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
		if back := formatOptions(got); back != tt.back {
			t.Errorf("formatOptions(fieldOptions(%q)) = %q, want %q", tt.in, back, tt.back)
		}
	}
}

// FuzzFieldOptions: what the form writes back reads as the same options.
func FuzzFieldOptions(f *testing.F) {
	f.Add("high=高=High, low=低")
	f.Add("a=b=c=d,,=,")
	f.Fuzz(func(t *testing.T, s string) {
		opts := fieldOptions(s)
		if strings.ContainsAny(s, "=,，;；、|") {
			// Values or labels holding separators cannot round-trip; the
			// store's validation refuses empty ones.
			for _, o := range opts {
				if strings.ContainsAny(o.Value+o.LabelZH+o.LabelEN, ",，;；、|") {
					t.Fatalf("option %+v holds a separator", o)
				}
			}
		}
		again := fieldOptions(formatOptions(opts))
		if len(again) > len(opts) {
			t.Fatalf("%q: %d options, %d after writing back", s, len(opts), len(again))
		}
	})
}
