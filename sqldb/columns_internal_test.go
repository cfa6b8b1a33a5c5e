package sqldb

import (
	"database/sql"
	"math"
	"testing"
	"time"
)

// slowCanonical is what the recompute did before canonicalValue: scan into
// a sql.NullString, then canonicalColumn.
func slowCanonical(kind colKind, v any) (string, bool) {
	var ns sql.NullString
	if err := ns.Scan(v); err != nil || !ns.Valid {
		return "", false
	}
	return canonicalColumn(kind, ns.String), true
}

func checkCanonicalValue(t *testing.T, v any) {
	t.Helper()
	for _, kind := range []colKind{colText, colInt, colReal} {
		got, gotOK := canonicalValue(kind, v)
		want, wantOK := slowCanonical(kind, v)
		if got != want || gotOK != wantOK {
			t.Errorf("kind %d, %#v: %q %v, want %q %v", kind, v, got, gotOK, want, wantOK)
		}
	}
}

// TestCanonicalValueMatchesNullString: the fast path gives what scanning
// into a sql.NullString and canonicalColumn gave, for every driver type.
func TestCanonicalValueMatchesNullString(t *testing.T) {
	for _, v := range []any{nil, "", "12", "12.0", "1.2e+06", "abc", "制造业", []byte("3.50"), []byte(nil),
		int64(0), int64(-7), int64(800), int64(300000000), int64(1<<53 + 1), int64(math.MaxInt64), int64(math.MinInt64),
		0.0, math.Copysign(0, -1), 78.5, 0.1, 1e21, 1.5e-7, -2.25, 12345678901234567.0, math.Inf(1), math.Inf(-1), math.NaN(),
		true, time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)} {
		checkCanonicalValue(t, v)
	}
}

func FuzzCanonicalValue(f *testing.F) {
	f.Add(int64(800), 78.5, "12.0")
	f.Add(int64(-1), 1e21, "1.2e+06")
	f.Fuzz(func(t *testing.T, i int64, x float64, s string) {
		for _, v := range []any{i, x, s, []byte(s)} {
			checkCanonicalValue(t, v)
		}
	})
}
