package xlsx_test

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/xlsx"
)

func TestWriteThenRead(t *testing.T) {
	var b bytes.Buffer
	w, err := xlsx.NewWriter(&b, "客户")
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"客户名称", "电话"}, {"甲公司", "+8613912345678"}, {"乙公司", "010-12345678"}}
	for _, r := range want {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	data := b.Bytes()
	r, err := xlsx.OpenReader(bytes.NewReader(data), "")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
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
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if _, err := xlsx.OpenReader(bytes.NewReader(data), "Nope"); err == nil || !strings.Contains(err.Error(), `no sheet "Nope"`) || !strings.Contains(err.Error(), "客户") {
		t.Errorf("unknown sheet: %v", err)
	}
	if _, err := xlsx.OpenReader(strings.NewReader("garbage"), ""); err == nil {
		t.Error("garbage read as a workbook")
	}
}

// A real date cell reads as its serial day number, which ParseDate takes.
func TestDateCell(t *testing.T) {
	f := excelize.NewFile()
	_ = f.SetCellValue("Sheet1", "A1", "最近沟通时间")
	_ = f.SetCellValue("Sheet1", "A2", time.Date(2024, 3, 15, 0, 0, 0, 0, time.UTC))
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	r, err := xlsx.OpenReader(&b, "")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	_, _ = r.Read()
	rec, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	d, err := dossier.ParseDate(rec[0])
	if err != nil || dossier.FormatDate(d) != "2024-03-15" {
		t.Errorf("date cell %q → %v, %v", rec[0], d, err)
	}
}
