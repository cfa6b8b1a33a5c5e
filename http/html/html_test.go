package html

import (
	"io/fs"
	"regexp"
	"testing"

	"github.com/dossier/dossier/i18n"
)

// TestTemplateKeysExist finds every literal message id in the templates and
// checks both catalogues have it, so no page shows a raw id.
func TestTemplateKeysExist(t *testing.T) {
	re := regexp.MustCompile(`\.T "([^"]+)"`)
	names, err := fs.Glob(files, "*.html")
	if err != nil || len(names) == 0 {
		t.Fatalf("no templates: %v", err)
	}
	n := 0
	for _, name := range names {
		b, err := fs.ReadFile(files, name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			n++
			for _, lang := range i18n.Langs {
				if !i18n.Has(lang, m[1]) {
					t.Errorf("%s: message %q missing in %s", name, m[1], lang)
				}
			}
		}
	}
	if n == 0 {
		t.Error("found no message ids in the templates")
	}
}

func TestLoad(t *testing.T) {
	asset := func(name string) (string, error) { return "/assets/" + name, nil }
	tmpl, err := Load(asset)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range Pages {
		if _, ok := tmpl.pages[p]; !ok {
			t.Errorf("page %s not loaded", p)
		}
	}
}
