package html

// Choice is one option of a filter's drop-down.
type Choice struct {
	Value, Label string
	Selected     bool
}

// Column is a header of the customer table; SortURL is empty when the
// column cannot be sorted.
type Column struct {
	Label   string
	SortURL string
	Sorted  string // "asc", "desc" or ""
}

// CustomerRow is one line of the customer list, every value ready to show.
type CustomerRow struct {
	ID            int64
	URL           string
	Name          string
	Industry      string
	Place         string
	Stage         string
	Grade         string
	Owner         string
	LastContact   string
	Score         string
	Priority      string // high / medium / low, for the badge's class
	PriorityLabel string
}

// AnalyticsPage is the pivot builder with charts; its script fetches the
// numbers from the analytics API.
type AnalyticsPage struct {
	Base
	Dims     []Choice // fields and derived values to group by
	Fields   []Choice // the customer fields among them: a trend's series
	Numbers  []Choice // numeric fields to sum or average
	Reports  []Choice // ready reports
	Segments []Choice // saved segments the user may use
}

// CustomersPage is the filterable, sortable, paged customer list.
type CustomersPage struct {
	Base
	Query, Industry, Sort string
	Filter, FilterError   string   // segment filter expression, and why it was refused
	Segments              []Choice // saved segments the user may use
	Stages, Grades        []Choice
	Priorities            []Choice
	Columns               []Column
	Rows                  []CustomerRow
	// Total is -1 when it was not at hand: TotalURL then answers it, for
	// the page's script to show once the rows are there.
	Total, From, To  int
	TotalURL         string
	PrevURL, NextURL string
	// Bulk actions: BulkAction posts the selection with the list's filter
	// (its query string); empty when the user may not change customers.
	BulkAction string
	CanAssign  bool // assign owner: managers and admins
	BulkDone   string
}

// FieldRow is one profile value with the source of the fact that won.
type FieldRow struct {
	Key         string
	Label       string
	Value       string
	Channel     string // channel key, for the badge's class; "" when unknown
	ChannelText string
	Detail      string
	Remark      string // translated remark, "" when none
	HistoryURL  string
	State       string // key facts: verified / unverified / conflict (R7)
	StateText   string
}

// FieldGroup is the values of one registry category.
type FieldGroup struct {
	Label string
	Rows  []FieldRow
}

// ContactRow is a contact with phone and e-mail masked when the user's role
// may not see them.
type ContactRow struct {
	Name, Title, Role, Phone, Email, Preferences string
}

// InteractionRow is one contact moment.
type InteractionRow struct {
	Date, Channel, Summary, Feedback, FeedbackText, RecordedBy string
}

// ScoreLineView is one explained component of the score.
type ScoreLineView struct {
	Component string
	Points    int
	Text      string
	Missing   bool
}

// ScoreView is a customer's latest score.
type ScoreView struct {
	Total         int
	Priority      string
	PriorityLabel string
	AsOf          string
	Lines         []ScoreLineView
}

// CustomerPage is one customer's profile and records.
type CustomerPage struct {
	Base
	ID                int64
	Name              string
	Summary           []string // stage, grade, industry, owner: the line under the name
	Groups            []FieldGroup
	Contacts          []ContactRow
	ChainGaps         string     // decision-chain roles nobody holds, joined; "" when complete
	Chain             *ChainView // the decision chain diagram; nil with no contacts and no process
	Interactions      []InteractionRow
	InteractionsTotal int
	Score             *ScoreView
	// SurveyAction is where a questionnaire link is made; empty for roles
	// that may not edit the customer.
	SurveyAction      string
	Analysis          *AnalysisView // value, tier, tags, risks, ICP, tasks (rules)
	MergedInto        int64         // the survivor, when this customer was merged into another
	Completeness      int           // percent of required and key facts filled (R8)
	DecisionMaker     string        // verification state of the decision maker, from the contacts (R7)
	DecisionMakerText string
	Edit              *EditForm  // the basic fields' edit form; nil for roles that may not edit
	Share             *ShareForm // the team-sharing switch; nil for those who may not share
}

// EditForm edits a customer's basic fields at the version it was read at.
type EditForm struct {
	Action  string
	Version int64
	Fields  []EditField
	Error   string // why the last save was refused
	Open    bool   // shown unfolded (after a refused save)
}

// EditField is one input of the edit form: a select when it has options.
type EditField struct {
	Key, Label, Value string
	Options           []EditOption
	Help              string // a custom field's help text, in the reader's language
}

// EditOption is one choice of an enumerated field.
type EditOption struct {
	Value, Label string
	Selected     bool
}

// ShareForm switches sharing a customer with its owner's team.
type ShareForm struct {
	Action string
	Shared bool
	Team   string
}

// FactRow is one fact in a field's history.
type FactRow struct {
	Value, Channel, ChannelText, Detail string
	CollectedAt, CollectedBy            string
	Remark, RecordedAt                  string
	Winner                              bool
}

// FieldPage is the history of one field of one customer.
type FieldPage struct {
	Base
	CustomerName string
	CustomerURL  string
	FieldLabel   string
	Facts        []FactRow
}
