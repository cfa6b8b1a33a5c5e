package main

import (
	"testing"
	"time"
)

func TestParseMix(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want map[string]int
		bad  bool
	}{
		{in: "list=45,profile=45,pivot=10", want: map[string]int{"list": 45, "profile": 45, "pivot": 10}},
		{in: " list=1 ", want: map[string]int{"list": 1}},
		{in: "list=0,pivot=3", want: map[string]int{"list": 0, "pivot": 3}},
		{in: "", bad: true},
		{in: "list", bad: true},
		{in: "list=x", bad: true},
		{in: "list=-1", bad: true},
		{in: "export=5", bad: true},
	} {
		got, err := parseMix(tc.in)
		if (err != nil) != tc.bad {
			t.Errorf("parseMix(%q) error %v, want error %v", tc.in, err, tc.bad)
			continue
		}
		for k, v := range tc.want {
			if got[k] != v || len(got) != len(tc.want) {
				t.Errorf("parseMix(%q) = %v, want %v", tc.in, got, tc.want)
			}
		}
	}
}

func FuzzParseMix(f *testing.F) {
	f.Add("list=45,profile=45,pivot=10")
	f.Add("pivot=")
	f.Fuzz(func(t *testing.T, s string) {
		m, err := parseMix(s)
		if err != nil {
			return
		}
		for k, v := range m {
			if _, ok := endpoints[k]; !ok || v < 0 {
				t.Errorf("parseMix(%q) accepted %s=%d", s, k, v)
			}
		}
	})
}

func TestPercentile(t *testing.T) {
	ds := make([]time.Duration, 100)
	for i := range ds {
		ds[i] = time.Duration(i+1) * time.Millisecond
	}
	for p, want := range map[int]time.Duration{50: 50 * time.Millisecond, 99: 99 * time.Millisecond, 100: 100 * time.Millisecond, 1: time.Millisecond} {
		if got := pct(ds, p); got != want {
			t.Errorf("p%d = %v, want %v", p, got, want)
		}
	}
	if got := pct(ds[:1], 99); got != time.Millisecond {
		t.Errorf("p99 of one = %v", got)
	}
}
