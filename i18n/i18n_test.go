package i18n

import (
	"regexp"
	"slices"
	"testing"
)

// TestCataloguesComplete checks that every message exists in every
// language, is not empty, and uses the same placeholders everywhere.
func TestCataloguesComplete(t *testing.T) {
	all := map[string]bool{}
	for _, lang := range Langs {
		for _, k := range Keys(lang) {
			all[k] = true
		}
	}
	if len(all) == 0 {
		t.Fatal("no messages")
	}
	for k := range all {
		var want []string
		for i, lang := range Langs {
			msg, ok := catalogues[lang][k]
			if !ok || msg == "" {
				t.Errorf("%s: missing or empty in %s", k, lang)
				continue
			}
			got := placeholders(msg)
			if i == 0 {
				want = got
			} else if !slices.Equal(got, want) {
				t.Errorf("%s: placeholders %v in %s, %v in %s", k, got, lang, want, Langs[0])
			}
		}
	}
}

var placeholderRE = regexp.MustCompile(`\{\d+\}`)

func placeholders(msg string) []string {
	ps := placeholderRE.FindAllString(msg, -1)
	slices.Sort(ps)
	return slices.Compact(ps)
}

func TestT(t *testing.T) {
	for _, sc := range []struct {
		lang, key string
		args      []any
		want      string
	}{
		{"zh", "auth.title", nil, "登录"},
		{"en", "auth.title", nil, "Sign in"},
		{"en-US", "auth.title", nil, "Sign in"},
		{"fr", "auth.title", nil, "登录"},
		{"", "auth.title", nil, "登录"},
		{"zh", "customers.count", []any{120, 1, 50}, "共 120 个客户，当前显示第 1–50 个"},
		{"en", "customers.count", []any{120, 1, 50}, "120 customers, showing 1–50"},
		// Arguments that went through JSON arrive as float64.
		{"zh", "score.f", []any{float64(4), float64(3), 4.0 / 3}, "近 3 个月沟通 4 次，月均 1.3 次"},
		{"en", "score.r", []any{"2026-05-02", float64(4)}, "last contact 2026-05-02, 4 months ago"},
		{"zh", "no.such.key", nil, "no.such.key"},
	} {
		if got := T(sc.lang, sc.key, sc.args...); got != sc.want {
			t.Errorf("T(%q, %q, %v) = %q, want %q", sc.lang, sc.key, sc.args, got, sc.want)
		}
	}
}

// TestDomainKeys checks the message ids that domain values point to: score
// explanations, roles, channels, remarks and categories.
func TestDomainKeys(t *testing.T) {
	keys := []string{
		"score.r", "score.r.none", "score.f", "score.m.expected", "score.m.budget", "score.m.none",
		"score.v.benchmark", "score.v.regional_leader", "score.v.ordinary",
		"role.admin", "role.manager", "role.sales", "role.service", "role.marketing", "role.analyst",
		"channel.public", "channel.customer", "channel.internal", "channel.third-party",
		"remark.pending", "remark.dynamic",
		"category.basic", "category.contact", "category.background", "category.need", "category.history", "category.analysis",
	}
	for _, lang := range Langs {
		for _, k := range keys {
			if !Has(lang, k) {
				t.Errorf("%s: no message %q", lang, k)
			}
		}
	}
}
