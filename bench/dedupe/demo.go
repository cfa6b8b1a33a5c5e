package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/dedupe"
	"github.com/dossier/dossier/demo"
)

// demoSet generates n demo customers in memory (the generator's own time is
// printed apart and not counted in the engine's) with the fields a
// customer record offers for matching, and the planted duplicates as truth.
func demoSet(n int) (*set, error) {
	s := &set{name: "demo", truth: make(map[string]string, n), recs: make([]dedupe.Record, 0, n)}
	cfg := demo.Config{Customers: n, Seed: 1}
	start := time.Now()
	err := demo.Generate(context.Background(), cfg, dossier.DefaultResolvePolicy(), func(batch []dossier.BulkCustomer) error {
		for _, b := range batch {
			s.recs = append(s.recs, demoRecord(b))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = demo.GroundTruth(cfg, func(rec, cluster int64) error {
		s.truth[strconv.FormatInt(rec, 10)] = strconv.FormatInt(cluster, 10)
		return nil
	})
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Fprintf(os.Stderr, "demo: generated %d customers in %s (heap in use %d MB)\n", n, time.Since(start).Round(time.Second), ms.HeapInuse>>20)
	return s, err
}

func demoRecord(b dossier.BulkCustomer) dedupe.Record {
	return dedupe.CustomerRecord(&b.Customer, b.Contacts)
}

// demoColumns are the CSV columns writeDemoCSV writes: the id and the
// fields of dedupe.CustomerRecord, headed by their field keys.
var demoColumns = []string{"id", "name", "credit_code", "province", "city", "address", "industry", "contact_phone", "contact_email"}

// writeDemoCSV writes n demo customers as a CSV file, to time the command
// `dossier dedupe FILE --id-column id` end to end on the same records.
func writeDemoCSV(path string, n int) error {
	s, err := demoSet(n)
	if err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	w.Write(demoColumns)
	row := make([]string, len(demoColumns))
	for _, r := range s.recs {
		row[0] = r.ID
		for i, c := range demoColumns[1:] {
			row[i+1] = r.Fields[c]
		}
		w.Write(row)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
