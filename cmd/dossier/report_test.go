package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestReportCommand: demo 50, then the report of customer 1 as HTML (both
// languages) and XLSX, on every store.
func TestReportCommand(t *testing.T) {
	for name, db := range stores(t) {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			env := map[string]string{"DOSSIER_DB": db}
			if code, _, errOut := runCLI(t, env, "demo", "--customers", "50", "--seed", "5"); code != 0 {
				t.Fatalf("demo: %s", errOut)
			}
			htmlPath, xlsxPath := filepath.Join(dir, "r.html"), filepath.Join(dir, "r.xlsx")
			code, out, errOut := runCLI(t, env, "report", "1", "--out", htmlPath)
			if code != 0 || !strings.Contains(out, "wrote the report of customer 1") {
				t.Fatalf("report html: exit %d: %s %s", code, out, errOut)
			}
			b, err := os.ReadFile(htmlPath)
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{"客户分析报告", "@page", "<svg", "优先级评分"} {
				if !strings.Contains(string(b), want) {
					t.Errorf("HTML report lacks %q", want)
				}
			}
			if code, _, errOut := runCLI(t, env, "report", "--lang", "en", "--out", htmlPath, "1"); code != 0 {
				t.Fatalf("report --lang en: %s", errOut)
			}
			if b, _ := os.ReadFile(htmlPath); !strings.Contains(string(b), "Customer analysis report") {
				t.Error("English report lacks its title")
			}
			if code, _, errOut := runCLI(t, env, "report", "1", "--out", xlsxPath); code != 0 {
				t.Fatalf("report xlsx: %s", errOut)
			}
			f, err := excelize.OpenFile(xlsxPath)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if got := f.GetSheetList(); len(got) != 5 || got[0] != "概要" {
				t.Errorf("sheets %v", got)
			}
			if v, _ := f.GetCellValue("概要", "B3"); v != "1" {
				t.Errorf("customer id cell = %q", v)
			}
			if code, _, errOut := runCLI(t, env, "report", "9999", "--out", htmlPath); code != 1 || !strings.Contains(errOut, "9999") {
				t.Errorf("unknown customer: exit %d: %s", code, errOut)
			}
			for _, args := range [][]string{{"report"}, {"report", "1"}, {"report", "x", "--out", "a.html"},
				{"report", "1", "--out", "a.pdf"}, {"report", "1", "--out", "a.html", "--lang", "fr"}, {"report", "1", "2", "--out", "a.html"}} {
				if code, _, _ := runCLI(t, env, args...); code != 2 {
					t.Errorf("%v: exit %d, want 2", args, code)
				}
			}
		})
	}
}
