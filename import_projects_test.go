package dossier_test

import (
	"context"
	"strings"
	"testing"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/csv"
)

func importProjects(t testing.TB, data string) (*dossier.ImportResult, []dossier.ImportRecord, error) {
	r, err := csv.NewReader(strings.NewReader(data))
	if err != nil {
		return nil, nil, err
	}
	store := &recordingStore{memStore: newMemStore()}
	im := &dossier.Importer{Store: store, Opt: dossier.ImportOptions{BatchSize: 2}}
	res, err := im.Import(t.Context(), r, dossier.ImportRun{File: "p.csv", Kind: dossier.KindProjects, Source: src()})
	return res, store.records, err
}

// recordingStore keeps the records the importer hands over.
type recordingStore struct {
	*memStore
	records []dossier.ImportRecord
}

func (s *recordingStore) ImportBatch(ctx context.Context, run *dossier.ImportRun, b []dossier.ImportRecord, dry bool) ([]dossier.ImportOutcome, error) {
	s.records = append(s.records, b...)
	return s.memStore.ImportBatch(ctx, run, b, dry)
}

func TestImportProjectRows(t *testing.T) {
	tests := []struct {
		name, row string
		want      map[string]string // nil: rejected
		issue     string
	}{
		{"full", "甲,仓储一期,已完成,120万,2023-01-10,2023/6/30,4",
			map[string]string{"project_name": "仓储一期", "project_status": "completed", "project_amount": "1200000",
				"project_start": "2023-01-10", "project_end": "2023-06-30", "project_satisfaction": "4"}, ""},
		{"synonym status", "甲,二期,实施中,,,,", map[string]string{"project_name": "二期", "project_status": "ongoing"}, ""},
		{"bad amount kept out", "甲,三期,,很多,,,", map[string]string{"project_name": "三期"}, "项目金额"},
		{"bad rating", "甲,四期,,,,,9", map[string]string{"project_name": "四期"}, "满意度评分"},
		{"unknown status", "甲,五期,飞了,,,,", map[string]string{"project_name": "五期"}, "项目状态"},
		{"end before start", "甲,六期,,,2024-01-01,2023-01-01,", map[string]string{"project_name": "六期", "project_start": "2024-01-01"}, "project_end"},
		{"no project", "甲,,,,,,", nil, "no project name"},
		{"no customer", ",七期,,,,,", nil, "no customer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, recs, err := importProjects(t, "客户名称,项目名称,项目状态,项目金额,开始日期,结束日期,满意度评分\n"+tt.row+"\n")
			if err != nil {
				t.Fatal(err)
			}
			if tt.want == nil {
				if len(recs) != 0 || res.Run.Rejected != 1 || len(res.Issues) != 1 || !strings.Contains(res.Issues[0].Reason, tt.issue) {
					t.Errorf("not rejected as %q: %+v, issues %+v", tt.issue, recs, res.Issues)
				}
				return
			}
			if len(recs) != 1 || !equalMaps(recs[0].Project, tt.want) {
				t.Fatalf("records %+v, want %v", recs, tt.want)
			}
			if tt.issue != "" && (len(res.Issues) != 1 || res.Issues[0].Column != tt.issue || res.Issues[0].Row != 2) {
				t.Errorf("issues %+v, want one on column %s, row 2", res.Issues, tt.issue)
			}
			if tt.issue == "" && len(res.Issues) != 0 {
				t.Errorf("unexpected issues %+v", res.Issues)
			}
		})
	}
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// FuzzImportProjects: arbitrary project sheets never crash the importer, and
// every data row is counted once.
func FuzzImportProjects(f *testing.F) {
	f.Add("客户名称,项目名称,金额,开始日期,结束日期,满意度\n甲,一期,120万,2023-01-01,2022-01-01,4\n")
	f.Add("客户ID,项目,状态\nx,a,完成\n1,b,zz\n")
	f.Fuzz(func(t *testing.T, data string) {
		res, _, err := importProjects(t, data)
		if err != nil {
			return
		}
		r, _ := csv.NewReader(strings.NewReader(data))
		if got, rows := res.Run.Imported+res.Run.Updated+res.Run.Rejected+res.Run.Same, dataRows(r); got != rows {
			t.Fatalf("counted %d rows, read %d", got, rows)
		}
	})
}
