package dossier_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/csv"
)

// TestImportBatchesGrow: without a batch size, the first 10,000 rows go in
// batches of 500 (what the crash test relies on), the rest in batches of
// 2,000; every row is in exactly one batch, in file order.
func TestImportBatchesGrow(t *testing.T) {
	var b strings.Builder
	b.WriteString("客户名称\n")
	for i := range 25000 {
		b.WriteString("公司" + itoa(i) + "\n")
	}
	store := newMemStore()
	res, err := importCSV(t, store, b.String(), dossier.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := slices.Repeat([]int{500}, 20)
	want = append(append(want, slices.Repeat([]int{2000}, 7)...), 1000)
	if !slices.Equal(store.sizes, want) || res.Run.Imported != 25000 {
		t.Errorf("batches %v, %s", store.sizes, res.Run.Summary())
	}
}

// TestImportIssuesInRowOrder: rows are normalised one batch ahead of the
// store, yet issues come out in row order and every row is counted once.
func TestImportIssuesInRowOrder(t *testing.T) {
	var b strings.Builder
	b.WriteString("客户名称,预算\n")
	wantRejected, wantIssues := 0, 0
	for i := range 100 {
		switch {
		case i%11 == 0:
			b.WriteString(",10万\n") // no name: rejected
			wantRejected++
			wantIssues++
		case i%7 == 0:
			b.WriteString("公司" + itoa(i) + ",很多\n") // bad budget: left out
			wantIssues++
		default:
			b.WriteString("公司" + itoa(i) + ",10万\n")
		}
	}
	res, err := importCSV(t, newMemStore(), b.String(), dossier.ImportOptions{BatchSize: 4})
	if err != nil {
		t.Fatal(err)
	}
	r := res.Run
	if r.Rejected != wantRejected || r.Imported != 100-wantRejected || len(res.Issues) != wantIssues {
		t.Errorf("%s, %d issues; want rejected %d, %d issues", r.Summary(), len(res.Issues), wantRejected, wantIssues)
	}
	if !slices.IsSortedFunc(res.Issues, func(a, b dossier.ImportIssue) int { return a.Row - b.Row }) {
		t.Errorf("issues out of row order: %+v", res.Issues)
	}
}

// failingReader fails after n rows (the header included).
type failingReader struct {
	dossier.RowReader
	n int
}

var errDisk = errors.New("disk gone")

func (r *failingReader) Read() ([]string, error) {
	if r.n == 0 {
		return nil, errDisk
	}
	r.n--
	return r.RowReader.Read()
}

// TestImportReadErrorMidFile: whole batches read before the error are
// stored, the unfinished one is not, rejected rows read so far are counted,
// and the error is returned.
func TestImportReadErrorMidFile(t *testing.T) {
	data := "客户名称,预算\n甲,1\n乙,1\n,1\n丙,1\n丁,1\n"
	cr, err := csv.NewReader(strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	store := newMemStore()
	im := &dossier.Importer{Store: store, Opt: dossier.ImportOptions{BatchSize: 2}}
	res, err := im.Import(t.Context(), &failingReader{RowReader: cr, n: 5}, dossier.ImportRun{File: "t.csv", Kind: "customers", Source: src()})
	if !errors.Is(err, errDisk) {
		t.Fatalf("err = %v", err)
	}
	if res.Run.Imported != 2 || res.Run.Rejected != 1 || !slices.Equal(store.sizes, []int{2}) {
		t.Errorf("%s, batches %v; want the first batch stored and the nameless row counted", res.Run.Summary(), store.sizes)
	}
}
