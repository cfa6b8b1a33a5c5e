package dossier

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Snapshot is the key values of every live customer in a scope at one
// moment (SPEC R32): taken quarterly by the server, on demand, or as the
// result of a study's run (R1).
type Snapshot struct {
	ID        int64     `json:"id"`
	Label     string    `json:"label"`
	StudyID   int64     `json:"study_id,omitempty"`
	Scope     string    `json:"scope"` // filter expression; "" is every customer
	TakenBy   string    `json:"taken_by"`
	TakenAt   time.Time `json:"taken_at"`
	Customers int       `json:"customers"`
}

// SnapshotRow is one customer's key values in a snapshot. Empty strings are
// unknown values.
type SnapshotRow struct {
	CustomerID int64  `json:"customer_id"`
	Score      int    `json:"score"`
	Priority   string `json:"priority"`
	Tier       string `json:"tier"`
	Grade      string `json:"grade"`
	Value      string `json:"value"`
	Stage      string `json:"stage"`
}

// SnapshotNow, as a snapshot reference, is the customers' live values.
const SnapshotNow = "now"

// Comparison is a population of customers compared between two snapshots
// (or a snapshot and now). The population is the customers live today
// (neither hidden nor merged) that match Scope and appear in at least one
// of the two; one missing from From is new, one missing from To left the
// snapshot's scope.
type Comparison struct {
	From      *Snapshot `json:"from"` // ID 0: now
	To        *Snapshot `json:"to"`
	Scope     string    `json:"scope"`
	Customers int       `json:"customers"`
	New       int       `json:"new"`  // in To only
	Gone      int       `json:"gone"` // in From only
	// Per dimension (tier, grade, value, priority, stage): counts then and
	// now, and the transitions "then → now". "" is unknown or absent.
	Dimensions []DimensionChange `json:"dimensions"`
	// Mean score of the customers present in each snapshot.
	ScoreFrom float64 `json:"score_from"`
	ScoreTo   float64 `json:"score_to"`
	// Score distribution in bands of ScoreBand points, then and now.
	Bands []ScoreBandCount `json:"score_bands"`
}

// DimensionChange is one dimension of a comparison.
type DimensionChange struct {
	Name        string       `json:"name"`
	Counts      []LevelCount `json:"counts"` // every level seen in either snapshot, sorted
	Transitions []Transition `json:"transitions"`
}

// LevelCount is how many customers had a level then and have it now.
type LevelCount struct {
	Level string `json:"level"`
	From  int    `json:"from"`
	To    int    `json:"to"`
}

// Transition is a cell of the transitions matrix: customers whose level
// was From and is To.
type Transition struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Count int    `json:"count"`
}

// ScoreBand is the width of the score distribution's bands.
const ScoreBand = 20

// ScoreBandCount counts customers whose score falls in [Low, Low+ScoreBand).
type ScoreBandCount struct {
	Low  int `json:"low"`
	From int `json:"from"`
	To   int `json:"to"`
}

// Dimension returns the comparison's dimension called name, or nil.
func (c *Comparison) Dimension(name string) *DimensionChange {
	for i := range c.Dimensions {
		if c.Dimensions[i].Name == name {
			return &c.Dimensions[i]
		}
	}
	return nil
}

// CustomerChange is one customer between two snapshots; nil: absent.
type CustomerChange struct {
	CustomerID int64        `json:"customer_id"`
	From       *SnapshotRow `json:"from"`
	To         *SnapshotRow `json:"to"`
	Changed    []string     `json:"changed"` // names of the values that differ
}

// Study is an analysis in the sense of SPEC R1: a goal, a scope (a saved
// segment or a filter expression), who is responsible and which roles may
// see it. Each run keeps its results as a snapshot of the scope.
// (Analysis is already a customer's rule results.)
type Study struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Goal      string    `json:"goal"`
	Segment   string    `json:"segment,omitempty"` // the saved segment the scope came from
	Scope     string    `json:"scope"`
	Owner     string    `json:"owner"`           // responsible
	Roles     []string  `json:"roles,omitempty"` // who may see it besides its owner and admins; none: everyone
	CreatedAt time.Time `json:"created_at"`
	Runs      int       `json:"runs"`
	Version   int64     `json:"version"` // changes and deletes name it (migration 016)
}

// Validate checks what does not need the store.
func (s *Study) Validate() error {
	s.Name = strings.TrimSpace(s.Name)
	switch {
	case s.Name == "":
		return FieldError("name", "an analysis needs a name")
	case utf8.RuneCountInString(s.Name) > 100:
		return FieldError("name", "an analysis name has at most 100 characters")
	case utf8.RuneCountInString(s.Goal) > 2000:
		return FieldError("goal", "a goal has at most 2000 characters")
	}
	for _, r := range s.Roles {
		if !ValidRole(r) {
			return FieldError("roles", "unknown role %q", r)
		}
	}
	return nil
}

// VisibleTo reports whether u may see the study and its runs.
func (s *Study) VisibleTo(u *User) bool {
	return u.Role == RoleAdmin || u.Name == s.Owner || len(s.Roles) == 0 || slices.Contains(s.Roles, u.Role)
}

// SnapshotService takes, lists and compares snapshots, and keeps studies.
type SnapshotService interface {
	// TakeSnapshot writes the key values of every live customer matching
	// scope ("" for all); EINVALID for a bad expression.
	TakeSnapshot(ctx context.Context, s *Snapshot) error
	// Snapshots lists complete snapshots, newest first; studyID < 0 lists
	// those of no study, 0 all of them.
	Snapshots(ctx context.Context, studyID int64) ([]Snapshot, error)
	// ResolveSnapshot finds a snapshot by reference: its id, "now" (ID 0),
	// or a date (the latest snapshot of no study taken on or before it).
	// ENOTFOUND when none matches.
	ResolveSnapshot(ctx context.Context, ref string) (*Snapshot, error)
	// CompareSnapshots compares the live customers matching scope between
	// two snapshots; from or to with ID 0 is now, limited to the customers
	// matching its Scope when it has one (an analysis's scope).
	CompareSnapshots(ctx context.Context, from, to *Snapshot, f CustomerFilter) (*Comparison, error)
	// CompareCustomer is one customer's values in two snapshots.
	CompareCustomer(ctx context.Context, from, to *Snapshot, customerID int64) (*CustomerChange, error)
	// CreateStudy stores a study; ECONFLICT when the name is taken,
	// EINVALID for a bad scope or an unknown segment.
	CreateStudy(ctx context.Context, s *Study) error
	// Studies lists the studies, by name.
	Studies(ctx context.Context) ([]Study, error)
	// FindStudy finds a study by id or name; ENOTFOUND if none.
	FindStudy(ctx context.Context, ref string) (*Study, error)
	// RunStudy snapshots the study's scope as a new run.
	RunStudy(ctx context.Context, id int64, by string) (*Snapshot, error)
}

// PickRuns picks the two snapshots an analysis comparison shows: by default
// its last two runs, or its only run against now. It returns snapshot
// references for ResolveSnapshot; ENOTFOUND when the study never ran.
func PickRuns(ctx context.Context, store SnapshotService, st *Study, from, to string) (string, string, error) {
	runs, err := store.Snapshots(ctx, st.ID)
	if err != nil {
		return "", "", err
	}
	ids := make([]string, len(runs))
	for i, r := range runs {
		ids[i] = strconv.FormatInt(r.ID, 10)
	}
	if from != "" && to != "" {
		return from, to, nil
	}
	switch {
	case len(runs) == 0:
		return "", "", Errorf(ENOTFOUND, "analysis %s has no run yet", st.Name)
	case to == "" && from == "" && len(runs) == 1:
		return ids[0], SnapshotNow, nil
	case to == "" && from == "":
		return ids[1], ids[0], nil
	case to == "":
		return from, ids[0], nil
	}
	// Only --to: the run before it.
	for i, id := range ids {
		if id == to && i+1 < len(ids) {
			return ids[i+1], to, nil
		}
	}
	return ids[len(ids)-1], to, nil
}
