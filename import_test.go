package dossier_test

import (
	"bytes"
	"context"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/csv"
)

// memStore is an ImportStore in memory: customers by match key.
type memStore struct {
	custom    []dossier.Field
	customers map[string]dossier.Entry
	batches   int
	sizes     []int // rows of each batch, in order
}

func newMemStore() *memStore { return &memStore{customers: map[string]dossier.Entry{}} }

func (m *memStore) Registry(context.Context) (*dossier.Registry, error) {
	return dossier.NewRegistry(m.custom), nil
}
func (m *memStore) SaveField(_ context.Context, f dossier.Field) error {
	m.custom = append(m.custom, f)
	return nil
}
func (m *memStore) StartImport(_ context.Context, r *dossier.ImportRun) error { r.ID = 1; return nil }
func (m *memStore) FinishImport(context.Context, *dossier.ImportRun) error    { return nil }
func (m *memStore) ImportBatch(_ context.Context, _ *dossier.ImportRun, b []dossier.ImportRecord, dry bool) ([]dossier.ImportOutcome, error) {
	m.batches++
	m.sizes = append(m.sizes, len(b))
	var outs []dossier.ImportOutcome
	for _, rec := range b {
		k := dossier.MatchKey(rec.Entry.Customer)
		old, ok := m.customers[k]
		switch {
		case !ok:
			outs = append(outs, dossier.OutcomeCreated)
		case cmp.Equal(old, rec.Entry):
			outs = append(outs, dossier.OutcomeUnchanged)
		default:
			outs = append(outs, dossier.OutcomeUpdated)
		}
		if !dry {
			m.customers[k] = rec.Entry
		}
	}
	return outs, nil
}

func src() dossier.Source {
	return dossier.Source{Channel: dossier.ChannelInternal, Detail: "t.csv", CollectedAt: time.Now(), CollectedBy: "import"}
}

func TestMapHeader(t *testing.T) {
	reg := dossier.NewRegistry(nil)
	tests := []struct {
		header  []string
		keys    []string
		unknown []int
	}{
		{[]string{"客户名称*", "公司名称", "手机", "name"}, []string{"name", "", "contact_phone", ""}, nil},
		{[]string{"企业名称", " 预算 ", "Industry", "竞品", ""}, []string{"name", "budget", "industry", "", ""}, []int{3}},
		{[]string{"错误原因", "credit_code"}, []string{"", "credit_code"}, nil},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.header, ","), func(t *testing.T) {
			fields, unknown := dossier.MapHeader(reg, tt.header)
			var keys []string
			for _, f := range fields {
				if f == nil {
					keys = append(keys, "")
				} else {
					keys = append(keys, f.Key)
				}
			}
			if diff := cmp.Diff(tt.keys, keys); diff != "" {
				t.Errorf("keys (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.unknown, unknown); diff != "" {
				t.Errorf("unknown (-want +got):\n%s", diff)
			}
		})
	}
}

func importCSV(t testing.TB, store dossier.ImportStore, data string, opt dossier.ImportOptions) (*dossier.ImportResult, error) {
	t.Helper()
	r, err := csv.NewReader(strings.NewReader(data))
	if err != nil {
		return nil, err
	}
	im := &dossier.Importer{Store: store, Opt: opt}
	return im.Import(context.Background(), r, dossier.ImportRun{File: "t.csv", Kind: "customers", Source: src()})
}

func TestImportRows(t *testing.T) {
	tests := []struct {
		name                    string
		data                    string
		imported, upd, rej      int
		issues                  []string // "row:column"
		strictErr, wantNewField bool
	}{
		{name: "two rows one company", data: "客户名称,联系人\n甲公司,王\n甲公司 ,李\n", imported: 1, upd: 1},
		{name: "no name rejected", data: "客户名称,预算\n,10万\n乙公司,10万\n", imported: 1, rej: 1, issues: []string{"2:"}},
		{name: "invalid optional value", data: "客户名称,预算,手机\n丙公司,很多,abc\n", imported: 1, issues: []string{"2:预算", "2:手机"}},
		{name: "blank rows skipped", data: "\n客户名称\n\n丁公司\n,\n", imported: 1},
		{name: "unknown column", data: "客户名称,竞品\n戊公司,阿里\n", imported: 1, strictErr: true, wantNewField: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := importCSV(t, newMemStore(), tt.data, dossier.ImportOptions{})
			if err != nil {
				t.Fatal(err)
			}
			r := res.Run
			if r.Imported != tt.imported || r.Updated != tt.upd || r.Rejected != tt.rej {
				t.Errorf("got %s, want imported %d, updated %d, rejected %d", r.Summary(), tt.imported, tt.upd, tt.rej)
			}
			var issues []string
			for _, is := range res.Issues {
				issues = append(issues, strings.Join([]string{itoa(is.Row), is.Column}, ":"))
			}
			if diff := cmp.Diff(tt.issues, issues); diff != "" {
				t.Errorf("issues (-want +got):\n%s", diff)
			}
			if (len(res.NewFields) > 0) != tt.wantNewField {
				t.Errorf("new fields: %v", res.NewFields)
			}
			_, err = importCSV(t, newMemStore(), tt.data, dossier.ImportOptions{Strict: true})
			if (err != nil) != tt.strictErr {
				t.Errorf("strict: err = %v", err)
			}
		})
	}
}

func TestImportBatchesAndDryRun(t *testing.T) {
	var b strings.Builder
	b.WriteString("客户名称\n")
	for i := range 25 {
		b.WriteString("公司" + itoa(i%20) + "\n")
	}
	store := newMemStore()
	res, err := importCSV(t, store, b.String(), dossier.ImportOptions{BatchSize: 10, DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Run.Summary(); got != "imported 20, updated 5, rejected 0" || store.batches != 3 || len(store.customers) != 0 {
		t.Errorf("dry run: %s, %d batches, %d stored", got, store.batches, len(store.customers))
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// FuzzImportCSV feeds arbitrary bytes through the CSV reader and the
// importer: no panic, and every data row is counted exactly once.
func FuzzImportCSV(f *testing.F) {
	f.Add([]byte("客户名称,预算\n甲,10万\n,x\n"))
	f.Add([]byte("\xef\xbb\xbfname,budget\n\"a,b\",\"1\n2\"\n"))
	f.Add([]byte("\xbf\xcd\xbb\xa7\xc3\xfb\xb3\xc6\n\xbc\xd7\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := importCSV(t, newMemStore(), string(data), dossier.ImportOptions{BatchSize: 3})
		if err != nil {
			return
		}
		r, _ := csv.NewReader(bytes.NewReader(data))
		rows := dataRows(r)
		got := res.Run.Imported + res.Run.Updated + res.Run.Rejected + res.Run.Same
		if got != rows {
			t.Fatalf("counted %d rows (%+v), read %d", got, res.Run, rows)
		}
	})
}

// dataRows counts the non-blank rows after the header.
func dataRows(r dossier.RowReader) int {
	n, header := 0, false
	for {
		row, err := r.Read()
		if err == io.EOF || err != nil {
			return n
		}
		nonBlank := false
		for _, c := range row {
			nonBlank = nonBlank || dossier.CleanText(c) != ""
		}
		switch {
		case !nonBlank:
		case !header:
			header = true
		default:
			n++
		}
	}
}

func TestInteractionColumn(t *testing.T) {
	reg := dossier.NewRegistry(nil)
	for h, want := range map[string]string{
		"客户ID": "id", "customer": "name", "公司名称": "name", "信用代码": "credit_code", "日期": "last_contact_date",
		"沟通方式": "last_contact_channel", "摘要": "last_contact_summary", "客户反馈": "feedback", "联系人*": "contact_name",
		"手机": "contact_phone", "预算": "", "whatever": "",
	} {
		if got := dossier.InteractionColumn(reg, h); got != want {
			t.Errorf("InteractionColumn(%q) = %q, want %q", h, got, want)
		}
	}
}

// TestImportColumns: the wizard's column choices override the detected
// mapping, and bad choices are refused naming the column.
func TestImportColumns(t *testing.T) {
	data := "客户名称,备注,预算,竞品\n甲公司,华东,很多,阿里\n"
	tests := []struct {
		name    string
		cols    []string
		values  map[string]string // of the customer stored
		issues  int
		custom  int
		wantErr string
	}{
		{name: "detected", cols: nil, values: map[string]string{"name": "甲公司"}, issues: 1, custom: 2},
		{name: "remap and ignore", cols: []string{"", "province", dossier.ColumnIgnore, dossier.ColumnIgnore},
			values: map[string]string{"name": "甲公司", "province": "华东"}},
		{name: "custom", cols: []string{"", dossier.ColumnIgnore, "", dossier.ColumnCustom}, values: map[string]string{"name": "甲公司"}, issues: 1, custom: 1},
		{name: "duplicate", cols: []string{"", "name"}, wantErr: `columns 1 and 2 are both mapped to "name"`},
		{name: "unknown key", cols: []string{"", "nope"}, wantErr: `column 2 (备注): no field "nope"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := newMemStore()
			res, err := importCSV(t, store, data, dossier.ImportOptions{Columns: tt.cols})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Issues) != tt.issues || len(res.NewFields) != tt.custom {
				t.Errorf("issues %v, new fields %v", res.Issues, res.NewFields)
			}
			for k, v := range tt.values {
				if got := store.customers["name:甲公司"].Customer[k]; got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
		})
	}
}

// FuzzImportColumns: any column choices either are refused with an error
// or import with every data row counted once; no panic.
func FuzzImportColumns(f *testing.F) {
	f.Add("客户名称,备注,预算\n甲,华东,10万\n乙,,x\n", "name|province|-")
	f.Add("a,b\n1,2\n", "+custom||budget")
	f.Add("客户名称\n甲\n", "nope")
	f.Fuzz(func(t *testing.T, data, cols string) {
		res, err := importCSV(t, newMemStore(), data, dossier.ImportOptions{Columns: strings.Split(cols, "|"), BatchSize: 2})
		if err != nil {
			return
		}
		r, _ := csv.NewReader(strings.NewReader(data))
		if got, rows := res.Run.Imported+res.Run.Updated+res.Run.Rejected+res.Run.Same, dataRows(r); got != rows {
			t.Fatalf("counted %d rows, read %d", got, rows)
		}
	})
}

// TestErrorRows: one line per row with issues, the reasons of a row
// joined, the cells as read under the file's header.
func TestErrorRows(t *testing.T) {
	res := &dossier.ImportResult{Header: []string{"客户名称", "预算"}, Issues: []dossier.ImportIssue{
		{Row: 2, Column: "预算", Value: "很多", Reason: "bad range", Cells: []string{"甲", "很多"}},
		{Row: 2, Column: "手机", Value: "x", Reason: "bad phone", Cells: []string{"甲", "很多"}},
		{Row: 3, Reason: "no customer name: row rejected", Cells: []string{""}},
	}}
	want := [][]string{
		{"客户名称", "预算", "错误原因"},
		{"甲", "很多", `第2行: 预算 "很多": bad range; 第2行: 手机 "x": bad phone`},
		{"", "", "第3行: no customer name: row rejected"},
	}
	if diff := cmp.Diff(want, res.ErrorRows()); diff != "" {
		t.Errorf("ErrorRows (-want +got):\n%s", diff)
	}
}

func TestCanImport(t *testing.T) {
	for _, tt := range []struct {
		role, team string
		want       bool
	}{
		{dossier.RoleAdmin, "", true}, {dossier.RoleManager, "", true}, {dossier.RoleManager, "east", false},
		{dossier.RoleSales, "", false}, {dossier.RoleSales, "east", false}, {dossier.RoleService, "", false},
		{dossier.RoleAnalyst, "", false},
	} {
		u := &dossier.User{Name: "u", Role: tt.role, Team: tt.team}
		if got := u.CanImport(); got != tt.want {
			t.Errorf("%s/%s: CanImport = %v, want %v", tt.role, tt.team, got, tt.want)
		}
	}
}
