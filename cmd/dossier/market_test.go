package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"github.com/dossier/dossier/analytics"
)

// TestChurnAgainstSQLiteShell compares churn and win/loss on demo data with
// counts taken by plain SQL in the sqlite3 shell, shares recomputed here,
// and the two stores with each other.
func TestChurnAgainstSQLiteShell(t *testing.T) {
	got := map[string]string{}
	for kind, db := range stores(t) {
		if code, _, errOut := runCLI(t, nil, "demo", "--customers", "300", "--db", db); code != 0 {
			t.Fatal(errOut)
		}
		code, out, errOut := runCLI(t, nil, "churn", "--json", "--db", db)
		if code != 0 {
			t.Fatal(errOut)
		}
		code, wl, errOut := runCLI(t, nil, "winloss", "--json", "--db", db)
		if code != 0 {
			t.Fatal(errOut)
		}
		got[kind] = out + wl
		if kind != "sqlite" {
			continue
		}
		var rep analytics.ChurnReport
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		live := "hidden = 0 AND merged_into IS NULL"
		churned := 0.0
		want := map[string][2]float64{}
		for _, r := range sqlite3(t, db, "SELECT COALESCE(churn_reason, ''), COUNT(*) FROM customers WHERE stage = 'churned' AND "+live+" GROUP BY 1") {
			n, _ := strconv.ParseFloat(r[1], 64)
			want[r[0]] = [2]float64{n}
			churned += n
		}
		if churned < 10 || float64(rep.Churned) != churned {
			t.Fatalf("churned %d, sqlite3 says %v", rep.Churned, churned)
		}
		gotM := map[string][2]float64{}
		for k, v := range want {
			want[k] = [2]float64{v[0], 100 * v[0] / churned}
		}
		for _, p := range rep.Reasons {
			gotM[p.Key] = [2]float64{float64(p.Count), *p.Share}
		}
		approx := cmp.Comparer(func(a, b float64) bool { return math.Abs(a-b) < 1e-9 })
		if diff := cmp.Diff(want, gotM, approx); diff != "" {
			t.Errorf("churn reasons (-sqlite3 +dossier):\n%s", diff)
		}

		var w analytics.WinLossReport
		if err := json.Unmarshal([]byte(wl), &w); err != nil {
			t.Fatal(err)
		}
		won := sqlite3(t, db, "SELECT COUNT(*) FROM customers WHERE stage = 'won' AND "+live)[0][0]
		wantWL := map[string][2]int64{}
		for _, r := range sqlite3(t, db, "SELECT lost_to, COUNT(*) FROM customers WHERE stage = 'churned' AND lost_to IS NOT NULL AND "+live+" GROUP BY 1") {
			n, _ := strconv.ParseInt(r[1], 10, 64)
			wantWL[r[0]] = [2]int64{n}
		}
		for _, r := range sqlite3(t, db, "SELECT won_from, COUNT(*) FROM customers WHERE stage = 'won' AND won_from IS NOT NULL AND "+live+" GROUP BY 1") {
			n, _ := strconv.ParseInt(r[1], 10, 64)
			wantWL[r[0]] = [2]int64{wantWL[r[0]][0], n}
		}
		gotWL := map[string][2]int64{}
		for _, r := range w.Rows {
			gotWL[r.Competitor] = [2]int64{r.Lost, r.Won}
			if r.Lost > 0 && math.Abs(*r.LostShare-100*float64(r.Lost)/churned) > 1e-9 {
				t.Errorf("%s: lost share %v", r.Competitor, *r.LostShare)
			}
		}
		if len(wantWL) < 2 || strconv.FormatInt(w.Won, 10) != won {
			t.Errorf("demo win/loss too thin: %v, won %d (sqlite3 %s)", wantWL, w.Won, won)
		}
		if diff := cmp.Diff(wantWL, gotWL); diff != "" {
			t.Errorf("win/loss (-sqlite3 +dossier):\n%s", diff)
		}
		// The demo's market data came along.
		code, out, _ = runCLI(t, nil, "market", "shares", "--csv", "--db", db)
		if code != 0 || !strings.HasPrefix(out, "region,year,competitor,share\n") || !strings.Contains(out, "华东,") || !strings.Contains(out, "(others)") {
			t.Errorf("market shares: %d\n%s", code, out)
		}
		book := filepath.Join(t.TempDir(), "market.xlsx")
		if code, out, errOut := runCLI(t, nil, "market", "report", book, "--db", db); code != 0 || !strings.Contains(out, "wrote the market report") {
			t.Errorf("market report: %d %s %s", code, out, errOut)
		} else if x, err := excelize.OpenFile(book); err != nil || len(x.GetSheetList()) != 6 {
			t.Errorf("market workbook: %v", err)
		}
		if code, _, _ := runCLI(t, nil, "market", "report", "market.pdf", "--db", db); code != 2 {
			t.Errorf("market report to a .pdf: exit %d", code)
		}
	}
	if pg, ok := got["postgres"]; ok && pg != got["sqlite"] {
		t.Errorf("sqlite and postgres differ:\n%s\n%s", got["sqlite"], pg)
	}
}

// TestMarketCommands adds and lists market facts on both stores, imports a
// file with a bad row, and refuses bad input with exit 2.
func TestMarketCommands(t *testing.T) {
	for kind, db := range stores(t) {
		t.Run(kind, func(t *testing.T) {
			ok := func(args ...string) string {
				t.Helper()
				code, out, errOut := runCLI(t, map[string]string{"USER": "li"}, append(args, "--db", db)...)
				if code != 0 {
					t.Fatalf("%v: exit %d: %s", args, code, errOut)
				}
				return out
			}
			ok("market", "add-competitor", "云启软件", "--positioning", "中小企业SaaS", "--strengths", "便宜", "--weaknesses", "不灵活", "--price", "low",
				"--source", "内部", "--source-detail", "竞品分析会", "--collected", "2025-06-01")
			ok("market", "add-record", "--region", "华东", "--industry", "SaaS", "--year", "2023", "--size", "120亿", "--growth", "15%",
				"--source", "third-party", "--source-detail", "艾瑞咨询")
			ok("market", "add-note", "--kind", "policy", "--title", "数字化转型补贴", "--source", "public", "--source-detail", "工信部")
			ok("market", "add-share", "--competitor", "云启软件", "--region", "华东", "--year", "2025", "--share", "30%", "--source-detail", "调研")
			if out := ok("market", "competitors"); !strings.Contains(out, "云启软件") || !strings.Contains(out, "cli:li") || !strings.Contains(out, "2025-06-01") {
				t.Errorf("competitors:\n%s", out)
			}
			if out := ok("market", "records", "--region", "华东", "--csv"); !strings.Contains(out, "2023,华东,SaaS,120亿,15%,third-party,艾瑞咨询,cli:li,") {
				t.Errorf("records:\n%s", out)
			}
			if out := ok("market", "notes", "--json"); !strings.Contains(out, `"title":"数字化转型补贴"`) {
				t.Errorf("notes:\n%s", out)
			}
			if out := ok("market", "shares", "--csv"); out != "region,year,competitor,share\n华东,2025,云启软件,30%\n华东,2025,(others),70%\n" {
				t.Errorf("shares:\n%s", out)
			}
			file := filepath.Join(t.TempDir(), "m.csv")
			if err := os.WriteFile(file, []byte("区域,行业,年份,市场规模,年增长率\n华南,SaaS,2024,80亿,12%\n华北,SaaS,2024,很多,\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			code, out, errOut := runCLI(t, nil, "market", "import", file, "--kind", "records", "--source", "third-party", "--db", db)
			if code != 0 || out != "imported 1, rejected 1\n" || !strings.Contains(errOut, "row 3: size:") {
				t.Errorf("import: %d %q %q", code, out, errOut)
			}
			if out := ok("market", "records", "--year", "2024", "--csv"); !strings.Contains(out, "2024,华南,SaaS,80亿,12%,third-party,m.csv,") {
				t.Errorf("imported records:\n%s", out)
			}
			for _, tc := range []struct {
				args []string
				want string
			}{
				{[]string{"market", "add-competitor", "云启软件"}, "already exists"},
				{[]string{"market", "add-share", "--competitor", "无名", "--region", "华东", "--year", "2025", "--share", "5%"}, "no competitor named"},
				{[]string{"market", "add-record", "--region", "华东", "--industry", "SaaS", "--year", "2023", "--size", "lots"}, "size:"},
				{[]string{"market", "add-note", "--kind", "rumour", "--title", "x", "--source-detail", "y"}, "note kind"},
				{[]string{"market", "sizes"}, "unknown market subcommand"},
				{[]string{"market", "records", "--json", "--csv"}, "not both"},
				{[]string{"churn", "--filter", "stagee = 流失"}, "unknown field"},
			} {
				code, _, errOut := runCLI(t, nil, append(tc.args, "--db", db)...)
				if code == 0 || !strings.Contains(errOut, tc.want) {
					t.Errorf("%v: exit %d %q, want %q", tc.args, code, errOut, tc.want)
				}
			}
		})
	}
}
