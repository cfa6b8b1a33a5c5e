package html

import "github.com/dossier/dossier"

// UsersPage is the admin's list of users with the form to add one.
type UsersPage struct {
	Base
	Users            []dossier.User
	Roles            []Choice
	Error, Added     string
	NewName, NewTeam string
}

// SettingsPage is a user's own settings: who they are, and a new API token
// shown once right after it was made.
type SettingsPage struct {
	Base
	Token string
}
