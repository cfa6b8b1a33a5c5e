package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/dedupe"
)

// dedupeFields are the registry fields that say which company a record is;
// the others (revenue, stage, owner …) differ between two entries of one
// company and are not compared. Columns outside the registry are compared
// as generic strings.
var dedupeFields = map[string]bool{
	"name": true, "credit_code": true, "contact_phone": true, "contact_email": true,
	"province": true, "city": true, "address": true, "contact_name": true, "industry": true,
}

// dedupeMemoryLimit is the soft limit of the Go heap during a dedupe run
// (GOMEMLIMIT overrides it). A million customers and the engine's pairs
// are about 1.6 GB live at the peak; without a limit the heap grows to
// twice its live size before a collection (a bench run reached 3.6 GB).
const dedupeMemoryLimit = 1800 << 20

// dedupeOptions are the flags of `dossier dedupe`, for both modes.
type dedupeOptions struct {
	idColumn, sheet string
	threshold       float64
	explain         bool
	apply           bool   // store mode: merge the clusters
	db              string // store mode: the store
}

// runDedupe finds duplicate records: in a CSV or XLSX file when one is
// given, else in the store.
func runDedupe(ctx context.Context, e *env, args []string) error {
	fs := newFlags("dedupe")
	var o dedupeOptions
	fs.StringVar(&o.idColumn, "id-column", "", "column holding each record's id (default: the row's line number in the file)")
	fs.StringVar(&o.sheet, "sheet", "", "XLSX sheet (default: the first)")
	fs.Float64Var(&o.threshold, "threshold", 0.9, "match probability at or above which two records are one cluster")
	fs.BoolVar(&o.explain, "explain", false, "also write every pair above 0.5 with its evidence to stderr")
	fs.BoolVar(&o.apply, "apply", false, "store only: merge every cluster into its oldest customer (undo with unmerge)")
	db := dbFlag(fs, e)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if o.threshold <= 0 || o.threshold > 1 {
		return usagef("--threshold %g: give a probability above 0 and at most 1", o.threshold)
	}
	o.db = *db
	if e.getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(dedupeMemoryLimit)
	}
	switch len(pos) {
	case 0:
		return dedupeStore(ctx, e, o)
	case 1:
		if o.apply {
			return usagef("--apply merges customers of the store; a file has none")
		}
		return dedupeFile(ctx, e, pos[0], o)
	}
	return usagef("dedupe takes at most one file")
}

// dedupeFile reads the file, runs the engine and prints record_id,cluster_id
// for every record, in file order.
func dedupeFile(ctx context.Context, e *env, file string, o dedupeOptions) error {
	recs, err := readDedupeRecords(file, o)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	ids := recordIDs(recs) // recs can be collected while the engine runs
	res, err := dedupe.Run(ctx, recs, dedupe.Options{Threshold: o.threshold})
	if err != nil {
		return err
	}
	if err := printClusters(e, ids, res); err != nil {
		return err
	}
	printDedupeReport(e.stderr, res, o.explain)
	return nil
}

// readDedupeRecords maps the header with the field registry (Chinese
// labels, English keys, aliases) and reads every non-blank row.
func readDedupeRecords(file string, o dedupeOptions) ([]dedupe.Record, error) {
	rows, closeRows, err := openRows(file, o.sheet)
	if err != nil {
		return nil, err
	}
	defer closeRows()
	header, line, err := firstRow(rows)
	if err != nil {
		return nil, err
	}
	keys, idCol, err := dedupeColumns(header, o.idColumn)
	if err != nil {
		return nil, err
	}
	var recs []dedupe.Record
	for {
		row, err := rows.Read()
		if err == io.EOF {
			return recs, nil
		}
		line++
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if blankRow(row) {
			continue
		}
		r := dedupe.Record{ID: strconv.Itoa(line), Fields: map[string]string{}}
		for i, v := range row {
			if v = dossier.CleanText(v); v == "" || i >= len(keys) {
				continue
			}
			if i == idCol {
				r.ID = v
			}
			if keys[i] != "" {
				r.Fields[keys[i]] = v
			}
		}
		if idCol >= 0 && (idCol >= len(row) || dossier.CleanText(row[idCol]) == "") {
			return nil, fmt.Errorf("line %d: no id in column %q", line, o.idColumn)
		}
		recs = append(recs, r)
	}
}

// dedupeColumns gives each column the key it is compared under ("" for
// none) and finds the id column (-1 for none).
func dedupeColumns(header []string, idColumn string) ([]string, int, error) {
	reg := dossier.NewRegistry(nil)
	fields, _ := dossier.MapHeader(reg, header)
	keys := make([]string, len(header))
	idCol := -1
	for i, h := range header {
		h = dossier.CleanText(h)
		switch {
		case idColumn != "" && (h == idColumn || (fields[i] != nil && fields[i].Key == idColumn)):
			idCol = i
		case fields[i] != nil:
			if dedupeFields[fields[i].Key] {
				keys[i] = fields[i].Key
			}
		case h != "":
			keys[i] = "col:" + h
		}
	}
	if idColumn != "" && idCol < 0 {
		return nil, -1, fmt.Errorf("no column %q in the header (%s)", idColumn, strings.Join(header, ", "))
	}
	return keys, idCol, nil
}

// firstRow skips leading blank rows and returns the header and its line.
func firstRow(rows dossier.RowReader) ([]string, int, error) {
	for line := 1; ; line++ {
		row, err := rows.Read()
		if err == io.EOF {
			return nil, 0, errors.New("the file is empty: no header row")
		}
		if err != nil {
			return nil, 0, err
		}
		if !blankRow(row) {
			return row, line, nil
		}
	}
}

func blankRow(row []string) bool {
	for _, c := range row {
		if dossier.CleanText(c) != "" {
			return false
		}
	}
	return true
}

// printDedupeReport writes a short report to stderr: the clusters found,
// what the input lacked, blocks too large for all pairs; with explain,
// every pair above one half and its evidence.
func printDedupeReport(w io.Writer, res *dedupe.Result, explain bool) {
	r := res.Report
	fmt.Fprintf(w, "%d records, %d candidate pairs, %d matches, %d clusters of two or more\n", r.Records, r.CandidatePairs, r.Matches, r.Clusters)
	if r.EmptyNames > 0 {
		fmt.Fprintf(w, "%d records have no name: compared on their other fields only\n", r.EmptyNames)
	}
	if r.DuplicateIDs > 0 {
		fmt.Fprintf(w, "%d records repeat an id of an earlier record: they share its cluster line\n", r.DuplicateIDs)
	}
	if r.Refused > 0 {
		fmt.Fprintf(w, "%d merges refused: the two groups have different credit codes\n", r.Refused)
	}
	for i, b := range r.WindowedBlocks {
		if i == 5 {
			fmt.Fprintf(w, "… and %d more large blocks\n", len(r.WindowedBlocks)-5)
			break
		}
		fmt.Fprintf(w, "%d records share %q in %s: compared with their nearest neighbours by name, not all pairs\n", b.Size, b.Key, b.Field)
	}
	if !explain {
		return
	}
	for _, p := range res.Pairs {
		var ev []string
		for _, x := range p.Evidence {
			if x.Level == "missing" {
				continue
			}
			ev = append(ev, fmt.Sprintf("%s %s %+.1f", x.Field, x.Level, x.Weight))
		}
		fmt.Fprintf(w, "pair %s %s: p=%.3f weight %+.1f bits (%s)\n", p.A, p.B, p.Probability, p.Weight, strings.Join(ev, ", "))
	}
}
