package dossier

// The public pool (公海) holds the customers nobody owns: those the tier
// rule returned for an overdue follow-up (AuditPool), and any never given an
// owner. A pool customer stays in its team, so a rep sees the pool of their
// own team and may claim from it; an admin sees every team's pool.

// PoolExpr is the segment filter of the pool's customers.
const PoolExpr = "owner IS EMPTY"

// PoolScope narrows f to the pool the user sees: owner-less customers of
// the user's team (every team's for an admin or a user without a team).
func (u *User) PoolScope(f *CustomerFilter) {
	f.Owner, f.SharedTeam, f.Team = "", "", ""
	f.Expr = PoolExpr
	if u.Role != RoleAdmin && u.Team != "" {
		f.Team = u.Team
	}
}

// CanClaim reports whether the user may take c from the pool as its owner:
// someone who edits customers, for an owner-less customer still in force
// and in the pool the user sees (PoolScope).
func (u *User) CanClaim(c *Customer) bool {
	if !u.CanEditCustomers() || c.Owner != "" || c.MergedInto != 0 {
		return false
	}
	return u.Role == RoleAdmin || u.Team == "" || u.Team == c.Team
}
