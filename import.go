package dossier

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"
)

// RowReader yields the rows of a sheet, header first; io.EOF ends it. The
// csv and xlsx packages implement it.
type RowReader interface {
	Read() ([]string, error)
}

// ImportRun is one recorded import: the file, its source and the counts.
type ImportRun struct {
	ID       int64
	File     string
	Kind     string
	Source   Source
	Imported int    // new customers
	Updated  int    // rows that changed an existing customer
	Rejected int    // rows refused
	Same     int    // rows that changed nothing (re-imports)
	Status   string // running, done or failed
	User     string // who ran it
	Started  time.Time
	Finished time.Time // zero while running (or when the process died)
	// Reverted is when the run was undone; zero while it is in force.
	Reverted   time.Time
	RevertedBy string
}

// State is the run's status as people read it: "reverted" for an undone run.
func (r *ImportRun) State() string {
	if !r.Reverted.IsZero() {
		return "reverted"
	}
	return r.Status
}

// Summary is the line the CLI prints; its three counts plus Same add up to
// the data rows read.
func (r *ImportRun) Summary() string {
	return fmt.Sprintf("imported %d, updated %d, rejected %d", r.Imported, r.Updated, r.Rejected)
}

// ImportRecord is one data row, normalised: what a store writes for it.
type ImportRecord struct {
	Row   int    // 1-based line in the sheet
	Kind  string // "customers" (the default), "contacts" or "interactions"
	Entry Entry
	// CustomerID is the customer an interaction row names by id; rows
	// without one find their customer by credit code, then name.
	CustomerID int64
	// Project holds a project row's values (ProjectFields keys).
	Project map[string]string
	cells   []string // the row as read, for issues found by the store
}

// ImportOutcome is what a store did with one record.
type ImportOutcome int

const (
	OutcomeCreated    ImportOutcome = iota // a new customer
	OutcomeUpdated                         // an existing customer got new facts or records
	OutcomeUnchanged                       // everything was already known
	OutcomeNoCustomer                      // an interaction row names no known customer
)

// ImportStore is what the importer writes through. ImportBatch applies a
// batch in one transaction, matching customers by credit code, then by name,
// and skipping values, contacts and interactions the customer already has:
// a batch lands whole or not at all, so a re-run after a crash completes the
// import without duplicates.
type ImportStore interface {
	Registry(ctx context.Context) (*Registry, error)
	SaveField(ctx context.Context, f Field) error
	StartImport(ctx context.Context, run *ImportRun) error
	ImportBatch(ctx context.Context, run *ImportRun, batch []ImportRecord, dryRun bool) ([]ImportOutcome, error)
	FinishImport(ctx context.Context, run *ImportRun) error
}

// ImportIssue is a rejected row or a value left out of one.
type ImportIssue struct {
	Row    int
	Column string // header; "" for the whole row
	Value  string
	Reason string // in English, as the CLI prints it
	// ReasonID and Args are the reason as a catalogue message (see Reason),
	// for the web pages; Rejected says the whole row was left out.
	ReasonID string   `json:",omitempty"`
	Args     []string `json:",omitempty"`
	Rejected bool     `json:",omitempty"`
	Cells    []string // the row as read, for the errors file
}

// valueIssue is the issue of a value that err refused; the rest of the row
// goes on.
func valueIssue(line int, column, value string, err error, row []string) ImportIssue {
	is := ImportIssue{Row: line, Column: column, Value: value, Reason: reason(err), Cells: row}
	if r, ok := ReasonOf(err); ok {
		is.ReasonID, is.Args = r.ID, r.Args
	}
	return is
}

// rowIssue is the issue of a row left out because of r.
func rowIssue(line int, r *Reason, row []string) ImportIssue {
	return ImportIssue{Row: line, Reason: r.Text + ": row rejected", ReasonID: r.ID, Args: r.Args, Rejected: true, Cells: row}
}

// ImportOptions tune an import.
type ImportOptions struct {
	Strict    bool // unknown columns are an error instead of custom fields
	DryRun    bool // check and count, write nothing
	BatchSize int  // rows per transaction; 500 when 0
	// Progress, when set, is called after each batch with the data rows
	// read so far.
	Progress func(rows int)
	// Columns, when set, overrides the detected mapping column by column
	// (the web import wizard): a field key, ColumnIgnore, ColumnCustom, or
	// "" to keep what MapHeader found. For contacts, interactions and
	// projects: a key of KindColumns, ColumnIgnore or "".
	Columns []string
}

// Column choices of ImportOptions.Columns besides a field key.
const (
	ColumnIgnore = "-"       // the column is not imported
	ColumnCustom = "+custom" // the column becomes a custom text field
)

// ImportResult is the outcome of Import.
type ImportResult struct {
	Run       ImportRun
	Header    []string
	NewFields []Field // custom fields created for unknown columns
	Issues    []ImportIssue
}

// Importer reads customer rows into a store.
type Importer struct {
	Store ImportStore
	Opt   ImportOptions
}

// errorColumn is the reason column of an errors file: ignored on re-import
// so a corrected errors file imports cleanly.
const errorColumn = "错误原因"

// ErrNoHeader means the sheet has no header row.
var ErrNoHeader = errors.New("the file has no header row")

// Import reads rows from rr (header first) into the store as run describes.
// Only an unreadable file or a failing store is an error; bad rows are issues.
func (im *Importer) Import(ctx context.Context, rr RowReader, run ImportRun) (*ImportResult, error) {
	res := &ImportResult{Run: run}
	header, err := readHeader(rr)
	if err != nil {
		return nil, err
	}
	res.Header = header
	norm, err := im.rowNormalizer(ctx, header, res)
	if err != nil {
		return nil, err
	}
	if !im.Opt.DryRun {
		if err := im.Store.StartImport(ctx, &res.Run); err != nil {
			return nil, err
		}
	}
	res.Run.Source.ImportID = res.Run.ID
	if err := im.readRows(ctx, rr, norm, res); err != nil {
		// The committed batches stay; a re-run completes the import.
		if !im.Opt.DryRun {
			res.Run.Status = "failed"
			_ = im.Store.FinishImport(context.WithoutCancel(ctx), &res.Run)
		}
		return res, err
	}
	res.Run.Status = "done"
	if !im.Opt.DryRun {
		if err := im.Store.FinishImport(ctx, &res.Run); err != nil {
			return res, err
		}
	}
	return res, nil
}

// readHeader skips leading blank rows and returns the first non-blank one.
func readHeader(rr RowReader) ([]string, error) {
	for {
		row, err := rr.Read()
		if err == io.EOF {
			return nil, ErrNoHeader
		}
		if err != nil {
			return nil, err
		}
		if !blank(row) {
			return row, nil
		}
	}
}

func blank(row []string) bool {
	for _, c := range row {
		if CleanText(c) != "" {
			return false
		}
	}
	return true
}

// columnMap maps a column index to a field; nil entries are skipped columns.
type columnMap struct {
	reg       *Registry
	fields    []*Field
	customers int // customer fields among fields, counted on first use
	counted   sync.Once
}

// customerColumns is the number of columns mapped to customer fields.
func (m *columnMap) customerColumns() int {
	m.counted.Do(func() {
		for _, f := range m.fields {
			if f != nil && f.Entity != EntityContact && f.Entity != EntityInteraction {
				m.customers++
			}
		}
	})
	return m.customers
}

// MapHeader maps header cells to registry fields and lists the cells it could
// not map (blank cells and the errors column are skipped silently).
func MapHeader(reg *Registry, header []string) ([]*Field, []int) {
	fields := make([]*Field, len(header))
	var unknown []int
	seen := map[string]bool{}
	for i, h := range header {
		h = CleanText(h)
		if h == "" || h == errorColumn {
			continue
		}
		f, ok := reg.Lookup(h)
		if !ok || f.Retired {
			unknown = append(unknown, i)
			continue
		}
		if seen[f.Key] { // a repeated column: the first one counts
			continue
		}
		seen[f.Key] = true
		fields[i] = &f
	}
	return fields, unknown
}

// CustomFieldKey is the key generated for an unknown column: stable, so a
// re-import of the same file finds the field it created the first time.
func CustomFieldKey(header string) string {
	sum := sha1.Sum([]byte(CleanText(header)))
	return "x_" + hex.EncodeToString(sum[:])[:10]
}

// rowNormalizer maps the header for the run's kind and returns what turns a
// row into a record.
func (im *Importer) rowNormalizer(ctx context.Context, header []string, res *ImportResult) (rowFunc, error) {
	if k := res.Run.Kind; k == KindInteractions || k == KindContacts || k == KindProjects {
		keys, err := kindKeys(k, header, im.Opt.Columns)
		if err != nil {
			return nil, err
		}
		if k == KindProjects {
			return projectRows(header, keys), nil
		}
		return interactionRows(header, keys, k), nil
	}
	m, err := im.mapHeader(ctx, header, res)
	if err != nil {
		return nil, err
	}
	return func(row []string, line int, issues *[]ImportIssue) (ImportRecord, bool) {
		return normalizeRow(m, header, row, line, issues)
	}, nil
}

// rowFunc normalises one row, adding what it finds wrong to issues; false
// rejects the row. It runs on the reading goroutine (see readRows), so it
// writes only to issues, never to the result.
type rowFunc func(row []string, line int, issues *[]ImportIssue) (ImportRecord, bool)

func (im *Importer) mapHeader(ctx context.Context, header []string, res *ImportResult) (*columnMap, error) {
	reg, err := im.Store.Registry(ctx)
	if err != nil {
		return nil, err
	}
	fields, unknown := MapHeader(reg, header)
	if len(im.Opt.Columns) > 0 {
		if fields, unknown, err = ApplyColumns(reg, header, fields, unknown, im.Opt.Columns); err != nil {
			return nil, err
		}
	}
	if len(unknown) > 0 && im.Opt.Strict {
		var names []string
		for _, i := range unknown {
			names = append(names, CleanText(header[i]))
		}
		return nil, FieldError("header", "unknown columns: %s", strings.Join(names, ", "))
	}
	if len(unknown) == 0 {
		return &columnMap{reg: reg, fields: fields}, nil
	}
	custom := customFields(reg)
	for _, i := range unknown {
		f := Field{Key: CustomFieldKey(header[i]), LabelZH: CleanText(header[i]), Category: CatBasic, Type: TypeText, Entity: EntityCustomer}
		if old, exists := reg.Field(f.Key); exists {
			f = old
		} else {
			if !im.Opt.DryRun {
				if err := im.Store.SaveField(ctx, f); err != nil {
					return nil, fmt.Errorf("add field for column %q: %w", f.LabelZH, err)
				}
			}
			custom = append(custom, f)
		}
		res.NewFields = append(res.NewFields, f)
		if !f.Retired { // a retired field keeps its facts but takes no new ones
			fields[i] = &f
		}
	}
	return &columnMap{reg: NewRegistry(custom), fields: fields}, nil
}

// ApplyColumns overrides a detected mapping (MapHeader's fields and unknown
// columns) with the user's choices, one per column (see
// ImportOptions.Columns). A key that is not an active field, or one field
// chosen for two columns, is an error naming the column.
func ApplyColumns(reg *Registry, header []string, fields []*Field, unknown []int, cols []string) ([]*Field, []int, error) {
	out := slices.Clone(fields)
	isUnknown := map[int]bool{}
	for _, i := range unknown {
		isUnknown[i] = true
	}
	for i, c := range cols {
		if i >= len(header) {
			break
		}
		switch c {
		case "":
			continue
		case ColumnIgnore:
			out[i], isUnknown[i] = nil, false
		case ColumnCustom:
			out[i], isUnknown[i] = nil, CleanText(header[i]) != ""
		default:
			f, ok := reg.Field(c)
			if !ok || f.Retired {
				return nil, nil, InvalidReason("columns", "column_no_field", "column %d (%s): no field %q", i+1, CleanText(header[i]), c)
			}
			out[i], isUnknown[i] = &f, false
		}
	}
	seen := map[string]int{}
	for i, f := range out {
		if f == nil {
			continue
		}
		if j, dup := seen[f.Key]; dup {
			return nil, nil, InvalidReason("columns", "columns_same_field", "columns %d and %d are both mapped to %q", j+1, i+1, f.Key)
		}
		seen[f.Key] = i
	}
	var unk []int
	for i := range header {
		if isUnknown[i] {
			unk = append(unk, i)
		}
	}
	return out, unk, nil
}

func customFields(reg *Registry) []Field {
	var out []Field
	for _, f := range reg.Fields() {
		if !f.Builtin {
			out = append(out, f)
		}
	}
	return out
}

// CanImport reports whether the user may import files of customers. An
// import matches rows to any customer by credit code or name and writes to
// it, so it is for users who may edit every customer: a sales rep or a
// team's manager would reach customers outside their scope.
func (u *User) CanImport() bool {
	var f CustomerFilter
	u.CustomerScope(&f)
	return u.CanEditCustomers() && f.Owner == "" && f.Team == "" && f.SharedTeam == ""
}
