package html

import "github.com/dossier/dossier"

// UsersPage is the admin's list of users with the form to add one.
type UsersPage struct {
	Base
	Users            []dossier.User
	Roles            []Choice
	Error, Added     string
	NewName, NewTeam string
	Rows             []UserRow // Users with the choices to change each
	Updated          string    // the user just changed
}

// SettingsPage is a user's own settings: who they are, and a new API token
// shown once right after it was made.
type SettingsPage struct {
	Base
	Token string
}
