package sqldb

import (
	"encoding/json"
	"slices"
	"strings"
	"unicode/utf8"
)

// An import writes every new customer's values as a JSON object and the
// quality refresh reads them back: encoding/json's reflection on maps was a
// tenth of a 20,000-row import's CPU. These two do the common case by hand
// and leave the rest to encoding/json, with the same bytes and values as a
// result (FuzzMarshalStrings, FuzzUnmarshalStrings).

// marshalStrings is json.Marshal of a map of strings.
func marshalStrings(m map[string]string) string {
	if m == nil {
		return "null"
	}
	keys := make([]string, 0, len(m))
	n := 2
	for k, v := range m {
		keys = append(keys, k)
		n += len(k) + len(v) + 6
	}
	slices.Sort(keys)
	var b strings.Builder
	b.Grow(n)
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		writeJSONString(&b, k)
		b.WriteByte(':')
		writeJSONString(&b, m[k])
	}
	b.WriteByte('}')
	return b.String()
}

// writeJSONString writes s as encoding/json does: as it is when no byte
// needs escaping, else through encoding/json.
func writeJSONString(b *strings.Builder, s string) {
	if !plainJSON(s) {
		q, _ := json.Marshal(s)
		b.Write(q)
		return
	}
	b.WriteByte('"')
	b.WriteString(s)
	b.WriteByte('"')
}

// plainJSON reports whether encoding/json writes s between quotes
// unchanged: printable ASCII but " \ < > &, and valid UTF-8 but U+2028 and
// U+2029.
func plainJSON(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7F || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || r == '\u2028' || r == '\u2029' {
			return false
		}
		i += size
	}
	return true
}

// unmarshalStrings is json.Unmarshal of an object of strings into a new
// map (nil for null).
func unmarshalStrings(data string) (map[string]string, error) {
	if m, ok := plainObject(data); ok {
		return m, nil
	}
	var m map[string]string
	err := json.Unmarshal([]byte(data), &m)
	return m, err
}

// plainObject reads an object of strings without escapes, with any white
// space (PostgreSQL's jsonb puts some); false for anything else.
func plainObject(s string) (map[string]string, bool) {
	i := skipSpace(s, 0)
	if i >= len(s) || s[i] != '{' {
		return nil, false
	}
	m := map[string]string{}
	i = skipSpace(s, i+1)
	if i < len(s) && s[i] == '}' {
		return m, skipSpace(s, i+1) == len(s)
	}
	for {
		k, j, ok := plainString(s, i)
		if !ok {
			return nil, false
		}
		if i = skipSpace(s, j); i >= len(s) || s[i] != ':' {
			return nil, false
		}
		v, j, ok := plainString(s, skipSpace(s, i+1))
		if !ok {
			return nil, false
		}
		m[k] = v
		if i = skipSpace(s, j); i >= len(s) {
			return nil, false
		}
		switch s[i] {
		case ',':
			i = skipSpace(s, i+1)
		case '}':
			return m, skipSpace(s, i+1) == len(s)
		default:
			return nil, false
		}
	}
}

// plainString reads a JSON string at s[i] with no escapes and no control
// characters, in valid UTF-8, and returns it and the index after it.
func plainString(s string, i int) (string, int, bool) {
	if i >= len(s) || s[i] != '"' {
		return "", 0, false
	}
	for j := i + 1; j < len(s); j++ {
		switch c := s[j]; {
		case c == '"':
			v := s[i+1 : j]
			return v, j + 1, utf8.ValidString(v)
		case c == '\\' || c < 0x20:
			return "", 0, false
		}
	}
	return "", 0, false
}

func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	return i
}
