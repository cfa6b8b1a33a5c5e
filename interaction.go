package dossier

import "context"

// InteractionFilter selects interactions across customers. The scope fields
// are a customer filter's (User.CustomerScope fills them); interactions of
// hidden and merged customers, and of undone imports, are never listed.
type InteractionFilter struct {
	RecordPage
	Channel  string // ChannelOptions value
	Feedback string // positive, neutral, negative
	From, To string // dates, inclusive
}

// RecordPage is what the lists of customers' records (contacts,
// interactions, projects) share: one customer or all, the user's scope,
// and a keyset page in id order.
type RecordPage struct {
	CustomerID int64
	Owner      string
	SharedTeam string
	Team       string
	Sort       string // "-id" (default, newest first) or "id"
	After      int64  // keyset cursor: only ids past it in Sort's order
	Limit      int
}

// InteractionSorts lists the accepted RecordPage.Sort values.
var InteractionSorts = []string{"-id", "id"}

// Scope narrows the page as a customer filter is narrowed for the user.
func (p *RecordPage) Scope(u *User) {
	var cf CustomerFilter
	u.CustomerScope(&cf)
	p.Owner, p.SharedTeam, p.Team = cf.Owner, cf.SharedTeam, cf.Team
}

// InteractionUpdate changes an interaction; nil fields stay as they are.
type InteractionUpdate struct {
	Date         *string
	Channel      *string
	Summary      *string
	Feedback     *string
	FeedbackText *string
	Version      int64 // required: the version read
}

// InteractionStore reads and writes interactions one by one, for the API.
// Errors: ENOTFOUND for an unknown id, ECONFLICT for a stale version,
// EINVALID with the field for a bad value.
type InteractionStore interface {
	FindInteractions(ctx context.Context, f InteractionFilter) ([]Interaction, error)
	FindInteraction(ctx context.Context, id int64) (*Interaction, error)
	CreateInteraction(ctx context.Context, in *Interaction) error
	UpdateInteraction(ctx context.Context, id int64, upd InteractionUpdate) (*Interaction, error)
	DeleteInteraction(ctx context.Context, id, version int64) error
}

// ContactFilter selects contacts across customers, as InteractionFilter
// selects interactions; contacts merged into another are never listed.
type ContactFilter struct {
	RecordPage
	Role string // ContactRoleOptions value
}

// ContactUpdate changes a contact; nil fields stay as they are. Values are
// canonical (Registry.Normalize of the contact_* fields).
type ContactUpdate struct {
	Name, Title, Role, Phone, Email, Preferences *string
	Version                                      int64 // required: the version read
}

// ContactStore reads and changes contacts one by one, for the API. Errors
// as InteractionStore's.
type ContactStore interface {
	FindContacts(ctx context.Context, f ContactFilter) ([]Contact, error)
	FindContact(ctx context.Context, id int64) (*Contact, error)
	CreateContact(ctx context.Context, c *Contact) error
	UpdateContact(ctx context.Context, id int64, upd ContactUpdate) (*Contact, error)
}

// ProjectFilter selects projects across customers, as InteractionFilter
// selects interactions.
type ProjectFilter struct {
	RecordPage
	Status string // ProjectStatusOptions value
}

// ProjectUpdate changes a project; nil fields stay as they are.
type ProjectUpdate struct {
	Name, Status, Start, End *string
	Amount                   *int64
	Satisfaction             *int
	Version                  int64 // required: the version read
}

// ProjectStore reads and writes projects one by one, for the API. Errors
// as InteractionStore's.
type ProjectStore interface {
	FindProjects(ctx context.Context, f ProjectFilter) ([]Project, error)
	FindProject(ctx context.Context, id int64) (*Project, error)
	CreateProject(ctx context.Context, p *Project) error
	UpdateProject(ctx context.Context, id int64, upd ProjectUpdate) (*Project, error)
	DeleteProject(ctx context.Context, id, version int64) error
}
