package dossier

import (
	"fmt"
	"math"
	"slices"
)

// Gap is a required or key fact a customer lacks (SPEC R8). Estimate is a
// value pending verification (a vague figure or an accepted peer estimate)
// that stands in for it until someone confirms it.
type Gap struct {
	Field    string `json:"field"`
	Required bool   `json:"required"`
	KeyFact  bool   `json:"key_fact"`
	Estimate string `json:"estimate,omitempty"`
}

// Completeness is how complete a customer's record is:
//
//	score = round(100 × filled / total)
//
// where total counts the active required and key-fact fields of the
// registry (customer fields, plus the contact: a customer has one when any
// contact is recorded), and filled counts those whose current value is set
// and not pending verification. A value pending verification is still a gap.
type Completeness struct {
	CustomerID   int64  `json:"customer_id"`
	CustomerName string `json:"customer_name"`
	Owner        string `json:"owner,omitempty"`
	Score        int    `json:"score"`
	Filled       int    `json:"filled"`
	Total        int    `json:"total"`
	Missing      []Gap  `json:"missing"`
}

// contactField is the registry key standing for "has a contact".
const contactField = "contact_name"

// AssessCompleteness scores a customer from the winning fact of each field
// (ResolvePolicy.Resolve) and whether it has a contact.
func AssessCompleteness(reg *Registry, won map[string]Fact, hasContact bool) Completeness {
	c := Completeness{Missing: []Gap{}}
	for _, f := range reg.fields { // not Active(): this runs per customer in scans
		if f.Retired || (!f.Required && !f.KeyFact) {
			continue
		}
		gap := Gap{Field: f.Key, Required: f.Required, KeyFact: f.KeyFact}
		switch {
		case f.Key == contactField:
			if hasContact {
				c.Filled++
			} else {
				c.Missing = append(c.Missing, gap)
			}
		case f.Entity != EntityCustomer:
			continue
		default:
			w, ok := won[f.Key]
			if ok && w.Value != "" && w.Remark != RemarkPending {
				c.Filled++
			} else {
				if ok && w.Remark == RemarkPending {
					gap.Estimate = w.Value
				}
				c.Missing = append(c.Missing, gap)
			}
		}
		c.Total++
	}
	if c.Total > 0 {
		c.Score = int(math.Round(100 * float64(c.Filled) / float64(c.Total)))
	}
	return c
}

// Estimate is a value proposed for a missing numeric fact: the median of the
// field among peers — customers of the same industry and size band.
type Estimate struct {
	CustomerID int64  `json:"customer_id"`
	Field      string `json:"field"`
	Value      string `json:"value"` // canonical
	Peers      int    `json:"peers"`
	Industry   string `json:"industry"`
	Band       string `json:"band,omitempty"` // "" when the industry alone was used
}

// EstimateDetailPrefix starts the source detail of every accepted estimate,
// so that estimates are never counted as peers of later estimates.
const EstimateDetailPrefix = "peer estimate"

// Detail is the source detail an accepted estimate is stored with.
func (e Estimate) Detail() string {
	band := e.Band
	if band == "" {
		band = "any size"
	}
	return fmt.Sprintf("%s: %s, median of %d peers (%s, %s employees)", EstimateDetailPrefix, e.Field, e.Peers, e.Industry, band)
}

// Estimable reports whether peers can estimate a field: numbers, money,
// percentages and budget ranges.
func Estimable(f Field) bool {
	switch f.Type {
	case TypeNumber, TypeMoney, TypePercent, TypeRange:
		return f.Entity == EntityCustomer
	}
	return false
}

// SizeBands are the employee-count bands peers are grouped by: [Lo, Hi).
var SizeBands = []struct {
	Lo, Hi float64
	Label  string
}{
	{0, 50, "<50"}, {50, 200, "50-199"}, {200, 1000, "200-999"}, {1000, 5000, "1000-4999"}, {5000, math.Inf(1), "5000+"},
}

// SizeBand returns the index of the band of an employee count.
func SizeBand(employees float64) int {
	for i, b := range SizeBands {
		if employees < b.Hi {
			return i
		}
	}
	return len(SizeBands) - 1
}

// Median of xs (which it sorts); 0 for none.
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	slices.Sort(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

// NumericValue is the number a canonical value of f stands for: the value
// itself, or the midpoint of a range; false when there is none.
func NumericValue(f Field, v string) (float64, bool) {
	if f.Type == TypeRange {
		return rangeMid(v)
	}
	var n float64
	_, err := fmt.Sscan(v, &n)
	return n, err == nil
}

// FormatEstimate turns a median back into a canonical value of f.
func FormatEstimate(f Field, n float64) string {
	switch f.Type {
	case TypeMoney, TypeRange:
		return Money(math.Round(n)).String()
	}
	return FormatNumber(math.Round(n*10) / 10)
}
