package html

// AuditPage is the admin's view of the audit log.
type AuditPage struct {
	Base
	FilterUser, FilterAction string // not User: that would hide Base.User
	Actions                  []Choice
	Rows                     []AuditRow
	Total, From, To          int
	PrevURL, NextURL         string
}

// AuditRow is one audit entry.
type AuditRow struct {
	At, User, Action, Entity string
	ActionLabel              string
	EntityID                 int64
	Detail, RemoteAddr       string
}
