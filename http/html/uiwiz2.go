package html

import "github.com/dossier/dossier"

func init() { Pages = append(Pages, "registry_field") }

// FieldEditPage edits one field of the registry (R31): a custom field's
// labels, help, options, flags and place, its retirement, and its versions;
// a built-in field is shown read-only.
type FieldEditPage struct {
	Base
	Key, Label, Category, Type string
	Enum, Builtin, Retired     bool
	Saved                      bool
	Error                      string // already translated
	Form                       map[string]string
	Versions                   []FieldVersionRow
}

// FieldVersionRow is one saved definition of a field.
type FieldVersionRow struct {
	Version                   int
	SavedBy, SavedAt, Summary string
}

// UserRow is one user of the users page with the choices to change them.
type UserRow struct {
	dossier.User
	Roles []Choice
	Self  bool // the signed-in admin: not deactivated from here
}
