package dossier_test

import (
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dossier/dossier"
)

// rowsOf is a RowReader over CSV-like text: rows on lines, cells split by ",".
type rowsOf struct{ lines []string }

func (r *rowsOf) Read() ([]string, error) {
	if len(r.lines) == 0 {
		return nil, io.EOF
	}
	l := r.lines[0]
	r.lines = r.lines[1:]
	return strings.Split(l, ","), nil
}

func newRows(text string) *rowsOf {
	return &rowsOf{strings.Split(strings.TrimSuffix(text, "\n"), "\n")}
}

func TestReadMarketRows(t *testing.T) {
	day := time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)
	src := dossier.Source{Channel: dossier.ChannelInternal, Detail: "file.csv", CollectedAt: day, CollectedBy: "li"}
	g15 := 15.0
	tests := []struct {
		name, kind, text string
		records          []dossier.MarketRecord
		shares           []dossier.MarketShare
		errs             []string
		err              string
	}{
		{name: "chinese header", kind: "records", text: "区域,行业,年份,市场规模,年增长率,来源\n华东,SaaS,2023,120亿,15%,艾瑞咨询\n",
			records: []dossier.MarketRecord{{Region: "华东", Industry: "SaaS", Year: 2023, Size: 12_000_000_000, Growth: &g15,
				Source: dossier.Source{Channel: dossier.ChannelInternal, Detail: "艾瑞咨询", CollectedAt: day, CollectedBy: "li"}}}},
		{name: "row source", kind: "records", text: "region,industry,year,size,source,collected_at\n华南,制造业,2024,3500万,third-party,2025-03-01\n,,,\n",
			records: []dossier.MarketRecord{{Region: "华南", Industry: "制造业", Year: 2024, Size: 35_000_000,
				Source: dossier.Source{Channel: dossier.ChannelThirdParty, Detail: "file.csv", CollectedAt: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), CollectedBy: "li"}}}},
		{name: "bad rows", kind: "records", text: "region,industry,year,size,growth\n华东,SaaS,二〇二三,1亿,\n华东,SaaS,2023,lots,\n,SaaS,2023,1亿,\n华东,SaaS,2023,1亿,fast\n华东,SaaS,2023",
			errs: []string{"row 2: year: year \"二〇二三\" is not a whole number", "row 3: size: \"lots\" is not an amount (examples: 300000, 30万, 1.2亿)",
				"row 4: region: a market record needs a region", "row 5: growth: \"fast\" is not a percentage", "row 6: size: \"\" is not an amount (examples: 300000, 30万, 1.2亿)"}},
		{name: "shares", kind: "shares", text: "竞争对手,区域,年份,市场份额\n云启软件,华东,2025,30%\n数擎科技,华东,2025,120%\n",
			shares: []dossier.MarketShare{{Competitor: "云启软件", Region: "华东", Year: 2025, Share: 30, Source: src}},
			errs:   []string{"row 3: share: share 120% is outside 0-100%"}},
		{name: "missing column", kind: "shares", text: "区域,年份,市场份额\n", err: "competitor: the header lacks the column \"competitor\""},
		{name: "unknown kind", kind: "sizes", text: "a\n", err: "kind: market file kind \"sizes\": use records or shares"},
		{name: "empty", kind: "records", text: "", err: "file: the file is empty: it needs a header row"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRows(tt.text)
			if tt.text == "" {
				r = &rowsOf{}
			}
			got, err := dossier.ReadMarketRows(r, tt.kind, src)
			if tt.err != "" {
				if err == nil || err.Error() != tt.err || dossier.ErrorCode(err) != dossier.EINVALID {
					t.Fatalf("error %v, want %s", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var errs []string
			for _, e := range got.Errors {
				errs = append(errs, e.Error())
			}
			if diff := cmp.Diff(tt.errs, errs); diff != "" {
				t.Errorf("errors: %s", diff)
			}
			if diff := cmp.Diff(tt.records, got.Records); diff != "" {
				t.Errorf("records: %s", diff)
			}
			if diff := cmp.Diff(tt.shares, got.Shares); diff != "" {
				t.Errorf("shares: %s", diff)
			}
		})
	}
}

// FuzzReadMarketRows: any file either is refused or yields rows that pass
// validation, never a panic.
func FuzzReadMarketRows(f *testing.F) {
	f.Add("records", "区域,行业,年份,市场规模,年增长率\n华东,SaaS,2023,120亿,15%\n")
	f.Add("shares", "competitor,region,year,share,source\nA,华东,2025,0.3,public\n")
	f.Fuzz(func(t *testing.T, kind, text string) {
		src := dossier.Source{Channel: dossier.ChannelInternal, Detail: "f", CollectedAt: time.Now()}
		got, err := dossier.ReadMarketRows(newRows(text), kind, src)
		if err != nil {
			return
		}
		for i := range got.Records {
			if err := got.Records[i].Validate(); err != nil {
				t.Errorf("record passed but invalid: %v", err)
			}
		}
		for i := range got.Shares {
			if err := got.Shares[i].Validate(); err != nil {
				t.Errorf("share passed but invalid: %v", err)
			}
		}
	})
}
