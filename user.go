package dossier

import (
	"context"
	"slices"
	"time"
)

// Roles (SPEC R30, DESIGN idea 7).
const (
	RoleAdmin     = "admin"
	RoleManager   = "manager"
	RoleSales     = "sales"
	RoleService   = "service"
	RoleMarketing = "marketing"
	RoleAnalyst   = "analyst"
)

// Roles lists every role.
var Roles = []string{RoleAdmin, RoleManager, RoleSales, RoleService, RoleMarketing, RoleAnalyst}

// User is someone who signs in.
type User struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Role      string    `json:"role"`
	Team      string    `json:"team,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	// Deactivated users cannot sign in; what they recorded keeps their name.
	Deactivated bool `json:"deactivated,omitempty"`
}

// ValidRole reports whether r is one of Roles.
func ValidRole(r string) bool { return slices.Contains(Roles, r) }

// SeesContactDetails reports whether the user may see contacts' phone numbers
// and e-mail addresses unmasked.
func (u *User) SeesContactDetails() bool {
	return u.Role == RoleAdmin || u.Role == RoleManager || u.Role == RoleSales
}

// CanSeeCustomers reports whether the user may see individual customers.
// Analysts see aggregates only (SPEC R30), never a customer's page or record.
func (u *User) CanSeeCustomers() bool { return u.Role != RoleAnalyst }

// CanEditCustomers reports whether the user may create and change customers:
// the people who own customer relationships, and admins.
func (u *User) CanEditCustomers() bool {
	return u.Role == RoleAdmin || u.Role == RoleManager || u.Role == RoleSales
}

// CanAssignOwners reports whether the user may give customers to another
// owner (bulk assignment): managers within their team, and admins. A sales
// rep only holds customers they own (see CanClaim for the public pool).
func (u *User) CanAssignOwners() bool { return u.Role == RoleAdmin || u.Role == RoleManager }

// CustomerScope narrows a customer filter to what the user may see: sales see
// their own customers and their team's shared ones, managers their team's,
// everyone else all customers. Stores turn it into SQL; SeesCustomer is the
// same rule for one customer.
func (u *User) CustomerScope(f *CustomerFilter) {
	switch u.Role {
	case RoleSales:
		f.Owner, f.SharedTeam = u.Name, u.Team
	case RoleManager:
		if u.Team != "" {
			f.Team = u.Team
		}
	}
}

// SeesCustomer applies CustomerScope to one customer.
func (u *User) SeesCustomer(c *Customer) bool {
	var f CustomerFilter
	u.CustomerScope(&f)
	owned := f.Owner == "" || f.Owner == c.Owner ||
		(f.SharedTeam != "" && c.SharedWithTeam && c.Team == f.SharedTeam)
	return owned && (f.Team == "" || f.Team == c.Team)
}

// CanShare reports whether the user may share a customer with its team or
// stop sharing it: its owner, a manager of its team, or an admin.
func (u *User) CanShare(c *Customer) bool {
	switch u.Role {
	case RoleAdmin:
		return true
	case RoleManager:
		return u.Team == "" || u.Team == c.Team
	case RoleSales:
		return c.Owner == u.Name
	}
	return false
}

// UserService stores users, their passwords, sessions and API tokens. Secrets
// are stored hashed; only their holders know them.
type UserService interface {
	// CreateUser stores a new user; ECONFLICT if the name is taken.
	CreateUser(ctx context.Context, u *User, password string) error
	FindUserByName(ctx context.Context, name string) (*User, error)
	CountUsers(ctx context.Context) (int, error)
	// ListUsers returns every user, by name.
	ListUsers(ctx context.Context) ([]User, error)
	// Authenticate checks a password; EUNAUTHORIZED when it does not match.
	Authenticate(ctx context.Context, name, password string) (*User, error)
	// CreateSession returns a new session token valid until expires.
	CreateSession(ctx context.Context, userID int64, expires time.Time) (string, error)
	// UserBySession returns the user of a live session; EUNAUTHORIZED if none.
	UserBySession(ctx context.Context, token string) (*User, error)
	DeleteSession(ctx context.Context, token string) error
	// CreateToken returns a new API token for the user.
	CreateToken(ctx context.Context, userID int64) (string, error)
	// UserByToken returns the user of an API token; EUNAUTHORIZED if none.
	UserByToken(ctx context.Context, token string) (*User, error)
	// UpdateUser changes a user's role, team and whether they are
	// deactivated; deactivating ends their sessions and API tokens. The
	// last active admin cannot lose the role or be deactivated (EINVALID).
	UpdateUser(ctx context.Context, u *User) error
}

// AuditUserUpdate is the audit action of a user's role, team or activation
// changed by an admin.
const AuditUserUpdate = "user.update"

func init() { AuditActions = append(AuditActions, AuditUserUpdate) }
