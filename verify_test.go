package dossier

import (
	"testing"
	"time"
)

func fact(field, v string, ch Channel, day int, rm Remark) Fact {
	at := time.Date(2025, 1, day, 0, 0, 0, 0, time.UTC)
	return Fact{ObservationID: int64(day), Field: field, Value: v, Remark: rm, Source: Source{Channel: ch, CollectedAt: at}, RecordedAt: at}
}

func TestVerifyField(t *testing.T) {
	reg := NewRegistry(nil)
	revenue, _ := reg.Field("revenue")
	budget, _ := reg.Field("budget")
	process, _ := reg.Field("decision_process")
	tests := []struct {
		name  string
		f     Field
		facts []Fact
		tol   float64
		want  string
	}{
		{"one channel", revenue, []Fact{fact("revenue", "50000000", ChannelPublic, 1, "")}, 0.1, StateUnverified},
		{"none", revenue, nil, 0.1, StateUnverified},
		{"two channels within 10%", revenue, []Fact{fact("revenue", "50000000", ChannelPublic, 1, ""), fact("revenue", "53000000", ChannelCustomer, 2, "")}, 0.1, StateVerified},
		{"two channels 20% apart", revenue, []Fact{fact("revenue", "50000000", ChannelPublic, 1, ""), fact("revenue", "62500000", ChannelCustomer, 2, "")}, 0.1, StateConflict},
		{"20% apart, tolerance 25%", revenue, []Fact{fact("revenue", "50000000", ChannelPublic, 1, ""), fact("revenue", "62500000", ChannelCustomer, 2, "")}, 0.25, StateVerified},
		{"one channel changing over time", revenue, []Fact{fact("revenue", "50000000", ChannelPublic, 1, ""), fact("revenue", "90000000", ChannelPublic, 2, "")}, 0.1, StateUnverified},
		{"a channel's latest figure counts", revenue, []Fact{fact("revenue", "10000000", ChannelPublic, 1, ""), fact("revenue", "50000000", ChannelPublic, 2, ""), fact("revenue", "51000000", ChannelInternal, 3, "")}, 0.1, StateVerified},
		{"pending is no evidence", revenue, []Fact{fact("revenue", "50000000", ChannelPublic, 1, ""), fact("revenue", "90000000", ChannelInternal, 2, RemarkPending)}, 0.1, StateUnverified},
		{"three channels, one disagrees", revenue, []Fact{fact("revenue", "50000000", ChannelPublic, 1, ""), fact("revenue", "50000000", ChannelCustomer, 2, ""), fact("revenue", "80000000", ChannelThirdParty, 3, "")}, 0.1, StateConflict},
		{"older dynamic figure updated, not contradicted", revenue, []Fact{fact("revenue", "50000000", ChannelPublic, 1, RemarkDynamic), fact("revenue", "90000000", ChannelCustomer, 2, "")}, 0.1, StateUnverified},
		{"later dynamic figure still contradicts", revenue, []Fact{fact("revenue", "50000000", ChannelPublic, 1, ""), fact("revenue", "90000000", ChannelCustomer, 2, RemarkDynamic)}, 0.1, StateConflict},
		{"settled", revenue, []Fact{fact("revenue", "50000000", ChannelPublic, 1, ""), fact("revenue", "80000000", ChannelCustomer, 2, ""), fact("revenue", "80000000", ChannelInternal, 3, RemarkConfirmed)}, 0.1, StateVerified},
		{"disputed after settling", revenue, []Fact{fact("revenue", "80000000", ChannelInternal, 3, RemarkConfirmed), fact("revenue", "40000000", ChannelPublic, 4, "")}, 0.1, StateConflict},
		{"agrees after settling", revenue, []Fact{fact("revenue", "80000000", ChannelInternal, 3, RemarkConfirmed), fact("revenue", "81000000", ChannelPublic, 4, "")}, 0.1, StateVerified},
		{"budget midpoints agree", budget, []Fact{fact("budget", "300000-500000", ChannelCustomer, 1, ""), fact("budget", "400000", ChannelInternal, 2, "")}, 0.1, StateVerified},
		{"budget disagrees", budget, []Fact{fact("budget", "300000-500000", ChannelCustomer, 1, ""), fact("budget", "1000000-", ChannelInternal, 2, "")}, 0.1, StateConflict},
		{"negotiable budget says nothing", budget, []Fact{fact("budget", "negotiable", ChannelCustomer, 1, ""), fact("budget", "400000", ChannelInternal, 2, "")}, 0.1, StateUnverified},
		{"text equal after normalisation", process, []Fact{fact("decision_process", "部门提需求，总经理审批", ChannelCustomer, 1, ""), fact("decision_process", "部门提需求 , 总经理审批。", ChannelInternal, 2, "")}, 0.1, StateVerified},
		{"text differs", process, []Fact{fact("decision_process", "部门提需求，总经理审批", ChannelCustomer, 1, ""), fact("decision_process", "董事会审批", ChannelInternal, 2, "")}, 0.1, StateConflict},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := VerifyField(tc.f, tc.facts, tc.tol)
			if got.State != tc.want {
				t.Errorf("state %s, want %s (evidence %+v)", got.State, tc.want, got.Evidence)
			}
		})
	}
}

func TestConfirmedAndPendingInResolution(t *testing.T) {
	p := DefaultResolvePolicy()
	real := fact("revenue", "50000000", ChannelPublic, 1, "")
	estimate := fact("revenue", "90000000", ChannelInternal, 9, RemarkPending)
	if p.Resolve([]Fact{real, estimate})["revenue"].Value != real.Value {
		t.Error("a later, more trusted estimate pending verification beat a real value")
	}
	settled := fact("revenue", "70000000", ChannelCustomer, 2, RemarkConfirmed)
	later := fact("revenue", "60000000", ChannelInternal, 5, "")
	if p.Resolve([]Fact{real, later, settled})["revenue"].Value != settled.Value {
		t.Error("a confirmed settlement lost to an unconfirmed fact")
	}
}

func TestCompleteness(t *testing.T) {
	reg := NewRegistry(nil)
	total := 0
	for _, f := range reg.Active() {
		if f.Required || f.KeyFact {
			total++
		}
	}
	won := map[string]Fact{
		"name":     fact("name", "华信", ChannelInternal, 1, ""),
		"industry": fact("industry", "制造业", ChannelInternal, 1, ""),
		"revenue":  fact("revenue", "90000000", ChannelInternal, 1, RemarkPending),
	}
	c := AssessCompleteness(reg, won, true)
	if c.Total != total || c.Filled != 3 {
		t.Fatalf("filled %d of %d, want 3 of %d (name, industry, contact)", c.Filled, c.Total, total)
	}
	if want := int(float64(300)/float64(total) + 0.5); c.Score != want {
		t.Errorf("score %d, want %d", c.Score, want)
	}
	var rev *Gap
	for i := range c.Missing {
		if c.Missing[i].Field == "revenue" {
			rev = &c.Missing[i]
		}
	}
	if rev == nil || rev.Estimate != "90000000" {
		t.Errorf("a pending revenue should stay a gap with its estimate: %+v", c.Missing)
	}
}

func TestMedianAndBands(t *testing.T) {
	if m := Median([]float64{5, 1, 3}); m != 3 {
		t.Errorf("median %v", m)
	}
	if m := Median([]float64{4, 1, 3, 2}); m != 2.5 {
		t.Errorf("median %v", m)
	}
	if SizeBand(49) != 0 || SizeBand(50) != 1 || SizeBand(999) != 2 || SizeBand(100000) != 4 {
		t.Error("size bands")
	}
}

// FuzzAgree: any two values of any key fact compare without a panic, and
// agreement is symmetric and reflexive.
func FuzzAgree(f *testing.F) {
	f.Add("50000000", "53000000", 0.1)
	f.Add("300000-500000", "negotiable", 0.1)
	f.Add("部门提需求，总经理审批", "部门提需求 总经理审批", 0.0)
	reg := NewRegistry(nil)
	var keys []Field
	for _, fl := range reg.Active() {
		if fl.KeyFact {
			keys = append(keys, fl)
		}
	}
	f.Fuzz(func(t *testing.T, a, b string, tol float64) {
		for _, fl := range keys {
			if Agree(fl, a, b, tol) != Agree(fl, b, a, tol) {
				t.Fatalf("%s: Agree(%q, %q) not symmetric", fl.Key, a, b)
			}
			if tol >= 0 && !Agree(fl, a, a, tol) {
				t.Fatalf("%s: %q does not agree with itself", fl.Key, a)
			}
			VerifyField(fl, []Fact{fact(fl.Key, a, ChannelPublic, 1, ""), fact(fl.Key, b, ChannelCustomer, 2, "")}, tol)
		}
	})
}

func TestAgreeOddNumbers(t *testing.T) {
	reg := NewRegistry(nil)
	rev, _ := reg.Field("revenue")
	for _, v := range []string{"NaN", "Inf", "-0", "1e400"} {
		if !Agree(rev, v, v, 0.1) {
			t.Errorf("%q does not agree with itself", v)
		}
	}
}

func TestVerifyDecisionMaker(t *testing.T) {
	dm := func(name string, ch Channel) Contact {
		return Contact{Name: name, Role: "decision_maker", Source: Source{Channel: ch}}
	}
	tests := []struct {
		name string
		cs   []Contact
		want string
	}{
		{"nobody", nil, StateUnverified},
		{"one channel", []Contact{dm("王伟", ChannelCustomer)}, StateUnverified},
		{"two channels, same person", []Contact{dm("王伟", ChannelCustomer), dm("王 伟", ChannelInternal)}, StateVerified},
		{"two channels, different people", []Contact{dm("王伟", ChannelCustomer), dm("李娜", ChannelInternal)}, StateConflict},
		{"agreement beside an extra name", []Contact{dm("王伟", ChannelCustomer), dm("王伟", ChannelInternal), dm("李娜", ChannelPublic)}, StateVerified},
		{"other roles do not count", []Contact{dm("王伟", ChannelCustomer), {Name: "李娜", Role: "technical", Source: Source{Channel: ChannelInternal}}}, StateUnverified},
		{"same channel twice", []Contact{dm("王伟", ChannelCustomer), dm("李娜", ChannelCustomer)}, StateUnverified},
	}
	for _, tc := range tests {
		if got := VerifyDecisionMaker(tc.cs); got.State != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got.State, tc.want)
		}
	}
}
