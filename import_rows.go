package dossier

import (
	"context"
	"errors"
	"io"
)

// parsedBatch is a batch of normalised rows with what was wrong in its
// rows: the rejected ones are counted and their issues listed, not sent.
type parsedBatch struct {
	recs     []ImportRecord
	issues   []ImportIssue
	rejected int
}

// readRows normalises rows and hands them to the store in batches, counting
// every data row exactly once. Reading and normalising run on their own
// goroutine, one batch ahead of the store: parsing 55 cells a row was a
// quarter of an import's CPU, and this way it overlaps the writing of the
// previous batch on the second core. Batches still reach the store one at a
// time and in file order, so the outcome, the counts and the order of the
// issues are what a single goroutine would produce.
func (im *Importer) readRows(ctx context.Context, rr RowReader, norm rowFunc, res *ImportResult) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan parsedBatch, 1)
	readErr := make(chan error, 1)
	go func() {
		defer close(batches)
		readErr <- im.parseBatches(ctx, rr, norm, batches)
	}()
	created := map[string]bool{} // customer keys created in a dry run
	for b := range batches {
		res.Run.Rejected += b.rejected
		res.Issues = append(res.Issues, b.issues...)
		if len(b.recs) == 0 {
			continue
		}
		if err := im.flush(ctx, b.recs, res, created); err != nil {
			cancel()
			for range batches { // let the reader stop
			}
			<-readErr
			return err
		}
	}
	return <-readErr
}

// parseBatches reads and normalises rows into batches of the import's batch
// size. On a read error the rows rejected so far are still sent (counted,
// as before), the rows of the unfinished batch are not.
func (im *Importer) parseBatches(ctx context.Context, rr RowReader, norm rowFunc, out chan<- parsedBatch) error {
	var b parsedBatch
	send := func() error {
		select {
		case out <- b:
			b = parsedBatch{}
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	line, read := 1, 0 // the header's line; blank lines before it are not counted
	for {
		row, err := rr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			b.recs = nil
			if serr := send(); serr != nil {
				return serr
			}
			return err
		}
		line++
		if blank(row) {
			continue
		}
		read++
		rec, ok := norm(row, line, &b.issues)
		if !ok {
			b.rejected++
			continue
		}
		if b.recs = append(b.recs, rec); len(b.recs) >= im.batchSize(read) {
			if err := send(); err != nil {
				return err
			}
		}
	}
	if len(b.recs) == 0 && len(b.issues) == 0 && b.rejected == 0 {
		return nil
	}
	return send()
}

// Batch sizes when ImportOptions.BatchSize is 0. A small import commits
// every 500 rows, so progress shows and a crash loses little; once an import
// has shown it is big, batches grow: each costs a commit, a match query and
// (on PostgreSQL) a round of COPYs whatever its size, which at 500 rows was
// a tenth of an import's time. A batch of any size still lands whole or not
// at all, and a re-run skips what landed.
const (
	smallBatch = 500
	bigBatch   = 2000
	bigImport  = 10000 // rows read before batches grow
)

// batchSize is the number of rows per transaction once read data rows have
// been read.
func (im *Importer) batchSize(read int) int {
	switch {
	case im.Opt.BatchSize > 0:
		return im.Opt.BatchSize
	case read > bigImport:
		return bigBatch
	}
	return smallBatch
}

func (im *Importer) flush(ctx context.Context, batch []ImportRecord, res *ImportResult, created map[string]bool) error {
	outs, err := im.Store.ImportBatch(ctx, &res.Run, batch, im.Opt.DryRun)
	if err != nil {
		return err
	}
	defer func() {
		if im.Opt.Progress != nil {
			r := res.Run
			im.Opt.Progress(r.Imported + r.Updated + r.Rejected + r.Same)
		}
	}()
	for i, o := range outs {
		if o == OutcomeCreated && im.Opt.DryRun {
			// In a dry run nothing is written, so a company on two batches
			// would be "created" twice; count the second time as an update.
			// Only a dry run keeps the keys: a real import kept one per new
			// customer, memory that grew with the file (BENCHMARKS.md).
			key := MatchKey(batch[i].Entry.Customer)
			if created[key] {
				o = OutcomeUpdated
			}
			created[key] = true
		}
		switch o {
		case OutcomeNoCustomer:
			res.Run.Rejected++
			res.Issues = append(res.Issues, rowIssue(batch[i].Row, reasonf("no_customer_found", "no such customer"), batch[i].cells))
		case OutcomeCreated:
			res.Run.Imported++
		case OutcomeUpdated:
			res.Run.Updated++
		default:
			res.Run.Same++
		}
	}
	return nil
}

// MatchKey is how rows find their customer: the credit code when there is
// one, else the cleaned name.
func MatchKey(vals map[string]string) string {
	if c := vals["credit_code"]; c != "" {
		return "code:" + c
	}
	return "name:" + CleanText(vals["name"])
}

// normalizeRow turns one row into a record. Invalid values are reported and
// left out; a row without a name is rejected (false).
func normalizeRow(m *columnMap, header, row []string, line int, issues *[]ImportIssue) (ImportRecord, bool) {
	// The customer map sized for the file's customer columns: growing it
	// cell by cell rehashed it several times a row.
	e := Entry{Customer: make(map[string]string, m.customerColumns()), Contact: map[string]string{}, Interaction: map[string]string{}, Remarks: map[string]Remark{}}
	for i, f := range m.fields {
		if f == nil || i >= len(row) || CleanText(row[i]) == "" {
			continue
		}
		// The field's parser directly, not Registry.Normalize: this runs for
		// every cell of a file, and a map per cell showed in the profile.
		v, rm, err := f.Canonical(row[i])
		if err != nil {
			*issues = append(*issues, valueIssue(line, CleanText(header[i]), row[i], err, row))
			continue
		}
		if v == "" {
			continue
		}
		switch f.Entity {
		case EntityContact:
			e.Contact[f.Key] = v
		case EntityInteraction:
			e.Interaction[f.Key] = v
		default:
			e.Customer[f.Key] = v
		}
		if rm != RemarkNone {
			e.Remarks[f.Key] = rm
		}
	}
	if e.Customer["name"] == "" {
		*issues = append(*issues, rowIssue(line, reasonf("no_name", "no customer name"), row))
		return ImportRecord{}, false
	}
	return ImportRecord{Row: line, Entry: e, cells: row}, true
}

// merge copies the non-empty values: an empty value would clear the field.
func merge(dst, src map[string]string) {
	for k, v := range src {
		if v != "" {
			dst[k] = v
		}
	}
}

// reason is an error's message without the field key the column names.
func reason(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return err.Error()
}
