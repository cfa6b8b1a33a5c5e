package dossier

import (
	"context"
	"time"
)

// This file holds the data-quality side of the domain (SPEC R6–R8): the
// duplicate review queue and merges, cross-verification of key facts, gaps
// and invalid values. The rules that need no store live in verify.go and
// gaps.go.

// Status of a candidate pair in the review queue.
const (
	PairOpen         = "open"          // waiting for a person
	PairMerged       = "merged"        // merged; MergeID says which merge
	PairNotDuplicate = "not_duplicate" // a person said they are different customers
)

// PairEvidence is one comparison behind a candidate pair: the field, how
// well it agreed ("exact", "similar", "different", …) and its weight.
type PairEvidence struct {
	Field  string  `json:"field"`
	Level  string  `json:"level"`
	Weight float64 `json:"weight"`
}

// CandidatePair is two customers the matcher thinks may be one. A is always
// the smaller id; merging keeps A and absorbs B.
type CandidatePair struct {
	ID          int64          `json:"id"`
	A           int64          `json:"a"`
	B           int64          `json:"b"`
	NameA       string         `json:"name_a,omitempty"`
	NameB       string         `json:"name_b,omitempty"`
	Probability float64        `json:"probability"`
	Weight      float64        `json:"weight"`
	Evidence    []PairEvidence `json:"evidence"`
	Status      string         `json:"status"`
	DecidedBy   string         `json:"decided_by,omitempty"`
	DecidedAt   *time.Time     `json:"decided_at,omitempty"`
	MergeID     int64          `json:"merge_id,omitempty"`
	CreatedAt   time.Time      `json:"created_at"`
	UpdatedAt   time.Time      `json:"updated_at"`
}

// PairFilter selects pairs of the review queue, most probable first. Owner
// and Team (from User.CustomerScope) keep pairs whose two customers both
// match; an empty Status means open.
type PairFilter struct {
	Status     string
	Owner      string
	SharedTeam string // see CustomerFilter.SharedTeam
	Team       string
	Offset     int
	Limit      int
	// After, AfterProbability and AfterWeight page by keyset (the API's
	// cursor): only pairs after the pair After, with that probability and
	// weight, in the queue's order (probability and weight descending,
	// then id). Offset is ignored when After is set.
	After            int64
	AfterProbability float64
	AfterWeight      float64
}

// PairSaveResult counts what SavePairs did.
type PairSaveResult struct {
	Added   int `json:"added"`   // new open pairs
	Updated int `json:"updated"` // open pairs whose score changed
	Kept    int `json:"kept"`    // pairs already decided, left as they were
	Skipped int `json:"skipped"` // pairs naming a missing or merged customer, or one customer twice
}

// Actor is who does something, for the audit log.
type Actor struct {
	Name       string
	RemoteAddr string
}

// MergeRequest merges customer Absorbed into Survivor. A non-zero
// SurvivorVersion must equal the survivor's version (ECONFLICT otherwise).
type MergeRequest struct {
	Survivor        int64
	Absorbed        int64
	Reason          string
	SurvivorVersion int64
	By              Actor
}

// Merge is one recorded merge. Observations are never moved: the absorbed
// customer keeps its facts and the survivor's profile is resolved from both.
type Merge struct {
	ID       int64      `json:"id"`
	Survivor int64      `json:"survivor"`
	Absorbed int64      `json:"absorbed"`
	By       string     `json:"by"`
	Reason   string     `json:"reason,omitempty"`
	At       time.Time  `json:"at"`
	UndoneAt *time.Time `json:"undone_at,omitempty"`
	UndoneBy string     `json:"undone_by,omitempty"`
	Moves    MergeMoves `json:"moves"`
}

// MergeMoves is every row a merge changed, so that undo restores them
// exactly: records moved from the absorbed customer to the survivor,
// duplicate contacts hidden behind the contact they merged into, and the
// blank fields of a kept contact that a duplicate filled.
type MergeMoves struct {
	Contacts     []int64          `json:"contacts,omitempty"`
	Interactions []int64          `json:"interactions,omitempty"`
	Needs        []int64          `json:"needs,omitempty"`
	Projects     []int64          `json:"projects,omitempty"`
	Hidden       map[int64]int64  `json:"hidden,omitempty"` // duplicate contact → contact kept
	Filled       []ContactFilling `json:"filled,omitempty"`
}

// ContactFilling is one blank field of a kept contact that a merge filled
// from its duplicate; undo blanks it again.
type ContactFilling struct {
	Contact int64  `json:"contact"`
	Field   string `json:"field"` // title, role, phone, email, preferences
	Value   string `json:"value"`
}

// DedupeService stores the review queue and merges customers.
type DedupeService interface {
	// SavePairs adds candidate pairs to the review queue. It is idempotent:
	// a pair already there keeps its id, an open one takes the new score,
	// and a decided one (merged, not a duplicate) is never reopened.
	SavePairs(ctx context.Context, pairs []CandidatePair) (PairSaveResult, error)
	// FindPairs returns one page of pairs, most probable first, and the total.
	FindPairs(ctx context.Context, f PairFilter) ([]CandidatePair, int, error)
	// FindPair returns ENOTFOUND when there is no such pair.
	FindPair(ctx context.Context, id int64) (*CandidatePair, error)
	// RejectPair marks an open pair not a duplicate; ECONFLICT if decided.
	RejectPair(ctx context.Context, id int64, by Actor) (*CandidatePair, error)
	// MergePair merges the pair's B into its A and marks the pair merged.
	MergePair(ctx context.Context, id int64, reason string, by Actor) (*Merge, error)
	// MergeCustomers merges one customer into another and audits it.
	MergeCustomers(ctx context.Context, req MergeRequest) (*Merge, error)
	// MergeCluster merges every absorbed customer into the survivor in one
	// transaction, resolving the survivor once (`dedupe --apply`); each
	// merge is recorded and audited on its own, so each can be undone.
	MergeCluster(ctx context.Context, survivor int64, absorbed []int64, reason string, by Actor) ([]Merge, error)
	// UndoMerge restores both customers and their records as they were
	// before the merge; ECONFLICT when already undone or when the survivor
	// was itself merged since (undo that merge first).
	UndoMerge(ctx context.Context, id int64, by Actor) (*Merge, error)
	// FindMerge returns ENOTFOUND when there is no such merge.
	FindMerge(ctx context.Context, id int64) (*Merge, error)
	// MergesOf lists the merges a customer took part in, newest first.
	MergesOf(ctx context.Context, customerID int64) ([]Merge, error)
	// RecentMerges lists up to limit merges, newest first, undone ones too.
	RecentMerges(ctx context.Context, limit int) ([]Merge, error)
}

// QualitySettings are the data-quality thresholds a team may change.
type QualitySettings struct {
	// Tolerance is how far two numbers of a key fact may differ, as a share
	// of the larger, and still agree (R7).
	Tolerance float64 `json:"tolerance"`
	// MinPeers is how many peers a peer estimate needs (R8).
	MinPeers int `json:"min_peers"`
}

// DefaultQualitySettings: numbers within 10% agree; an estimate needs 3 peers.
func DefaultQualitySettings() QualitySettings {
	return QualitySettings{Tolerance: 0.10, MinPeers: 3}
}

// QualityFilter selects customers for the quality lists; Owner and Team
// come from User.CustomerScope or a worklist's owner. Limit is 1–500
// (default 50); a negative Limit returns everything from Offset, for
// callers that stream the whole list (the command line).
type QualityFilter struct {
	Owner      string
	SharedTeam string // see CustomerFilter.SharedTeam
	Team       string
	Field      string // only this field
	Offset     int
	Limit      int
	// NoTotal skips counting the matching rows (the total is then 0): a
	// start page showing the first few has no use for it, and at 1,000,000
	// customers the count is most of the time.
	NoTotal bool
	// After continues a list past the row of this key (keyset paging in
	// the list's order; Offset is then ignored): conflicts and invalid
	// values are ordered by customer and Seq, gaps by Score and customer.
	After *QualityKey
}

// QualityKey is a row's place in a quality list's order.
type QualityKey struct {
	CustomerID int64
	Seq        int // conflicts, invalid values
	Score      int // gaps
}

// Conflict is a key fact on which channels disagree.
type Conflict struct {
	CustomerID   int64             `json:"customer_id"`
	CustomerName string            `json:"customer_name"`
	Owner        string            `json:"owner,omitempty"`
	Verification FieldVerification `json:"verification"`
	// Seq orders a customer's conflicts (keyset paging); not shown.
	Seq int `json:"-"`
}

// Settlement settles a conflict: Value becomes a confirmed fact of Field.
type Settlement struct {
	CustomerID int64
	Field      string
	Value      string
	By         Actor
}

// InvalidValue is a stored value that fails its field's validation, or a
// required field with no value.
type InvalidValue struct {
	CustomerID    int64  `json:"customer_id"`
	CustomerName  string `json:"customer_name"`
	Owner         string `json:"owner,omitempty"`
	Field         string `json:"field"`
	Value         string `json:"value"`
	Problem       string `json:"problem"`
	ObservationID int64  `json:"observation_id,omitempty"` // the fact that holds it
	ContactID     int64  `json:"contact_id,omitempty"`     // or the contact
	Current       bool   `json:"current"`                  // it is the profile's current value
	Seq           int    `json:"-"`                        // orders a customer's rows (keyset paging)
}

// QualityService verifies facts, finds gaps and invalid values.
type QualityService interface {
	// QualitySettings returns the team's settings or the defaults.
	QualitySettings(ctx context.Context) (QualitySettings, error)
	// Verification returns the state of every key fact of a customer.
	Verification(ctx context.Context, customerID int64) ([]FieldVerification, error)
	// FindConflicts returns one page of conflicts, by customer and field.
	FindConflicts(ctx context.Context, f QualityFilter) ([]Conflict, int, error)
	// SettleConflict records Value as a confirmed internal fact, detail
	// "settled conflict", collected by the settler; EINVALID on a bad value.
	SettleConflict(ctx context.Context, s Settlement) (*Customer, error)
	// Completeness scores one customer's required and key facts.
	Completeness(ctx context.Context, customerID int64) (*Completeness, error)
	// FindGaps returns one page of customers with missing facts, least
	// complete first.
	FindGaps(ctx context.Context, f QualityFilter) ([]Completeness, int, error)
	// PeerEstimate proposes a value from peers; ENOTFOUND when too few.
	PeerEstimate(ctx context.Context, customerID int64, field string) (*Estimate, error)
	// AcceptEstimate stores the peer estimate as a fact pending
	// verification; ECONFLICT when the field already has a real value.
	AcceptEstimate(ctx context.Context, customerID int64, field string, by Actor) (*Customer, error)
	// FindInvalid returns one page of invalid values and the total.
	FindInvalid(ctx context.Context, f QualityFilter) ([]InvalidValue, int, error)
}

// ValueProblem says why a stored value of the field key fails the field's
// validation, or "" when it passes, is empty, or the field is unknown.
func (r *Registry) ValueProblem(key, v string) string {
	f, ok := r.Field(key)
	if !ok || v == "" {
		return ""
	}
	if _, _, err := f.Canonical(v); err != nil {
		return ErrorMessage(err)
	}
	return ""
}

// Problems of invalid values that are not a failed parse.
const (
	ProblemMissing = "required field is empty"
)
