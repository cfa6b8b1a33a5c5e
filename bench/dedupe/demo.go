package main

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
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
	c := b.Customer
	fs := map[string]string{"name": c.Name}
	for _, k := range []string{"credit_code", "province", "city", "industry"} {
		if v := c.Values[k]; v != "" {
			fs[k] = v
		}
	}
	var phones, emails []string
	for _, ct := range b.Contacts {
		if ct.Phone != "" {
			phones = append(phones, ct.Phone)
		}
		if ct.Email != "" {
			emails = append(emails, ct.Email)
		}
	}
	if len(phones) > 0 {
		fs["contact_phone"] = strings.Join(phones, ";")
	}
	if len(emails) > 0 {
		fs["contact_email"] = strings.Join(emails, ";")
	}
	if fs["industry"] == "" {
		fs["industry"] = c.Industry
	}
	return dedupe.Record{ID: strconv.FormatInt(c.ID, 10), Fields: fs}
}
