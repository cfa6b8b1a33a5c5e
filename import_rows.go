package dossier

import (
	"context"
	"errors"
	"io"
)

// readRows normalises rows and hands them to the store in batches, counting
// every data row exactly once.
func (im *Importer) readRows(ctx context.Context, rr RowReader, norm rowFunc, res *ImportResult) error {
	size := im.Opt.BatchSize
	if size <= 0 {
		size = 500
	}
	var batch []ImportRecord
	created := map[string]bool{} // customer keys created in a dry run
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := im.flush(ctx, batch, res, created)
		batch = batch[:0]
		return err
	}
	line := 1 // the header's line; blank lines before it are not counted
	for {
		row, err := rr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		line++
		if blank(row) {
			continue
		}
		rec, ok := norm(row, line)
		if !ok {
			res.Run.Rejected++
			continue
		}
		if batch = append(batch, rec); len(batch) >= size {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
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
		// In a dry run nothing is written, so a company on two batches would
		// be "created" twice; count the second time as an update.
		key := MatchKey(batch[i].Entry.Customer)
		if o == OutcomeCreated && im.Opt.DryRun && created[key] {
			o = OutcomeUpdated
		}
		switch o {
		case OutcomeNoCustomer:
			res.Run.Rejected++
			res.Issues = append(res.Issues, ImportIssue{Row: batch[i].Row, Reason: "no such customer: row rejected", Cells: batch[i].cells})
		case OutcomeCreated:
			res.Run.Imported++
			created[key] = true
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
func normalizeRow(m *columnMap, header, row []string, line int, res *ImportResult) (ImportRecord, bool) {
	e := Entry{Customer: map[string]string{}, Contact: map[string]string{}, Interaction: map[string]string{}, Remarks: map[string]Remark{}}
	for i, f := range m.fields {
		if f == nil || i >= len(row) || CleanText(row[i]) == "" {
			continue
		}
		// The field's parser directly, not Registry.Normalize: this runs for
		// every cell of a file, and a map per cell showed in the profile.
		v, rm, err := f.Canonical(row[i])
		if err != nil {
			res.Issues = append(res.Issues, ImportIssue{Row: line, Column: CleanText(header[i]), Value: row[i], Reason: reason(err), Cells: row})
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
		res.Issues = append(res.Issues, ImportIssue{Row: line, Reason: "no customer name: row rejected", Cells: row})
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
