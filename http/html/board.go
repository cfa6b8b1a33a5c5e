package html

// TasksPage is the tasks and cadence board: the tasks in four columns, the
// tiers' follow-up cadence, and the public pool (公海).
type TasksPage struct {
	Base
	Owner, Tier   string // the filters in force
	CanPickOwner  bool   // managers and admins pick whose tasks to see
	CanEdit       bool   // may complete, postpone and claim
	Owners, Tiers []Choice
	Columns       []TaskColumn
	Cadences      []CadenceView
	PoolAfterDays int
	Pool          []PoolRow
	PoolTotal     int
	Back          string // this board with its filters, where task forms return
}

// TaskColumn is one column of the board: overdue, week, later or done.
type TaskColumn struct {
	Key, Label string
	Cards      []TaskCard
	More       bool // the column holds more than it shows
}

// TaskCard is one task on the board.
type TaskCard struct {
	ID                                  int64
	Title, Customer, CustomerURL, Owner string
	Due                                 string
	Overdue, Open                       bool
	Tier, TierLabel                     string
}

// CadenceView is one tier's follow-up plan (R15), from the rules in force.
type CadenceView struct {
	Tier, TierLabel, Cadence, Resources string
	Days                                int
}

// PoolRow is a customer in the public pool; URL is "" when the user may
// not open its page.
type PoolRow struct {
	ID                                     int64
	Name, Industry, LastContact, Team, URL string
	CanClaim                               bool
}

// ChainView is the decision chain diagram of a profile: boxes and lines of
// an inline SVG, laid out by the server.
type ChainView struct {
	Width, Height   int
	Nodes           []ChainNode
	Edges           []ChainEdge
	Steps           int      // approval steps drawn (the first Steps nodes)
	Factors         []string // decision factors (price, quality, relationship…)
	NoDecisionMaker bool     // contacts are known but none decides
}

// ChainNode is one box: an approval step or a contact.
type ChainNode struct {
	X, Y, W, H, TextX  int
	Class              string // step, missing, role-decision_maker, …
	Line1, Line2, Full string // Full is the tooltip
}

// ChainEdge is a line between two boxes.
type ChainEdge struct {
	X1, Y1, X2, Y2 int
	Class          string // flow (between steps) or influence (up the chain)
}
