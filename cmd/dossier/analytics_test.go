package main

import (
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"github.com/dossier/dossier/analytics"
)

// sqlite3 runs a query in the sqlite3 command-line shell, independently of
// Dossier's code, and returns its rows split on "|".
func sqlite3(t *testing.T, db, query string) [][]string {
	t.Helper()
	bin, err := exec.LookPath("sqlite3")
	if err != nil {
		t.Skip("the sqlite3 shell is not installed")
	}
	out, err := exec.Command(bin, db, query).Output()
	if err != nil {
		t.Fatalf("sqlite3: %v", err)
	}
	var rows [][]string
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		rows = append(rows, strings.Split(l, "|"))
	}
	return rows
}

func pivotJSON(t *testing.T, args ...string) *analytics.PivotTable {
	t.Helper()
	code, out, errOut := runCLI(t, nil, append([]string{"pivot", "--json"}, args...)...)
	if code != 0 {
		t.Fatalf("pivot %v: exit %d: %s", args, code, errOut)
	}
	var pt analytics.PivotTable
	if err := json.Unmarshal([]byte(out), &pt); err != nil {
		t.Fatal(err)
	}
	return &pt
}

// cellMap flattens a pivot to "row|col" → count.
func cellMap(pt *analytics.PivotTable) map[string]int64 {
	m := map[string]int64{}
	for i, r := range pt.Rows {
		for j, c := range pt.Cols {
			if n := pt.Counts[i][j]; n > 0 {
				m[r.Key+"|"+c.Key] = n
			}
		}
	}
	return m
}

// TestPivotAgainstSQLiteShell compares the pivot command with plain SQL run
// in the sqlite3 shell on the same demo data, and the two stores with each
// other.
func TestPivotAgainstSQLiteShell(t *testing.T) {
	results := map[string]map[string]int64{}
	for kind, db := range stores(t) {
		if code, _, errOut := runCLI(t, nil, "demo", "--customers", "80", "--db", db); code != 0 {
			t.Fatal(errOut)
		}
		results[kind] = cellMap(pivotJSON(t, "--rows", "grade", "--cols", "stage", "--db", db))
		if kind != "sqlite" {
			continue
		}
		want := map[string]int64{}
		for _, r := range sqlite3(t, db, "SELECT COALESCE(grade, ''), COALESCE(stage, ''), COUNT(*) FROM customers GROUP BY 1, 2") {
			n, _ := strconv.ParseInt(r[2], 10, 64)
			want[r[0]+"|"+r[1]] = n
		}
		if diff := cmp.Diff(want, results[kind]); diff != "" {
			t.Errorf("grade × stage (-sqlite3 +dossier):\n%s", diff)
		}

		pt := pivotJSON(t, "--rows", "industry_top", "--measure", "avg:revenue", "--filter", "stage != 流失", "--db", db)
		got := map[string]float64{}
		for i, r := range pt.Rows {
			if pt.RowTotals[i] != nil {
				got[r.Key] = *pt.RowTotals[i]
			}
		}
		wantAvg := map[string]float64{}
		for _, r := range sqlite3(t, db, `SELECT CASE WHEN instr(industry, '-') > 0 THEN substr(industry, 1, instr(industry, '-') - 1) ELSE COALESCE(industry, '') END,
			AVG(revenue) FROM customers WHERE stage IS NULL OR stage <> 'churned' GROUP BY 1 HAVING COUNT(revenue) > 0`) {
			v, _ := strconv.ParseFloat(r[1], 64)
			wantAvg[r[0]] = v
		}
		if diff := cmp.Diff(wantAvg, got, cmp.Comparer(func(a, b float64) bool { return math.Abs(a-b) < 1e-6*math.Max(1, math.Abs(a)) })); diff != "" {
			t.Errorf("avg revenue by industry (-sqlite3 +dossier):\n%s", diff)
		}
	}
	if pg, ok := results["postgres"]; ok {
		if diff := cmp.Diff(results["sqlite"], pg); diff != "" {
			t.Errorf("sqlite vs postgres:\n%s", diff)
		}
	}
}

// TestRelationAgainstSQLiteShell recomputes the chi-square statistic from
// counts taken with the sqlite3 shell.
func TestRelationAgainstSQLiteShell(t *testing.T) {
	db := stores(t)["sqlite"]
	if code, _, errOut := runCLI(t, nil, "demo", "--customers", "120", "--db", db); code != 0 {
		t.Fatal(errOut)
	}
	code, out, errOut := runCLI(t, nil, "relation", "--rows", "grade", "--cols", "stage", "--json", "--db", db)
	if code != 0 {
		t.Fatal(errOut)
	}
	var rel analytics.Relation
	if err := json.Unmarshal([]byte(out), &rel); err != nil {
		t.Fatal(err)
	}
	obs := map[string]map[string]float64{}
	rowT, colT, n := map[string]float64{}, map[string]float64{}, 0.0
	for _, r := range sqlite3(t, db, "SELECT grade, stage, COUNT(*) FROM customers WHERE grade IS NOT NULL AND stage IS NOT NULL GROUP BY 1, 2") {
		v, _ := strconv.ParseFloat(r[2], 64)
		if obs[r[0]] == nil {
			obs[r[0]] = map[string]float64{}
		}
		obs[r[0]][r[1]] = v
		rowT[r[0]] += v
		colT[r[1]] += v
		n += v
	}
	chi := 0.0
	for g := range rowT {
		for s := range colT {
			e := rowT[g] * colT[s] / n
			chi += (obs[g][s] - e) * (obs[g][s] - e) / e
		}
	}
	if math.Abs(chi-rel.ChiSquare) > 1e-9 || float64(rel.N) != n || rel.DF != (len(rowT)-1)*(len(colT)-1) {
		t.Errorf("chi² %v n %d df %d, want %v %v", rel.ChiSquare, rel.N, rel.DF, chi, n)
	}
	if rel.P <= 0 || rel.P > 1 || rel.CramersV < 0 || rel.CramersV > 1 {
		t.Errorf("p %v V %v", rel.P, rel.CramersV)
	}
}

func TestAnalysisCommandErrors(t *testing.T) {
	db := stores(t)["sqlite"]
	if code, _, errOut := runCLI(t, nil, "demo", "--customers", "20", "--db", db); code != 0 {
		t.Fatal(errOut)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"pivot", "--rows", "gradee"}, "unknown field 'gradee', did you mean 'grade'?"},
		{[]string{"pivot", "--rows", "grade", "--measure", "avg:name"}, "'name' is not a number"},
		{[]string{"pivot", "--rows", "grade", "--measure", "median"}, "use count, share, sum:FIELD or avg:FIELD"},
		{[]string{"pivot"}, "pivot needs --rows"},
		{[]string{"pivot", "--rows", "grade", "--filter", "grade ="}, "--filter: at 8: expected a value"},
		{[]string{"relation", "--rows", "grade"}, "relation needs"},
		{[]string{"trend", "--source", "calls"}, "source \"calls\""},
		{[]string{"pivot", "--report", "nope"}, "no report \"nope\""},
		{[]string{"clusters", "--source", "mail"}, "source must be needs or interactions"},
		{[]string{"clusters", "--k", "13"}, "k must be from 1 to 12"},
	} {
		code, _, errOut := runCLI(t, nil, append(tc.args, "--db", db)...)
		if code != 2 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d %q, want 2 and %q", tc.args, code, errOut, tc.want)
		}
	}
	code, out, _ := runCLI(t, nil, "pivot", "--report", "grade-by-stage", "--csv", "--db", db)
	if code != 0 || !strings.HasPrefix(out, ",潜在,成交,流失") || !strings.Contains(out, "\n合计,") {
		t.Errorf("csv report: %d\n%s", code, out)
	}
	code, out, _ = runCLI(t, nil, "trend", "--source", "interactions", "--by", "channel", "--period", "quarter", "--db", db)
	if code != 0 || !strings.Contains(out, "in the last 3 quarters") {
		t.Errorf("trend: %d\n%s", code, out)
	}
	book := filepath.Join(t.TempDir(), "grade.xlsx")
	if code, _, errOut := runCLI(t, nil, "pivot", "--rows", "grade", "--cols", "stage", "--xlsx", book, "--db", db); code != 0 {
		t.Fatalf("pivot --xlsx: %d %s", code, errOut)
	}
	x, err := excelize.OpenFile(book)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := x.GetCellValue("透视表", "A1"); v != "grade × stage (count)" {
		t.Errorf("workbook title %q", v)
	}
	x.Close()
	seg := filepath.Join(t.TempDir(), "seg.html")
	if code, out, errOut := runCLI(t, nil, "report", "--filter", "grade = 重点", "--out", seg, "--db", db); code != 0 || !strings.Contains(out, "wrote the report of") {
		t.Fatalf("segment report: %d %s %s", code, out, errOut)
	}
	if b, err := os.ReadFile(seg); err != nil || !strings.Contains(string(b), "客户群分析报告") {
		t.Errorf("segment report file: %v", err)
	}
	if code, _, errOut := runCLI(t, nil, "report", "7", "--filter", "grade = 重点", "--out", seg, "--db", db); code != 2 || !strings.Contains(errOut, "not both") {
		t.Errorf("id and filter: %d %s", code, errOut)
	}
	code, out, _ = runCLI(t, nil, "clusters", "--csv", "--db", db)
	if code != 0 || !strings.HasPrefix(out, "group,cluster,records,share,terms,example\n") || strings.Count(out, "\n") < 2 {
		t.Errorf("clusters: %d\n%s", code, out)
	}
	code, out, _ = runCLI(t, nil, "overview", "--db", db)
	if code != 0 || !strings.Contains(out, "customers: 20") {
		t.Errorf("overview: %d\n%s", code, out)
	}
}
