package dossier

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The writes the REST API (and the CLI, through the same methods) adds to
// the services: hand-made tasks, changing and removing segments, and
// removing customers. Each is its own interface, so that a service which
// does not offer it leaves its routes answering 404.

// NewTask is a task made by hand, e.g. a follow-up of a customer.
type NewTask struct {
	CustomerID int64
	Owner      string
	Title      string
	Due        string // date; any form ParseDate reads
}

// Validate checks a new task and normalises its due date.
func (t *NewTask) Validate() error {
	t.Title, t.Owner = strings.TrimSpace(t.Title), strings.TrimSpace(t.Owner)
	switch {
	case t.CustomerID <= 0:
		return FieldError("customer_id", "name the task's customer")
	case t.Title == "":
		return FieldError("title", "a task needs a title")
	case utf8.RuneCountInString(t.Title) > 200:
		return FieldError("title", "a task title has at most 200 characters")
	}
	d, err := ParseDate(t.Due)
	if err != nil {
		return FieldError("due", "due: %v", err)
	}
	t.Due = FormatDate(d)
	return nil
}

// TaskStore makes and removes tasks by hand; the rules make the others.
type TaskStore interface {
	// CreateTask stores an open, manual task; ENOTFOUND when the customer
	// is not live (hidden or merged away).
	CreateTask(ctx context.Context, t NewTask, by string) (*Task, error)
	// DeleteTask removes a task; ECONFLICT when version is not the task's.
	DeleteTask(ctx context.Context, id, version int64) error
}

// SegmentUpdate changes a segment; nil fields stay. Version must be the
// segment's (ECONFLICT otherwise).
type SegmentUpdate struct {
	Name       *string
	Expression *string
	Shared     *bool
	Version    int64
}

// SegmentEditor finds, changes and removes saved segments by id.
type SegmentEditor interface {
	FindSegmentByID(ctx context.Context, id int64) (*Segment, error)
	// UpdateSegment checks the expression as CreateSegment does; ECONFLICT
	// for a stale version or a name in use.
	UpdateSegment(ctx context.Context, id int64, upd SegmentUpdate) (*Segment, error)
	DeleteSegment(ctx context.Context, id, version int64) error
}

// StudyUpdate changes an analysis's name, goal or roles; nil fields stay.
// Its scope stays, so that its runs compare the same population.
type StudyUpdate struct {
	Name    *string
	Goal    *string
	Roles   *[]string
	Version int64
}

// StudyEditor changes and removes analyses (studies).
type StudyEditor interface {
	// UpdateStudy: ECONFLICT for a stale version or a name in use.
	UpdateStudy(ctx context.Context, id int64, upd StudyUpdate) (*Study, error)
	// DeleteStudy removes the analysis with its runs (their snapshots).
	DeleteStudy(ctx context.Context, id, version int64) error
}

// CustomerDeleter removes customers.
type CustomerDeleter interface {
	// DeleteCustomer hides a customer, as undoing the import that alone
	// spoke of it does: it leaves every list, count and lookup, its facts
	// stay for the audit trail, and an import naming it later brings it
	// back. ECONFLICT for a stale version or a customer merged away.
	DeleteCustomer(ctx context.Context, id, version int64, by AuditEntry) error
}

// Audit actions of the API's writes.
const (
	AuditTaskCreate     = "task.create"
	AuditTaskDelete     = "task.delete"
	AuditCustomerDelete = "customer.delete"
)

func init() {
	AuditActions = append(AuditActions, AuditTaskCreate, AuditTaskDelete, AuditCustomerDelete)
}

// SortKey is the customer's value of a sort key (SortKeys, without its
// sign) for a keyset cursor: the name, the score, the last contact date or
// the time of the last change; null when the customer has none. Id sorts
// need no key.
func (c *Customer) SortKey(sort string) (key string, null bool) {
	switch strings.TrimPrefix(sort, "-") {
	case "name":
		return c.Name, false
	case "score":
		if c.Score == nil {
			return "", true
		}
		return strconv.Itoa(*c.Score), false
	case "last_contact":
		return c.LastContact, c.LastContact == ""
	case "updated":
		return c.UpdatedAt.UTC().Format(time.RFC3339Nano), false
	}
	return "", false
}
