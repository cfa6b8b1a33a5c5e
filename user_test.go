package dossier

import "testing"

func TestSeesCustomerAndCanShare(t *testing.T) {
	own := &Customer{Owner: "li", Team: "east"}
	shared := &Customer{Owner: "chen", Team: "east", SharedWithTeam: true}
	private := &Customer{Owner: "chen", Team: "east"}
	westShared := &Customer{Owner: "wang", Team: "west", SharedWithTeam: true}
	li := &User{Name: "li", Role: RoleSales, Team: "east"}
	loner := &User{Name: "zhao", Role: RoleSales} // a rep without a team sees only their own
	zhou := &User{Name: "zhou", Role: RoleManager, Team: "east"}
	sun := &User{Name: "sun", Role: RoleService}
	admin := &User{Name: "admin", Role: RoleAdmin}
	tests := []struct {
		u         *User
		c         *Customer
		sees, can bool
	}{
		{li, own, true, true},
		{li, shared, true, false},
		{li, private, false, false},
		{li, westShared, false, false},
		{loner, &Customer{Owner: "chen", SharedWithTeam: true}, false, false},
		{zhou, private, true, true},
		{zhou, westShared, false, false},
		{sun, private, true, false},
		{admin, westShared, true, true},
	}
	for _, tt := range tests {
		if got := tt.u.SeesCustomer(tt.c); got != tt.sees {
			t.Errorf("%s sees %+v: %v, want %v", tt.u.Name, tt.c, got, tt.sees)
		}
		if got := tt.u.CanShare(tt.c); got != tt.can {
			t.Errorf("%s may share %+v: %v, want %v", tt.u.Name, tt.c, got, tt.can)
		}
	}
}
