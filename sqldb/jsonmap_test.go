package sqldb

import (
	"encoding/json"
	"maps"
	"testing"
)

var jsonMapCases = []map[string]string{
	nil, {}, {"name": "华信科技"}, {"a": "<b>&", "q": `say "hi"\`, "ctl": "\x01\t\n", "bad": "\xff", "ls": "a\u2028b\u2029"},
	{"": "", "k": "v", "z": "最后", "é": "e\u0301"},
}

func TestMarshalStrings(t *testing.T) {
	for _, m := range jsonMapCases {
		want, _ := json.Marshal(m)
		if got := marshalStrings(m); got != string(want) {
			t.Errorf("marshalStrings(%q) = %s, want %s", m, got, want)
		}
	}
}

func TestUnmarshalStrings(t *testing.T) {
	for _, s := range []string{"null", "{}", " { } ", `{"a":"b"}`, `{"a": "b", "c": "d"}`, `{"a":"b","a":"c"}`, `{"a":"\u00e9\n"}`,
		`{"a":1}`, `{"a":"b",}`, `{"a" "b"}`, `[]`, ``, `{"a":"b"} x`, "{\"a\":\"\xff\"}", `{"a":null}`} {
		checkUnmarshal(t, s)
	}
	for _, m := range jsonMapCases {
		b, _ := json.Marshal(m)
		checkUnmarshal(t, string(b))
	}
}

func checkUnmarshal(t *testing.T, s string) {
	t.Helper()
	var want map[string]string
	werr := json.Unmarshal([]byte(s), &want)
	got, err := unmarshalStrings(s)
	if (err == nil) != (werr == nil) || (werr == nil && (!maps.Equal(got, want) || (got == nil) != (want == nil))) {
		t.Errorf("unmarshalStrings(%q) = %q, %v; want %q, %v", s, got, err, want, werr)
	}
}

func FuzzMarshalStrings(f *testing.F) {
	f.Add("k", "v", "x", "<&>\"\\\x00\xff\u2028")
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2 string) {
		m := map[string]string{k1: v1, k2: v2}
		want, _ := json.Marshal(m)
		got := marshalStrings(m)
		if got != string(want) {
			t.Fatalf("marshalStrings(%q) = %s, want %s", m, got, want)
		}
		checkUnmarshal(t, got)
	})
}

func FuzzUnmarshalStrings(f *testing.F) {
	for _, s := range []string{"null", "{}", `{"a": "b", "c": "d"}`, `{"a":"\u00e9"}`, `{"a":1}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkUnmarshal(t, s) })
}
