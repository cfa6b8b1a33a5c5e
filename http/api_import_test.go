package http

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/dossier/dossier"
)

// callImportAPI is TestOpenAPIResponses' part for import runs: two runs,
// paged one at a time with the cursor, one read, and the errors.
func callImportAPI(t *testing.T, f *fixture, call func(pattern, path, as, body string, want int) resp) {
	t.Helper()
	var runs []*dossier.ImportRun
	for i, file := range []string{"客户名单.xlsx", "拜访记录.csv"} {
		run := &dossier.ImportRun{File: file, Kind: "customers", User: "admin",
			Source: dossier.Source{Channel: dossier.ChannelPublic, Detail: "展会名录", CollectedAt: time.Now()}}
		if err := f.db.StartImport(t.Context(), run); err != nil {
			t.Fatal(err)
		}
		run.Status, run.Imported, run.Rejected = "done", 10+i, i
		if err := f.db.FinishImport(t.Context(), run); err != nil {
			t.Fatal(err)
		}
		runs = append(runs, run)
	}
	var page importList
	if err := json.Unmarshal([]byte(call("GET /api/v1/imports", "/api/v1/imports?limit=1", "zhou", "", 200).body), &page); err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 1 || page.Items[0].File != "拜访记录.csv" || page.NextCursor == "" {
		t.Fatalf("first page %+v", page)
	}
	next := call("GET /api/v1/imports", "/api/v1/imports?limit=1&cursor="+page.NextCursor, "admin", "", 200)
	next.mustContain(t, "客户名单.xlsx", `"imported":10`)
	call("GET /api/v1/imports", "/api/v1/imports?cursor="+encodeCursor("customers", 5), "admin", "", 400)
	call("GET /api/v1/imports/{id}", fmt.Sprintf("/api/v1/imports/%d", runs[1].ID), "admin", "", 200).
		mustContain(t, `"state":"done"`, `"rejected":1`, "展会名录")
	call("GET /api/v1/imports/{id}", "/api/v1/imports/999999", "admin", "", 404)
	call("GET /api/v1/imports", "/api/v1/imports", "li", "", 403)
}
