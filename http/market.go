package http

import (
	nethttp "net/http"
	"strconv"
	"strings"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/analytics"
	"github.com/dossier/dossier/http/html"
)

// Market and competitors (SPEC R26-R27): market facts are not personal data,
// so every signed-in user reads them, analysts included; the people who
// gather them write them (dossier.User.CanEditMarket).
var marketEditors = rolesWhere((*dossier.User).CanEditMarket)

// marketSource is the provenance of a market fact sent to the API: its
// channel and source ("艾瑞咨询 2024报告"), and the day it was collected
// (today when left out). Who entered it is the caller.
type marketSource struct {
	Channel     string `json:"channel"`
	Detail      string `json:"detail"`
	CollectedAt string `json:"collected_at,omitempty"` // 2024-03-15
}

func (s *Server) marketSource(r *nethttp.Request, in marketSource) (dossier.Source, error) {
	src := dossier.Source{Channel: dossier.Channel(in.Channel), Detail: strings.TrimSpace(in.Detail), CollectedAt: s.now(), CollectedBy: userOf(r).Name}
	if in.CollectedAt != "" {
		d, err := dossier.ParseDate(in.CollectedAt)
		if err != nil {
			return src, dossier.FieldError("collected_at", "%v", err)
		}
		src.CollectedAt = d
	}
	return src, nil
}

type marketRecordWrite struct {
	Region   string       `json:"region"`
	Industry string       `json:"industry"`
	Year     int          `json:"year"`
	Size     int64        `json:"size"`             // yuan
	Growth   *float64     `json:"growth,omitempty"` // % a year
	Source   marketSource `json:"source"`
}

type marketNoteWrite struct {
	Kind     string       `json:"kind"`
	Region   string       `json:"region,omitempty"`
	Industry string       `json:"industry,omitempty"`
	Title    string       `json:"title"`
	Body     string       `json:"body,omitempty"`
	Source   marketSource `json:"source"`
}

type competitorWrite struct {
	Name        string       `json:"name"`
	Positioning string       `json:"positioning,omitempty"`
	Strengths   string       `json:"strengths,omitempty"`
	Weaknesses  string       `json:"weaknesses,omitempty"`
	PriceLevel  string       `json:"price_level,omitempty"`
	Source      marketSource `json:"source"`
}

type marketShareWrite struct {
	Competitor string       `json:"competitor"`
	Region     string       `json:"region"`
	Year       int          `json:"year"`
	Share      float64      `json:"share"` // %
	Source     marketSource `json:"source"`
}

// marketFilter reads ?region=, ?industry=, ?year= and ?kind=.
func marketFilter(r *nethttp.Request) (dossier.MarketFilter, error) {
	q := r.URL.Query()
	f := dossier.MarketFilter{Region: q.Get("region"), Industry: q.Get("industry"), Kind: q.Get("kind")}
	if v := q.Get("year"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil {
			return f, dossier.FieldError("year", "year %q is not a whole number", v)
		}
		f.Year = y
	}
	return f, nil
}

// marketKeys says how a market list's cursor carries a row's place in
// the list's order (dossier.MarketKey).
type marketKeys[T any] struct {
	kind string
	n    int                                 // fields of the cursor
	key  func(T) []string                    // a row's sort key
	read func(*cursorKey) *dossier.MarketKey // the cursor's key
}

var (
	recordKeys = marketKeys[dossier.MarketRecord]{"records", 4,
		func(m dossier.MarketRecord) []string {
			return []string{itoa(m.ID), itoa(int64(m.Year)), m.Region, m.Industry}
		},
		func(k *cursorKey) *dossier.MarketKey {
			return &dossier.MarketKey{ID: k.id(0), Year: k.int(1), Region: k.str(2), Industry: k.str(3)}
		}}
	noteKeys = marketKeys[dossier.MarketNote]{"notes", 2,
		func(n dossier.MarketNote) []string { return []string{itoa(n.ID), stamp(n.Source.CollectedAt)} },
		func(k *cursorKey) *dossier.MarketKey { return &dossier.MarketKey{ID: k.id(0), CollectedAt: k.time(1)} }}
	competitorKeys = marketKeys[dossier.Competitor]{"competitors", 2,
		func(c dossier.Competitor) []string { return []string{itoa(c.ID), c.Name} },
		func(k *cursorKey) *dossier.MarketKey { return &dossier.MarketKey{ID: k.id(0), Name: k.str(1)} }}
)

// marketList answers a GET list of market facts, one page at a time
// (limit, cursor) with the filters kept.
func marketList[T any](s *Server, keys marketKeys[T], list func(*nethttp.Request, dossier.MarketFilter) ([]T, error)) nethttp.HandlerFunc {
	return func(w nethttp.ResponseWriter, r *nethttp.Request) {
		f, err := marketFilter(r)
		if err == nil {
			f.Limit, err = apiLimit(r)
		}
		var k *cursorKey
		if err == nil {
			k, err = readCursor(r, keys.kind, keys.n)
		}
		if k != nil {
			f.After = keys.read(k)
			err = k.err()
		}
		var out []T
		if err == nil {
			out, err = list(r, f)
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		writeJSON(w, nethttp.StatusOK, newPage(keys.kind, out, f.Limit, keys.key))
	}
}

// marketCreate answers a POST of one market fact: decode W, build the fact
// with its provenance, store it, 201 with the stored fact.
func marketCreate[W, T any](s *Server, build func(W, dossier.Source) *T, src func(W) marketSource, create func(*nethttp.Request, *T) error) nethttp.HandlerFunc {
	return func(w nethttp.ResponseWriter, r *nethttp.Request) {
		var in W
		if err := decodeJSON(w, r, &in); err != nil {
			s.fail(w, r, err)
			return
		}
		source, err := s.marketSource(r, src(in))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		v := build(in, source)
		if err := create(r, v); err != nil {
			s.fail(w, r, err)
			return
		}
		writeJSON(w, nethttp.StatusCreated, v)
	}
}

func (s *Server) handleAPIMarketRecords(w nethttp.ResponseWriter, r *nethttp.Request) {
	marketList(s, recordKeys, func(r *nethttp.Request, f dossier.MarketFilter) ([]dossier.MarketRecord, error) {
		return s.svc.Market.MarketRecords(r.Context(), f)
	})(w, r)
}

func (s *Server) handleAPICreateMarketRecord(w nethttp.ResponseWriter, r *nethttp.Request) {
	marketCreate(s, func(in marketRecordWrite, src dossier.Source) *dossier.MarketRecord {
		return &dossier.MarketRecord{Region: in.Region, Industry: in.Industry, Year: in.Year, Size: in.Size, Growth: in.Growth, Source: src}
	}, func(in marketRecordWrite) marketSource { return in.Source },
		func(r *nethttp.Request, m *dossier.MarketRecord) error {
			return s.svc.Market.CreateMarketRecord(r.Context(), m)
		})(w, r)
}

func (s *Server) handleAPIMarketNotes(w nethttp.ResponseWriter, r *nethttp.Request) {
	marketList(s, noteKeys, func(r *nethttp.Request, f dossier.MarketFilter) ([]dossier.MarketNote, error) {
		return s.svc.Market.MarketNotes(r.Context(), f)
	})(w, r)
}

func (s *Server) handleAPICreateMarketNote(w nethttp.ResponseWriter, r *nethttp.Request) {
	marketCreate(s, func(in marketNoteWrite, src dossier.Source) *dossier.MarketNote {
		return &dossier.MarketNote{Kind: in.Kind, Region: in.Region, Industry: in.Industry, Title: in.Title, Body: in.Body, Source: src}
	}, func(in marketNoteWrite) marketSource { return in.Source },
		func(r *nethttp.Request, n *dossier.MarketNote) error {
			return s.svc.Market.CreateMarketNote(r.Context(), n)
		})(w, r)
}

func (s *Server) handleAPICompetitors(w nethttp.ResponseWriter, r *nethttp.Request) {
	marketList(s, competitorKeys, func(r *nethttp.Request, f dossier.MarketFilter) ([]dossier.Competitor, error) {
		return s.svc.Market.FindCompetitors(r.Context(), dossier.MarketFilter{Limit: f.Limit, After: f.After})
	})(w, r)
}

func (s *Server) handleAPICreateCompetitor(w nethttp.ResponseWriter, r *nethttp.Request) {
	marketCreate(s, func(in competitorWrite, src dossier.Source) *dossier.Competitor {
		return &dossier.Competitor{Name: in.Name, Positioning: in.Positioning, Strengths: in.Strengths, Weaknesses: in.Weaknesses, PriceLevel: in.PriceLevel, Source: src}
	}, func(in competitorWrite) marketSource { return in.Source },
		func(r *nethttp.Request, c *dossier.Competitor) error {
			return s.svc.Market.CreateCompetitor(r.Context(), c)
		})(w, r)
}

// handleAPIMarketShares answers GET /api/v1/market/shares: each region's
// market split between competitors, for the latest year up to ?year=.
func (s *Server) handleAPIMarketShares(w nethttp.ResponseWriter, r *nethttp.Request) {
	f, err := marketFilter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	year := f.Year
	f.Year = 0 // SharesByRegion picks each region's latest year up to it
	shares, err := s.svc.Market.MarketShares(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, nethttp.StatusOK, items[dossier.RegionShares]{dossier.SharesByRegion(shares, year)})
}

func (s *Server) handleAPICreateMarketShare(w nethttp.ResponseWriter, r *nethttp.Request) {
	marketCreate(s, func(in marketShareWrite, src dossier.Source) *dossier.MarketShare {
		return &dossier.MarketShare{Competitor: in.Competitor, Region: in.Region, Year: in.Year, Share: in.Share, Source: src}
	}, func(in marketShareWrite) marketSource { return in.Source },
		func(r *nethttp.Request, m *dossier.MarketShare) error {
			return s.svc.Market.CreateMarketShare(r.Context(), m)
		})(w, r)
}

// handleAPIChurn answers GET /api/v1/analytics/churn: churn reasons and
// their shares, within the caller's scope.
func (s *Server) handleAPIChurn(w nethttp.ResponseWriter, r *nethttp.Request) {
	f, err := s.analysisFilter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rep, err := analytics.Churn(r.Context(), s.svc.Analytics, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, nethttp.StatusOK, rep)
}

// handleAPIWinLoss answers GET /api/v1/analytics/winloss: customers lost to
// and won from each competitor, within the caller's scope.
func (s *Server) handleAPIWinLoss(w nethttp.ResponseWriter, r *nethttp.Request) {
	f, err := s.analysisFilter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rep, err := analytics.WinLoss(r.Context(), s.svc.Analytics, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, nethttp.StatusOK, rep)
}

// handleMarket is the market and competitors page: the market records,
// notes and competitor profiles with their sources, and charts of market
// shares, churn reasons and win/loss drawn by its script from the API.
func (s *Server) handleMarket(w nethttp.ResponseWriter, r *nethttp.Request) {
	ctx := r.Context()
	page := html.MarketPage{Base: s.base(w, r, "market.title", "market")}
	var err error
	if page.Records, err = s.svc.Market.MarketRecords(ctx, dossier.MarketFilter{}); err != nil {
		s.fail(w, r, err)
		return
	}
	if page.Notes, err = s.svc.Market.MarketNotes(ctx, dossier.MarketFilter{}); err != nil {
		s.fail(w, r, err)
		return
	}
	if page.Competitors, err = s.svc.Market.Competitors(ctx); err != nil {
		s.fail(w, r, err)
		return
	}
	if len(page.Records) > html.MaxMarketRows {
		page.More, page.Records = len(page.Records)-html.MaxMarketRows, page.Records[:html.MaxMarketRows]
	}
	s.render(w, r, nethttp.StatusOK, "market", page)
}
