package dossier

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// Verification states of a key fact (SPEC R7).
const (
	StateVerified   = "verified"   // two independent channels agree, or a person settled it
	StateUnverified = "unverified" // fewer than two channels say anything
	StateConflict   = "conflict"   // channels disagree
)

// FieldVerification is the state of one key fact of one customer and the
// facts it rests on: the latest fact of each channel that counts (or, when
// settled, the settlement and any later fact that disputes it).
type FieldVerification struct {
	Field    string `json:"field"`
	State    string `json:"state"`
	Value    string `json:"value,omitempty"` // the profile's current value
	Settled  bool   `json:"settled,omitempty"`
	Evidence []Fact `json:"evidence"`
}

// Verify states every key fact of a customer from its facts (all fields
// mixed), in registry order. tol is QualitySettings.Tolerance.
func Verify(reg *Registry, facts []Fact, policy ResolvePolicy, tol float64) []FieldVerification {
	return VerifyResolved(reg, facts, policy.Resolve(facts), tol)
}

// VerifyResolved is Verify for a caller that has resolved the facts
// already: won is policy.Resolve(facts). The quality tables resolve each
// customer once for its gaps and its conflicts.
func VerifyResolved(reg *Registry, facts []Fact, won map[string]Fact, tol float64) []FieldVerification {
	var out []FieldVerification
	for _, f := range reg.fields { // not Active(): this runs per customer in scans
		if f.Retired || !f.KeyFact || f.Entity != EntityCustomer {
			continue
		}
		// The facts of the field, in their order: a scan per key fact (a
		// few) copies far less than grouping every fact by field did.
		var of []Fact
		for _, x := range facts {
			if x.Field == f.Key {
				of = append(of, x)
			}
		}
		v := VerifyField(f, of, tol)
		v.Value = won[f.Key].Value
		out = append(out, v)
	}
	return out
}

// VerifyField states one key fact from the facts of that field.
//
// Facts pending verification and empty values are not evidence. Each
// channel speaks through its latest fact (a channel that changes its figure
// over time is an update, not a conflict, as is a later figure that
// disagrees with one marked as changing over time). Two channels that agree
// and none that disagree make the fact verified; any two that disagree, a
// conflict; otherwise it is unverified. A confirmed fact (a settled conflict) makes
// it verified until a channel states something else after it.
func VerifyField(f Field, facts []Fact, tol float64) FieldVerification {
	out := FieldVerification{Field: f.Key, State: StateUnverified, Evidence: []Fact{}}
	var ev []Fact
	for _, x := range facts {
		if x.Value != "" && x.Remark != RemarkPending && comparable(f, x.Value) {
			ev = append(ev, x)
		}
	}
	slices.SortFunc(ev, func(a, b Fact) int {
		return cmp.Or(a.Source.CollectedAt.Compare(b.Source.CollectedAt), a.RecordedAt.Compare(b.RecordedAt),
			cmp.Compare(a.ObservationID, b.ObservationID))
	})
	if i := lastIndex(ev, func(x Fact) bool { return x.Remark == RemarkConfirmed }); i >= 0 {
		return settled(f, out, ev[i], ev[i+1:], tol)
	}
	latest := latestPerChannel(ev)
	out.Evidence = latest
	agreed := false
	for i := range latest {
		for j := i + 1; j < len(latest); j++ {
			switch x, y := latest[i], latest[j]; {
			case Agree(f, x.Value, y.Value, tol):
				agreed = true
			case !changedSince(x, y):
				out.State = StateConflict
				return out
			}
		}
	}
	if agreed {
		out.State = StateVerified
	}
	return out
}

// changedSince reports whether two disagreeing facts are explained by time:
// the older one was marked as changing over time (动态更新), like the
// registry's insured headcount, so the later one updates it rather than
// contradicting it.
func changedSince(x, y Fact) bool {
	older := x
	if y.Source.CollectedAt.Before(x.Source.CollectedAt) {
		older = y
	}
	return older.Remark == RemarkDynamic
}

// settled is the state after a settlement c: verified unless a later fact
// disputes it.
func settled(f Field, out FieldVerification, c Fact, later []Fact, tol float64) FieldVerification {
	out.State, out.Settled, out.Evidence = StateVerified, true, []Fact{c}
	for _, x := range latestPerChannel(later) {
		if !Agree(f, c.Value, x.Value, tol) {
			out.State, out.Settled = StateConflict, false
			out.Evidence = append(out.Evidence, x)
		}
	}
	return out
}

func lastIndex(fs []Fact, ok func(Fact) bool) int {
	for i := len(fs) - 1; i >= 0; i-- {
		if ok(fs[i]) {
			return i
		}
	}
	return -1
}

// latestPerChannel keeps the last fact of each channel of time-ordered
// facts, in channel display order.
func latestPerChannel(fs []Fact) []Fact {
	last := map[Channel]Fact{}
	for _, x := range fs {
		last[x.Source.Channel] = x
	}
	var out []Fact
	for _, ch := range Channels {
		if x, ok := last[ch]; ok {
			out = append(out, x)
		}
	}
	return out
}

// comparable reports whether a value can be evidence: a negotiable budget
// or an unparseable number says nothing to compare.
func comparable(f Field, v string) bool {
	switch f.Type {
	case TypeRange:
		_, ok := rangeMid(v)
		return ok
	case TypeNumber, TypeMoney, TypePercent, TypeRating:
		_, err := strconv.ParseFloat(v, 64)
		return err == nil
	}
	return true
}

func rangeMid(v string) (float64, bool) {
	r, err := ParseMoneyRange(v)
	if err != nil || r.Negotiable {
		return 0, false
	}
	m, ok := r.Mid()
	return float64(m), ok
}

// Agree reports whether two canonical values of field f say the same:
// numbers (and the midpoints of ranges) within tol of the larger, tag sets
// equal, other text equal after normalisation (width, case, spaces and
// punctuation ignored).
func Agree(f Field, a, b string, tol float64) bool {
	if a == b {
		return true
	}
	switch f.Type {
	case TypeNumber, TypeMoney, TypePercent, TypeRating:
		x, errA := strconv.ParseFloat(a, 64)
		y, errB := strconv.ParseFloat(b, 64)
		if errA == nil && errB == nil {
			return within(x, y, tol)
		}
	case TypeRange:
		x, okA := rangeMid(a)
		y, okB := rangeMid(b)
		if okA && okB {
			return within(x, y, tol)
		}
	case TypeTags:
		ta, tb := normTags(a), normTags(b)
		return slices.Equal(ta, tb)
	}
	return NormalizeText(a) == NormalizeText(b)
}

func within(x, y, tol float64) bool {
	return math.Abs(x-y) <= tol*math.Max(math.Abs(x), math.Abs(y))+1e-9
}

func normTags(s string) []string {
	var out []string
	for _, t := range SplitTags(s) {
		out = append(out, NormalizeText(t))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// NormalizeText is text reduced for comparison: full-width folded, lower
// case, without spaces, punctuation or symbols.
func NormalizeText(s string) string {
	s = strings.ToLower(CleanText(s))
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) {
			return -1
		}
		return r
	}, s)
}

// DecisionMakerField names the decision maker in verification results. It
// is no registry field: the decision chain lives in contacts, each with its
// source, so it is verified from them.
const DecisionMakerField = "decision_maker"

// VerifyDecisionMaker states who decides (R7's "decision chain") from the
// contacts holding the decision-maker role: verified when two channels name
// the same person, a conflict when two or more channels name only different
// people, otherwise unverified. A company may have several decision makers,
// so one channel naming an extra person is no conflict by itself.
func VerifyDecisionMaker(cs []Contact) FieldVerification {
	out := FieldVerification{Field: DecisionMakerField, State: StateUnverified, Evidence: []Fact{}}
	channels := map[string]map[Channel]bool{} // normalised name → channels naming it
	var names []string
	for _, c := range cs {
		n := NormalizeText(c.Name)
		if c.Role != "decision_maker" || n == "" || c.Name == ErasedName {
			continue
		}
		if channels[n] == nil {
			channels[n] = map[Channel]bool{}
			names = append(names, c.Name)
		}
		channels[n][c.Source.Channel] = true
		out.Evidence = append(out.Evidence, Fact{Field: DecisionMakerField, CustomerID: c.CustomerID, Value: c.Name,
			Source: c.Source, RecordedAt: c.CreatedAt})
	}
	all := map[Channel]bool{}
	for _, chs := range channels {
		for ch := range chs {
			all[ch] = true
		}
		if len(chs) >= 2 {
			out.State = StateVerified
		}
	}
	if out.State != StateVerified && len(all) >= 2 {
		out.State = StateConflict
	}
	out.Value = strings.Join(names, ";")
	return out
}
