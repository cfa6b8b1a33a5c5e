package dedupe

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/demo"
)

// testRecords are demo customers (with their planted duplicates), the
// Chinese background of the other tests and a few English names and
// addresses, so that every kind of comparison runs.
func testRecords(t *testing.T, customers int) []Record {
	t.Helper()
	var recs []Record
	err := demo.Generate(context.Background(), demo.Config{Customers: customers, Seed: 1}, dossier.DefaultResolvePolicy(), func(batch []dossier.BulkCustomer) error {
		for _, b := range batch {
			recs = append(recs, CustomerRecord(&b.Customer, b.Contacts))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range companies(300) {
		r.ID = "c" + r.ID
		recs = append(recs, r)
	}
	streets := []string{"12 Harry Road San Jose", "12 Harry Rd San Jose", "650 Harry Road", "1 Main Street Springfield", "1 Main St Springfield"}
	for i := range 200 {
		recs = append(recs, rec(fmt.Sprintf("e%d", i), "name", fmt.Sprintf("Acme Research %d Lab", i%40),
			"address", streets[i%len(streets)], "contact_email", fmt.Sprintf("x%d@acme.example", i%70)))
	}
	return recs
}

// TestParallelSameAsSerial: a run split over several goroutines gives
// exactly what one goroutine gives: the same clusters, the same pairs with
// the same probabilities, weights and evidence, the same report.
func TestParallelSameAsSerial(t *testing.T) {
	recs := testRecords(t, 3000)
	run := func(workers, least int) *Result {
		t.Helper()
		old := minParallel
		minParallel = least
		defer func() { minParallel = old }()
		res, err := Run(context.Background(), recs, Options{Workers: workers, MaxPairs: 1 << 30, PairThreshold: 0.0001})
		if err != nil {
			t.Fatal(err)
		}
		res.Report.Timing = nil
		return res
	}
	serial := run(1, 1<<40)
	if serial.Report.Clusters < 50 || len(serial.Pairs) < 100 {
		t.Fatalf("the test data should hold duplicates: %d clusters, %d pairs", serial.Report.Clusters, len(serial.Pairs))
	}
	for _, w := range []int{2, 3, 8} {
		par := run(w, 1)
		if !reflect.DeepEqual(serial.Cluster, par.Cluster) {
			t.Errorf("%d workers: clusters differ from the serial run", w)
		}
		if !reflect.DeepEqual(serial.Pairs, par.Pairs) {
			t.Errorf("%d workers: pairs or their weights differ from the serial run", w)
		}
		if !reflect.DeepEqual(serial.Report, par.Report) {
			t.Errorf("%d workers: report differs:\n%+v\n%+v", w, serial.Report, par.Report)
		}
	}
}

// TestFastPathsSameAsPlain: the hashed blocking keys are the hashes of
// the keys, and the hashed identifier comparison gives the level of the
// string comparison, on every record and every candidate pair.
func TestFastPathsSameAsPlain(t *testing.T) {
	recs := testRecords(t, 2000)
	recs = append(recs, rec("bad1", "name", "\xff\xfe有限公司", "contact_phone", "1;;2"), rec("bad2", "name", "华\xff科技有限公司", "contact_phone", ";2"),
		rec("bad3", "name", "abc def ghi", "contact_phone", "2;"))
	ds := prepare(recs, nil, 1)
	ds.selective = selectiveFeatures(ds)
	for fi := range ds.features {
		for i := range ds.n() {
			var want []uint64
			for _, k := range blockKeys(ds, fi, i, nil) {
				want = append(want, hashKey(k))
			}
			if got := blockHashes(ds, fi, i, nil); !reflect.DeepEqual(got, want) {
				t.Fatalf("record %s, %s: blockHashes %v, want %v (keys %q)", ds.ids[i], ds.features[fi].key, got, want, blockKeys(ds, fi, i, nil))
			}
		}
	}
	opt := Options{}.withDefaults()
	pairs, err := candidates(context.Background(), ds, opt, &Report{})
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for fi, f := range ds.features {
		if f.kind != kindID {
			continue
		}
		for _, p := range pairs {
			a, b := int(p>>32), int(uint32(p))
			if got, want := ds.idLevelHashed(fi, a, b), idLevel(ds.vals[fi][a], ds.vals[fi][b]); got != want {
				t.Fatalf("%s of %s and %s: %d, want %d", f.key, ds.ids[a], ds.ids[b], got, want)
			}
			checked++
		}
		for a := range min(ds.n(), 300) { // and pairs that blocking did not make
			b := ds.n() - 1 - a
			if got, want := ds.idLevelHashed(fi, a, b), idLevel(ds.vals[fi][a], ds.vals[fi][b]); got != want {
				t.Fatalf("%s of %s and %s: %d, want %d", f.key, ds.ids[a], ds.ids[b], got, want)
			}
		}
	}
	if checked < 1000 {
		t.Fatalf("only %d identifier comparisons checked", checked)
	}
	tables := 0
	jw := newJW()
	for fi, tab := range ds.strTab {
		if tab == nil {
			continue
		}
		tables++
		for _, p := range pairs {
			a, b := int(p>>32), int(uint32(p))
			if got, want := tab.of(a, b), stringLevel(ds.vals[fi][a], ds.vals[fi][b], jw, ds.wordIDF[fi]); got != want {
				t.Fatalf("%s of %s and %s: %d from the table, want %d", ds.features[fi].key, ds.ids[a], ds.ids[b], got, want)
			}
		}
	}
	if tables == 0 {
		t.Fatal("no feature has a level table (the industry should)")
	}
}
