package html

import (
	"time"

	"github.com/dossier/dossier"
)

// MaxMarketRows bounds the market records listed on the page; the API and
// the command line list them all.
const MaxMarketRows = 200

// MarketPage is the market and competitors page: market records, notes and
// competitor profiles with their provenance; its script draws the market
// shares per region, churn reasons and win/loss from the API.
type MarketPage struct {
	Base
	Records     []dossier.MarketRecord
	More        int // records left out of the page
	Notes       []dossier.MarketNote
	Competitors []dossier.Competitor
}

// Money formats an amount in yuan as people write it: "120亿", "3500万".
func (MarketPage) Money(yuan int64) string { return dossier.Money(yuan).Wan() }

// Day is the date of a time, for "collected on".
func (MarketPage) Day(t time.Time) string { return t.Format(dossier.DateLayout) }

// Percent formats a growth rate; "–" when unknown.
func (MarketPage) Percent(v *float64) string {
	if v == nil {
		return "–"
	}
	return dossier.FormatNumber(*v) + "%"
}
