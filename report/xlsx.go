package report

import (
	"errors"
	"io"
)

// WriteXLSX writes the report as a workbook.
func WriteXLSX(w io.Writer, r *Report) error { return errors.New("not yet") }
