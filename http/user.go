package http

import (
	nethttp "net/http"
	"strings"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/http/html"
	"github.com/dossier/dossier/i18n"
)

// handleUsers lists the users for an admin, with the form to add one.
func (s *Server) handleUsers(w nethttp.ResponseWriter, r *nethttp.Request) {
	s.renderUsers(w, r, nethttp.StatusOK, html.UsersPage{Added: r.URL.Query().Get("added"), Updated: r.URL.Query().Get("updated")}, dossier.RoleSales)
}

func (s *Server) renderUsers(w nethttp.ResponseWriter, r *nethttp.Request, status int, page html.UsersPage, role string) {
	users, err := s.svc.Users.ListUsers(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	lang := langOf(r)
	page.Base, page.Users = s.base(w, r, "users.title", "users"), users
	for _, ro := range dossier.Roles {
		page.Roles = append(page.Roles, html.Choice{Value: ro, Label: i18n.T(lang, "role."+ro), Selected: ro == role})
	}
	for _, u := range users {
		row := html.UserRow{User: u, Self: u.ID == userOf(r).ID}
		for _, ro := range dossier.Roles {
			row.Roles = append(row.Roles, html.Choice{Value: ro, Label: i18n.T(lang, "role."+ro), Selected: ro == u.Role})
		}
		page.Rows = append(page.Rows, row)
	}
	s.render(w, r, status, "users", page)
}

// handleAddUser adds a user (the settings-UI twin of `dossier user add`).
// A refused entry shows the form again with the reason.
func (s *Server) handleAddUser(w nethttp.ResponseWriter, r *nethttp.Request) {
	u := &dossier.User{Name: strings.TrimSpace(r.PostFormValue("name")), Role: r.PostFormValue("role"),
		Team: strings.TrimSpace(r.PostFormValue("team"))}
	err := s.svc.Users.CreateUser(r.Context(), u, r.PostFormValue("password"))
	if err == nil {
		err = s.audit(r, dossier.AuditUserCreate, "user", u.ID, u.Name+" "+u.Role)
	}
	switch dossier.ErrorCode(err) {
	case "":
		nethttp.Redirect(w, r, "/admin/users?added="+urlQueryEscape(u.Name), nethttp.StatusSeeOther)
	case dossier.EINVALID, dossier.ECONFLICT:
		page := html.UsersPage{Error: localError(langOf(r), err), NewName: u.Name, NewTeam: u.Team}
		s.renderUsers(w, r, nethttp.StatusBadRequest, page, u.Role)
	default:
		s.fail(w, r, err)
	}
}

// handleSettings shows the signed-in user's own settings.
func (s *Server) handleSettings(w nethttp.ResponseWriter, r *nethttp.Request) {
	s.render(w, r, nethttp.StatusOK, "settings", html.SettingsPage{Base: s.base(w, r, "settings.title", "settings")})
}

// handleNewToken makes an API token for the signed-in user and shows it
// once; the store keeps only its hash and audits its creation.
func (s *Server) handleNewToken(w nethttp.ResponseWriter, r *nethttp.Request) {
	tok, err := s.svc.Users.CreateToken(r.Context(), userOf(r).ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, nethttp.StatusOK, "settings", html.SettingsPage{Base: s.base(w, r, "settings.title", "settings"), Token: tok})
}
