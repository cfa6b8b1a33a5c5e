package main

import (
	"context"
	stdcsv "encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/analytics"
	"github.com/dossier/dossier/report"
	"github.com/dossier/dossier/sqldb"
)

const marketUsage = "market records|competitors|notes|shares [--region R] [--industry I] [--year Y] [--kind K] [--json|--csv] | " +
	"market add-record --region R --industry I --year Y --size 120亿 [--growth 15%] | market add-competitor NAME [--positioning T] [--strengths T] [--weaknesses T] [--price low|mid|high] | " +
	"market add-note --kind policy|technology --title T [--body T] | market add-share --competitor C --region R --year Y --share 30% | " +
	"market import FILE --kind records|shares | market report FILE.html|FILE.xlsx [--region R] [--industry I] [--year Y]; additions take [--source CHANNEL] [--source-detail TEXT] [--collected DATE] [--by NAME] [--db DB]"

// marketFlags are the flags of every market subcommand; each uses some.
type marketFlags struct {
	db, region, industry, kind, title, body, positioning, strengths, weaknesses, price, competitor *string
	size, growth, share, source, detail, collected, by                                             *string
	year                                                                                           *int
	out                                                                                            output
}

func newMarketFlags(fs *flag.FlagSet, e *env) marketFlags {
	s := func(name, usage string) *string { return fs.String(name, "", usage) }
	return marketFlags{
		db: dbFlag(fs, e), region: s("region", "region, e.g. 华东"), industry: s("industry", "industry"),
		kind: s("kind", "note kind (policy, technology) or, for import, records or shares"), title: s("title", "note title"),
		body: s("body", "note text"), positioning: s("positioning", "competitor's positioning"),
		strengths: s("strengths", "competitor's strengths"), weaknesses: s("weaknesses", "competitor's weaknesses"),
		price: s("price", "competitor's price level: low, mid or high"), competitor: s("competitor", "competitor name"),
		size: s("size", "market size: 120亿, 3500万, 1200000000"), growth: s("growth", "growth a year: 15%"),
		share:  s("share", "market share: 30%"),
		source: fs.String("source", "internal", "source channel: public, customer, internal or third-party"),
		detail: s("source-detail", "where the figure comes from: 艾瑞咨询2024报告"), collected: s("collected", "day collected (default today)"),
		by: s("by", "who entered it (default the operating-system user)"), year: fs.Int("year", 0, "year"),
		out: outputFlags(fs),
	}
}

// provenance is the Source of the facts a command adds.
func (m marketFlags) provenance(e *env) (dossier.Source, error) {
	ch, err := dossier.ParseChannel(*m.source)
	if err != nil {
		return dossier.Source{}, err
	}
	src := dossier.Source{Channel: ch, Detail: strings.TrimSpace(*m.detail), CollectedAt: time.Now().UTC(), CollectedBy: *m.by}
	if src.CollectedBy == "" {
		src.CollectedBy = cliUser(e)
	}
	if *m.collected != "" {
		if src.CollectedAt, err = dossier.ParseDate(*m.collected); err != nil {
			return src, dossier.FieldError("collected", "%v", err)
		}
	}
	return src, nil
}

// runMarket lists and adds market facts.
func runMarket(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usagef("use 'dossier %s'", marketUsage)
	}
	fs := newFlags("market")
	m := newMarketFlags(fs, e)
	pos, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	if *m.out.json && *m.out.csv {
		return usagef("use --json or --csv, not both")
	}
	store, err := openStore(ctx, *m.db)
	if err != nil {
		return err
	}
	defer store.Close()
	sub := args[0]
	if sub == "report" {
		if len(pos) != 1 {
			return usagef("market report needs the report file: FILE.html or FILE.xlsx")
		}
		return marketReport(ctx, e, store, m, pos[0])
	}
	if strings.HasPrefix(sub, "add-") || sub == "import" {
		err = addMarket(ctx, e, store, m, sub, pos)
	} else if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	} else {
		err = listMarket(ctx, e, store, m, sub)
	}
	return badInput(err)
}

// addMarket runs the add-… and import subcommands.
func addMarket(ctx context.Context, e *env, store *sqldb.DB, m marketFlags, sub string, pos []string) error {
	src, err := m.provenance(e)
	if err != nil {
		return err
	}
	if sub == "import" {
		if len(pos) != 1 {
			return usagef("market import needs one FILE")
		}
		return importMarket(ctx, e, store, pos[0], *m.kind, src)
	}
	if want := map[bool]int{true: 1, false: 0}[sub == "add-competitor"]; len(pos) != want {
		return usagef("market %s: wrong number of arguments", sub)
	}
	var id int64
	switch sub {
	case "add-record":
		r := dossier.MarketRecord{Region: *m.region, Industry: *m.industry, Year: *m.year, Source: src}
		if r.Size, r.Growth, err = sizeAndGrowth(*m.size, *m.growth); err == nil {
			err = store.CreateMarketRecord(ctx, &r)
		}
		id = r.ID
	case "add-competitor":
		c := dossier.Competitor{Name: pos[0], Positioning: *m.positioning, Strengths: *m.strengths, Weaknesses: *m.weaknesses, PriceLevel: *m.price, Source: src}
		err = store.CreateCompetitor(ctx, &c)
		id = c.ID
	case "add-note":
		n := dossier.MarketNote{Kind: *m.kind, Region: *m.region, Industry: *m.industry, Title: *m.title, Body: *m.body, Source: src}
		err = store.CreateMarketNote(ctx, &n)
		id = n.ID
	case "add-share":
		s := dossier.MarketShare{Competitor: *m.competitor, Region: *m.region, Year: *m.year, Source: src}
		if s.Share, err = dossier.ParsePercent(*m.share); err != nil {
			err = dossier.FieldError("share", "%v", err)
		} else {
			err = store.CreateMarketShare(ctx, &s)
		}
		id = s.ID
	default:
		return usagef("unknown market subcommand %q; use 'dossier %s'", sub, marketUsage)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: added %d\n", strings.TrimPrefix(sub, "add-"), id)
	return nil
}

// sizeAndGrowth reads a market size in yuan, 万 or 亿, and an optional growth.
func sizeAndGrowth(size, growth string) (int64, *float64, error) {
	n, err := dossier.ParseMoney(size)
	if err != nil {
		return 0, nil, dossier.FieldError("size", "%v", err)
	}
	if strings.TrimSpace(growth) == "" {
		return int64(n), nil, nil
	}
	g, err := dossier.ParsePercent(growth)
	if err != nil {
		return 0, nil, dossier.FieldError("growth", "%v", err)
	}
	return int64(n), &g, nil
}

// listMarket prints market records, competitors, notes or each region's
// shares as a table, JSON lines or CSV.
func listMarket(ctx context.Context, e *env, store *sqldb.DB, m marketFlags, sub string) error {
	f := dossier.MarketFilter{Region: *m.region, Industry: *m.industry, Year: *m.year, Kind: *m.kind}
	var (
		recs [][]string
		all  any
		err  error
	)
	src := func(s dossier.Source) []string {
		return []string{string(s.Channel), s.Detail, s.CollectedBy, s.CollectedAt.Format(dossier.DateLayout)}
	}
	prov := []string{"source", "source_detail", "entered_by", "collected"}
	switch sub {
	case "records":
		var rs []dossier.MarketRecord
		if rs, err = store.MarketRecords(ctx, f); err == nil {
			all, recs = rs, [][]string{append([]string{"year", "region", "industry", "size", "growth"}, prov...)}
			for _, r := range rs {
				g := ""
				if r.Growth != nil {
					g = dossier.FormatNumber(*r.Growth) + "%"
				}
				recs = append(recs, append([]string{strconv.Itoa(r.Year), r.Region, r.Industry, dossier.Money(r.Size).Wan(), g}, src(r.Source)...))
			}
		}
	case "competitors":
		var cs []dossier.Competitor
		if cs, err = store.Competitors(ctx); err == nil {
			all, recs = cs, [][]string{append([]string{"name", "positioning", "strengths", "weaknesses", "price"}, prov...)}
			for _, c := range cs {
				recs = append(recs, append([]string{c.Name, c.Positioning, c.Strengths, c.Weaknesses, c.PriceLevel}, src(c.Source)...))
			}
		}
	case "notes":
		var ns []dossier.MarketNote
		if ns, err = store.MarketNotes(ctx, f); err == nil {
			all, recs = ns, [][]string{append([]string{"kind", "region", "industry", "title", "body"}, prov...)}
			for _, n := range ns {
				recs = append(recs, append([]string{n.Kind, n.Region, n.Industry, n.Title, n.Body}, src(n.Source)...))
			}
		}
	case "shares":
		year := f.Year
		f.Year = 0
		var ss []dossier.MarketShare
		if ss, err = store.MarketShares(ctx, f); err == nil {
			rs := dossier.SharesByRegion(ss, year)
			all, recs = rs, [][]string{{"region", "year", "competitor", "share"}}
			for _, r := range rs {
				for _, p := range r.Shares {
					recs = append(recs, []string{r.Region, strconv.Itoa(r.Year), p.Competitor, dossier.FormatNumber(p.Share) + "%"})
				}
				recs = append(recs, []string{r.Region, strconv.Itoa(r.Year), "(others)", dossier.FormatNumber(r.Others) + "%"})
			}
		}
	default:
		return usagef("unknown market subcommand %q; use 'dossier %s'", sub, marketUsage)
	}
	if err != nil {
		return err
	}
	return printTable(e, m.out, all, recs)
}

// printTable prints an analysis or list: JSON of v, CSV of recs, or recs
// as an aligned table.
func printTable(e *env, out output, v any, recs [][]string) error {
	switch {
	case *out.json:
		return json.NewEncoder(e.stdout).Encode(v)
	case *out.csv:
		cw := stdcsv.NewWriter(e.stdout)
		if err := cw.WriteAll(recs); err != nil {
			return err
		}
		return cw.Error()
	}
	return writeRecords(e.stdout, recs)
}

func pct(v *float64) string {
	if v == nil {
		return ""
	}
	return fmt.Sprintf("%.1f%%", *v)
}

func reasonLabel(k, lang string) string {
	if k == "" {
		return unknownLabel(lang)
	}
	return k
}

// runChurn prints churned customers per churn reason with their shares.
func runChurn(ctx context.Context, e *env, args []string) error {
	fs := newFlags("churn")
	af := newAnalysisFlags(fs, e)
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	store, f, err := af.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	rep, err := analytics.Churn(ctx, store, f)
	if err != nil {
		return badInput(err)
	}
	recs := [][]string{{"churn_reason", "customers", "share"}}
	for _, p := range rep.Reasons {
		recs = append(recs, []string{reasonLabel(p.Key, *af.lang), strconv.FormatInt(p.Count, 10), pct(p.Share)})
	}
	recs = append(recs, []string{"churned", strconv.FormatInt(rep.Churned, 10), ""})
	return printTable(e, af.out, rep, recs)
}

// runWinLoss prints customers lost to and won from each competitor.
func runWinLoss(ctx context.Context, e *env, args []string) error {
	fs := newFlags("winloss")
	af := newAnalysisFlags(fs, e)
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	store, f, err := af.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	rep, err := analytics.WinLoss(ctx, store, f)
	if err != nil {
		return badInput(err)
	}
	recs := [][]string{{"competitor", "lost", "lost_share", "won", "won_share", "net", "top_reason"}}
	for _, r := range rep.Rows {
		top := ""
		if len(r.Reasons) > 0 {
			top = reasonLabel(r.Reasons[0].Key, *af.lang) + " " + pct(r.Reasons[0].Share)
		}
		recs = append(recs, []string{r.Competitor, strconv.FormatInt(r.Lost, 10), pct(r.LostShare),
			strconv.FormatInt(r.Won, 10), pct(r.WonShare), strconv.FormatInt(r.Net, 10), top})
	}
	recs = append(recs, []string{"(all)", strconv.FormatInt(rep.Churned, 10), "churned", strconv.FormatInt(rep.Won, 10), "won", "", ""})
	return printTable(e, af.out, rep, recs)
}

// importMarket adds the market records or shares of a CSV or XLSX file:
// every good row is added, every bad one reported with its row and field.
func importMarket(ctx context.Context, e *env, store *sqldb.DB, path, kind string, src dossier.Source) error {
	if src.Detail == "" {
		src.Detail = filepath.Base(path)
	}
	rows, done, err := openRows(path, "")
	if err != nil {
		return err
	}
	defer done()
	got, err := dossier.ReadMarketRows(rows, kind, src)
	if err != nil {
		return err
	}
	added := 0
	for i := range got.Records {
		if err := store.CreateMarketRecord(ctx, &got.Records[i]); err != nil {
			return err
		}
		added++
	}
	for i := range got.Shares {
		if err := store.CreateMarketShare(ctx, &got.Shares[i]); err != nil {
			if dossier.ErrorCode(err) != dossier.EINVALID {
				return err
			}
			got.Errors = append(got.Errors, fmt.Errorf("%s, %s %d: %w", got.Shares[i].Competitor, got.Shares[i].Region, got.Shares[i].Year, err))
			continue
		}
		added++
	}
	for _, err := range got.Errors {
		fmt.Fprintln(e.stderr, err)
	}
	fmt.Fprintf(e.stdout, "imported %d, rejected %d\n", added, len(got.Errors))
	return nil
}

// marketReport writes the market report of the market facts matching the
// flags, with churn and win/loss over every customer (an admin tool).
func marketReport(ctx context.Context, e *env, store *sqldb.DB, m marketFlags, out string) error {
	ext := strings.ToLower(filepath.Ext(out))
	if ext != ".html" && ext != ".htm" && ext != ".xlsx" {
		return usagef("the report file must be .html or .xlsx")
	}
	rep, err := report.BuildMarket(ctx, store, store, report.MarketOptions{
		Market: dossier.MarketFilter{Region: *m.region, Industry: *m.industry, Year: *m.year}, Lang: "zh", Now: time.Now()})
	if err != nil {
		return err
	}
	err = writeReportFile(out, func(w io.Writer) error { return report.WriteMarketXLSX(w, rep) },
		func(w io.Writer) error { return report.WriteMarketHTML(w, rep) })
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote the market report (%d market records, %d competitors) to %s\n", len(rep.Records), len(rep.Competitors), out)
	return nil
}
