package dossier

import (
	"errors"
	"fmt"
	"io"
	"strconv"
)

// Market files (CSV or XLSX rows) hold market records or market shares, one
// per row, under a header of Chinese labels or English keys. Rows may carry
// their own source (channel, detail, day collected); empty cells fall back
// to the source given for the whole file.

// Market import kinds.
const (
	MarketKindRecords = "records"
	MarketKindShares  = "shares"
)

// marketColumns maps header cells to column keys.
var marketColumns = map[string]string{
	"region": "region", "区域": "region", "地区": "region",
	"industry": "industry", "行业": "industry",
	"year": "year", "年份": "year",
	"size": "size", "市场规模": "size",
	"growth": "growth", "增长率": "growth", "年增长率": "growth",
	"competitor": "competitor", "竞争对手": "competitor", "竞品": "competitor",
	"share": "share", "市场份额": "share", "份额": "share",
	"source": "source", "来源渠道": "source",
	"source_detail": "source_detail", "来源": "source_detail", "出处": "source_detail",
	"collected_at": "collected_at", "采集日期": "collected_at",
}

var marketRequired = map[string][]string{
	MarketKindRecords: {"region", "industry", "year", "size"},
	MarketKindShares:  {"competitor", "region", "year", "share"},
}

// MarketRows is what a market file held: the rows read and the rows
// refused, each refusal naming its row (1 is the header) and field.
type MarketRows struct {
	Records []MarketRecord
	Shares  []MarketShare
	Errors  []error
}

// ReadMarketRows reads a market file of kind records or shares. It returns
// an EINVALID error for an unknown kind or a header lacking a required
// column; bad rows are reported in Errors and left out.
func ReadMarketRows(rows RowReader, kind string, src Source) (*MarketRows, error) {
	required, ok := marketRequired[kind]
	if !ok {
		return nil, FieldError("kind", "market file kind %q: use records or shares", kind)
	}
	head, err := rows.Read()
	if errors.Is(err, io.EOF) {
		return nil, FieldError("file", "the file is empty: it needs a header row")
	} else if err != nil {
		return nil, err
	}
	col := map[string]int{}
	for i, h := range head {
		if k, ok := marketColumns[CleanText(h)]; ok {
			if _, dup := col[k]; !dup {
				col[k] = i
			}
		}
	}
	for _, k := range required {
		if _, ok := col[k]; !ok {
			return nil, FieldError(k, "the header lacks the column %q", k)
		}
	}
	out := &MarketRows{}
	for n := 2; ; n++ {
		rec, err := rows.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		} else if err != nil {
			return out, fmt.Errorf("row %d: %w", n, err)
		}
		cell := func(k string) string {
			if i, ok := col[k]; ok && i < len(rec) {
				return CleanText(rec[i])
			}
			return ""
		}
		if blankRow(rec) {
			continue
		}
		if err := out.add(kind, cell, src); err != nil {
			out.Errors = append(out.Errors, fmt.Errorf("row %d: %w", n, err))
		}
	}
}

func blankRow(rec []string) bool {
	for _, c := range rec {
		if CleanText(c) != "" {
			return false
		}
	}
	return true
}

// add parses and validates one row.
func (out *MarketRows) add(kind string, cell func(string) string, src Source) error {
	var err error
	if v := cell("source"); v != "" {
		if src.Channel, err = ParseChannel(v); err != nil {
			return err
		}
	}
	if v := cell("source_detail"); v != "" {
		src.Detail = v
	}
	if v := cell("collected_at"); v != "" {
		if src.CollectedAt, err = ParseDate(v); err != nil {
			return FieldError("collected_at", "%v", err)
		}
	}
	year, err := strconv.Atoi(cell("year"))
	if err != nil {
		return FieldError("year", "year %q is not a whole number", cell("year"))
	}
	if kind == MarketKindShares {
		s := MarketShare{Competitor: cell("competitor"), Region: cell("region"), Year: year, Source: src}
		if s.Share, err = ParsePercent(cell("share")); err != nil {
			return FieldError("share", "%v", err)
		}
		if err := s.Validate(); err != nil {
			return err
		}
		out.Shares = append(out.Shares, s)
		return nil
	}
	m := MarketRecord{Region: cell("region"), Industry: cell("industry"), Year: year, Source: src}
	size, err := ParseMoney(cell("size"))
	if err != nil {
		return FieldError("size", "%v", err)
	}
	m.Size = int64(size)
	if v := cell("growth"); v != "" {
		g, err := ParsePercent(v)
		if err != nil {
			return FieldError("growth", "%v", err)
		}
		m.Growth = &g
	}
	if err := m.Validate(); err != nil {
		return err
	}
	out.Records = append(out.Records, m)
	return nil
}
