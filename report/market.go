package report

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/analytics"
	"github.com/dossier/dossier/i18n"
	"github.com/dossier/dossier/present"
)

// A market report (issue #9) puts the market around the customers on
// paper: market sizes, competitors' shares per region, competitor
// profiles, policy and technology notes, each with its source, and the
// churn reasons and win/loss against competitors among the reader's
// customers. It reads the same services as the /market page and the API.

// MarketOptions say what a market report covers.
type MarketOptions struct {
	Market    dossier.MarketFilter   // region, industry, year of the market facts
	Customers dossier.CustomerFilter // the reader's scope, for churn and win/loss
	Lang      string
	Now       time.Time
}

// MarketReport is a market report, every text in its language.
type MarketReport struct {
	Lang        string
	Title       string
	Generated   string
	Records     []MarketRow
	Shares      []ShareLine
	Competitors []CompetitorRow
	Notes       []NoteRow
	Churn       *analytics.ChurnReport
	ChurnRows   []ShareRow
	WinLoss     *analytics.WinLossReport
	sizes       []dossier.MarketRecord // for the workbook's chart
}

// MarketRow is one market record with its source.
type MarketRow struct {
	Region, Industry, Year, Size, Growth, Source string
}

// ShareLine is one competitor's share of one region's market.
type ShareLine struct {
	Region, Year, Competitor string
	Share                    float64
}

// CompetitorRow is a competitor's profile with its source.
type CompetitorRow struct {
	Name, Positioning, Strengths, Weaknesses, PriceLevel, Source string
}

// NoteRow is a policy or technology note with its source.
type NoteRow struct {
	Kind, Title, Body, Scope, Source string
}

// BuildMarket gathers a market report.
func BuildMarket(ctx context.Context, market dossier.MarketService, st analytics.Store, opt MarketOptions) (*MarketReport, error) {
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	lang := i18n.Normalize(opt.Lang)
	t := func(key string, args ...any) string { return i18n.T(lang, key, args...) }
	rep := &MarketReport{Lang: lang, Title: t("market_report.title"), Generated: opt.Now.Format("2006-01-02 15:04")}
	records, err := market.MarketRecords(ctx, opt.Market)
	if err != nil {
		return nil, err
	}
	rep.sizes = records
	for _, m := range records {
		growth := "–"
		if m.Growth != nil {
			growth = dossier.FormatNumber(*m.Growth) + "%"
		}
		rep.Records = append(rep.Records, MarketRow{Region: m.Region, Industry: m.Industry, Year: strconv.Itoa(m.Year),
			Size: present.Value(dossier.Field{Type: dossier.TypeMoney}, strconv.FormatInt(m.Size, 10), lang, true), Growth: growth,
			Source: sourceText(m.Source, lang)})
	}
	shares, err := market.MarketShares(ctx, opt.Market)
	if err != nil {
		return nil, err
	}
	for _, r := range dossier.SharesByRegion(shares, opt.Market.Year) {
		for _, p := range r.Shares {
			rep.Shares = append(rep.Shares, ShareLine{Region: r.Region, Year: strconv.Itoa(r.Year), Competitor: p.Competitor, Share: p.Share})
		}
		rep.Shares = append(rep.Shares, ShareLine{Region: r.Region, Year: strconv.Itoa(r.Year), Competitor: t("market_report.others"), Share: r.Others})
	}
	competitors, err := market.Competitors(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range competitors {
		rep.Competitors = append(rep.Competitors, CompetitorRow{Name: c.Name, Positioning: c.Positioning, Strengths: c.Strengths,
			Weaknesses: c.Weaknesses, PriceLevel: c.PriceLevel, Source: sourceText(c.Source, lang)})
	}
	notes, err := market.MarketNotes(ctx, opt.Market)
	if err != nil {
		return nil, err
	}
	for _, n := range notes {
		rep.Notes = append(rep.Notes, NoteRow{Kind: t("market_report.kind." + n.Kind), Title: n.Title, Body: n.Body,
			Scope: joinNonEmpty(n.Region, n.Industry), Source: sourceText(n.Source, lang)})
	}
	if rep.Churn, err = analytics.Churn(ctx, st, opt.Customers); err != nil {
		return nil, err
	}
	for _, p := range rep.Churn.Reasons {
		label := p.Key
		if label == "" {
			label = t("xlsx.unknown")
		}
		row := ShareRow{Label: label, Count: p.Count}
		if p.Share != nil {
			row.Share = *p.Share
		}
		rep.ChurnRows = append(rep.ChurnRows, row)
	}
	if rep.WinLoss, err = analytics.WinLoss(ctx, st, opt.Customers); err != nil {
		return nil, err
	}
	return rep, nil
}

// ChurnChart draws the churn reasons as bars.
func (r *MarketReport) ChurnChart() *Chart { return Breakdown{Rows: r.ChurnRows}.Chart() }

// sourceText is a fact's provenance in one line: channel, detail, who, when.
func sourceText(s dossier.Source, lang string) string {
	out := i18n.T(lang, "channel."+string(s.Channel))
	for _, part := range []string{s.Detail, s.CollectedBy} {
		if part != "" {
			out += " · " + part
		}
	}
	if !s.CollectedAt.IsZero() {
		out += " · " + s.CollectedAt.Format(dossier.DateLayout)
	}
	return out
}

func joinNonEmpty(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + " · " + b
}

// WriteMarketXLSX writes a market report as a workbook: market sizes with
// a native chart, shares, competitors, notes, churn reasons (chart) and
// win/loss (chart), each on its own sheet.
func WriteMarketXLSX(w io.Writer, r *MarketReport) error {
	x, err := newAnalysisBook(r.Lang)
	if err != nil {
		return err
	}
	defer x.f.Close()
	steps := []func(*MarketReport) error{x.marketSizes, x.marketShares, x.marketCompetitors, x.marketNotes, x.marketChurn, x.marketWinLoss}
	for _, step := range steps {
		if err := step(r); err != nil {
			return fmt.Errorf("market workbook: %w", err)
		}
	}
	x.f.SetActiveSheet(0)
	return x.save(w)
}

// newSheet adds a sheet named by a catalogue key with a table on it.
func (x *analysisBook) newSheet(key, title string, head []string, rows [][]any) (string, error) {
	sheet := x.sheetName(key)
	if err := x.sheet(sheet); err != nil {
		return "", err
	}
	return sheet, x.titled(sheet, title, head, rows)
}

func (x *analysisBook) marketSizes(r *MarketReport) error {
	var rows [][]any
	for _, m := range r.sizes {
		var growth any
		if m.Growth != nil {
			growth = *m.Growth
		}
		rows = append(rows, []any{m.Region + " " + m.Industry + " " + strconv.Itoa(m.Year), float64(m.Size) / 1e8, growth, sourceText(m.Source, r.Lang)})
	}
	head := []string{x.t("market_report.col.market"), x.t("market_report.col.size_yi"), x.t("market_report.col.growth"), x.t("market_report.col.source")}
	sheet, err := x.newSheet("market_report.sheet.sizes", r.Title, head, rows)
	if err != nil || len(rows) == 0 {
		return err
	}
	return x.chart(sheet, x.t("market_report.sheet.sizes"), ChartBar, []excelize.ChartSeries{x.series(sheet, 2, dataRow+1, dataRow+len(rows))}, 6)
}

func (x *analysisBook) marketShares(r *MarketReport) error {
	var rows [][]any
	for _, s := range r.Shares {
		rows = append(rows, []any{s.Region, s.Year, s.Competitor, s.Share})
	}
	head := []string{x.t("market_report.col.region"), x.t("market_report.col.year"), x.t("market_report.col.competitor"), x.t("market_report.col.share")}
	_, err := x.newSheet("market_report.sheet.shares", r.Title, head, rows)
	return err
}

func (x *analysisBook) marketCompetitors(r *MarketReport) error {
	var rows [][]any
	for _, c := range r.Competitors {
		rows = append(rows, []any{c.Name, c.Positioning, c.Strengths, c.Weaknesses, c.PriceLevel, c.Source})
	}
	head := []string{x.t("market_report.col.competitor"), x.t("market_report.col.positioning"), x.t("market_report.col.strengths"),
		x.t("market_report.col.weaknesses"), x.t("market_report.col.price"), x.t("market_report.col.source")}
	_, err := x.newSheet("market_report.sheet.competitors", r.Title, head, rows)
	return err
}

func (x *analysisBook) marketNotes(r *MarketReport) error {
	var rows [][]any
	for _, n := range r.Notes {
		rows = append(rows, []any{n.Kind, n.Title, n.Body, n.Scope, n.Source})
	}
	head := []string{x.t("market_report.col.kind"), x.t("market_report.col.title"), x.t("market_report.col.body"),
		x.t("market_report.col.scope"), x.t("market_report.col.source")}
	_, err := x.newSheet("market_report.sheet.notes", r.Title, head, rows)
	return err
}

func (x *analysisBook) marketChurn(r *MarketReport) error {
	var rows [][]any
	for _, c := range r.ChurnRows {
		rows = append(rows, []any{c.Label, c.Count, c.Share})
	}
	head := []string{x.t("market_report.col.reason"), x.t("clusters.records"), x.t("clusters.share")}
	sheet, err := x.newSheet("market_report.sheet.churn", r.Title, head, rows)
	if err != nil || len(rows) == 0 {
		return err
	}
	return x.chart(sheet, x.t("market_report.sheet.churn"), ChartPie, []excelize.ChartSeries{x.series(sheet, 2, dataRow+1, dataRow+len(rows))}, 5)
}

func (x *analysisBook) marketWinLoss(r *MarketReport) error {
	var rows [][]any
	for _, w := range r.WinLoss.Rows {
		rows = append(rows, []any{w.Competitor, w.Lost, w.Won, w.Net})
	}
	head := []string{x.t("market_report.col.competitor"), x.t("market_report.col.lost"), x.t("market_report.col.won"), x.t("market_report.col.net")}
	sheet, err := x.newSheet("market_report.sheet.winloss", r.Title, head, rows)
	if err != nil || len(rows) == 0 {
		return err
	}
	last := dataRow + len(rows)
	return x.chart(sheet, x.t("market_report.sheet.winloss"), ChartBar,
		[]excelize.ChartSeries{x.series(sheet, 2, dataRow+1, last), x.series(sheet, 3, dataRow+1, last)}, 6)
}
