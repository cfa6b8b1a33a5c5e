package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/dossier/dossier/i18n"
	"github.com/dossier/dossier/report"
	"github.com/dossier/dossier/rules"
	"github.com/dossier/dossier/sqldb"
)

// runReport writes one customer's analysis report (R33) as HTML or XLSX,
// by the extension of --out. The command line is an admin tool, so contact
// details are shown unmasked.
func runReport(ctx context.Context, e *env, args []string) error {
	fs := newFlags("report")
	db := dbFlag(fs, e)
	out := fs.String("out", "", "the report file: FILE.html or FILE.xlsx")
	lang := fs.String("lang", i18n.Default, "language of the report: zh or en")
	asOfFlag := fs.String("as-of", "", "analyse as of this date (default today)")
	segment := fs.String("segment", "", "a segment report of this saved segment instead of one customer")
	expr := fs.String("filter", "", "a segment report of the customers matching this filter")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *segment != "" || *expr != "" {
		if len(pos) != 0 {
			return usagef("report takes a customer id or --segment/--filter, not both")
		}
		return writeSegmentReport(ctx, *db, *segment, *expr, *out, *lang, e)
	}
	if len(pos) != 1 {
		return usagef("report needs one customer id, or --segment NAME or --filter EXPR")
	}
	id, err := strconv.ParseInt(pos[0], 10, 64)
	if err != nil || id <= 0 {
		return usagef("customer id %q is not a number", pos[0])
	}
	ext := strings.ToLower(filepath.Ext(*out))
	if ext != ".html" && ext != ".htm" && ext != ".xlsx" {
		return usagef("--out must name a .html or .xlsx file")
	}
	if *lang != "zh" && *lang != "en" {
		return usagef("--lang must be zh or en")
	}
	asOf, err := parseAsOf(*asOfFlag)
	if err != nil {
		return err
	}
	store, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	rep, err := report.Build(ctx, reportServices(store), id,
		report.Options{Lang: *lang, SeesContacts: true, AsOf: asOf, Now: time.Now()})
	if err != nil {
		return err
	}
	err = writeReportFile(*out, func(w io.Writer) error { return report.WriteXLSX(w, rep) },
		func(w io.Writer) error { return report.WriteHTML(w, rep) })
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote the report of customer %d (%s) to %s\n", id, rep.Name, *out)
	return nil
}

// reportServices are the services a report reads, all from one store: the
// same interfaces the web server is given.
func reportServices(store *sqldb.DB) report.Services {
	return report.Services{Customers: store, Records: store, Scores: store, Fields: store, Quality: store,
		Analysis: rules.NewService(store), Policy: store.Policy()}
}

// writeSegmentReport writes the report of a saved segment or a filter, as
// HTML or XLSX by the extension of out. The command line is an admin tool,
// so the leading customers are listed by name.
func writeSegmentReport(ctx context.Context, db, segment, expr, out, lang string, e *env) error {
	ext := strings.ToLower(filepath.Ext(out))
	if ext != ".html" && ext != ".htm" && ext != ".xlsx" {
		return usagef("--out must name a .html or .xlsx file")
	}
	store, f, err := openWithFilter(ctx, db, segment, expr)
	if err != nil {
		return err
	}
	defer store.Close()
	name := segment
	if name == "" {
		name = expr
	}
	rep, err := report.BuildSegment(ctx, store, store, report.SegmentOptions{Name: name, Filter: f, Lang: lang, SeesCustomers: true, Now: time.Now()})
	if err != nil {
		return err
	}
	err = writeReportFile(out, func(w io.Writer) error { return report.WriteSegmentXLSX(w, rep) },
		func(w io.Writer) error { return report.WriteSegmentHTML(w, rep) })
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote the report of %d customers (%s) to %s\n", rep.Customers, name, out)
	return nil
}

// writeReportFile renders a report as XLSX or HTML by the file's extension
// and writes it only once complete, so a failure leaves no half a report.
func writeReportFile(out string, xlsx, html func(io.Writer) error) error {
	var buf bytes.Buffer
	render := html
	if strings.ToLower(filepath.Ext(out)) == ".xlsx" {
		render = xlsx
	}
	if err := render(&buf); err != nil {
		return err
	}
	return os.WriteFile(out, buf.Bytes(), 0o644)
}
