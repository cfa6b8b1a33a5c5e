package sqldb

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/dossier/dossier"
)

// encodeExplanation is json.Marshal(lines), byte for byte, without
// reflection: a recompute encodes every customer's explanation to compare
// it with the stored one, and json.Marshal's reflection over the lines and
// their []any arguments was the larger part of that. Anything the fast
// path does not cover (an argument of another type, a string that JSON
// escapes, a float in exponent form) goes to json.Marshal.
func encodeExplanation(lines []dossier.ScoreLine) []byte {
	if lines == nil {
		return []byte("null")
	}
	b := make([]byte, 0, 128*len(lines)+2)
	b = append(b, '[')
	for i := range lines {
		var ok bool
		if i > 0 {
			b = append(b, ',')
		}
		if b, ok = appendScoreLine(b, &lines[i]); !ok {
			out, _ := json.Marshal(lines)
			return out
		}
	}
	return append(b, ']')
}

func appendScoreLine(b []byte, l *dossier.ScoreLine) ([]byte, bool) {
	ok := true
	str := func(s string) {
		if ok {
			b, ok = appendPlainString(b, s)
		}
	}
	b = append(b, `{"component":`...)
	str(l.Component)
	b = append(b, `,"points":`...)
	b = strconv.AppendInt(b, int64(l.Points), 10)
	b = append(b, `,"reason":`...)
	str(l.Reason)
	b = append(b, `,"key":`...)
	str(l.Key)
	if len(l.Args) > 0 {
		b = append(b, `,"args":[`...)
		for i, a := range l.Args {
			if i > 0 {
				b = append(b, ',')
			}
			switch x := a.(type) {
			case string:
				str(x)
			case int:
				b = strconv.AppendInt(b, int64(x), 10)
			case float64:
				// encoding/json writes 'f' form for these magnitudes.
				if abs := math.Abs(x); abs != 0 && (abs < 1e-6 || abs >= 1e21) || math.IsNaN(x) || math.IsInf(x, 0) {
					return b, false
				}
				b = strconv.AppendFloat(b, x, 'f', -1, 64)
			default:
				return b, false
			}
		}
		b = append(b, ']')
	}
	if l.Missing {
		b = append(b, `,"missing":true`...)
	}
	return append(b, '}'), ok
}

// appendPlainString quotes s when JSON (with encoding/json's HTML escaping)
// needs no escape in it; ok is false otherwise.
func appendPlainString(b []byte, s string) ([]byte, bool) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&':
			return b, false
		case c == 0xE2 && i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0xA8 || s[i+2] == 0xA9): // U+2028, U+2029
			return b, false
		}
	}
	if !utf8.ValidString(s) {
		return b, false
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"'), true
}

// encodeICP is the stored form of a summary's ICP fits: json.Marshal of
// the map from name to fit (a repeated name keeps its last fit), byte for
// byte, without the map and its reflection, which were a third of the
// allocations of writing a summary. A name JSON would escape goes to
// json.Marshal.
func encodeICP(fits []dossier.ICPFit) string {
	kv := make([]dossier.ICPFit, 0, len(fits))
	for _, f := range fits {
		if i := slices.IndexFunc(kv, func(k dossier.ICPFit) bool { return k.Name == f.Name }); i >= 0 {
			kv[i].Fit = f.Fit
			continue
		}
		kv = append(kv, dossier.ICPFit{Name: f.Name, Fit: f.Fit})
	}
	slices.SortFunc(kv, func(a, b dossier.ICPFit) int { return strings.Compare(a.Name, b.Name) })
	b := make([]byte, 0, 32*len(kv)+2)
	b = append(b, '{')
	for i, f := range kv {
		var ok bool
		if i > 0 {
			b = append(b, ',')
		}
		if b, ok = appendPlainString(b, f.Name); !ok {
			return marshalICP(fits)
		}
		b = strconv.AppendInt(append(b, ':'), int64(f.Fit), 10)
	}
	return string(append(b, '}'))
}

// marshalICP is encodeICP through encoding/json.
func marshalICP(fits []dossier.ICPFit) string {
	m := make(map[string]int, len(fits))
	for _, f := range fits {
		m[f.Name] = f.Fit
	}
	b, _ := json.Marshal(m)
	return string(b)
}
