package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dossier/dossier/xlsx"
)

// dedupeRows is a customer sheet with Chinese headers: a background of
// distinct companies, one company entered three ways, and a namesake in
// another city with another credit code.
func dedupeRows() [][]string {
	rows := [][]string{{"编号", "客户名称", "统一社会信用代码", "电话", "城市", "备注"}}
	chars := []rune("华锦鑫瑞泰宏达盛嘉恒通远德信安康明辉昌隆兴源丰美")
	cities := []string{"广州市", "杭州市", "成都市", "武汉市", "南京市"}
	for i := range 120 {
		name := cities[i%5] + string(chars[i%23]) + string(chars[(i*7+3)%23]) + string(chars[(i/5)%23]) + "贸易有限公司"
		rows = append(rows, []string{fmt.Sprintf("B%03d", i), name, "", fmt.Sprintf("1380000%04d", i), cities[i%5], ""})
	}
	return append(rows,
		[]string{"A1", "深圳市华为技术有限公司", "914403001922038216", "0755-28780808", "深圳市", "总部"},
		[]string{"A2", "华为技术（深圳）有限公司", "", "+86 755 2878 0808", "", ""},
		[]string{"A3", "深圳 华为技术有限责任公司", "914403001922038216", "", "深圳", ""},
		[]string{"N1", "成都市华为技术有限公司", "91510100MA61R7XK3L", "028-88888888", "成都市", ""},
	)
}

func csvText(rows [][]string) string {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(strings.Join(r, ",") + "\n")
	}
	return b.String()
}

func clustersOf(t *testing.T, out string) map[string]string {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if lines[0] != "record_id,cluster_id" {
		t.Fatalf("first line %q, want the header record_id,cluster_id", lines[0])
	}
	cl := map[string]string{}
	for _, l := range lines[1:] {
		id, c, ok := strings.Cut(l, ",")
		if !ok {
			t.Fatalf("line %q is not id,cluster", l)
		}
		cl[id] = c
	}
	return cl
}

func TestDedupeCommand(t *testing.T) {
	dir := t.TempDir()
	rows := dedupeRows()
	csvPath := writeFile(t, dir, "customers.csv", csvText(rows))
	xlsxPath := filepath.Join(dir, "customers.xlsx")
	f, err := os.Create(xlsxPath)
	if err != nil {
		t.Fatal(err)
	}
	w, err := xlsx.NewWriter(f, "客户")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	for _, path := range []string{csvPath, xlsxPath} {
		t.Run(filepath.Ext(path), func(t *testing.T) {
			code, out, errOut := runCLI(t, nil, "dedupe", path, "--id-column", "编号", "--explain")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			cl := clustersOf(t, out)
			if len(cl) != len(rows)-1 {
				t.Errorf("%d records printed, want %d (every record, singletons too)", len(cl), len(rows)-1)
			}
			if cl["A2"] != cl["A1"] || cl["A3"] != cl["A1"] {
				t.Errorf("A1, A2, A3 in clusters %s, %s, %s; want one", cl["A1"], cl["A2"], cl["A3"])
			}
			if cl["N1"] == cl["A1"] {
				t.Errorf("N1 (another city, another credit code) joined A1")
			}
			if cl["B000"] != "B000" {
				t.Errorf("singleton B000 in cluster %q, want itself", cl["B000"])
			}
			if !strings.Contains(errOut, "pair A1 A") || !strings.Contains(errOut, "credit_code exact") {
				t.Errorf("--explain output lacks the pair evidence:\n%s", errOut)
			}
		})
	}
	t.Run("row numbers without --id-column", func(t *testing.T) {
		code, out, errOut := runCLI(t, nil, "dedupe", csvPath)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		cl := clustersOf(t, out)
		first := len(rows) - 3 // line of A1: header is line 1
		if cl[fmt.Sprint(first+1)] != fmt.Sprint(first) {
			t.Errorf("line %d in cluster %q, want %d", first+1, cl[fmt.Sprint(first+1)], first)
		}
	})
}

func TestDedupeCommandErrors(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, dir, "a.csv", "客户名称\n甲公司\n")
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"dedupe", good, "--apply"}, 2, "--apply merges customers of the store"},
		{[]string{"dedupe", good, "--threshold", "1.5"}, 2, "--threshold"},
		{[]string{"dedupe", good, "x.csv"}, 2, "at most one file"},
		{[]string{"dedupe", good, "--id-column", "编号"}, 1, `no column "编号"`},
		{[]string{"dedupe", filepath.Join(dir, "missing.csv")}, 1, "missing.csv"},
		{[]string{"dedupe", writeFile(t, dir, "empty.csv", "")}, 1, "no header"},
		{[]string{"dedupe", writeFile(t, dir, "noid.csv", "编号,客户名称\n1,甲\n,乙\n"), "--id-column", "编号"}, 1, "line 3: no id"},
	}
	for _, tt := range tests {
		code, _, errOut := runCLI(t, nil, tt.args...)
		if code != tt.code || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", tt.args, code, errOut, tt.code, tt.want)
		}
	}
}
