package csv_test

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/dossier/dossier/csv"
)

func gbk(s string) string {
	b, err := simplifiedchinese.GBK.NewEncoder().String(s)
	if err != nil {
		panic(err)
	}
	return b
}

func TestReaderEncodings(t *testing.T) {
	want := [][]string{{"客户名称", "预算"}, {"深圳华信", "30-50万"}, {"short"}}
	text := "客户名称,预算\n深圳华信,30-50万\nshort\n"
	long := strings.Repeat("客户名称,预算\n", 10000) // the sniff window cuts a rune
	tests := []struct {
		name, data, enc string
	}{
		{"utf-8", text, "utf-8"},
		{"utf-8 bom", "\xEF\xBB\xBF" + text, "utf-8"},
		{"gbk", gbk(text), "gbk"},
		{"long utf-8", long, "utf-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := csv.NewReader(strings.NewReader(tt.data))
			if err != nil {
				t.Fatal(err)
			}
			if r.Encoding != tt.enc {
				t.Errorf("encoding %s, want %s", r.Encoding, tt.enc)
			}
			var got [][]string
			for {
				rec, err := r.Read()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, rec)
			}
			if tt.data == long {
				if len(got) != 10000 || got[9999][0] != "客户名称" {
					t.Errorf("long file: %d rows", len(got))
				}
				return
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestReaderRefusesBinary(t *testing.T) {
	if _, err := csv.NewReader(bytes.NewReader([]byte("PK\x03\x04\x00\x00garbage"))); err != csv.ErrBinary {
		t.Errorf("err = %v, want ErrBinary", err)
	}
}

func TestWriterRoundTrip(t *testing.T) {
	var b bytes.Buffer
	w, _ := csv.NewWriter(&b)
	rec := []string{"客户名称", "a,\"b\"\nc", "+8613912345678"}
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := csv.NewReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	got, err := r.Read()
	if err != nil || !cmp.Equal(got, rec) {
		t.Errorf("got %q, %v", got, err)
	}
}
