package http

import (
	"strings"
	"testing"
)

// TestAnalysesPage: a manager creates an analysis from the page (its name
// escaped), runs it twice and sees the comparison; a sales rep, whose role
// it does not name, gets a 404 for it.
func TestAnalysesPage(t *testing.T) {
	f := newFixture(t)
	r := f.formPost("/analyses", "zhou", "name=%3Cb%3E复盘%3C%2Fb%3E&goal=层级&scope=grade+%3D+重点&roles=manager")
	if r.StatusCode != 303 || !strings.HasPrefix(r.Header.Get("Location"), "/analyses?id=") {
		t.Fatalf("create: %d %s", r.StatusCode, r.body)
	}
	page := r.Header.Get("Location")
	id := strings.TrimPrefix(page, "/analyses?id=")
	if r := f.clients["zhou"].get(page); r.StatusCode != 200 || !strings.Contains(r.body, "&lt;b&gt;复盘&lt;/b&gt;") || strings.Contains(r.body, "<b>复盘") {
		t.Fatalf("page before a run: %d", r.StatusCode)
	}
	for range 2 {
		if r := f.formPost("/analyses/"+id+"/run", "zhou", ""); r.StatusCode != 303 {
			t.Fatalf("run: %d %s", r.StatusCode, r.body)
		}
	}
	r = f.clients["zhou"].get(page)
	for _, want := range []string{`id="comparison-summary"`, `id="transitions"`, `data-chart="{`, "层级变化（当时 → 现在）", "重点"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if r := f.clients["li"].get(page); r.StatusCode != 404 {
		t.Errorf("sales: %d", r.StatusCode)
	}
	if r := f.formPost("/analyses", "zhou", "name=x&scope=grade+%3D+%3D"); r.StatusCode != 400 {
		t.Errorf("bad scope: %d", r.StatusCode)
	}
}
