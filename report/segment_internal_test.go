package report

import (
	"fmt"
	"testing"
)

func TestLargestFirst(t *testing.T) {
	var rows []ShareRow
	for i := 1; i <= 15; i++ {
		rows = append(rows, ShareRow{Label: fmt.Sprint(i), Count: int64(i), Share: float64(i)})
	}
	got := largestFirst(rows, "zh")
	if len(got) != maxBars || got[0].Label != "15" || got[maxBars-2].Label != "5" {
		t.Fatalf("order %+v", got)
	}
	if o := got[maxBars-1]; o.Label != "其他" || o.Count != 1+2+3+4 || o.Share != 10 {
		t.Errorf("other %+v", o)
	}
	if short := largestFirst([]ShareRow{{Label: "a", Count: 1}, {Label: "b", Count: 3}}, "en"); len(short) != 2 || short[0].Label != "b" {
		t.Errorf("short %+v", short)
	}
}
