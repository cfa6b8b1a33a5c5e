package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/sqldb/dbtest"
	"github.com/dossier/dossier/xlsx"
)

func writeFile(t *testing.T, dir, name, data string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestImportCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "d.db")
	good := writeFile(t, dir, "list.csv", "客户名称,手机,竞品\n甲公司,13912345678,阿里\n,13912345679,\n乙公司,abc,\n")
	xl := filepath.Join(dir, "list.xlsx")
	f, _ := os.Create(xl)
	w, _ := xlsx.NewWriter(f, "客户")
	_ = w.Write([]string{"公司名称", "预算"})
	_ = w.Write([]string{"丙公司", "30-50万"})
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String("客户名称,所属行业\n丁公司,制造业\n")
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"gbk dry run", []string{"import", writeFile(t, dir, "gbk.csv", gbk), "--dry-run"}, 0, "nothing written\nimported 1, updated 0, rejected 0"},
		{"strict", []string{"import", good, "--strict"}, 1, "unknown columns: 竞品"},
		{"csv", []string{"import", good, "--errors", filepath.Join(dir, "e.xlsx")}, 0, "imported 2, updated 0, rejected 1"},
		{"again", []string{"import", good}, 0, "imported 0, updated 0, rejected 1"},
		{"xlsx", []string{"import", xl, "--source", "customer"}, 0, "imported 1, updated 0, rejected 0"},
		{"missing", []string{"import", filepath.Join(dir, "none.csv")}, 1, "no such file"},
		{"garbage", []string{"import", writeFile(t, dir, "g.csv", "\x00\x01\x02binary")}, 1, "binary data"},
		{"garbage xlsx", []string{"import", writeFile(t, dir, "g.xlsx", "PK\x03\x04nonsense")}, 1, "not a readable XLSX"},
		{"no header", []string{"import", writeFile(t, dir, "empty.csv", "\n\n")}, 1, "no header row"},
		{"unknown sheet", []string{"import", xl, "--sheet", "Nope"}, 1, `no sheet "Nope"`},
		{"bad source", []string{"import", good, "--source", "gossip"}, 2, "unknown source channel"},
		{"bad kind", []string{"import", good, "--kind", "planets"}, 2, "use customers, contacts, interactions or projects"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, nil, append(tt.args, "--db", db)...)
			if code != tt.code || !strings.Contains(out+errOut, tt.want) {
				t.Errorf("exit %d, want %d with %q:\n%s%s", code, tt.code, tt.want, out, errOut)
			}
			if code != 0 && strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
				t.Errorf("error is not one line: %q", errOut)
			}
		})
	}
	r, err := xlsx.Open(filepath.Join(dir, "e.xlsx"), "")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var rows [][]string
	for rec, err := r.Read(); err == nil; rec, err = r.Read() {
		rows = append(rows, rec)
	}
	if len(rows) != 3 || rows[0][3] != "错误原因" || !strings.Contains(rows[1][3], "第3行") || !strings.Contains(rows[2][3], "手机") {
		t.Errorf("errors file: %q", rows)
	}
}

// demo → export → import into a fresh store → the same profiles.
func TestExportImportRoundTrip(t *testing.T) {
	for name, db := range stores(t) {
		t.Run(name, func(t *testing.T) {
			fresh := filepath.Join(t.TempDir(), "fresh.db")
			if name == "postgres" {
				fresh = dbtest.FreshPostgresURL(t)
			}
			out := filepath.Join(t.TempDir(), "all.xlsx")
			for _, args := range [][]string{
				{"demo", "--customers", "80", "--seed", "3", "--db", db},
				{"export", out, "--db", db},
				{"import", out, "--db", fresh},
			} {
				if code, o, errOut := runCLI(t, nil, args...); code != 0 {
					t.Fatalf("%v: exit %d: %s%s", args, code, o, errOut)
				}
			}
			before, after := profiles(t, db), profiles(t, fresh)
			reg := dossier.NewRegistry(nil)
			compared, codes := 0, map[string]int{}
			for _, c := range before {
				if c != nil && c.Value("credit_code") != "" {
					codes[c.Value("credit_code")]++
				}
			}
			for n, want := range before {
				// A name or credit code the demo gives twice is one customer
				// after the import, by design.
				if want == nil || codes[want.Value("credit_code")] > 1 {
					continue
				}
				got := after[n]
				if got == nil {
					t.Errorf("%s missing after the round trip", n)
					continue
				}
				for k, v := range want.Values {
					if f, ok := reg.Field(k); ok {
						if c, _, err := f.Canonical(v); err != nil || c != v {
							continue // a dirty demo value: reported and left out
						}
					}
					if got.Values[k] != v {
						t.Errorf("%s.%s = %q after the round trip, want %q", n, k, got.Values[k], v)
					}
				}
				compared++
			}
			if compared < 70 {
				t.Errorf("only %d customers compared", compared)
			}
		})
	}
}

// profiles maps customer names to profiles; a name held twice maps to nil.
func profiles(t *testing.T, db string) map[string]*dossier.Customer {
	t.Helper()
	st, err := openStore(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cs, _, err := st.FindCustomers(context.Background(), dossier.CustomerFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*dossier.Customer{}
	for _, c := range cs {
		if _, dup := out[c.Name]; dup {
			out[c.Name] = nil
			continue
		}
		out[c.Name] = c
	}
	return out
}

func TestExportFilter(t *testing.T) {
	db := filepath.Join(t.TempDir(), "d.db")
	out := filepath.Join(t.TempDir(), "m.csv")
	if code, _, errOut := runCLI(t, nil, "demo", "--customers", "60", "--db", db); code != 0 {
		t.Fatal(errOut)
	}
	code, o, errOut := runCLI(t, nil, "export", out, "--filter", "industry=制造业 AND grade=重点", "--db", db)
	if code != 0 {
		t.Fatal(errOut)
	}
	st, _ := openStore(context.Background(), db)
	defer st.Close()
	_, n, _ := st.FindCustomers(context.Background(), dossier.CustomerFilter{Industry: "制造业", Grade: "key"})
	if want := "exported " + itoa(n) + " customers"; !strings.Contains(o, want) {
		t.Errorf("%q, want %q", o, want)
	}
	if code, _, errOut := runCLI(t, nil, "export", out, "--filter", "colour=red", "--db", db); code != 2 || !strings.Contains(errOut, "at 1: unknown field 'colour'") {
		t.Errorf("bad filter: exit %d: %s", code, errOut)
	}
	if code, _, errOut := runCLI(t, map[string]string{"USER": "ops"}, "import", out, "--db", db); code != 0 {
		t.Fatal(errOut)
	}
	// Imports and exports leave an audit entry (DESIGN idea 7).
	for _, action := range []string{dossier.AuditExport, dossier.AuditImport} {
		entries, _, err := st.FindAudit(context.Background(), dossier.AuditFilter{Action: action})
		if err != nil || len(entries) == 0 || !strings.HasPrefix(entries[0].User, "cli") {
			t.Errorf("audit of %s: %+v %v", action, entries, err)
		}
	}
}

func itoa(n int) string { return dossier.FormatNumber(float64(n)) }

func TestTemplate(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "d.db")
	tpl := filepath.Join(dir, "form.xlsx")
	if code, _, errOut := runCLI(t, nil, "template", tpl, "--db", db); code != 0 {
		t.Fatal(errOut)
	}
	f, err := excelize.OpenFile(tpl)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if diff := cmp.Diff([]string{xlsx.FormSheet, xlsx.HelpSheet}, f.GetSheetList()); diff != "" {
		t.Errorf("sheets (-want +got):\n%s", diff)
	}
	if v, _ := f.GetCellValue(xlsx.FormSheet, "A1"); v != "客户名称*" {
		t.Errorf("A1 = %q", v)
	}
	dvs, err := f.GetDataValidations(xlsx.FormSheet)
	if err != nil {
		t.Fatal(err)
	}
	enums := 0
	for _, fd := range dossier.NewRegistry(nil).Active() {
		if fd.Type == dossier.TypeEnum {
			enums++
		}
	}
	if len(dvs) != enums || !strings.Contains(dvs[0].Formula1, "KA大客户") {
		t.Errorf("%d validations, want %d; first %+v", len(dvs), enums, dvs[0])
	}
	code, out, errOut := runCLI(t, nil, "import", tpl, "--db", db)
	if code != 0 || !strings.Contains(out, "imported 1, updated 0, rejected 0") || strings.Contains(out, "left out") {
		t.Errorf("template import: exit %d: %s%s", code, out, errOut)
	}
}
