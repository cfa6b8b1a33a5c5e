package present

import (
	"testing"

	"github.com/dossier/dossier"
)

func TestValue(t *testing.T) {
	reg := dossier.NewRegistry(nil)
	field := func(key string) dossier.Field {
		f, ok := reg.Field(key)
		if !ok {
			t.Fatalf("no field %s", key)
		}
		return f
	}
	tests := []struct {
		key, v, lang string
		sees         bool
		want         string
	}{
		{"grade", "key", "zh", true, "重点"},
		{"grade", "key", "en", true, "Key"},
		{"revenue", "150000000", "zh", true, "1.5亿"},
		{"budget", "negotiable", "zh", true, "面议"},
		{"contact_phone", "+8613912345678", "zh", true, "+8613912345678"},
		{"contact_phone", "+8613912345678", "zh", false, dossier.MaskPhone("+8613912345678")},
		{"contact_email", "zhang.wei@example.com", "zh", false, "z***@example.com"},
		{"contact_email", "broken", "zh", false, "***"},
		{"name", "", "zh", true, ""},
	}
	for _, tc := range tests {
		if got := Value(field(tc.key), tc.v, tc.lang, tc.sees); got != tc.want {
			t.Errorf("Value(%s, %q, %s, sees=%v) = %q, want %q", tc.key, tc.v, tc.lang, tc.sees, got, tc.want)
		}
	}
	if got := Value(field("contact_phone"), "+8613912345678", "zh", false); got == "+8613912345678" {
		t.Errorf("a masked phone shows in full")
	}
}
