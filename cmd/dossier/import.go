package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/csv"
	"github.com/dossier/dossier/xlsx"
)

// staleImport is how long a running import may go without committing a
// batch before it counts as interrupted; a batch takes seconds.
const staleImport = 10 * time.Minute

// runImport reads a CSV or XLSX file of customers into the store and prints
// the summary line; bad rows are reported, not fatal.
func runImport(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 && (args[0] == "undo" || args[0] == "restore") {
		return runImportUndo(ctx, e, args[0], args[1:])
	}
	fs := newFlags("import")
	db := dbFlag(fs, e)
	kind := fs.String("kind", "customers", "what the rows are: customers, contacts, interactions or projects")
	source := fs.String("source", "internal", "source channel: public, customer, internal or third-party")
	detail := fs.String("source-detail", "", "source detail (default: the file name)")
	sheet := fs.String("sheet", "", "XLSX sheet (default: the first)")
	dry := fs.Bool("dry-run", false, "check and count, write nothing")
	errOut := fs.String("errors", "", "write rejected rows and invalid values to this .csv or .xlsx file")
	strict := fs.Bool("strict", false, "refuse unknown columns instead of adding custom fields")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("import needs one file")
	}
	if !slices.Contains([]string{dossier.KindCustomers, dossier.KindContacts, dossier.KindInteractions, dossier.KindProjects}, *kind) {
		return usagef("--kind %q: use customers, contacts, interactions or projects", *kind)
	}
	ch, err := dossier.ParseChannel(*source)
	if err != nil {
		return usagef("--source: %v", dossier.ErrorMessage(err))
	}
	if *errOut != "" && !isTable(*errOut) {
		return usagef("--errors %q: use a .csv or .xlsx file", *errOut)
	}
	file := pos[0]
	rows, closeRows, err := openRows(file, *sheet)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	defer closeRows()
	store, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	if *detail == "" {
		*detail = filepath.Base(file)
	}
	if !*dry {
		if _, err := store.MarkInterruptedImports(ctx, staleImport); err != nil {
			return err
		}
	}
	run := dossier.ImportRun{File: filepath.Base(file), Kind: *kind,
		Source: dossier.Source{Channel: ch, Detail: *detail, CollectedAt: time.Now().UTC(), CollectedBy: "import"}, User: cliUser(e)}
	im := &dossier.Importer{Store: store, Opt: dossier.ImportOptions{Strict: *strict, DryRun: *dry, Progress: progress(e)}}
	res, err := im.Import(ctx, rows, run)
	if im.Opt.Progress != nil {
		fmt.Fprint(e.stderr, "\r\033[K")
	}
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	printImport(e, res, *dry)
	if !*dry {
		detail := fmt.Sprintf("%s: %s", file, res.Run.Summary())
		if err := store.RecordAudit(ctx, &dossier.AuditEntry{User: cliUser(e), Action: dossier.AuditImport, Detail: detail}); err != nil {
			return err
		}
	}
	if *errOut != "" {
		return writeIssues(*errOut, res)
	}
	return nil
}

// progress returns a reporter that rewrites one line on a terminal, or nil
// when stderr is piped or a file, so logs stay clean.
func progress(e *env) func(int) {
	f, ok := e.stderr.(*os.File)
	if !ok {
		return nil
	}
	if st, err := f.Stat(); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	return func(n int) { fmt.Fprintf(f, "\rimporting: %d rows", n) }
}

func printImport(e *env, res *dossier.ImportResult, dry bool) {
	for _, f := range res.NewFields {
		fmt.Fprintf(e.stdout, "column %q kept as custom field %s\n", f.LabelZH, f.Key)
	}
	for _, is := range res.Issues {
		if is.Column == "" {
			fmt.Fprintf(e.stdout, "row %d: %s\n", is.Row, is.Reason)
		} else {
			fmt.Fprintf(e.stdout, "row %d, %s %q: %s (left out)\n", is.Row, is.Column, is.Value, is.Reason)
		}
	}
	if dry {
		fmt.Fprintln(e.stdout, "dry run: nothing written")
	}
	fmt.Fprintln(e.stdout, res.Run.Summary())
	if res.Run.Same > 0 {
		fmt.Fprintf(e.stdout, "unchanged %d (already known)\n", res.Run.Same)
	}
}

func isTable(path string) bool {
	ext := strings.ToLower(filepath.Ext(path))
	return ext == ".csv" || ext == ".xlsx"
}

// openRows opens a CSV or XLSX file by its extension, or by its first bytes
// when the extension says neither.
func openRows(path, sheet string) (dossier.RowReader, func(), error) {
	ext := strings.ToLower(filepath.Ext(path))
	if ext != ".csv" && ext != ".xlsx" && ext != ".xlsm" {
		if isZip(path) {
			ext = ".xlsx"
		}
	}
	if ext == ".xlsx" || ext == ".xlsm" {
		r, err := xlsx.Open(path, sheet)
		if err != nil {
			return nil, nil, err
		}
		return r, func() { r.Close() }, nil
	}
	if sheet != "" {
		return nil, nil, usagef("--sheet applies to XLSX files only")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	r, err := csv.NewReader(f)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return r, func() { f.Close() }, nil
}

func isZip(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	b := make([]byte, 4)
	n, _ := f.Read(b)
	return n == 4 && string(b) == "PK\x03\x04"
}

// tableWriter is a CSV or XLSX writer.
type tableWriter interface {
	Write(rec []string) error
	Close() error
}

// createTable creates path and a writer for its extension.
func createTable(path, sheet string) (tableWriter, *os.File, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, err
	}
	var w tableWriter
	if strings.ToLower(filepath.Ext(path)) == ".xlsx" {
		w, err = xlsx.NewWriter(f, sheet)
	} else {
		w, err = csv.NewWriter(f)
	}
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return w, f, nil
}

// writeIssues writes the errors file of an import (ImportResult.ErrorRows):
// fix the cells and import the file again.
func writeIssues(path string, res *dossier.ImportResult) error {
	w, f, err := createTable(path, "errors")
	if err != nil {
		return err
	}
	defer f.Close()
	for _, row := range res.ErrorRows() {
		if err := w.Write(row); err != nil {
			return err
		}
	}
	if err := w.Close(); err != nil {
		return err
	}
	return f.Close()
}
