package main

import (
	"context"
	"fmt"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/demo"
	"github.com/dossier/dossier/rules"
	"github.com/dossier/dossier/sqldb"
)

func runDemo(ctx context.Context, e *env, args []string) error {
	fs := newFlags("demo")
	db := dbFlag(fs, e)
	n := fs.Int("customers", 300, "number of companies to generate (about 2% planted duplicates come on top)")
	seed := fs.Uint64("seed", 1, "random seed: the same seed gives the same data")
	asOfFlag := fs.String("as-of", "", "the data set's 'today' (default today): interactions fall in the two years before")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	if *n < 1 {
		return usagef("--customers must be at least 1")
	}
	asOf, err := parseAsOf(*asOfFlag)
	if err != nil {
		return err
	}
	store, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	return generate(ctx, e, store, demo.Config{Customers: *n, Seed: *seed, AsOf: asOf})
}

// demoIfEmpty fills a store that has no customers (serve --demo).
//
// Servers started together on one empty database take a job lease first, so
// one of them fills it. A fill that fails keeps the lease until it expires
// (an hour) rather than being retried at once over half-loaded data.
func demoIfEmpty(ctx context.Context, e *env, store *sqldb.DB, n int) error {
	holder := jobHolder()
	got, err := store.TryLease(ctx, demoJob, holder, 100*365*24*time.Hour, time.Hour)
	if err != nil || !got {
		return err
	}
	next, err := store.NextCustomerID(ctx)
	if err == nil && next == 1 {
		err = generate(ctx, e, store, demo.Config{Customers: n, Seed: 1, AsOf: time.Now().UTC()})
	}
	if err != nil {
		return err
	}
	return store.ReleaseLease(ctx, demoJob, holder, "ok")
}

// demoJob is the lease name of filling an empty store with demo data.
const demoJob = "demo-fill"

// generate streams the demo data set into the store batch by batch, creates
// the sales reps it assigns customers to, and scores every customer.
func generate(ctx context.Context, e *env, store *sqldb.DB, cfg demo.Config) error {
	start := time.Now()
	first, err := store.NextCustomerID(ctx)
	if err != nil {
		return err
	}
	cfg.StartID = first
	var customers, interactions int
	err = pipeline(ctx, func(emit func([]dossier.BulkCustomer) error) error {
		return demo.Generate(ctx, cfg, store.Policy(), emit)
	}, func(b []dossier.BulkCustomer) error {
		for _, c := range b {
			interactions += len(c.Interactions)
		}
		customers += len(b)
		return store.LoadCustomers(ctx, b)
	})
	if err != nil {
		return err
	}
	if err := store.FinishLoad(ctx); err != nil {
		return err
	}
	if err := demoUsers(ctx, e, store, cfg.Seed); err != nil {
		return err
	}
	if err := demoMarket(ctx, store, cfg); err != nil {
		return err
	}
	settings, err := loadScoreSettings(ctx, store)
	if err != nil {
		return err
	}
	engine, err := rules.Load(ctx, store)
	if err != nil {
		return err
	}
	tuneGC(e)
	loaded := time.Since(start)
	// Score and analyse, so tags, risks and follow-up tasks are there on day one.
	if _, err := store.RecomputeAll(ctx, cfg.AsOf, settings, engine.Terse(), nil); err != nil {
		return err
	}
	// The load and the scoring left a delta row in the rollups per customer
	// and per interaction; summed now, the first pivot or trend reads one
	// row per combination instead (a trend by grade over the 100,000-customer
	// demo: 1.2–1.5 s before, 0.2 s after).
	if err := store.CompactRollup(ctx); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "generated %d customers with %d interactions in %s, scored and analysed them in %s (ids %d-%d, seed %d)\n",
		customers, interactions, loaded.Round(time.Millisecond), (time.Since(start) - loaded).Round(time.Millisecond),
		first, first+int64(customers)-1, cfg.Seed)
	return nil
}

// demoUsers adds the sales reps of the demo data as users, sharing one
// generated password that is printed once.
func demoUsers(ctx context.Context, e *env, store *sqldb.DB, seed uint64) error {
	pw := newPassword()
	var added []string
	for _, o := range demo.Owners(seed) {
		if _, err := store.FindUserByName(ctx, o.Name); err == nil {
			continue
		}
		if err := store.CreateUser(ctx, &dossier.User{Name: o.Name, Role: dossier.RoleSales, Team: o.Team}, pw); err != nil {
			return err
		}
		added = append(added, o.Name)
	}
	if len(added) > 0 {
		fmt.Fprintf(e.stdout, "added %d sales users (%s, …) with password: %s\n", len(added), added[0], pw)
	}
	return nil
}

// pipeline runs produce in a goroutine and consume in this one, with two
// batches in flight: generating and loading then use a core each, and memory
// stays bounded. The first error stops both.
func pipeline(ctx context.Context, produce func(emit func([]dossier.BulkCustomer) error) error, consume func([]dossier.BulkCustomer) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan []dossier.BulkCustomer, 2)
	produced := make(chan error, 1)
	go func() {
		defer close(batches)
		produced <- produce(func(b []dossier.BulkCustomer) error {
			select {
			case batches <- b:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	for b := range batches {
		if err := consume(b); err != nil {
			cancel()
			for range batches { // let the producer finish
			}
			<-produced
			return err
		}
	}
	return <-produced
}

// demoMarket adds the demo's market records, notes, competitors and their
// shares, unless the store already has competitors (a second demo fill).
func demoMarket(ctx context.Context, store *sqldb.DB, cfg demo.Config) error {
	if cs, err := store.Competitors(ctx); err != nil || len(cs) > 0 {
		return err
	}
	m := demo.Market(cfg.Seed, cfg.AsOf)
	return store.LoadMarket(ctx, &m)
}
