package main

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestImportUndoCommand(t *testing.T) {
	dir := t.TempDir()
	a := writeFile(t, dir, "a.csv", "客户名称,预算\n甲公司,10万\n")
	b := writeFile(t, dir, "b.csv", "客户名称,预算\n甲公司,80万\n乙公司,5万\n")
	for name, db := range stores(t) {
		t.Run(name, func(t *testing.T) {
			steps := []struct {
				args []string
				code int
				want string
			}{
				{[]string{"import", a, "--source", "customer"}, 0, "imported 1, updated 0"},
				{[]string{"import", b, "--source", "internal"}, 0, "imported 1, updated 1"},
				{[]string{"export", dir + "/" + name + "1.csv"}, 0, ""},
				{[]string{"import", "undo", "2"}, 0, "import 2 (b.csv) reverted: 1 customers hidden, 1 resolved again"},
				{[]string{"import", "undo", "2"}, 1, "already reverted"},
				{[]string{"import", "undo", "x"}, 2, "an import id is a number"},
				{[]string{"import", "undo", "99"}, 1, "import 99 not found"},
				{[]string{"imports"}, 0, "reverted"},
				{[]string{"imports", "--json"}, 0, `"state":"reverted"`},
				{[]string{"facts", "1", "--field", "budget"}, 0, "100000"},
				{[]string{"import", "restore", "2"}, 0, "import 2 (b.csv) restored: 1 customers shown again"},
				{[]string{"import", "restore", "2"}, 1, "nothing to restore"},
			}
			for _, s := range steps {
				code, out, errOut := runCLI(t, nil, append(s.args, "--db", db)...)
				if code != s.code || !strings.Contains(out+errOut, s.want) {
					t.Errorf("%v: exit %d, want %d with %q:\n%s%s", s.args, code, s.code, s.want, out, errOut)
				}
			}
			// After the undo the export had neither 乙公司 nor 80万.
			_, out, _ := runCLI(t, nil, "facts", "1", "--field", "budget", "--db", db)
			if !strings.Contains(out, "800000") {
				t.Errorf("restored fact missing: %s", out)
			}
			code, out, _ := runCLI(t, nil, "import", "undo", "2", "--db", db)
			if code != 0 {
				t.Fatal(out)
			}
			out2 := dir + "/" + name + "2.csv"
			runCLI(t, nil, "export", out2, "--db", db)
			if data := readFile(t, out2); strings.Contains(data, "乙公司") || strings.Contains(data, "800000") || !strings.Contains(data, "甲公司") {
				t.Errorf("export after undo shows the reverted import:\n%s", data)
			}
		})
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestSurveyCommand(t *testing.T) {
	for name, db := range stores(t) {
		t.Run(name, func(t *testing.T) {
			runCLI(t, nil, "import", writeFile(t, t.TempDir(), "c.csv", "客户名称\n甲公司\n"), "--db", db)
			steps := []struct {
				args []string
				code int
				want string
			}{
				{[]string{"survey", "link", "1"}, 0, "/q/"},
				{[]string{"survey", "link", "1", "--days", "0"}, 2, "1 to 90 days"},
				{[]string{"survey", "link", "99"}, 1, "customer 99 not found"},
				{[]string{"survey", "link", "1", "--questionnaire", "nope"}, 1, `no questionnaire "nope"`},
				{[]string{"survey", "add", "budget", "--title", "预算问卷", "--fields", "预算,核心痛点", "--questions", "预算多少?"}, 0, "2 questions"},
				{[]string{"survey", "add", "bad", "--title", "x", "--fields", "contact_phone"}, 1, "not an active customer field"},
				{[]string{"survey", "show", "budget"}, 0, `"question_zh": "预算多少?"`},
				{[]string{"survey", "link", "1", "--questionnaire", "budget", "--days", "3"}, 0, "/q/"},
				{[]string{"survey", "frob"}, 2, "unknown survey command"},
			}
			for _, s := range steps {
				code, out, errOut := runCLI(t, nil, append(s.args, "--db", db)...)
				if code != s.code || !strings.Contains(out+errOut, s.want) {
					t.Errorf("%v: exit %d, want %d with %q:\n%s%s", s.args, code, s.code, s.want, out, errOut)
				}
			}
		})
	}
}

type sliceWriter struct{ rows [][]string }

func (s *sliceWriter) Write(rec []string) error { s.rows = append(s.rows, rec); return nil }

func TestExportProgress(t *testing.T) {
	var got []int
	w := &sliceWriter{}
	p := &progressWriter{RowWriter: w, every: 2, report: func(n int) { got = append(got, n) }}
	for range 6 {
		if err := p.Write([]string{"x"}); err != nil {
			t.Fatal(err)
		}
	}
	if len(w.rows) != 6 || fmt.Sprint(got) != "[2 4]" {
		t.Errorf("rows %d, reports %v (header plus five rows: want [2 4])", len(w.rows), got)
	}
}
