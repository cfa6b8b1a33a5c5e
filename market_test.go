package dossier_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dossier/dossier"
)

// TestSharesByRegion checks the split of each region's market against
// figures worked out by hand: the latest year counts, a newer figure for the
// same competitor replaces an older one, and the rest is "others".
func TestSharesByRegion(t *testing.T) {
	day := func(d int) dossier.Source {
		return dossier.Source{CollectedAt: time.Date(2025, 1, d, 0, 0, 0, 0, time.UTC)}
	}
	shares := []dossier.MarketShare{
		{ID: 1, Competitor: "A", Region: "华东", Year: 2024, Share: 40, Source: day(1)},
		{ID: 2, Competitor: "A", Region: "华东", Year: 2025, Share: 25, Source: day(1)},
		{ID: 3, Competitor: "A", Region: "华东", Year: 2025, Share: 30.1, Source: day(2)}, // newer figure wins
		{ID: 4, Competitor: "B", Region: "华东", Year: 2025, Share: 25.2, Source: day(1)},
		{ID: 5, Competitor: "B", Region: "华南", Year: 2024, Share: 60, Source: day(1)},
		{ID: 6, Competitor: "C", Region: "华南", Year: 2024, Share: 50, Source: day(1)}, // over 100: others 0
	}
	tests := []struct {
		year int
		want []dossier.RegionShares
	}{
		{0, []dossier.RegionShares{
			{Region: "华东", Year: 2025, Shares: []dossier.CompetitorPart{{"A", 30.1}, {"B", 25.2}}, Others: 44.7},
			{Region: "华南", Year: 2024, Shares: []dossier.CompetitorPart{{"B", 60}, {"C", 50}}, Others: 0},
		}},
		{2024, []dossier.RegionShares{
			{Region: "华东", Year: 2024, Shares: []dossier.CompetitorPart{{"A", 40}}, Others: 60},
			{Region: "华南", Year: 2024, Shares: []dossier.CompetitorPart{{"B", 60}, {"C", 50}}, Others: 0},
		}},
		{2023, []dossier.RegionShares{}}, // no figures yet: no region
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, dossier.SharesByRegion(shares, tt.year)); diff != "" {
			t.Errorf("year %d: %s", tt.year, diff)
		}
	}
	if got := dossier.SharesByRegion(nil, 0); len(got) != 0 {
		t.Errorf("no shares: %v", got)
	}
}

func TestMarketValidate(t *testing.T) {
	src := dossier.Source{Channel: dossier.ChannelPublic, Detail: "统计局", CollectedAt: time.Now()}
	tests := []struct {
		name  string
		err   error
		field string
	}{
		{"no region", (&dossier.MarketRecord{Industry: "SaaS", Year: 2024, Source: src}).Validate(), "region"},
		{"negative size", (&dossier.MarketRecord{Region: "华东", Industry: "SaaS", Year: 2024, Size: -1, Source: src}).Validate(), "size"},
		{"bad kind", (&dossier.MarketNote{Kind: "gossip", Title: "x", Source: src}).Validate(), "kind"},
		{"note without source", (&dossier.MarketNote{Kind: "policy", Title: "x", Source: dossier.Source{Channel: "public", CollectedAt: time.Now()}}).Validate(), "source"},
		{"bad price", (&dossier.Competitor{Name: "A", PriceLevel: "cheap", Source: src}).Validate(), "price_level"},
		{"share over 100", (&dossier.MarketShare{Competitor: "A", Region: "华东", Year: 2024, Share: 101, Source: src}).Validate(), "share"},
		{"no channel", (&dossier.Competitor{Name: "A", Source: dossier.Source{CollectedAt: time.Now()}}).Validate(), "source"},
	}
	for _, tt := range tests {
		e, ok := tt.err.(*dossier.Error)
		if !ok || e.Code != dossier.EINVALID || e.Field != tt.field {
			t.Errorf("%s: %v", tt.name, tt.err)
		}
	}
}
