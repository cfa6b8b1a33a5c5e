package demo

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/dossier/dossier"
)

var testAsOf = time.Date(2026, 6, 30, 15, 4, 5, 0, time.UTC)

// generate returns every record of cfg; for small data sets only.
func generate(t testing.TB, cfg Config) []dossier.BulkCustomer {
	t.Helper()
	var all []dossier.BulkCustomer
	err := Generate(context.Background(), cfg, dossier.DefaultResolvePolicy(), func(b []dossier.BulkCustomer) error {
		all = append(all, b...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return all
}

// digest hashes the JSON of every record Generate emits for cfg.
func digest(t *testing.T, cfg Config) string {
	t.Helper()
	h := sha256.New()
	err := Generate(context.Background(), cfg, dossier.DefaultResolvePolicy(), func(b []dossier.BulkCustomer) error {
		for i := range b {
			j, err := json.Marshal(&b[i])
			if err != nil {
				return err
			}
			h.Write(j)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

func TestDeterministic(t *testing.T) {
	t.Parallel()
	cfg := Config{Customers: 700, Seed: 42, AsOf: testAsOf}
	a := digest(t, cfg)
	if b := digest(t, cfg); a != b {
		t.Fatal("two runs with the same config differ")
	}
	cfg.BatchSize = 7
	if b := digest(t, cfg); a != b {
		t.Error("the batch size changes the data")
	}
	cfg.Seed = 43
	if b := digest(t, cfg); a == b {
		t.Error("another seed gives the same data")
	}
}

func TestRecordsShape(t *testing.T) {
	t.Parallel()
	cfg := Config{Customers: 1500, Seed: 7, AsOf: testAsOf, StartID: 1000, BatchSize: 100}
	all := generate(t, cfg)
	asOf := time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)
	from := asOf.AddDate(-2, 0, 0)
	for i, bc := range all {
		c := bc.Customer
		if want := int64(1000 + i); c.ID != want {
			t.Fatalf("record %d has id %d, want %d", i, c.ID, want)
		}
		checkProfile(t, bc, from, asOf)
		checkRecords(t, bc, from, asOf)
	}
}

func checkProfile(t *testing.T, bc dossier.BulkCustomer, from, asOf time.Time) {
	t.Helper()
	c := bc.Customer
	if c.Version != 1 || c.CreatedAt.IsZero() || c.UpdatedAt.Before(c.CreatedAt) {
		t.Errorf("%d: version %d, created %v, updated %v", c.ID, c.Version, c.CreatedAt, c.UpdatedAt)
	}
	want := map[string]string{}
	for k, v := range dossier.DefaultResolvePolicy().ResolveObservations(bc.Observations) {
		if v != "" {
			want[k] = v
		}
	}
	if !maps.Equal(c.Values, want) {
		t.Errorf("%d: values are not the resolved observations:\n got %v\nwant %v", c.ID, c.Values, want)
	}
	if c.Name != c.Values["name"] || c.Industry != c.Values["industry"] || c.Stage != c.Values["stage"] ||
		c.Owner != c.Values["owner"] || c.Team != c.Values["team"] || c.Name == "" || c.Owner == "" {
		t.Errorf("%d: typed fields %+v do not match values", c.ID, c)
	}
	if _, ok := c.Values["follow_up_priority"]; ok {
		t.Errorf("%d: follow_up_priority is for scoring to compute", c.ID)
	}
	if n := len(bc.Observations); n < 2 || n > 4 {
		t.Errorf("%d: %d observations, want 2-4", c.ID, n)
	}
	seen := map[dossier.Channel]bool{}
	for _, o := range bc.Observations {
		if seen[o.Source.Channel] || o.CustomerID != c.ID || o.Source.Validate() != nil || o.Source.Detail == "" ||
			o.Source.CollectedAt.Before(from) || !o.Source.CollectedAt.Before(asOf) {
			t.Errorf("%d: observation %+v", c.ID, o.Source)
		}
		seen[o.Source.Channel] = true
	}
	nd := bc.Needs[0]
	for k, v := range map[string]string{"budget": nd.Budget, "purchase_timeline": nd.Timeline, "need_description": nd.Description} {
		if c.Values[k] != v {
			t.Errorf("%d: profile %s %q, first need has %q", c.ID, k, c.Values[k], v)
		}
	}
	if got, ok := c.Values["need_type"]; ok && got != nd.Type {
		t.Errorf("%d: need_type %q, first need is %q", c.ID, got, nd.Type)
	}
	if nd.ExpectedAmount > 0 && c.Values["expected_amount"] != money(nd.ExpectedAmount) {
		t.Errorf("%d: expected_amount %q, need says %d", c.ID, c.Values["expected_amount"], nd.ExpectedAmount)
	}
}

func checkRecords(t *testing.T, bc dossier.BulkCustomer, from, asOf time.Time) {
	t.Helper()
	c := bc.Customer
	if n := len(bc.Contacts); n < 1 || n > 5 {
		t.Errorf("%d: %d contacts", c.ID, n)
	}
	if n := len(bc.Needs); n < 1 || n > 3 || !bc.Needs[0].Explicit {
		t.Errorf("%d: %d needs, first explicit %v", c.ID, n, bc.Needs[0].Explicit)
	}
	hasProjects := c.Stage == "won" || c.Stage == "churned"
	if n := len(bc.Projects); (n > 0) != hasProjects || n > 3 {
		t.Errorf("%d: %s customer with %d projects", c.ID, c.Stage, n)
	}
	if c.Stage == "churned" && c.Values["churn_reason"] == "" {
		t.Errorf("%d: churned without a reason", c.ID)
	}
	if lost := c.Values["lost_to"]; (lost != "" && c.Stage != "churned") || (c.Values["churn_reason"] == "被竞品替代" && lost == "") {
		t.Errorf("%d: %s customer (%s) lost to %q", c.ID, c.Stage, c.Values["churn_reason"], lost)
	}
	if c.Values["won_from"] != "" && c.Stage != "won" {
		t.Errorf("%d: %s customer won from %q", c.ID, c.Stage, c.Values["won_from"])
	}
	last := ""
	for _, in := range bc.Interactions {
		d, err := time.Parse(dossier.DateLayout, in.Date)
		if err != nil || d.Before(from) || !d.Before(asOf) || in.Date < last || in.RecordedBy == "" || in.CustomerID != c.ID || in.ContactID != 0 {
			t.Errorf("%d: interaction %+v", c.ID, in)
		}
		last = in.Date
	}
	if c.LastContact != last {
		t.Errorf("%d: last contact %q, latest interaction %q", c.ID, c.LastContact, last)
	}
}

func TestGroundTruth(t *testing.T) {
	t.Parallel()
	cfg := Config{Customers: 3000, Seed: 3, AsOf: testAsOf, StartID: 500}
	all := generate(t, cfg)
	byID := map[int64]*dossier.BulkCustomer{}
	for i := range all {
		byID[all[i].Customer.ID] = &all[i]
	}
	var ids []int64
	dups := 0
	err := GroundTruth(cfg, func(id, cluster int64) error {
		ids = append(ids, id)
		if id == cluster {
			return nil
		}
		dups++
		d, o := byID[id], byID[cluster]
		if o == nil || cluster > id {
			return fmt.Errorf("record %d: cluster %d is not an earlier record", id, cluster)
		}
		checkDuplicate(t, &d.Customer, &o.Customer)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != len(all) || ids[0] != 500 || !slices.IsSorted(ids) {
		t.Fatalf("ground truth lists %d ids from %d, generate made %d", len(ids), ids[0], len(all))
	}
	if rate := float64(dups) / float64(cfg.Customers); rate < 0.018 || rate > 0.022 {
		t.Errorf("%d duplicates for %d companies, want about 2%%", dups, cfg.Customers)
	}
}

// checkDuplicate: same place, a different name, a credit code that is the
// same or missing, another owner.
func checkDuplicate(t *testing.T, d, o *dossier.Customer) {
	t.Helper()
	if d.Name == o.Name || d.Owner == o.Owner || d.Values["city"] != "" && d.Values["city"] != o.Values["city"] {
		t.Errorf("duplicate %d of %d: %q/%q, owners %s/%s", d.ID, o.ID, d.Name, o.Name, d.Owner, o.Owner)
	}
	// The second rep copied the code correctly where the first mistyped it.
	_, origBad := dossier.ParseCreditCode(o.Values["credit_code"])
	if code := d.Values["credit_code"]; code != "" && code != o.Values["credit_code"] && origBad == nil {
		t.Errorf("duplicate %d has credit code %s, original %d has %s", d.ID, code, o.ID, o.Values["credit_code"])
	}
}

func TestGenerateStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	batches := 0
	err := Generate(ctx, Config{Customers: 100, BatchSize: 10}, dossier.DefaultResolvePolicy(), func([]dossier.BulkCustomer) error {
		batches++
		cancel()
		return nil
	})
	if !errors.Is(err, context.Canceled) || batches != 1 {
		t.Errorf("after cancel: %v, %d batches", err, batches)
	}
	boom := errors.New("disk full")
	err = Generate(context.Background(), Config{Customers: 100}, dossier.DefaultResolvePolicy(), func([]dossier.BulkCustomer) error { return boom })
	if !errors.Is(err, boom) {
		t.Errorf("emit's error lost: %v", err)
	}
	err = Generate(context.Background(), Config{Customers: -1}, dossier.DefaultResolvePolicy(), nil)
	if code := dossier.ErrorCode(err); code != dossier.EINVALID {
		t.Errorf("negative count: %v", err)
	}
	if err := Generate(context.Background(), Config{}, dossier.DefaultResolvePolicy(), nil); err != nil {
		t.Errorf("zero customers: %v", err)
	}
}

func TestOwners(t *testing.T) {
	os := Owners(1)
	if !slices.Equal(os, Owners(1)) || slices.Equal(os, Owners(2)) {
		t.Error("owners are not a function of the seed")
	}
	names, teamSet := map[string]bool{}, map[string]int{}
	for _, o := range os {
		if names[o.Name] || len([]rune(o.Name)) < 2 {
			t.Errorf("owner name %q", o.Name)
		}
		names[o.Name] = true
		teamSet[o.Team]++
	}
	if len(os) != 12 || len(teamSet) != 4 {
		t.Errorf("%d owners in %d teams", len(os), len(teamSet))
	}
}
