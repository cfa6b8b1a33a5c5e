// Package xlsx reads and writes the Excel workbooks of imports, exports and
// the collection template, through excelize's streaming reader and writer so
// memory stays flat in the number of rows.
package xlsx

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Reader reads one sheet's rows; it implements dossier.RowReader.
type Reader struct {
	f    *excelize.File
	rows *excelize.Rows
}

// Open opens the workbook at path and the named sheet (the first sheet when
// sheet is ""). An unknown sheet is an error listing the sheets there are.
func Open(path, sheet string) (*Reader, error) {
	f, err := excelize.OpenFile(path)
	if err != nil {
		return nil, fmt.Errorf("not a readable XLSX workbook: %w", err)
	}
	r, err := newReader(f, sheet)
	if err != nil {
		f.Close()
	}
	return r, err
}

// OpenReader is Open for a workbook in memory or on the wire.
func OpenReader(rd io.Reader, sheet string) (*Reader, error) {
	f, err := excelize.OpenReader(rd)
	if err != nil {
		return nil, fmt.Errorf("not a readable XLSX workbook: %w", err)
	}
	r, err := newReader(f, sheet)
	if err != nil {
		f.Close()
	}
	return r, err
}

func newReader(f *excelize.File, sheet string) (*Reader, error) {
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, fmt.Errorf("the workbook has no sheets")
	}
	if sheet == "" {
		sheet = sheets[0]
	}
	if idx, _ := f.GetSheetIndex(sheet); idx < 0 {
		return nil, fmt.Errorf("no sheet %q in the workbook; it has %s", sheet, strings.Join(sheets, ", "))
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, fmt.Errorf("sheet %q: %w", sheet, err)
	}
	return &Reader{f: f, rows: rows}, nil
}

// Read returns the next row, or io.EOF. Values are raw: a date cell gives its
// serial day number, which the date parser understands, rather than a
// locale-dependent display string.
func (r *Reader) Read() ([]string, error) {
	if !r.rows.Next() {
		if err := r.rows.Error(); err != nil {
			return nil, err
		}
		return nil, io.EOF
	}
	return r.rows.Columns(excelize.Options{RawCellValue: true})
}

// Close releases the workbook and its temporary files.
func (r *Reader) Close() error {
	err := r.rows.Close()
	if cerr := r.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// Writer streams rows into a one-sheet workbook.
type Writer struct {
	f    *excelize.File
	sw   *excelize.StreamWriter
	w    io.Writer
	next int
}

// NewWriter starts a workbook whose single sheet is named sheet; Close writes
// it to w.
func NewWriter(w io.Writer, sheet string) (*Writer, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	return &Writer{f: f, sw: sw, w: w, next: 1}, nil
}

// Write appends one row; every cell is text, so codes and phone numbers keep
// their leading zeros and "+".
func (w *Writer) Write(rec []string) error {
	cells := make([]any, len(rec))
	for i, v := range rec {
		cells[i] = v
	}
	cell, err := excelize.CoordinatesToCellName(1, w.next)
	if err != nil {
		return err
	}
	w.next++
	return w.sw.SetRow(cell, cells)
}

// Close finishes the sheet and writes the workbook.
func (w *Writer) Close() error {
	if err := w.sw.Flush(); err != nil {
		return err
	}
	if _, err := w.f.WriteTo(w.w); err != nil {
		return err
	}
	return w.f.Close()
}
