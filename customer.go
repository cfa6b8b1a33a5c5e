package dossier

import (
	"context"
	"strconv"
	"time"
)

// Customer is a customer's resolved profile: the current value of every field,
// derived from its facts by the ResolvePolicy. Values holds every field in
// canonical form (built-in and custom); the typed fields repeat the ones code
// uses most. LastContact and the score are derived from interactions.
type Customer struct {
	ID          int64             `json:"id"`
	Name        string            `json:"name"`
	Industry    string            `json:"industry"`
	Stage       string            `json:"stage"`
	Grade       string            `json:"grade"`
	Owner       string            `json:"owner"`
	Team        string            `json:"team"`
	Values      map[string]string `json:"values"`
	LastContact string            `json:"last_contact,omitempty"` // date of the latest interaction
	Score       *int              `json:"score,omitempty"`        // latest R14 total
	Priority    string            `json:"priority,omitempty"`     // high / medium / low
	MergedInto  int64             `json:"merged_into,omitempty"`  // the survivor this customer was merged into
	Version     int64             `json:"version"`                // optimistic concurrency
	// SharedWithTeam lets the owner's teammates in sales see and edit the
	// customer (issue #8); set by the owner, their manager or an admin.
	SharedWithTeam bool      `json:"shared_with_team,omitempty"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// Value returns the canonical value of a field ("" when unset).
func (c *Customer) Value(key string) string { return c.Values[key] }

// Int returns a numeric field as an integer, and false when it is unset.
func (c *Customer) Int(key string) (int64, bool) {
	f, err := strconv.ParseFloat(c.Values[key], 64)
	if err != nil {
		return 0, false
	}
	return int64(f), true
}

// SetResolved copies resolved values into the profile and its typed fields.
func (c *Customer) SetResolved(vals map[string]string) {
	if c.Values == nil {
		c.Values = map[string]string{}
	}
	for k, v := range vals {
		if v == "" {
			delete(c.Values, k)
		} else {
			c.Values[k] = v
		}
	}
	c.Name, c.Industry, c.Stage = c.Values["name"], c.Values["industry"], c.Values["stage"]
	c.Grade, c.Owner, c.Team = c.Values["grade"], c.Values["owner"], c.Values["team"]
}

// NewCustomer is what creating a customer takes: the values of its first
// observation and their source.
type NewCustomer struct {
	Values  map[string]string // field key → raw or canonical value
	Remarks map[string]Remark
	Source  Source
}

// CustomerUpdate adds an observation to a customer. Version must equal the
// customer's current version, or the update fails with ECONFLICT.
type CustomerUpdate struct {
	Values  map[string]string
	Remarks map[string]Remark
	Source  Source
	Version int64
}

// CustomerFilter selects customers for lists. Zero fields do not filter.
type CustomerFilter struct {
	Query    string // substring of name or credit code
	Industry string // prefix on the hierarchy: "制造业" matches "制造业-机械设备"
	Province string
	City     string
	Stage    string
	Grade    string
	Priority string
	Owner    string
	// SharedTeam, with Owner, widens the owner's customers by those of this
	// team that their owners shared with it (User.CustomerScope for sales).
	SharedTeam string
	Team       string
	// Expr is a segment filter expression (package filter), e.g.
	// "grade = 重点 AND need_match >= 4"; it narrows the fields above further.
	Expr   string
	Sort   string // "name", "-updated", "-score", "last_contact", …; see SortKeys
	Offset int
	Limit  int
	// After is a keyset cursor: only customers past this id in the order
	// of Sort, Offset ignored. Rows inserted while a client pages never
	// shift the pages it has still to read. For a sort other than id,
	// AfterKey is the sort key of that customer (Customer.SortKey), and
	// AfterNull says it had none (they sort last, by id).
	After     int64
	AfterKey  string
	AfterNull bool
	// NoTotal skips counting the matching customers (the total is then 0),
	// for pages that show the first few only.
	NoTotal bool
	// CheapTotal returns the total only when the store has it without
	// reading the matching customers (from a rollup, or a count made at the
	// current version of the data); otherwise the total is -1, and
	// CountMatching counts them. For lists that show their rows first.
	CheapTotal bool
}

// Count is how many customers a filter matches, as far as they were
// counted: N exactly, or with More, more than N.
type Count struct {
	N    int  `json:"n"`
	More bool `json:"more,omitempty"`
}

// SortKeys lists the accepted CustomerFilter.Sort values.
var SortKeys = []string{"id", "-id", "name", "-name", "updated", "-updated", "score", "-score", "last_contact", "-last_contact"}

// CustomerService reads and writes customers and their observations. Every
// write appends an observation and re-resolves the profile.
type CustomerService interface {
	// SetCustomerShared shares a customer with its owner's team, or stops
	// sharing it, and records by (User, RemoteAddr) as a customer.update.
	SetCustomerShared(ctx context.Context, id int64, shared bool, by AuditEntry) error
	// CreateCustomer validates the values against the registry and stores the
	// customer with its first observation. EINVALID names the bad field.
	CreateCustomer(ctx context.Context, nc NewCustomer) (*Customer, error)
	// FindCustomerByID returns ENOTFOUND when there is no such customer.
	FindCustomerByID(ctx context.Context, id int64) (*Customer, error)
	// FindCustomers returns one page of customers and the number matching.
	FindCustomers(ctx context.Context, f CustomerFilter) ([]*Customer, int, error)
	// CountMatching counts the customers f matches, stopping once it has
	// seen more than max: then Count is {max, More}. Its page fields
	// (Offset, Limit, After, Sort) are ignored.
	CountMatching(ctx context.Context, f CustomerFilter, max int) (Count, error)
	// UpdateCustomer appends an observation; ECONFLICT on a stale version.
	UpdateCustomer(ctx context.Context, id int64, upd CustomerUpdate) (*Customer, error)
	// Observations returns a customer's observations, oldest first.
	Observations(ctx context.Context, customerID int64) ([]Observation, error)
	// FieldHistory returns every fact of one field of a customer, oldest
	// first, and the fact that currently wins.
	FieldHistory(ctx context.Context, customerID int64, field string) ([]Fact, *Fact, error)
}

// Contact is a person at a customer, with their place in the decision chain.
type Contact struct {
	ID          int64     `json:"id"`
	CustomerID  int64     `json:"customer_id"`
	Name        string    `json:"name"`
	Title       string    `json:"title,omitempty"`
	Role        string    `json:"role,omitempty"` // ContactRoleOptions value
	Phone       string    `json:"phone,omitempty"`
	Email       string    `json:"email,omitempty"`
	Preferences string    `json:"preferences,omitempty"`
	Source      Source    `json:"source"`
	CreatedAt   time.Time `json:"created_at"`
	// Version counts changes; an update must name the one read.
	Version int64 `json:"version"`
}

// DecisionChainGaps returns the decision-chain roles that no contact holds:
// a decision chain is complete when it has a decision maker, a technical
// contact and a procurement lead (SPEC R2).
func DecisionChainGaps(cs []Contact) []string {
	need := []string{"decision_maker", "technical", "procurement"}
	var gaps []string
	for _, r := range need {
		found := false
		for _, c := range cs {
			found = found || c.Role == r
		}
		if !found {
			gaps = append(gaps, r)
		}
	}
	return gaps
}

// Interaction is one contact moment with a customer (SPEC R3).
type Interaction struct {
	ID           int64     `json:"id"`
	CustomerID   int64     `json:"customer_id"`
	ContactID    int64     `json:"contact_id,omitempty"`
	Date         string    `json:"date"`    // canonical date
	Channel      string    `json:"channel"` // ChannelOptions value
	Summary      string    `json:"summary,omitempty"`
	Feedback     string    `json:"feedback,omitempty"` // positive / neutral / negative
	FeedbackText string    `json:"feedback_text,omitempty"`
	RecordedBy   string    `json:"recorded_by,omitempty"`
	Source       Source    `json:"source"`
	CreatedAt    time.Time `json:"created_at"`
	// Version counts changes; an update or delete must name the one read.
	Version int64 `json:"version"`
}

// Need is one need of a customer (SPEC R2.4, R9).
type Need struct {
	ID             int64  `json:"id"`
	CustomerID     int64  `json:"customer_id"`
	Type           string `json:"type"`
	Description    string `json:"description,omitempty"`
	Explicit       bool   `json:"explicit"` // false: inferred from a pain point, to be confirmed
	Budget         string `json:"budget,omitempty"`
	Timeline       string `json:"timeline,omitempty"`
	ExpectedAmount int64  `json:"expected_amount,omitempty"`
	Urgency        int    `json:"urgency"`    // 1-5
	Importance     int    `json:"importance"` // 1-5
	Source         Source `json:"source"`
}

// Project is a past or running cooperation project (SPEC R2.5).
type Project struct {
	ID           int64  `json:"id"`
	CustomerID   int64  `json:"customer_id"`
	Name         string `json:"name"`
	Status       string `json:"status,omitempty"` // ProjectStatusOptions value
	Start        string `json:"start,omitempty"`
	End          string `json:"end,omitempty"`
	Amount       int64  `json:"amount,omitempty"`
	Satisfaction int    `json:"satisfaction,omitempty"` // 1-5, 0 unknown
	Source       Source `json:"source"`
	// Version counts changes; an update or delete must name the one read.
	Version int64 `json:"version"`
}

// RecordService stores the records that hang off a customer.
type RecordService interface {
	CreateContact(ctx context.Context, c *Contact) error
	Contacts(ctx context.Context, customerID int64) ([]Contact, error)
	CreateInteraction(ctx context.Context, in *Interaction) error
	Interactions(ctx context.Context, customerID int64) ([]Interaction, error)
	Needs(ctx context.Context, customerID int64) ([]Need, error)
	Projects(ctx context.Context, customerID int64) ([]Project, error)
}
