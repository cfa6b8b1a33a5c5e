package http

import (
	"fmt"
	nethttp "net/http"
	"strconv"
	"strings"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/http/html"
)

// handleUserUpdate changes a user's role and team, or deactivates and
// reactivates them (issue #7, screen 8). A deactivated user cannot sign in
// and their sessions and API tokens stop working; their name stays on what
// they recorded. An admin cannot deactivate themselves, and the store keeps
// at least one active admin.
func (s *Server) handleUserUpdate(w nethttp.ResponseWriter, r *nethttp.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.fail(w, r, dossier.Errorf(dossier.ENOTFOUND, "no user %q", r.PathValue("id")))
		return
	}
	if role := r.PostFormValue("role"); !dossier.ValidRole(role) {
		err := dossier.InvalidReason("role", "user_role", "unknown role %q; roles are admin, manager, sales, service, marketing, analyst", role)
		s.renderUsers(w, r, nethttp.StatusBadRequest, html.UsersPage{Error: localError(langOf(r), err)}, dossier.RoleSales)
		return
	}
	users, err := s.svc.Users.ListUsers(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var u *dossier.User
	for i := range users {
		if users[i].ID == id {
			u = &users[i]
		}
	}
	if u == nil {
		s.fail(w, r, dossier.Errorf(dossier.ENOTFOUND, "no user %d", id))
		return
	}
	old := *u
	u.Role, u.Team = r.PostFormValue("role"), strings.TrimSpace(r.PostFormValue("team"))
	switch r.PostFormValue("active") {
	case "0":
		u.Deactivated = true
	case "1":
		u.Deactivated = false
	}
	if u.Deactivated && u.ID == userOf(r).ID {
		err = dossier.InvalidReason("active", "user_self", "you cannot deactivate yourself: ask another admin")
	}
	if err == nil {
		err = s.svc.Users.UpdateUser(r.Context(), u)
	}
	if err == nil {
		err = s.audit(r, dossier.AuditUserUpdate, "user", u.ID, fmt.Sprintf("%s: role %s → %s, team %q → %q, deactivated %t → %t",
			u.Name, old.Role, u.Role, old.Team, u.Team, old.Deactivated, u.Deactivated))
	}
	switch dossier.ErrorCode(err) {
	case "":
		nethttp.Redirect(w, r, "/admin/users?updated="+urlQueryEscape(u.Name), nethttp.StatusSeeOther)
	case dossier.EINVALID, dossier.ECONFLICT:
		s.renderUsers(w, r, nethttp.StatusBadRequest, html.UsersPage{Error: u.Name + ": " + localError(langOf(r), err)}, dossier.RoleSales)
	default:
		s.fail(w, r, err)
	}
}
