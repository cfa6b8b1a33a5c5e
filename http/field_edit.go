package http

import (
	"fmt"
	nethttp "net/http"
	"strconv"
	"strings"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/http/html"
	"github.com/dossier/dossier/i18n"
)

// Editing one field of the registry (issue #7, screen 8; SPEC R31): a custom
// field's labels, help text, enumeration options, required and key-fact
// flags and place can change, and it can be retired (hidden from forms,
// imports and filters; its facts stay, and restoring brings them back).
// Its key, type and category stay: values already recorded under the key
// are parsed by its type (the store refuses a new type). Built-in fields are
// read-only here, as on the command line: the analysis rules, the score and
// the quality lists are written against them. Every save is a new version
// (FieldService.EditField) and an audit entry; a form posted against an
// older version than the stored one is refused, so two admins do not
// silently undo each other's changes.

func (s *Server) handleFieldEdit(w nethttp.ResponseWriter, r *nethttp.Request) {
	s.renderFieldEdit(w, r, nethttp.StatusOK, r.PathValue("key"), r.URL.Query().Get("saved") != "", "", nil)
}

func (s *Server) renderFieldEdit(w nethttp.ResponseWriter, r *nethttp.Request, status int, key string, saved bool, msg string, form map[string]string) {
	ctx, lang := r.Context(), langOf(r)
	reg, err := s.svc.Fields.Registry(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f, ok := reg.Field(key)
	if !ok {
		s.fail(w, r, dossier.Errorf(dossier.ENOTFOUND, "no field %q", key))
		return
	}
	versions, err := s.svc.Fields.FieldVersions(ctx, key)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page := html.FieldEditPage{Base: s.base(w, r, "uiwiz2.field.title", "fields"), Key: f.Key, Label: f.Label(lang),
		Category: i18n.T(lang, "category."+string(f.Category)), Type: i18n.T(lang, "registry.type."+string(f.Type)),
		Enum: f.Type == dossier.TypeEnum, Builtin: f.Builtin, Retired: f.Retired, Saved: saved, Error: msg}
	if form == nil {
		form = map[string]string{"label_zh": f.LabelZH, "label_en": f.LabelEN, "help_zh": f.HelpZH, "help_en": f.HelpEN,
			"options": formatOptions(f.Options), "position": strconv.Itoa(f.Position)}
		if f.Required {
			form["required"] = "1"
		}
		if f.KeyFact {
			form["key_fact"] = "1"
		}
		if len(versions) > 0 {
			form["version"] = strconv.Itoa(versions[0].Version)
		} else {
			form["version"] = "0"
		}
	}
	page.Form = form
	for _, v := range versions {
		page.Versions = append(page.Versions, html.FieldVersionRow{Version: v.Version, SavedBy: v.SavedBy, SavedAt: formatTime(v.SavedAt),
			Summary: fieldSummary(v.Field, lang)})
	}
	s.render(w, r, status, "registry_field", page)
}

// fieldSummary is one saved definition in a line: labels, flags, options.
func fieldSummary(f dossier.Field, lang string) string {
	parts := []string{f.LabelZH + " / " + f.LabelEN}
	if f.Required {
		parts = append(parts, i18n.T(lang, "registry.required"))
	}
	if f.KeyFact {
		parts = append(parts, i18n.T(lang, "registry.key_fact"))
	}
	if len(f.Options) > 0 {
		parts = append(parts, formatOptions(f.Options))
	}
	if f.Retired {
		parts = append(parts, i18n.T(lang, "registry.retired"))
	}
	return strings.Join(parts, " · ")
}

// formatOptions writes options as the form reads them back (fieldOptions):
// value=中文=English, comma-separated.
func formatOptions(opts []dossier.Option) string {
	var out []string
	for _, o := range opts {
		s := o.Value + "=" + o.LabelZH
		if o.LabelEN != "" && o.LabelEN != o.Value {
			s += "=" + o.LabelEN
		}
		out = append(out, s)
	}
	return strings.Join(out, ", ")
}

// handleFieldSave saves an edited custom field.
func (s *Server) handleFieldSave(w nethttp.ResponseWriter, r *nethttp.Request) {
	key := r.PathValue("key")
	form := map[string]string{}
	for _, k := range []string{"label_zh", "label_en", "help_zh", "help_en", "options", "required", "key_fact", "position", "version"} {
		form[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	err := s.changeField(r, key, form["version"], func(f *dossier.Field) error {
		f.LabelZH, f.LabelEN, f.HelpZH, f.HelpEN = form["label_zh"], form["label_en"], form["help_zh"], form["help_en"]
		if f.LabelEN == "" {
			f.LabelEN = f.LabelZH
		}
		f.Required, f.KeyFact = form["required"] != "", form["key_fact"] != ""
		if f.Type == dossier.TypeEnum {
			f.Options = keepSynonyms(fieldOptions(form["options"]), f.Options)
		}
		if form["position"] != "" {
			p, err := strconv.Atoi(form["position"])
			if err != nil || p <= 0 || p > 1e6 {
				return dossier.InvalidReason("position", "field_position", "position %q: write a whole number from 1 to 1000000", form["position"])
			}
			f.Position = p
		}
		return nil
	})
	s.afterFieldChange(w, r, key, err, form)
}

// handleFieldRetire retires a custom field, or restores it (?restore=1 in
// the form): the field leaves (or returns to) forms, imports and filters;
// its facts are untouched either way.
func (s *Server) handleFieldRetire(w nethttp.ResponseWriter, r *nethttp.Request) {
	key, restore := r.PathValue("key"), r.PostFormValue("restore") != ""
	err := s.changeField(r, key, r.PostFormValue("version"), func(f *dossier.Field) error {
		f.Retired = !restore
		return nil
	})
	s.afterFieldChange(w, r, key, err, nil)
}

func (s *Server) afterFieldChange(w nethttp.ResponseWriter, r *nethttp.Request, key string, err error, form map[string]string) {
	switch dossier.ErrorCode(err) {
	case "":
		nethttp.Redirect(w, r, "/admin/fields/"+key+"?saved=1", nethttp.StatusSeeOther)
	case dossier.EINVALID, dossier.ECONFLICT:
		_, status, msgKey := errorKind(err)
		s.renderFieldEdit(w, r, status, key, false, i18n.T(langOf(r), msgKey)+" "+localError(langOf(r), err), form)
	default:
		s.fail(w, r, err)
	}
}

// changeField applies change to the stored custom field key and saves it
// as a new version, refusing built-in fields and a form made from an older
// version (seen) than the newest.
func (s *Server) changeField(r *nethttp.Request, key, seen string, change func(*dossier.Field) error) error {
	ctx := r.Context()
	reg, err := s.svc.Fields.Registry(ctx)
	if err != nil {
		return err
	}
	f, ok := reg.Field(key)
	switch {
	case !ok:
		return dossier.Errorf(dossier.ENOTFOUND, "no field %q", key)
	case f.Builtin:
		return dossier.InvalidReason("key", "field_builtin", "%q is a built-in field", f.Key)
	}
	versions, err := s.svc.Fields.FieldVersions(ctx, key)
	if err != nil {
		return err
	}
	newest := 0
	if len(versions) > 0 {
		newest = versions[0].Version
	}
	if seen != strconv.Itoa(newest) {
		return dossier.ReasonErrorf(dossier.ECONFLICT, "version", "field_stale",
			"field %q was changed meanwhile (version %d): reload the page and make your change again", key, newest)
	}
	old := f
	if err := change(&f); err != nil {
		return err
	}
	v, err := s.svc.Fields.EditField(ctx, f, userOf(r).Name)
	if err != nil {
		return err
	}
	return s.audit(r, dossier.AuditFieldSave, "field", 0, fmt.Sprintf("%s v%d: %s", f.Key, v, fieldChanges(old, f)))
}

// fieldChanges says what a save changed, for the audit log.
func fieldChanges(a, b dossier.Field) string {
	var out []string
	add := func(name, x, y string) {
		if x != y {
			out = append(out, fmt.Sprintf("%s %q → %q", name, x, y))
		}
	}
	add("label_zh", a.LabelZH, b.LabelZH)
	add("label_en", a.LabelEN, b.LabelEN)
	add("help_zh", a.HelpZH, b.HelpZH)
	add("help_en", a.HelpEN, b.HelpEN)
	add("options", formatOptions(a.Options), formatOptions(b.Options))
	add("required", strconv.FormatBool(a.Required), strconv.FormatBool(b.Required))
	add("key_fact", strconv.FormatBool(a.KeyFact), strconv.FormatBool(b.KeyFact))
	add("position", strconv.Itoa(a.Position), strconv.Itoa(b.Position))
	add("retired", strconv.FormatBool(a.Retired), strconv.FormatBool(b.Retired))
	if len(out) == 0 {
		return "no change"
	}
	return strings.Join(out, "; ")
}

// keepSynonyms carries the synonyms of options that stay over from old.
func keepSynonyms(opts, old []dossier.Option) []dossier.Option {
	for i, o := range opts {
		for _, p := range old {
			if p.Value == o.Value {
				opts[i].Synonyms = p.Synonyms
			}
		}
	}
	return opts
}
