package dossier

import (
	"cmp"
	"context"
	"math"
	"slices"
	"time"
)

// Market facts (SPEC R26): market sizes per region, industry and year,
// policy and technology notes, competitor profiles and competitors' market
// shares. Like a customer's facts, each one keeps its Source — channel,
// source detail, when it was collected and by whom — and is never
// overwritten: a newer figure is a new record.

// MarketRecord is the size and growth of one market: "2023 East-China SME
// SaaS market 120亿元, +15% a year".
type MarketRecord struct {
	ID         int64     `json:"id"`
	Region     string    `json:"region"`
	Industry   string    `json:"industry"`
	Year       int       `json:"year"`
	Size       int64     `json:"size"`             // yuan
	Growth     *float64  `json:"growth,omitempty"` // % a year; nil when unknown
	Source     Source    `json:"source"`
	RecordedAt time.Time `json:"recorded_at"`
}

// Note kinds.
const (
	NotePolicy     = "policy"
	NoteTechnology = "technology"
)

// MarketNote is a policy or technology trend with its source.
type MarketNote struct {
	ID         int64     `json:"id"`
	Kind       string    `json:"kind"` // NotePolicy or NoteTechnology
	Region     string    `json:"region,omitempty"`
	Industry   string    `json:"industry,omitempty"`
	Title      string    `json:"title"`
	Body       string    `json:"body,omitempty"`
	Source     Source    `json:"source"`
	RecordedAt time.Time `json:"recorded_at"`
}

// Price levels of a competitor.
var PriceLevels = []string{"low", "mid", "high"}

// Competitor is the profile of one of our competitors: "competitor B is
// cheap but inflexible".
type Competitor struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	Positioning string    `json:"positioning,omitempty"`
	Strengths   string    `json:"strengths,omitempty"`
	Weaknesses  string    `json:"weaknesses,omitempty"`
	PriceLevel  string    `json:"price_level,omitempty"` // one of PriceLevels, or ""
	Source      Source    `json:"source"`
	RecordedAt  time.Time `json:"recorded_at"`
}

// MarketShare is a competitor's share of a region's market in one year:
// "A holds 30% of East China".
type MarketShare struct {
	ID         int64     `json:"id"`
	Competitor string    `json:"competitor"` // a Competitor's name
	Region     string    `json:"region"`
	Year       int       `json:"year"`
	Share      float64   `json:"share"` // % of the region's market, 0-100
	Source     Source    `json:"source"`
	RecordedAt time.Time `json:"recorded_at"`
}

// MarketBatch is a set of market facts added together.
type MarketBatch struct {
	Records     []MarketRecord
	Notes       []MarketNote
	Competitors []Competitor
	Shares      []MarketShare
}

// MarketFilter narrows market lists; zero fields match everything.
type MarketFilter struct {
	Region   string
	Industry string
	Year     int
	Kind     string // notes only
	// Limit caps a list (0: no cap). After continues it past the row of
	// this key, in the list's order (keyset paging).
	Limit int
	After *MarketKey
}

// MarketKey is a row's place in a market list's order: records by Year
// descending, Region, Industry and ID; notes by CollectedAt and ID, both
// descending; competitors by Name and ID.
type MarketKey struct {
	ID          int64
	Year        int
	Region      string
	Industry    string
	CollectedAt time.Time
	Name        string
}

// MarketService stores market facts. Create methods return EINVALID naming
// the field for bad input; CreateCompetitor returns ECONFLICT for a name
// already used, CreateMarketShare EINVALID for an unknown competitor.
// Lists are in a stable order: newest year first, then region and name.
type MarketService interface {
	CreateMarketRecord(ctx context.Context, m *MarketRecord) error
	MarketRecords(ctx context.Context, f MarketFilter) ([]MarketRecord, error)
	CreateMarketNote(ctx context.Context, n *MarketNote) error
	MarketNotes(ctx context.Context, f MarketFilter) ([]MarketNote, error)
	CreateCompetitor(ctx context.Context, c *Competitor) error
	Competitors(ctx context.Context) ([]Competitor, error)
	// FindCompetitors is one page of Competitors (f.Limit, f.After).
	FindCompetitors(ctx context.Context, f MarketFilter) ([]Competitor, error)
	CreateMarketShare(ctx context.Context, s *MarketShare) error
	MarketShares(ctx context.Context, f MarketFilter) ([]MarketShare, error)
}

// CanEditMarket reports whether the user may add market facts: the people
// who gather them (sales and marketing), their managers, and admins.
// Service staff and analysts read them.
func (u *User) CanEditMarket() bool {
	return u.Role == RoleAdmin || u.Role == RoleManager || u.Role == RoleSales || u.Role == RoleMarketing
}

func validYear(y int) error {
	if y < 1900 || y > 2200 {
		return FieldError("year", "year %d is not a plausible year", y)
	}
	return nil
}

// Validate cleans and checks a market record.
func (m *MarketRecord) Validate() error {
	m.Region, m.Industry = CleanText(m.Region), CleanText(m.Industry)
	switch {
	case m.Region == "":
		return FieldError("region", "a market record needs a region")
	case m.Industry == "":
		return FieldError("industry", "a market record needs an industry")
	case m.Size < 0:
		return FieldError("size", "a market size cannot be negative")
	}
	if err := validYear(m.Year); err != nil {
		return err
	}
	return m.Source.Validate()
}

// Validate cleans and checks a note.
func (n *MarketNote) Validate() error {
	n.Title, n.Region, n.Industry = CleanText(n.Title), CleanText(n.Region), CleanText(n.Industry)
	switch {
	case n.Kind != NotePolicy && n.Kind != NoteTechnology:
		return FieldError("kind", "note kind %q: use policy or technology", n.Kind)
	case n.Title == "":
		return FieldError("title", "a note needs a title")
	case n.Source.Detail == "":
		return FieldError("source", "a note needs its source")
	}
	return n.Source.Validate()
}

// Validate cleans and checks a competitor profile.
func (c *Competitor) Validate() error {
	c.Name = CleanText(c.Name)
	switch {
	case c.Name == "":
		return FieldError("name", "a competitor needs a name")
	case c.PriceLevel != "" && !slices.Contains(PriceLevels, c.PriceLevel):
		return FieldError("price_level", "price level %q: use low, mid or high", c.PriceLevel)
	}
	return c.Source.Validate()
}

// Validate cleans and checks a market share.
func (s *MarketShare) Validate() error {
	s.Competitor, s.Region = CleanText(s.Competitor), CleanText(s.Region)
	switch {
	case s.Competitor == "":
		return FieldError("competitor", "a market share needs a competitor")
	case s.Region == "":
		return FieldError("region", "a market share needs a region")
	case s.Share < 0 || s.Share > 100:
		return FieldError("share", "share %g%% is outside 0-100%%", s.Share)
	}
	if err := validYear(s.Year); err != nil {
		return err
	}
	return s.Source.Validate()
}

// RegionShares is the market of one region in one year, split between the
// competitors with a recorded share and everyone else.
type RegionShares struct {
	Region string           `json:"region"`
	Year   int              `json:"year"`
	Shares []CompetitorPart `json:"shares"` // largest first
	Others float64          `json:"others"` // 100 minus the recorded shares, at least 0
}

// CompetitorPart is one competitor's share, in %.
type CompetitorPart struct {
	Competitor string  `json:"competitor"`
	Share      float64 `json:"share"`
}

// SharesByRegion splits each region's market between competitors, for the
// latest year with figures up to year (any year when year is 0). When a
// competitor has several figures for that region and year, the one
// collected last counts, as for a customer's facts. Regions are in name
// order; a region without figures up to year is left out.
func SharesByRegion(shares []MarketShare, year int) []RegionShares {
	latest := map[string]int{}
	for _, s := range shares {
		if (year == 0 || s.Year <= year) && s.Year > latest[s.Region] {
			latest[s.Region] = s.Year
		}
	}
	type key struct{ region, competitor string }
	newest := map[key]MarketShare{}
	for _, s := range shares {
		if latest[s.Region] != s.Year {
			continue
		}
		k := key{s.Region, s.Competitor}
		if old, ok := newest[k]; !ok || s.Source.CollectedAt.After(old.Source.CollectedAt) ||
			(s.Source.CollectedAt.Equal(old.Source.CollectedAt) && s.ID > old.ID) {
			newest[k] = s
		}
	}
	byRegion := map[string]*RegionShares{}
	for k, s := range newest {
		rs := byRegion[k.region]
		if rs == nil {
			rs = &RegionShares{Region: k.region, Year: s.Year}
			byRegion[k.region] = rs
		}
		rs.Shares = append(rs.Shares, CompetitorPart{s.Competitor, s.Share})
	}
	out := make([]RegionShares, 0, len(byRegion))
	for _, rs := range byRegion {
		sum := 0.0
		for _, p := range rs.Shares {
			sum += p.Share
		}
		rs.Others = max(0, math.Round((100-sum)*100)/100) // no float noise: 100-30.1-25.2 is 44.7
		slices.SortFunc(rs.Shares, func(a, b CompetitorPart) int {
			return cmp.Or(cmp.Compare(b.Share, a.Share), cmp.Compare(a.Competitor, b.Competitor))
		})
		out = append(out, *rs)
	}
	slices.SortFunc(out, func(a, b RegionShares) int { return cmp.Compare(a.Region, b.Region) })
	return out
}
