package html

// HomePage is a person's start page: follow-ups, key customers, recent
// changes and missing facts.
type HomePage struct {
	Base
	Personal bool // the lists are the user's own customers
	Tasks    []HomeTask
	Key      []CustomerRow
	Recent   []CustomerRow
	Gaps     []HomeGap
}

// HomeTask is one open follow-up.
type HomeTask struct {
	URL, Customer, Title, Due string
	Overdue                   bool
}

// HomeGap is a customer with missing required or key facts.
type HomeGap struct {
	URL, Customer string
	Score         int // completeness, percent
	Missing       []string
}
