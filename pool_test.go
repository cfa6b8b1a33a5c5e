package dossier

import "testing"

func TestPoolRules(t *testing.T) {
	pool := &Customer{Team: "east"}
	owned := &Customer{Team: "east", Owner: "li"}
	merged := &Customer{Team: "east", MergedInto: 7}
	for _, tc := range []struct {
		u                 User
		team              string
		claim, ownd, mrgd bool
		assign            bool
	}{
		{User{Name: "a", Role: RoleAdmin, Team: "west"}, "", true, false, false, true},
		{User{Name: "z", Role: RoleManager, Team: "east"}, "east", true, false, false, true},
		{User{Name: "h", Role: RoleManager, Team: "west"}, "west", false, false, false, true},
		{User{Name: "li", Role: RoleSales, Team: "east"}, "east", true, false, false, false},
		{User{Name: "w", Role: RoleSales, Team: "west"}, "west", false, false, false, false},
		{User{Name: "solo", Role: RoleSales}, "", true, false, false, false},
		{User{Name: "s", Role: RoleService, Team: "east"}, "east", false, false, false, false},
		{User{Name: "q", Role: RoleAnalyst, Team: "east"}, "east", false, false, false, false},
	} {
		if got := tc.u.PoolTeam(); got != tc.team {
			t.Errorf("%s PoolTeam = %q, want %q", tc.u.Name, got, tc.team)
		}
		if got := tc.u.CanClaim(pool); got != tc.claim {
			t.Errorf("%s CanClaim(pool) = %v", tc.u.Name, got)
		}
		if tc.u.CanClaim(owned) != tc.ownd || tc.u.CanClaim(merged) != tc.mrgd {
			t.Errorf("%s may claim an owned or merged customer", tc.u.Name)
		}
		if got := tc.u.CanAssignOwners(); got != tc.assign {
			t.Errorf("%s CanAssignOwners = %v", tc.u.Name, got)
		}
	}
}
