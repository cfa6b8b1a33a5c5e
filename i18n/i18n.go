// Package i18n holds the message catalogues of the user interface: Chinese,
// the default, and English. Every text a person reads in the web UI comes
// from here, so a translation is one file and a missing one is a test failure.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Language tags the catalogues are kept under.
const (
	Chinese = "zh"
	English = "en"
	Default = Chinese
)

// Langs lists the languages with a catalogue, the default first.
var Langs = []string{Chinese, English}

// Each language's catalogue is LANG.json plus any LANG.PART.json (e.g.
// zh.quality.json), so that each part of the application keeps its messages
// beside the others without one file everybody edits.
//
//go:embed *.json
var files embed.FS

// catalogues maps language → message id → text. It is loaded once at
// start-up from the embedded JSON; a malformed file is a programming error
// that the package's own test catches, so loading panics rather than
// letting the UI show raw message ids.
var catalogues = load()

func load() map[string]map[string]string {
	out := make(map[string]map[string]string, len(Langs))
	for _, lang := range Langs {
		parts, err := fs.Glob(files, lang+".*json")
		if err != nil || len(parts) == 0 {
			panic(fmt.Sprintf("i18n: no catalogue for %s", lang))
		}
		m := map[string]string{}
		for _, name := range parts {
			if err := loadPart(m, name); err != nil {
				panic(fmt.Sprintf("i18n: %s: %v", name, err))
			}
		}
		out[lang] = m
	}
	return out
}

// loadPart adds one catalogue file to m; a message id defined twice is an
// error, since one of the two texts would silently lose.
func loadPart(m map[string]string, name string) error {
	b, err := files.ReadFile(name)
	if err != nil {
		return err
	}
	part := map[string]string{}
	if err := json.Unmarshal(b, &part); err != nil {
		return err
	}
	for k, v := range part {
		if _, dup := m[k]; dup {
			return fmt.Errorf("message %q is defined twice", k)
		}
		m[k] = v
	}
	return nil
}

// Normalize maps a requested language ("en", "en-US", "zh-CN", "") to one
// of Langs; anything unknown gets the default, Chinese.
func Normalize(lang string) string {
	base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(lang)), "-")
	if slices.Contains(Langs, base) {
		return base
	}
	return Default
}

// Has reports whether lang's catalogue has a message with the given id.
func Has(lang, key string) bool {
	_, ok := catalogues[Normalize(lang)][key]
	return ok
}

// Keys returns the message ids of lang's catalogue, sorted.
func Keys(lang string) []string {
	return slices.Sorted(maps.Keys(catalogues[Normalize(lang)]))
}

// T returns the message key in lang with its placeholders {0}, {1}, …
// replaced by args. Placeholders are positional so that a translation may
// reorder them. A missing message falls back to the default language, then
// to the key itself, so a gap shows up as an id rather than an empty label.
func T(lang, key string, args ...any) string {
	msg, ok := catalogues[Normalize(lang)][key]
	if !ok {
		if msg, ok = catalogues[Default][key]; !ok {
			return key
		}
	}
	if len(args) == 0 {
		return msg
	}
	pairs := make([]string, 0, 2*len(args))
	for i, a := range args {
		pairs = append(pairs, "{"+strconv.Itoa(i)+"}", format(a))
	}
	return strings.NewReplacer(pairs...).Replace(msg)
}

// format renders one argument. Numbers that went through JSON arrive as
// float64 even when they were counts, so a whole float prints as an integer
// and any other float with one decimal.
func format(a any) string {
	switch v := a.(type) {
	case string:
		return v
	case float64:
		return formatFloat(v)
	case float32:
		return formatFloat(float64(v))
	case fmt.Stringer:
		return v.String()
	}
	return fmt.Sprint(a)
}

func formatFloat(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'f', 1, 64)
}
