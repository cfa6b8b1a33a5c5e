// Package csv reads and writes the CSV files of imports and exports. Chinese
// Excel saves CSV in GBK unless told otherwise, so the reader detects UTF-8
// (with or without BOM) or GBK and decodes to UTF-8.
package csv

import (
	"bufio"
	"bytes"
	stdcsv "encoding/csv"
	"errors"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// sniffSize is how much of the file decides its encoding.
const sniffSize = 64 << 10

var bom = []byte{0xEF, 0xBB, 0xBF}

// ErrBinary means the file is not text.
var ErrBinary = errors.New("not a CSV file: it holds binary data")

// Reader reads records; it implements dossier.RowReader.
type Reader struct {
	r        *stdcsv.Reader
	Encoding string // "utf-8" or "gbk"
}

// NewReader detects the encoding of r from its first 64 KB and returns a
// reader of its records. Fields per record may vary; quotes are lenient.
func NewReader(r io.Reader) (*Reader, error) {
	br := bufio.NewReaderSize(r, sniffSize)
	head, err := br.Peek(sniffSize)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, err
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return nil, ErrBinary
	}
	var src io.Reader = br
	enc := "utf-8"
	switch {
	case bytes.HasPrefix(head, bom):
		_, _ = br.Discard(len(bom))
	case !validPrefix(head, len(head) == sniffSize):
		enc = "gbk"
		src = transform.NewReader(br, simplifiedchinese.GB18030.NewDecoder())
	}
	cr := stdcsv.NewReader(src)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	return &Reader{r: cr, Encoding: enc}, nil
}

// validPrefix reports whether b is UTF-8, allowing a rune cut off at the end
// when b is only the start of the file.
func validPrefix(b []byte, cut bool) bool {
	if cut {
		for i := 0; i < utf8.UTFMax && len(b) > 0 && !utf8.Valid(b); i++ {
			b = b[:len(b)-1]
		}
	}
	return utf8.Valid(b)
}

// Read returns the next record, or io.EOF.
func (r *Reader) Read() ([]string, error) {
	rec, err := r.r.Read()
	var pe *stdcsv.ParseError
	if errors.As(err, &pe) && errors.Is(pe.Err, stdcsv.ErrFieldCount) {
		err = nil
	}
	return rec, err
}

// Writer writes UTF-8 CSV with a BOM, which Excel needs to show Chinese.
type Writer struct {
	w *stdcsv.Writer
}

// NewWriter writes the BOM and returns a writer.
func NewWriter(w io.Writer) (*Writer, error) {
	if _, err := w.Write(bom); err != nil {
		return nil, err
	}
	return &Writer{w: stdcsv.NewWriter(w)}, nil
}

// Write writes one record.
func (w *Writer) Write(rec []string) error { return w.w.Write(rec) }

// Close flushes the records; the caller closes the file.
func (w *Writer) Close() error {
	w.w.Flush()
	return w.w.Error()
}
