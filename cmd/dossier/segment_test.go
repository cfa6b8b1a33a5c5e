package main

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestSegmentCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "d.db")
	if code, _, errOut := runCLI(t, nil, "demo", "--customers", "60", "--db", db); code != 0 {
		t.Fatal(errOut)
	}
	code, out, errOut := runCLI(t, map[string]string{"USER": "ops"}, "segment", "add", "key manufacturing", "industry = 制造业 AND grade = 重点", "--shared", "--db", db)
	if code != 0 || !strings.Contains(out, "segment key manufacturing saved") {
		t.Fatalf("add: exit %d %s %s", code, out, errOut)
	}
	if code, _, errOut := runCLI(t, nil, "segment", "add", "bad", "grade = 重点 AND gradee = 1", "--db", db); code != 2 || !strings.Contains(errOut, "at 16: unknown field 'gradee'") {
		t.Errorf("bad expression: exit %d: %s", code, errOut)
	}
	if code, _, _ := runCLI(t, nil, "segment", "add", "key manufacturing", "grade = 重点", "--db", db); code != 1 {
		t.Errorf("duplicate name: exit %d", code)
	}
	code, out, _ = runCLI(t, nil, "segment", "list", "--db", db)
	if code != 0 || !strings.Contains(out, "key manufacturing  cli:ops  true    industry = 制造业 AND grade = 重点") {
		t.Errorf("list: %d\n%s", code, out)
	}
	// show counts what export --filter exports with the same expression.
	code, out, _ = runCLI(t, nil, "segment", "show", "key manufacturing", "--db", db)
	csv := filepath.Join(t.TempDir(), "k.csv")
	_, exp, _ := runCLI(t, nil, "export", csv, "--filter", "industry = 制造业 AND grade = 重点", "--db", db)
	n := strings.Fields(exp)[1]
	if code != 0 || !strings.Contains(out, "\n"+n+" customers") {
		t.Errorf("show: %d\n%s\nexport: %s", code, out, exp)
	}
	// export and pivot take a saved segment by name.
	_, exp2, _ := runCLI(t, nil, "export", csv, "--segment", "key manufacturing", "--db", db)
	if exp2 != exp {
		t.Errorf("export --segment: %q, want %q", exp2, exp)
	}
	code, out, errOut = runCLI(t, nil, "pivot", "--rows", "grade", "--segment", "key manufacturing", "--csv", "--db", db)
	if code != 0 || !strings.Contains(out, "\n合计,"+n+"\n") {
		t.Errorf("pivot --segment: %d %s\n%s", code, errOut, out)
	}
	if code, _, _ := runCLI(t, nil, "segment", "show", "nope", "--db", db); code != 1 {
		t.Errorf("missing: exit %d", code)
	}
}
