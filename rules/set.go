// Package rules evaluates the analysis rules of DESIGN idea 3 — value
// grades, risks, tags, ICP fit, grade, tier and cadence, strategies and the
// suggested 1–5 scores — over one customer's resolved profile and
// aggregates, with one expression engine (expr-lang/expr).
//
// Rules are data: a Set holds one list or table per kind, each kept as a
// versioned setting. Every expression is compiled and type-checked against
// the customer environment when it is saved, so a rule that names an
// unknown field or mixes types is refused with its line and column.
package rules

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/dossier/dossier"
)

// Kinds lists the rule kinds in the order they are evaluated; each is a
// setting of its own ("rules.<kind>") with its own version.
var Kinds = []string{"value", "suggestions", "risks", "grade", "tiers", "tags", "icp", "strategies"}

// TagRule adds a tag when When holds. Tag is a literal; Value, when set, is
// an expression whose non-empty string result is the tag instead.
type TagRule struct {
	ID    string `json:"id"`
	Tag   string `json:"tag,omitempty"`
	Value string `json:"value,omitempty"`
	When  string `json:"when"`
}

// RiskRule opens a risk when When holds; Trigger is an expression giving
// the trigger text ("负债率 78% > 70%").
type RiskRule struct {
	ID       string `json:"id"`
	Category string `json:"category"` // financial / cooperation / industry
	Level    string `json:"level"`    // high / medium / low
	When     string `json:"when"`
	Trigger  string `json:"trigger"`
}

// ValueRules grade the three value dimensions of R10 and the overall value;
// each expression yields "high", "medium" or "low". Overall sees the three
// as the variables scale, growth and stickiness.
type ValueRules struct {
	Scale      string `json:"scale"`
	Growth     string `json:"growth"`
	Stickiness string `json:"stickiness"`
	Overall    string `json:"overall"`
}

// Criterion is one condition of an ideal customer profile.
type Criterion struct {
	Name string `json:"name"`
	When string `json:"when"`
}

// ICP is an ideal customer profile (R13): fit is the share of criteria met.
type ICP struct {
	Name     string      `json:"name"`
	Criteria []Criterion `json:"criteria"`
}

// Plan is what a tier gets (R15): how often to follow up and who.
type Plan struct {
	Cadence   string `json:"cadence"` // weekly / biweekly / monthly
	Days      int    `json:"days"`
	Resources string `json:"resources"`
}

// TierRules map a customer to a tier and the tier to its plan. A customer
// whose follow-up is overdue by more than PoolAfterDays returns to the
// public pool (公海); 0 turns that off.
type TierRules struct {
	Tier          string          `json:"tier"`
	Plans         map[string]Plan `json:"plans"`
	PoolAfterDays int             `json:"pool_after_days"`
}

// StrategyRule recommends a strategy (R17) and its action list (R18).
type StrategyRule struct {
	ID      string           `json:"id"`
	Name    string           `json:"name"`
	When    string           `json:"when"`
	Actions []dossier.Action `json:"actions,omitempty"`
}

// Suggestions compute the suggested need match and likelihood (1–5) shown
// beside the values people enter (R16).
type Suggestions struct {
	NeedMatch  string `json:"need_match"`
	Likelihood string `json:"likelihood"`
}

// Set is every rule, with the version of each kind it was built from.
type Set struct {
	Value       ValueRules     `json:"value"`
	Suggestions Suggestions    `json:"suggestions"`
	Risks       []RiskRule     `json:"risks"`
	Grade       string         `json:"grade"`
	Tiers       TierRules      `json:"tiers"`
	Tags        []TagRule      `json:"tags"`
	ICPs        []ICP          `json:"icp"`
	Strategies  []StrategyRule `json:"strategies"`
	Versions    map[string]int `json:"-"`
}

// part returns a pointer to the field holding a kind.
func (s *Set) part(kind string) (any, error) {
	switch kind {
	case "value":
		return &s.Value, nil
	case "suggestions":
		return &s.Suggestions, nil
	case "risks":
		return &s.Risks, nil
	case "grade":
		return &s.Grade, nil
	case "tiers":
		return &s.Tiers, nil
	case "tags":
		return &s.Tags, nil
	case "icp":
		return &s.ICPs, nil
	case "strategies":
		return &s.Strategies, nil
	}
	return nil, dossier.Errorf(dossier.EINVALID, "unknown rule kind %q: one of %s", kind, strings.Join(Kinds, ", "))
}

// Part returns one kind's rules as indented JSON, the form `rules set` reads.
func (s *Set) Part(kind string) ([]byte, error) {
	p, err := s.part(kind)
	if err != nil {
		return nil, err
	}
	// Expressions are full of && and <, which people edit: no \u0026.
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(p); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// Replace sets one kind from JSON. It checks only the JSON; Compile checks
// the expressions.
func (s *Set) Replace(kind string, data []byte) error {
	p, err := s.part(kind)
	if err != nil {
		return err
	}
	// Start from zero: decoding into the old slices or maps would reuse (and
	// change) memory another Set may share.
	reflect.ValueOf(p).Elem().SetZero()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(p); err != nil {
		return dossier.Errorf(dossier.EINVALID, "%s rules: %v", kind, err)
	}
	return nil
}

// VersionString names the versions a result was computed with, "value:1 risks:2 …".
func (s *Set) VersionString() string {
	var b strings.Builder
	for _, k := range Kinds {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s:%d", k, max(s.Versions[k], 1))
	}
	return b.String()
}

var levels = []string{dossier.LevelHigh, dossier.LevelMedium, dossier.LevelLow}

// check refuses what the JSON allows but the rules do not: unknown levels,
// categories and cadences, duplicate ids, empty expressions.
func (s *Set) check() error {
	seen := map[string]bool{}
	for _, r := range s.Risks {
		if r.ID == "" || seen["risk:"+r.ID] {
			return dossier.Errorf(dossier.EINVALID, "risk rule %q: every rule needs a unique id", r.ID)
		}
		seen["risk:"+r.ID] = true
		if !slices.Contains([]string{dossier.RiskFinancial, dossier.RiskCooperation, dossier.RiskIndustry}, r.Category) {
			return dossier.Errorf(dossier.EINVALID, "risk rule %q: category must be financial, cooperation or industry", r.ID)
		}
		if !slices.Contains(levels, r.Level) {
			return dossier.Errorf(dossier.EINVALID, "risk rule %q: level must be high, medium or low", r.ID)
		}
	}
	for _, r := range s.Tags {
		if r.ID == "" || seen["tag:"+r.ID] {
			return dossier.Errorf(dossier.EINVALID, "tag rule %q: every rule needs a unique id", r.ID)
		}
		seen["tag:"+r.ID] = true
		if (r.Tag == "") == (r.Value == "") {
			return dossier.Errorf(dossier.EINVALID, "tag rule %q: give either tag or value", r.ID)
		}
	}
	for _, r := range s.Strategies {
		if r.ID == "" || seen["strategy:"+r.ID] {
			return dossier.Errorf(dossier.EINVALID, "strategy %q: every rule needs a unique id", r.ID)
		}
		seen["strategy:"+r.ID] = true
		for _, a := range r.Actions {
			if a.Title == "" || a.DueDays < 0 || a.DueDays > 3650 {
				return dossier.Errorf(dossier.EINVALID, "strategy %q: an action needs a title and due_days 0–3650", r.ID)
			}
		}
	}
	for _, icp := range s.ICPs {
		if icp.Name == "" || len(icp.Criteria) == 0 || seen["icp:"+icp.Name] {
			return dossier.Errorf(dossier.EINVALID, "ICP %q: needs a unique name and at least one criterion", icp.Name)
		}
		seen["icp:"+icp.Name] = true
	}
	for _, t := range levels {
		p, ok := s.Tiers.Plans[t]
		if !ok || p.Days <= 0 || p.Days > 366 {
			return dossier.Errorf(dossier.EINVALID, "tiers: the %s tier needs a plan with days 1–366", t)
		}
	}
	if s.Tiers.PoolAfterDays < 0 {
		return dossier.Errorf(dossier.EINVALID, "tiers: pool_after_days must not be negative")
	}
	return nil
}

// FromStored builds a Set from the stored kinds over the defaults: a kind
// never saved is the seed's.
func FromStored(parts map[string]dossier.RulePart) (Set, error) {
	s := Default()
	s.Versions = map[string]int{}
	for _, k := range Kinds {
		p, ok := parts[k]
		if !ok {
			continue
		}
		if err := s.Replace(k, p.Body); err != nil {
			return s, err
		}
		s.Versions[k] = p.Version
	}
	return s, nil
}

// Validate replaces one kind of s with body and compiles the result: the
// check run before a new version is saved. It returns the canonical JSON
// to store.
func Validate(s Set, kind string, body []byte, fields []dossier.Field) ([]byte, error) {
	if err := s.Replace(kind, body); err != nil {
		return nil, err
	}
	if _, err := Compile(s, fields); err != nil {
		return nil, err
	}
	return s.Part(kind)
}

// Store is where rules and the field registry are kept.
type Store interface {
	RuleParts(ctx context.Context) (map[string]dossier.RulePart, error)
	Registry(ctx context.Context) (*dossier.Registry, error)
}

// Load compiles the store's rules (the defaults for kinds never saved)
// against its registry.
func Load(ctx context.Context, st Store) (*Engine, error) {
	parts, err := st.RuleParts(ctx)
	if err != nil {
		return nil, err
	}
	reg, err := st.Registry(ctx)
	if err != nil {
		return nil, err
	}
	s, err := FromStored(parts)
	if err != nil {
		return nil, err
	}
	e, err := Compile(s, reg.Fields())
	if err != nil {
		return nil, fmt.Errorf("the saved rules no longer compile (was a field retired?): %w", err)
	}
	return e, nil
}

// Count returns how many rules a kind holds (1 for single expressions).
func (s *Set) Count(kind string) int {
	switch kind {
	case "risks":
		return len(s.Risks)
	case "tags":
		return len(s.Tags)
	case "icp":
		return len(s.ICPs)
	case "strategies":
		return len(s.Strategies)
	case "value":
		return 4
	case "suggestions", "tiers":
		return 2
	}
	return 1
}
