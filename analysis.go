package dossier

import (
	"context"
	"time"
)

// Levels shared by value grades and risks.
const (
	LevelHigh   = "high"
	LevelMedium = "medium"
	LevelLow    = "low"
)

// Risk categories (SPEC R11).
const (
	RiskFinancial   = "financial"
	RiskCooperation = "cooperation"
	RiskIndustry    = "industry"
)

// Task states.
const (
	TaskOpen      = "open"
	TaskDone      = "done"
	TaskCancelled = "cancelled"
)

// Task sources: who created a task.
const (
	TaskSourceFollowUp = "follow_up" // the tier's cadence (R15)
	TaskSourceManual   = "manual"
	// strategy tasks use "strategy:<rule id>:<n>" (R18)
)

// AnalysisInput is what the rules see of one customer: its resolved profile
// (canonical values by field key) and the aggregates the store computes.
type AnalysisInput struct {
	CustomerID     int64
	Name           string
	Values         map[string]string
	Score          Score
	LastContact    time.Time // zero: never
	Contacts3m     int       // interactions in the 3 months up to the as-of date
	Contacts12m    int       // interactions in the 12 months up to the as-of date
	Negative3m     int       // interactions with negative feedback in the last 3 months
	OpenTasks      int
	OverdueTasks   int
	Contacts       int // people on file
	DecisionMakers int // contacts whose role is decision_maker
	Needs          []Need
	ManualTags     []string
}

// ValuePart is one dimension of a customer's value (R10) and the inputs
// that decided it.
type ValuePart struct {
	Dimension string `json:"dimension"` // scale, growth, stickiness, overall
	Level     string `json:"level"`     // high / medium / low
	Inputs    string `json:"inputs"`    // "revenue=3e8, strategic_value=benchmark"
}

// RiskFinding is a risk rule that fired for a customer.
type RiskFinding struct {
	RuleID   string `json:"rule_id"`
	Category string `json:"category"`
	Level    string `json:"level"`
	Trigger  string `json:"trigger"`
}

// ICPFit is a customer's fit to one ideal customer profile (R13).
type ICPFit struct {
	Name  string   `json:"name"`
	Fit   int      `json:"fit"` // 0–100
	Unmet []string `json:"unmet,omitempty"`
}

// Action is a step of a recommended strategy (R18).
type Action struct {
	Title   string `json:"title"`
	DueDays int    `json:"due_days"`
}

// Strategy is a recommended strategy (R17) with its action list.
type Strategy struct {
	RuleID  string   `json:"rule_id"`
	Name    string   `json:"name"`
	Actions []Action `json:"actions,omitempty"`
}

// RuleError is a rule that could not be evaluated for one customer: the
// result is left out and reported, never guessed.
type RuleError struct {
	Rule    string `json:"rule"`
	Message string `json:"message"`
}

// NeedItem is a need as analysed (R9): to confirm when implicit, ranked by
// urgency × importance.
type NeedItem struct {
	Type      string `json:"type"`
	Explicit  bool   `json:"explicit"`
	ToConfirm bool   `json:"to_confirm,omitempty"`
	Rank      int    `json:"rank"` // urgency × importance
}

// Analysis is everything the rules conclude about one customer.
type Analysis struct {
	CustomerID   int64             `json:"customer_id"`
	AsOf         string            `json:"as_of"`
	Value        string            `json:"value"`
	ValueParts   []ValuePart       `json:"value_parts"`
	Grade        string            `json:"grade"` // key / potential / ordinary (suggested)
	Tier         string            `json:"tier"`
	Cadence      string            `json:"cadence"`
	CadenceDays  int               `json:"cadence_days"`
	Resources    string            `json:"resources"`
	NextFollowUp string            `json:"next_follow_up"`
	Tags         []string          `json:"tags"`
	TagRules     map[string]string `json:"tag_rules,omitempty"` // rule tag → the id of the rule that set it
	Risks        []RiskFinding     `json:"risks"`
	ICP          []ICPFit          `json:"icp"`
	Strategies   []Strategy        `json:"strategies"`
	Needs        []NeedItem        `json:"needs"`
	// Suggested 1–5 scores beside the ones people enter (R16); 0: no suggestion.
	NeedMatchSuggestion  int         `json:"need_match_suggestion"`
	LikelihoodSuggestion int         `json:"likelihood_suggestion"`
	PoolAfterDays        int         `json:"-"`
	RulesVersion         string      `json:"rules_version"`
	Errors               []RuleError `json:"errors,omitempty"`
}

// Analyzer turns one customer's input into its analysis; the rules engine
// is one. It must be safe to call from one goroutine at a time.
type Analyzer interface {
	Analyze(in *AnalysisInput) Analysis
}

// Risk is a risk record (R11): opened when a rule first fires, resolved when
// it no longer does.
type Risk struct {
	ID         int64      `json:"id"`
	CustomerID int64      `json:"customer_id"`
	Category   string     `json:"category"`
	Level      string     `json:"level"`
	Trigger    string     `json:"trigger"`
	RuleID     string     `json:"rule_id"`
	Since      time.Time  `json:"since"`
	ResolvedAt *time.Time `json:"resolved_at,omitempty"`
}

// Task is a follow-up or action-list task (R15, R18).
type Task struct {
	ID           int64      `json:"id"`
	CustomerID   int64      `json:"customer_id"`
	CustomerName string     `json:"customer_name,omitempty"`
	Owner        string     `json:"owner"`
	Title        string     `json:"title"`
	Due          string     `json:"due"` // date
	Status       string     `json:"status"`
	Source       string     `json:"source"`
	CreatedAt    time.Time  `json:"created_at"`
	ClosedAt     *time.Time `json:"closed_at,omitempty"`
	Overdue      bool       `json:"overdue,omitempty"`
	Tier         string     `json:"tier,omitempty"` // the customer's tier (R15) in its latest analysis
	// Version counts the task's changes; the API's delete, and its changes
	// when it sends one, must name the version read (migration 016).
	Version int64 `json:"version"`
}

// TaskFilter selects tasks; zero fields do not filter.
type TaskFilter struct {
	ID         int64
	CustomerID int64
	// Scope: tasks of customers with this owner or team (CustomerScope).
	CustomerOwner string
	SharedTeam    string // see CustomerFilter.SharedTeam
	Team          string
	Owner         string
	Status        string
	Overdue       bool   // open and due before AsOf
	AsOf          string // date; default today
	Tier          string // the customer's tier in its latest analysis (high / medium / low)
	// DueFrom and DueTo bound the due date, both included (dates).
	DueFrom, DueTo string
	// ClosedSince keeps tasks closed at or after this date.
	ClosedSince string
	Limit       int
	// After and AfterDue page by keyset (the API's cursor): only tasks
	// after the task After, due AfterDue, in the list's order (due, then
	// id), so that tasks added while a client pages neither repeat nor
	// push others past it. Ignored when After is 0.
	After    int64
	AfterDue string
}

// TaskUpdate changes a task; nil fields stay.
type TaskUpdate struct {
	Status *string
	Title  *string
	Due    *string
	Owner  *string
	// Version, when not 0, must be the task's version (ECONFLICT otherwise);
	// the board's buttons and the rules change tasks without one.
	Version int64
}

// ValidTaskStatus says whether s is a task state.
func ValidTaskStatus(s string) bool {
	return s == TaskOpen || s == TaskDone || s == TaskCancelled
}

// HistoryEntry is one row of the score history: written when a customer's
// priority, tier or value changes, with the cause.
type HistoryEntry struct {
	AsOf     string `json:"as_of"`
	Total    int    `json:"total"`
	Priority string `json:"priority"`
	Tier     string `json:"tier"`
	Value    string `json:"value"`
	Cause    string `json:"cause"`
	// Detail is the cause in parts, for the reader's language; nil for
	// rows written before it was kept.
	Detail *HistoryDetail `json:"detail,omitempty"`
}

// HistoryDetail is why a score-history row was written: the first
// analysis of the customer, or changes of priority, tier or value, with
// the score lines of that day.
type HistoryDetail struct {
	First   bool            `json:"first,omitempty"`
	Changes []HistoryChange `json:"changes,omitempty"`
	Lines   []ScoreLine     `json:"lines,omitempty"`
}

// HistoryChange is one change: What is "priority", "tier" or "value".
type HistoryChange struct {
	What string `json:"what"`
	From string `json:"from"`
	To   string `json:"to"`
}

// ScoreSettingsKey is the setting holding a team's score thresholds.
const ScoreSettingsKey = "score"

// RuleKind is one kind of analysis rules as shown and edited: its version
// (0: the shipped default) and JSON.
type RuleKind struct {
	Kind    string `json:"kind"`
	Version int    `json:"version"`
	Body    string `json:"rules"`
	Count   int    `json:"count"`
}

// AnalysisService explains a customer's analysis, lists its risks and the
// tasks, and keeps the rules.
type AnalysisService interface {
	// Analyze computes a customer's analysis as of a date with the current
	// rules, with every explanation; ENOTFOUND if there is no such customer.
	Analyze(ctx context.Context, customerID int64, asOf time.Time) (*Analysis, error)
	// FindRisks returns a customer's risk records; open limits to unresolved ones.
	FindRisks(ctx context.Context, customerID int64, open bool) ([]Risk, error)
	// ScoreHistory returns a customer's score history, newest first.
	ScoreHistory(ctx context.Context, customerID int64) ([]HistoryEntry, error)
	// FindTasks lists tasks, soonest due first.
	FindTasks(ctx context.Context, f TaskFilter) ([]Task, error)
	// UpdateTask accepts, edits or closes a task; EINVALID for a bad status or date.
	UpdateTask(ctx context.Context, id int64, upd TaskUpdate, by string) (*Task, error)
	// SetManualTag adds a hand-set tag to a customer, or removes it; rules
	// never touch these. EINVALID for an empty or over-long tag.
	SetManualTag(ctx context.Context, customerID int64, tag string, remove bool) error
	// RuleKinds lists the rule kinds with their versions and JSON.
	RuleKinds(ctx context.Context) ([]RuleKind, error)
	// SaveRules validates and stores a new version of one kind; a bad rule
	// is EINVALID with the rule, line and column in the message.
	SaveRules(ctx context.Context, kind string, body []byte, by string) (int, error)
}

// RulePart is one kind of analysis rules as stored: its JSON and version.
type RulePart struct {
	Body    []byte
	Version int
}

// Audit actions of the analysis.
const (
	AuditPool       = "customer.pool" // a customer returned to the public pool (公海) by the rule
	AuditTaskUpdate = "task.update"   // a task accepted, edited or closed
	AuditRulesSave  = "rules.save"    // a new version of analysis rules saved
)

func init() { AuditActions = append(AuditActions, AuditPool, AuditTaskUpdate, AuditRulesSave) }
