package dossier

import (
	"cmp"
	"slices"
	"time"
)

// Channel is where a fact came from (SPEC R4).
type Channel string

const (
	ChannelPublic     Channel = "public"      // website, annual report, news, business registry
	ChannelCustomer   Channel = "customer"    // first talks, needs survey, negotiation
	ChannelInternal   Channel = "internal"    // CRM history, orders, service logs, our own edits
	ChannelThirdParty Channel = "third-party" // credit report, consultancy, partners, exhibitions
)

// Channels lists the four channels in display order.
var Channels = []Channel{ChannelPublic, ChannelCustomer, ChannelInternal, ChannelThirdParty}

// ParseChannel accepts a channel key or its Chinese name.
func ParseChannel(s string) (Channel, error) {
	switch CleanText(s) {
	case "public", "公开信息", "公开":
		return ChannelPublic, nil
	case "customer", "客户提供", "客户":
		return ChannelCustomer, nil
	case "internal", "内部记录", "内部":
		return ChannelInternal, nil
	case "third-party", "third_party", "thirdparty", "第三方":
		return ChannelThirdParty, nil
	}
	return "", FieldError("source", "unknown source channel %q: use public, customer, internal or third-party", s)
}

// Remark qualifies a fact (SPEC R4).
type Remark string

const (
	RemarkNone    Remark = ""
	RemarkPending Remark = "pending" // 待验证: not yet confirmed
	RemarkDynamic Remark = "dynamic" // 动态更新: changes over time
	// RemarkConfirmed marks a value a person confirmed when settling a
	// conflict between channels (R7); it beats every unconfirmed fact.
	RemarkConfirmed Remark = "confirmed"
)

// Source says where a set of values came from, when and by whom.
type Source struct {
	Channel     Channel   `json:"channel"`
	Detail      string    `json:"detail,omitempty"` // "2023 annual report", "企查查", "needs survey", a file name
	CollectedAt time.Time `json:"collected_at"`
	CollectedBy string    `json:"collected_by,omitempty"`
	ImportID    int64     `json:"import_id,omitempty"`
}

// Validate checks that the source names a known channel.
func (s Source) Validate() error {
	if _, err := ParseChannel(string(s.Channel)); err != nil {
		return err
	}
	if s.CollectedAt.IsZero() {
		return FieldError("collected_at", "a source needs the time the values were collected")
	}
	return nil
}

// Observation is one source event about one customer: the values it carried,
// each with an optional remark. It is the unit stored, so a bulk import writes
// one row per imported row; it is never changed once written.
type Observation struct {
	ID         int64             `json:"id"`
	CustomerID int64             `json:"customer_id"`
	Source     Source            `json:"source"`
	Values     map[string]string `json:"values"` // field key → canonical value ("" clears)
	Remarks    map[string]Remark `json:"remarks,omitempty"`
	RecordedAt time.Time         `json:"recorded_at"`
}

// Fact is one value of one field with its provenance: the flattened view of
// observations that users and rules work with.
type Fact struct {
	ObservationID int64     `json:"observation_id"`
	CustomerID    int64     `json:"customer_id"`
	Field         string    `json:"field"`
	Value         string    `json:"value"`
	Remark        Remark    `json:"remark,omitempty"`
	Source        Source    `json:"source"`
	RecordedAt    time.Time `json:"recorded_at"`
}

// Facts flattens observations into facts, ordered by field, then oldest first.
func Facts(obs []Observation) []Fact {
	var fs []Fact
	for _, o := range obs {
		for k, v := range o.Values {
			fs = append(fs, Fact{ObservationID: o.ID, CustomerID: o.CustomerID, Field: k, Value: v,
				Remark: o.Remarks[k], Source: o.Source, RecordedAt: o.RecordedAt})
		}
	}
	slices.SortFunc(fs, func(a, b Fact) int {
		return cmp.Or(cmp.Compare(a.Field, b.Field), a.Source.CollectedAt.Compare(b.Source.CollectedAt),
			cmp.Compare(a.ObservationID, b.ObservationID))
	})
	return fs
}

// ResolvePolicy decides which fact of a field becomes the profile's value.
//
// The rule, in order: a fact confirmed by a person (RemarkConfirmed, a
// settled conflict) beats any other; a plain fact beats one pending
// verification (a vague figure, a peer estimate); then
// the more trusted channel for that field wins; then the later collection
// time; then the later recording. A fact whose value is "" clears the field
// when it wins. Registry facts (credit code, founding date, capital) trust the
// business registry and credit reports most; everything else trusts our own
// records, then what the customer says, then third parties, then public text.
type ResolvePolicy struct {
	Trust      map[Channel]int            `json:"trust"`
	FieldTrust map[string]map[Channel]int `json:"field_trust,omitempty"`
}

// DefaultResolvePolicy returns the policy stated on ResolvePolicy.
func DefaultResolvePolicy() ResolvePolicy {
	registry := map[Channel]int{ChannelPublic: 4, ChannelThirdParty: 3, ChannelInternal: 2, ChannelCustomer: 1}
	return ResolvePolicy{
		Trust: map[Channel]int{ChannelInternal: 4, ChannelCustomer: 3, ChannelThirdParty: 2, ChannelPublic: 1},
		FieldTrust: map[string]map[Channel]int{
			"credit_code": registry, "founded": registry, "registered_capital": registry,
		},
	}
}

func (p ResolvePolicy) trust(field string, c Channel) int {
	if t, ok := p.FieldTrust[field]; ok {
		return t[c]
	}
	return p.Trust[c]
}

// Better reports whether fact a beats fact b under the policy.
func (p ResolvePolicy) Better(a, b Fact) bool {
	if ra, rb := remarkRank(a.Remark), remarkRank(b.Remark); ra != rb {
		return ra > rb
	}
	if ta, tb := p.trust(a.Field, a.Source.Channel), p.trust(b.Field, b.Source.Channel); ta != tb {
		return ta > tb
	}
	if c := a.Source.CollectedAt.Compare(b.Source.CollectedAt); c != 0 {
		return c > 0
	}
	if c := a.RecordedAt.Compare(b.RecordedAt); c != 0 {
		return c > 0
	}
	return a.ObservationID > b.ObservationID
}

// remarkRank orders remarks for resolution: confirmed, then plain or
// dynamic, then pending verification.
func remarkRank(r Remark) int {
	switch r {
	case RemarkConfirmed:
		return 2
	case RemarkPending:
		return 0
	}
	return 1
}

// Resolve returns the winning fact of every field present in facts.
func (p ResolvePolicy) Resolve(facts []Fact) map[string]Fact {
	out := make(map[string]Fact)
	for _, f := range facts {
		if cur, ok := out[f.Field]; !ok || p.Better(f, cur) {
			out[f.Field] = f
		}
	}
	return out
}

// ResolveObservations resolves the current value of every field from a
// customer's observations; cleared fields map to "". It picks each field's
// winner directly, without flattening into facts: imports and the demo
// generator resolve every customer they write.
func (p ResolvePolicy) ResolveObservations(obs []Observation) map[string]string {
	best := make(map[string]int, 32) // field → index of the winning observation
	fact := func(i int, k string) Fact {
		o := &obs[i]
		return Fact{ObservationID: o.ID, Field: k, Remark: o.Remarks[k], Source: o.Source, RecordedAt: o.RecordedAt}
	}
	for i := range obs {
		for k := range obs[i].Values {
			if j, ok := best[k]; !ok || p.Better(fact(i, k), fact(j, k)) {
				best[k] = i
			}
		}
	}
	vals := make(map[string]string, len(best))
	for k, i := range best {
		vals[k] = obs[i].Values[k]
	}
	return vals
}
