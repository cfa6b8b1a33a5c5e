package dossier

import "context"

// The public pool (公海) holds the customers nobody owns: those the tier
// rule returned for an overdue follow-up (AuditPool), and any never given an
// owner. A pool customer stays in its team, so a rep sees the pool of their
// own team and may claim from it; an admin sees every team's pool.

// PoolService lists the public pool.
type PoolService interface {
	// FindPool returns up to limit owner-less customers of team ("" for
	// every team), most recently changed first, and how many there are.
	// Hidden and merged customers are not in the pool.
	FindPool(ctx context.Context, team string, limit int) ([]*Customer, int, error)
}

// PoolTeam is the team whose pool the user sees: their own, or every
// team's ("") for an admin or a user without a team.
func (u *User) PoolTeam() string {
	if u.Role == RoleAdmin {
		return ""
	}
	return u.Team
}

// CanClaim reports whether the user may take c from the pool as its owner:
// someone who edits customers, for an owner-less customer still in force
// and in the pool the user sees (PoolTeam).
func (u *User) CanClaim(c *Customer) bool {
	if !u.CanEditCustomers() || c.Owner != "" || c.MergedInto != 0 {
		return false
	}
	return u.Role == RoleAdmin || u.Team == "" || u.Team == c.Team
}
