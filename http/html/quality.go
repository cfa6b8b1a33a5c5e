package html

// QualityPage is the data-quality page (SPEC R6–R8): one tab at a time of
// the duplicate review queue, the conflicts to settle, the gap worklist and
// the invalid values.
type QualityPage struct {
	Base
	Tab     string
	Tabs    []Tab
	CanEdit bool
	Notice  string // already translated
	Done    string // the action the notice reports: merged, undone, …
	UndoID  int64  // a merge just made, offered for undo

	Pairs     []PairView
	Merges    []MergeView
	Conflicts []ConflictView
	Gaps      []GapView
	Invalid   []InvalidView

	Owner            string // the gap worklist's owner filter
	Total, From, To  int
	PrevURL, NextURL string
}

// Tab links to one tab of the page.
type Tab struct {
	Key, Label, URL string
	Active          bool
}

// PairView is a candidate pair: the two customers side by side and the
// evidence that made the matcher pair them.
type PairView struct {
	ID          int64
	Probability string // "97%"
	Weight      string
	AURL, BURL  string
	AName       string
	BName       string
	Rows        []PairRow
	Evidence    []EvidenceView
}

// PairRow is one field of both customers.
type PairRow struct {
	Label, A, B string
	Same        bool
}

// EvidenceView is one comparison behind a pair.
type EvidenceView struct {
	Field, Level, Weight string
}

// MergeView is a recent merge, with an undo button while it stands.
type MergeView struct {
	ID                        int64
	SurvivorURL, SurvivorName string
	AbsorbedName              string
	At, By, Reason            string
	Undone                    bool
}

// ConflictView is a key fact on which channels disagree, with a button to
// confirm each channel's value and a field to type the right one.
type ConflictView struct {
	CustomerID        int64
	CustomerURL, Name string
	Field, FieldLabel string
	Current           string
	Evidence          []FactView
	Settleable        bool // a registry fact; the decision maker is settled in the contacts
}

// FactView is one channel's statement: display value and the canonical
// value a settle button sends.
type FactView struct {
	ChannelKey, Channel, Value, Raw, Detail, Date string
}

// GapView is one customer of the gap worklist.
type GapView struct {
	CustomerID        int64
	CustomerURL, Name string
	Owner             string
	Score             int
	Filled, Total     int
	Missing           []GapItem
}

// GapItem is one missing fact, with a peer estimate on offer when there is one.
type GapItem struct {
	Field, Label string
	Required     bool
	Pending      string // a value pending verification already stored
	Offer        string // the peer estimate, for display
	OfferPeers   int
}

// InvalidView is one invalid value.
type InvalidView struct {
	CustomerURL, Name     string
	Field, Value, Problem string
}
