package html

func init() { Pages = append(Pages, "rules") }

// RiskView is a risk record with its trigger.
type RiskView struct {
	Category, CategoryLabel string
	Level, LevelLabel       string
	Trigger                 string
	Since                   string
}

// TaskView is a task with the form to close it.
type TaskView struct {
	ID                 int64
	Title, Owner, Due  string
	Status, StatusText string
	Overdue            bool
}

// ICPView is the fit to one ideal customer profile.
type ICPView struct {
	Name  string
	Fit   int
	Unmet string
}

// ValueView is one graded dimension of value with what decided it.
type ValueView struct {
	Label, Level, LevelLabel, Inputs string
}

// AnalysisView is the analysis section of the customer page.
type AnalysisView struct {
	Value, ValueLabel  string
	Parts              []ValueView
	Grade              string
	Tier, TierLabel    string
	Cadence, Resources string
	NextFollowUp       string
	FollowUpOverdue    bool
	Tags               []string
	Risks              []RiskView
	ICP                []ICPView
	Strategies         []string
	NeedMatch          int
	Likelihood         int
	Needs              []string
	Tasks              []TaskView
	History            []string // latest changes of priority, tier or value, with the cause
	Errors             []string
	CanEdit, IsAdmin   bool
}

// RuleKindView is one kind of rules in the settings form.
type RuleKindView struct {
	Kind, Label string
	Version     int
	Count       int
	Body        string
}

// RulesPage is the admin's rules settings: every kind with its version,
// each in a form that saves a new version.
type RulesPage struct {
	Base
	Kinds     []RuleKindView
	Error     string
	ErrorKind string
	Saved     string
}
