package dedupe

import (
	"context"
	"fmt"
	"testing"

	"github.com/dossier/dossier"
)

// linearBound is the most candidate pairs n records may produce: every
// blocking key of a record pairs it with at most Window neighbours (or
// fewer than MaxBlock records in a small block).
func linearBound(n, keysPerRecord int, opt Options) int {
	opt = opt.withDefaults()
	return n * keysPerRecord * max(opt.Window, opt.MaxBlock)
}

func TestBadInput(t *testing.T) {
	ctx := context.Background()
	copies := 100_000
	if testing.Short() {
		copies = 10_000
	}
	tests := []struct {
		name  string
		recs  []Record
		check func(t *testing.T, res *Result)
	}{
		{"no records", nil, func(t *testing.T, res *Result) {
			if len(res.Cluster) != 0 || res.Report.CandidatePairs != 0 {
				t.Errorf("clusters %v, pairs %d", res.Cluster, res.Report.CandidatePairs)
			}
		}},
		{"one record", []Record{rec("x", "name", "甲公司")}, func(t *testing.T, res *Result) {
			if res.Cluster["x"] != "x" {
				t.Errorf("cluster %v", res.Cluster)
			}
		}},
		{"empty names and no fields", []Record{rec("a", "name", ""), rec("b", "name", "  "), rec("c"), rec("d", "name", "（）")},
			func(t *testing.T, res *Result) {
				if res.Report.EmptyNames != 4 {
					t.Errorf("EmptyNames %d, want 4", res.Report.EmptyNames)
				}
				for _, id := range []string{"a", "b", "c", "d"} {
					if res.Cluster[id] != id {
						t.Errorf("%s in cluster %q, want itself: nothing says they are one", id, res.Cluster[id])
					}
				}
			}},
		{"a million copies of one company (scaled down)", identical(copies), func(t *testing.T, res *Result) {
			if len(res.Cluster) != copies {
				t.Fatalf("%d records clustered, want %d", len(res.Cluster), copies)
			}
			if bound := linearBound(copies, 6, Options{}); res.Report.CandidatePairs > bound {
				t.Errorf("%d candidate pairs for %d copies: more than the linear bound %d", res.Report.CandidatePairs, copies, bound)
			}
			if len(res.Report.WindowedBlocks) == 0 {
				t.Errorf("no windowed block reported")
			}
			if len(res.Pairs) > 100_000 || (res.Report.CandidatePairs > 100_000 && res.Report.PairsLeftOut == 0) {
				t.Errorf("%d pairs listed, %d left out: want the list capped", len(res.Pairs), res.Report.PairsLeftOut)
			}
			first := res.Cluster["0"]
			for i := range copies {
				if c := res.Cluster[fmt.Sprint(i)]; c != first {
					t.Fatalf("copy %d in cluster %s, copy 0 in %s", i, c, first)
				}
			}
		}},
		{"non-Chinese names and mixed scripts", []Record{
			rec("l1", "name", "Acme Widgets Ltd.", "city", "London"),
			rec("l2", "name", "ACME WIDGETS LIMITED", "city", "london"),
			rec("m1", "name", "苹果Apple有限公司"),
			rec("m2", "name", "株式会社トヨタ"),
			rec("m3", "name", "ООО Ромашка"),
			rec("m4", "name", "🍎🍎🍎"),
			rec("m5", "name", "\xff\xfe\x00"),
			rec("m6", "name", "((((有限公司))))"),
		}, func(t *testing.T, res *Result) {
			if len(res.Cluster) != 8 {
				t.Errorf("%d records clustered, want 8", len(res.Cluster))
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Run(ctx, tt.recs, Options{})
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, res)
		})
	}
}

// identical returns n copies of one company, every field the same.
func identical(n int) []Record {
	recs := make([]Record, n)
	for i := range recs {
		recs[i] = rec(fmt.Sprint(i), "name", "深圳市华为技术有限公司", "credit_code", "914403001922038216",
			"contact_phone", "13900000000", "city", "深圳")
	}
	return recs
}

func TestRunRefusesBadOptions(t *testing.T) {
	for _, o := range []Options{{Threshold: 1.5}, {Threshold: -1}, {PairThreshold: 2}} {
		if _, err := Run(context.Background(), nil, o); dossier.ErrorCode(err) != dossier.EINVALID {
			t.Errorf("%+v: error %v, want EINVALID", o, err)
		}
	}
}

func TestRunStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, identical(100), Options{}); err == nil {
		t.Error("no error from a cancelled context")
	}
}

// FuzzRun feeds arbitrary values to every kind of field: the engine must
// neither panic nor leave a record without a cluster.
func FuzzRun(f *testing.F) {
	f.Add("深圳市华为技术有限公司", "华为技术（深圳）有限公司", "914403001922038216", "0755-28780808;x", "深圳", "1990-01-01")
	f.Add("", "((", "\xff", ";;;", "市", "")
	f.Fuzz(func(t *testing.T, n1, n2, code, phone, city, other string) {
		recs := []Record{
			rec("a", "name", n1, "credit_code", code, "contact_phone", phone, "city", city, "dob", other),
			rec("b", "name", n2, "credit_code", code, "contact_phone", other, "province", city, "dob", phone),
			rec("c", "name", n1+n2, "contact_email", phone, "city", other),
		}
		res, err := Run(context.Background(), recs, Options{SamplePairs: 10})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			if res.Cluster[r.ID] == "" {
				t.Fatalf("record %s has no cluster: %v", r.ID, res.Cluster)
			}
		}
	})
}
