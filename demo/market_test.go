package demo

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestMarket: the market data is deterministic, valid, and leaves room for
// other vendors in every region.
func TestMarket(t *testing.T) {
	asOf := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	m := Market(1, asOf)
	if diff := cmp.Diff(m, Market(1, asOf)); diff != "" {
		t.Errorf("not deterministic: %s", diff)
	}
	if len(m.Records) != len(marketRegions)*len(marketIndustries)*3 || len(m.Competitors) != len(rivals) || len(m.Notes) != len(marketNotes) {
		t.Errorf("%d records, %d competitors, %d notes", len(m.Records), len(m.Competitors), len(m.Notes))
	}
	for i := range m.Records {
		if err := m.Records[i].Validate(); err != nil || m.Records[i].Year > 2025 {
			t.Errorf("record %+v: %v", m.Records[i], err)
		}
	}
	for i := range m.Notes {
		if err := m.Notes[i].Validate(); err != nil {
			t.Errorf("note %+v: %v", m.Notes[i], err)
		}
	}
	for i := range m.Competitors {
		if err := m.Competitors[i].Validate(); err != nil {
			t.Errorf("competitor %+v: %v", m.Competitors[i], err)
		}
	}
	sum := map[string]float64{}
	for i, s := range m.Shares {
		if err := m.Shares[i].Validate(); err != nil {
			t.Errorf("share %+v: %v", s, err)
		}
		sum[s.Region+s.Source.Detail] += s.Share
	}
	for k, v := range sum {
		if v >= 100 {
			t.Errorf("%s: shares add up to %g%%", k, v)
		}
	}
}
