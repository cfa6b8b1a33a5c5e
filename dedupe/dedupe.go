// Package dedupe finds records that describe the same company (or person,
// or thing) and groups them into clusters: blocking on several keys so that
// no likely pair is missed and no pass is quadratic, per-field comparison
// levels, a Fellegi–Sunter model whose weights are estimated from the data
// as Splink does (u from random pairs and value counts; m by expectation
// maximisation in one training session per blocking rule; the prior as the
// probability that two random records match; a term-frequency adjustment
// for common values), and clustering that refuses to join two different
// credit codes (for a list of names alone, with no other field, it joins
// doubtful pairs by average link: average.go; and when those names are
// free text it reads each as an affiliation, organisation, department and
// place: affiliation.go). It knows Dossier's field keys (name, credit_code,
// contact_phone, …), parses Chinese company names (name.go), and compares
// any other field as a generic string.
package dedupe

import (
	"context"
	"fmt"
	"time"

	"github.com/dossier/dossier"
)

// Record is one row to deduplicate. Fields are keyed by Dossier field keys
// (name, credit_code, contact_phone, contact_email, province, city,
// address, contact_name, industry, …); other keys are compared as generic
// strings. An identifier field may hold several values separated by ";"
// (the phones of a customer's contacts).
type Record struct {
	ID     string
	Fields map[string]string
}

// Options tune a run; the zero value works.
type Options struct {
	// Threshold is the match probability at or above which a pair joins
	// two records into one cluster (default 0.9). Records with a name and
	// no other field are clustered by average link instead: two groups
	// join when the mean probability between them is at least the lower
	// of 0.5 and Threshold.
	Threshold float64
	// PairThreshold is the lowest probability of the pairs Result lists,
	// for a review queue (default: the lower of 0.5 and Threshold).
	PairThreshold float64
	// MaxPairs caps Result.Pairs, the most probable kept (default
	// 100,000): a million copies of one company make millions of pairs.
	MaxPairs int
	// Fields limits the comparison to these keys; nil compares every key
	// any record has.
	Fields []string
	// MaxBlock is the size above which a block is not compared all-pairs
	// but as a sorted window (default 40); Window is that window (default 8).
	MaxBlock, Window int
	// SamplePairs is the number of random pairs that estimate u (default
	// 200,000); Seed makes the sample reproducible.
	SamplePairs int
	Seed        uint64
	// Workers share every parallel step: preparation, blocking, value
	// counts, comparison, u sampling, pattern grouping and scoring
	// (default GOMAXPROCS). The result does not depend on it.
	Workers int
}

// Evidence is what one field said about a pair: its comparison level and
// that level's weight in bits (log2 of m/u); positive for a match.
type Evidence struct {
	Field  string  `json:"field"`
	Level  string  `json:"level"`
	Weight float64 `json:"weight"`
}

// Pair is a candidate pair with its match probability, total weight in
// bits (prior included) and the evidence behind it. A is before B in the
// input.
type Pair struct {
	A           string     `json:"a"`
	B           string     `json:"b"`
	Probability float64    `json:"probability"`
	Weight      float64    `json:"weight"`
	Evidence    []Evidence `json:"evidence"`
}

// Result holds the pairs at or above Options.PairThreshold (highest first),
// the cluster of every record (the ID of its first record in input order;
// a singleton is its own cluster) and a report of the run.
type Result struct {
	Pairs   []Pair
	Cluster map[string]string
	Report  Report
}

// Report says what a run did, for people and for tests that guard against
// quadratic blow-up.
type Report struct {
	Records        int
	Fields         []string      // the fields compared
	Blocks         int           // blocks with two or more records
	WindowedBlocks []LargeBlock  // blocks too large for all pairs, compared by sorted window
	CandidatePairs int           // distinct pairs compared
	Model          []FieldWeight // the estimated weights
	Prior          float64       // estimated share of matches among candidate pairs
	Matches        int           // pairs at or above Threshold
	Refused        int           // merges refused because two credit codes differ
	Attached       int           // groups joined by likely pairs, unambiguously (see attach), or for names alone by average link (see joinAverage)
	Clusters       int           // clusters with two or more records
	PairsLeftOut   int           // pairs above PairThreshold not in Result.Pairs (over MaxPairs)
	EmptyNames     int           // records without a name
	DuplicateIDs   int           // records whose ID repeats an earlier one
	Timing         []Phase       // where the time went
}

// Phase is the wall time of one step of a run.
type Phase struct {
	Name string
	Took time.Duration
}

// LargeBlock is a blocking key shared by more than MaxBlock records: Key
// is the field's value or the part of it blocked on (for a name: the name
// without region and form, its trade name, or one character of the trade
// name with the industry words).
type LargeBlock struct {
	Field, Key string
	Size       int
}

// FieldWeight is the model of one field: m and u of each level and the
// resulting weight.
type FieldWeight struct {
	Field  string
	Levels []LevelWeight
}

// LevelWeight is one comparison level of a field.
type LevelWeight struct {
	Level  string
	M, U   float64
	Weight float64 // bits
}

func (o Options) withDefaults() Options {
	if o.Threshold <= 0 || o.Threshold > 1 {
		o.Threshold = 0.9
	}
	if o.PairThreshold <= 0 {
		o.PairThreshold = min(0.5, o.Threshold)
	}
	if o.MaxPairs <= 0 {
		o.MaxPairs = 100_000
	}
	if o.MaxBlock <= 1 {
		o.MaxBlock = 40
	}
	if o.Window <= 1 {
		o.Window = 8
	}
	if o.SamplePairs <= 0 {
		o.SamplePairs = 200_000
	}
	if o.Workers <= 0 {
		o.Workers = workers()
	}
	return o
}

// Run deduplicates recs. It fails only with ctx's error when ctx is done,
// and with EINVALID when a threshold is not a probability; bad values in
// records are compared as they are, and an empty name is simply missing
// evidence. Every record gets a cluster; records with a repeated ID share
// the first one's entry in Result.Cluster.
func Run(ctx context.Context, recs []Record, opt Options) (*Result, error) {
	if opt.Threshold < 0 || opt.Threshold > 1 || opt.PairThreshold < 0 || opt.PairThreshold > 1 {
		return nil, &dossier.Error{Code: dossier.EINVALID, Field: "threshold",
			Message: fmt.Sprintf("thresholds are probabilities between 0 and 1, not %g and %g", opt.Threshold, opt.PairThreshold)}
	}
	opt = opt.withDefaults()
	start := time.Now()
	rep := Report{Records: len(recs)}
	lap := func(name string) {
		now := time.Now()
		rep.Timing = append(rep.Timing, Phase{name, now.Sub(start)})
		start = now
	}
	ds := prepare(recs, opt.Fields, opt.Workers)
	rep.Fields, rep.EmptyNames, rep.DuplicateIDs = ds.fieldNames(), ds.emptyNames, ds.dupIDs
	lap("prepare")
	pairs, err := candidates(ctx, ds, opt, &rep)
	if err != nil {
		return nil, err
	}
	lap("block")
	levels, err := compareAll(ctx, ds, pairs, opt.Workers)
	if err != nil {
		return nil, err
	}
	lap("compare")
	m := estimate(ds, pairs, levels, opt)
	rep.Model, rep.Prior = m.describe(ds), m.prior
	probs := m.score(ds, pairs, levels, opt.Workers)
	lap("estimate")
	res := &Result{}
	res.Cluster = cluster(ds, pairs, levels, probs, opt.Threshold, &rep)
	res.Pairs, rep.PairsLeftOut = explain(ds, m, pairs, levels, probs, opt.PairThreshold, opt.MaxPairs)
	lap("cluster")
	res.Report = rep
	return res, nil
}
