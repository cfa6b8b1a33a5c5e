package dossier_test

import (
	"testing"
	"time"

	"github.com/dossier/dossier"
)

func fact(field, value string, ch dossier.Channel, collected string, remark dossier.Remark, id int64) dossier.Fact {
	return dossier.Fact{ObservationID: id, Field: field, Value: value, Remark: remark,
		Source: dossier.Source{Channel: ch, CollectedAt: day(collected)}, RecordedAt: time.Unix(id, 0)}
}

// The resolution policy, rule by rule.
func TestResolvePolicy(t *testing.T) {
	p := dossier.DefaultResolvePolicy()
	tests := []struct {
		name  string
		facts []dossier.Fact
		want  string
	}{
		{"confirmed beats pending, even from a weaker channel",
			[]dossier.Fact{fact("revenue", "1", dossier.ChannelInternal, "2026-01-01", dossier.RemarkPending, 1), fact("revenue", "2", dossier.ChannelPublic, "2020-01-01", "", 2)}, "2"},
		{"more trusted channel beats newer",
			[]dossier.Fact{fact("revenue", "1", dossier.ChannelCustomer, "2020-01-01", "", 1), fact("revenue", "2", dossier.ChannelPublic, "2026-01-01", "", 2)}, "1"},
		{"internal beats customer",
			[]dossier.Fact{fact("budget", "1", dossier.ChannelCustomer, "2026-01-01", "", 1), fact("budget", "2", dossier.ChannelInternal, "2025-01-01", "", 2)}, "2"},
		{"same channel: newer collection wins",
			[]dossier.Fact{fact("city", "苏州", dossier.ChannelInternal, "2026-02-01", "", 1), fact("city", "无锡", dossier.ChannelInternal, "2025-01-01", "", 2)}, "苏州"},
		{"same collection time: later recording wins",
			[]dossier.Fact{fact("city", "苏州", dossier.ChannelInternal, "2026-02-01", "", 1), fact("city", "无锡", dossier.ChannelInternal, "2026-02-01", "", 2)}, "无锡"},
		{"registry fields trust the business registry",
			[]dossier.Fact{fact("credit_code", "A", dossier.ChannelInternal, "2026-01-01", "", 1), fact("credit_code", "B", dossier.ChannelPublic, "2024-01-01", "", 2)}, "B"},
		{"dynamic remark is not pending",
			[]dossier.Fact{fact("employees", "300", dossier.ChannelInternal, "2026-01-01", dossier.RemarkDynamic, 1), fact("employees", "200", dossier.ChannelInternal, "2025-01-01", "", 2)}, "300"},
		{"a winning empty value clears",
			[]dossier.Fact{fact("grade", "key", dossier.ChannelInternal, "2025-01-01", "", 1), fact("grade", "", dossier.ChannelInternal, "2026-01-01", "", 2)}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, order := range [][]dossier.Fact{tt.facts, {tt.facts[1], tt.facts[0]}} {
				got := p.Resolve(order)[tt.facts[0].Field]
				if got.Value != tt.want {
					t.Errorf("got %q, want %q (input order must not matter)", got.Value, tt.want)
				}
			}
		})
	}
}

func TestFactsFlattensObservations(t *testing.T) {
	obs := []dossier.Observation{
		{ID: 2, Values: map[string]string{"revenue": "2", "city": "苏州"}, Remarks: map[string]dossier.Remark{"revenue": dossier.RemarkPending},
			Source: dossier.Source{Channel: dossier.ChannelPublic, CollectedAt: day("2026-01-01")}},
		{ID: 1, Values: map[string]string{"revenue": "1"}, Source: dossier.Source{Channel: dossier.ChannelCustomer, CollectedAt: day("2025-01-01")}},
	}
	fs := dossier.Facts(obs)
	if len(fs) != 3 || fs[0].Field != "city" || fs[1].Value != "1" || fs[2].Remark != dossier.RemarkPending {
		t.Fatalf("facts = %+v", fs)
	}
	vals := dossier.DefaultResolvePolicy().ResolveObservations(obs)
	if vals["revenue"] != "1" || vals["city"] != "苏州" {
		t.Errorf("resolved %v", vals)
	}
}

func TestRegistry(t *testing.T) {
	reg := dossier.NewRegistry([]dossier.Field{{Key: "competitor_info", LabelZH: "竞争对手信息", LabelEN: "Competitor information",
		Category: dossier.CatBackground, Type: dossier.TypeText, Position: 5}})
	for _, name := range []string{"客户名称", "公司名称", "企业名称", "Customer name", "name", "客户名称*"} {
		if f, ok := reg.Lookup(name); !ok || f.Key != "name" {
			t.Errorf("Lookup(%q) = %v, %v", name, f.Key, ok)
		}
	}
	if f, ok := reg.Lookup("手机"); !ok || f.Key != "contact_phone" {
		t.Errorf("手机 → %s", f.Key)
	}
	if f, ok := reg.Lookup("竞争对手信息"); !ok || f.Builtin || f.Entity != dossier.EntityCustomer {
		t.Errorf("custom field lookup: %+v %v", f, ok)
	}
	if reg.Fields()[0].Key != "competitor_info" {
		t.Errorf("position 5 should come first")
	}
	var req []string
	for _, f := range reg.Fields() {
		if f.Required {
			req = append(req, f.Key)
		}
	}
	if len(req) != 4 {
		t.Errorf("required fields %v: SPEC R5 names four (name, industry, contact, core need)", req)
	}
	if miss := reg.MissingRequired(map[string]string{"name": "x", "industry": " "}); len(miss) != 3 {
		t.Errorf("missing %v", miss)
	}
	bad := []dossier.Field{
		{Key: "Name", LabelZH: "x", Category: dossier.CatBasic, Type: dossier.TypeText},
		{Key: "name", LabelZH: "x", Category: dossier.CatBasic, Type: dossier.TypeText},
		{Key: "ok_key", LabelZH: "x", Category: "nope", Type: dossier.TypeText},
		{Key: "ok_key", LabelZH: "x", Category: dossier.CatBasic, Type: dossier.TypeEnum},
	}
	for _, f := range bad {
		if err := f.ValidateCustom(reg); err == nil {
			t.Errorf("ValidateCustom accepted %+v", f)
		}
	}
}

// ResolveObservations picks winners without flattening; it must agree with
// Resolve over the flattened facts on every field.
func TestResolveObservationsAgreesWithResolve(t *testing.T) {
	chans := dossier.Channels
	remarks := []dossier.Remark{dossier.RemarkNone, dossier.RemarkPending, dossier.RemarkDynamic}
	var obs []dossier.Observation
	for i := range 40 {
		o := dossier.Observation{ID: int64(i + 1), Values: map[string]string{}, Remarks: map[string]dossier.Remark{},
			Source: dossier.Source{Channel: chans[i%4], CollectedAt: day("2025-01-01").AddDate(0, 0, (i*7)%30)}}
		for _, k := range []string{"revenue", "credit_code", "city"} {
			if (i+len(k))%3 != 0 {
				o.Values[k] = k + string(rune('a'+i%26))
				o.Remarks[k] = remarks[(i+len(k))%3]
			}
		}
		obs = append(obs, o)
	}
	p := dossier.DefaultResolvePolicy()
	got := p.ResolveObservations(obs)
	for k, f := range p.Resolve(dossier.Facts(obs)) {
		if got[k] != f.Value {
			t.Errorf("%s: ResolveObservations %q, Resolve %q", k, got[k], f.Value)
		}
	}
}
