// Package demo generates a realistic, deterministic synthetic data set of
// Chinese B2B customers for `dossier demo` and `dossier serve --demo`:
// companies named like real ones on the standard industry hierarchy and the
// provinces, contacts with decision roles, two years of interactions, needs,
// projects, risk inputs, about 2% planted duplicates and 1% invalid values.
//
// The same Config always gives byte-identical output. Generation streams:
// every record is a pure function of the seed and its position, batches are
// emitted and dropped, and nothing grows with the number of customers.
package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/dossier/dossier"
)

// Config says what to generate.
type Config struct {
	Customers int       // number of customer records to generate, about 2% of them planted duplicates of earlier ones
	Seed      uint64    // the same seed (and other fields) gives byte-identical data
	AsOf      time.Time // "today" of the data set: interactions fall in the two years before it; zero means 2026-01-01
	StartID   int64     // first customer id to use (ids are sequential); zero means 1
	BatchSize int       // customers per emitted batch, default 1000
}

// defaultAsOf is the "today" of a Config without AsOf. It is fixed so that a
// Config alone decides the output; the CLI passes the real date.
var defaultAsOf = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// MaxCustomers bounds Config.Customers: the credit codes' organisation
// numbers and the trade-name space are unique up to this size.
const MaxCustomers = 50_000_000

const defaultBatchSize = 1000

// normalize fills in defaults, truncates AsOf to its calendar date in UTC and
// checks the numbers.
func (c Config) normalize() (Config, error) {
	if c.Customers < 0 || c.Customers > MaxCustomers {
		return c, &dossier.Error{Code: dossier.EINVALID, Field: "customers",
			Message: fmt.Sprintf("the number of customers must be between 0 and %d, not %d", MaxCustomers, c.Customers)}
	}
	if c.BatchSize <= 0 {
		c.BatchSize = defaultBatchSize
	}
	if c.StartID <= 0 {
		c.StartID = 1
	}
	if c.AsOf.IsZero() {
		c.AsOf = defaultAsOf
	}
	y, m, d := c.AsOf.Date()
	c.AsOf = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return c, nil
}

// Generate produces cfg.Customers records, companies and planted duplicates,
// and hands them to emit in batches of cfg.BatchSize, ids sequential from
// cfg.StartID. Each customer's profile is resolved from its observations by
// policy. emit owns the batch it is given: Generate never touches it again.
// Generate stops with ctx's error when ctx is done, and with emit's error
// (wrapped) when emit fails; EINVALID when cfg is out of range.
func Generate(ctx context.Context, cfg Config, policy dossier.ResolvePolicy, emit func([]dossier.BulkCustomer) error) error {
	g, err := newGenerator(cfg, policy)
	if err != nil {
		return err
	}
	total := g.plan.records
	for first := 0; first < total; first += g.cfg.BatchSize {
		if err := ctx.Err(); err != nil {
			return err
		}
		n := min(g.cfg.BatchSize, total-first)
		batch := make([]dossier.BulkCustomer, n)
		for i := range batch {
			batch[i] = g.record(first + i)
		}
		if err := emit(batch); err != nil {
			return fmt.Errorf("demo: emit customers %d-%d: %w", g.cfg.StartID+int64(first), g.cfg.StartID+int64(first+n-1), err)
		}
	}
	return nil
}

// record generates the record at position r.
func (g *generator) record(r int) dossier.BulkCustomer {
	s := g.plan.slot(r)
	id := g.cfg.StartID + int64(r)
	if s.dup {
		return g.duplicate(r, id, s.company)
	}
	p := g.profile(s.company, id)
	return g.build(&p, g.streams(uint64(s.company), 0), nil)
}
