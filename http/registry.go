package http

import (
	"fmt"
	nethttp "net/http"
	"strings"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/http/html"
	"github.com/dossier/dossier/i18n"
)

// The field registry editor (issue #7, screen 8; SPEC R31): every field,
// built-in and custom, and a form to add a custom one. It saves through
// FieldService.SaveField, as `dossier fields add` does; the new field then
// appears in the profile's form and in the import wizard's mapping.

// fieldTypes are the types offered when adding a field, in the order a
// user thinks of them.
var fieldTypes = []dossier.FieldType{dossier.TypeText, dossier.TypeNumber, dossier.TypeMoney, dossier.TypeRange,
	dossier.TypeDate, dossier.TypeTimeline, dossier.TypeEnum, dossier.TypeTags, dossier.TypePercent, dossier.TypeRating,
	dossier.TypePhone, dossier.TypeEmail, dossier.TypeCreditCode}

func (s *Server) handleFields(w nethttp.ResponseWriter, r *nethttp.Request) {
	s.renderFields(w, r, nethttp.StatusOK, r.URL.Query().Get("added"), "", nil)
}

func (s *Server) renderFields(w nethttp.ResponseWriter, r *nethttp.Request, status int, added, msg string, form map[string]string) {
	reg, err := s.svc.Fields.Registry(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	lang := langOf(r)
	page := html.RegistryPage{Base: s.base(w, r, "registry.title", "fields"), Added: added, Error: msg, Form: form}
	for _, f := range reg.Fields() {
		var opts []string
		for _, o := range f.Options {
			opts = append(opts, o.Value+"="+f.OptionLabel(o.Value, lang))
		}
		page.Fields = append(page.Fields, html.RegistryField{Key: f.Key, Label: f.Label(lang), LabelZH: f.LabelZH, LabelEN: f.LabelEN,
			Category: i18n.T(lang, "category."+string(f.Category)), Type: i18n.T(lang, "registry.type."+string(f.Type)), Options: strings.Join(opts, ", "),
			Required: f.Required, KeyFact: f.KeyFact, Builtin: f.Builtin, Retired: f.Retired, Help: f.Help(lang)})
	}
	for _, c := range dossier.Categories {
		page.Categories = append(page.Categories, html.ColumnChoice{Value: string(c), Label: i18n.T(lang, "category."+string(c)),
			Selected: string(c) == form["category"]})
	}
	for _, t := range fieldTypes {
		page.Types = append(page.Types, html.ColumnChoice{Value: string(t), Label: i18n.T(lang, "registry.type."+string(t)),
			Selected: string(t) == form["type"]})
	}
	s.render(w, r, status, "registry", page)
}

// handleAddField adds a custom field. A key already in the registry is
// refused (SaveField would change that field instead), as is what
// Field.ValidateCustom refuses; the form comes back with the message.
func (s *Server) handleAddField(w nethttp.ResponseWriter, r *nethttp.Request) {
	form := map[string]string{}
	for _, k := range []string{"key", "label_zh", "label_en", "category", "type", "options", "required", "key_fact", "help_zh", "help_en"} {
		form[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	f := dossier.Field{Key: form["key"], LabelZH: form["label_zh"], LabelEN: form["label_en"],
		Category: dossier.Category(form["category"]), Type: dossier.FieldType(form["type"]), Entity: dossier.EntityCustomer,
		Required: form["required"] != "", KeyFact: form["key_fact"] != "", Options: fieldOptions(form["options"]),
		HelpZH: form["help_zh"], HelpEN: form["help_en"]}
	if f.LabelEN == "" {
		f.LabelEN = f.LabelZH
	}
	err := s.addField(r, f)
	switch dossier.ErrorCode(err) {
	case "":
		nethttp.Redirect(w, r, "/admin/fields?added="+urlQueryEscape(f.Key), nethttp.StatusSeeOther)
	case dossier.EINVALID, dossier.ECONFLICT:
		_, status, msgKey := errorKind(err)
		s.renderFields(w, r, status, "", i18n.T(langOf(r), msgKey)+" "+localError(langOf(r), err), form)
	default:
		s.fail(w, r, err)
	}
}

func (s *Server) addField(r *nethttp.Request, f dossier.Field) error {
	reg, err := s.svc.Fields.Registry(r.Context())
	if err != nil {
		return err
	}
	if old, ok := reg.Field(f.Key); ok {
		return dossier.ReasonErrorf(dossier.ECONFLICT, "key", "field_exists", "a field with key %s exists already (%s)", f.Key, old.LabelZH)
	}
	if err := f.ValidateCustom(reg); err != nil {
		return err
	}
	v, err := s.svc.Fields.EditField(r.Context(), f, userOf(r).Name)
	if err != nil {
		return err
	}
	return s.audit(r, dossier.AuditFieldSave, "field", 0, fmt.Sprintf("%s v%d: added", f.Key, v))
}

// fieldOptions parses the options of an enumeration as `dossier fields add
// --options` takes them: comma-separated, value=中文标签 or just a label;
// the editor adds an English label as value=中文标签=English.
func fieldOptions(s string) []dossier.Option {
	var out []dossier.Option
	for _, p := range dossier.SplitTags(s) {
		v, label, ok := strings.Cut(p, "=")
		if !ok {
			label = v
		}
		label, en, ok := strings.Cut(label, "=")
		if !ok {
			en = v
		}
		out = append(out, dossier.Option{Value: strings.TrimSpace(v), LabelZH: strings.TrimSpace(label), LabelEN: strings.TrimSpace(en)})
	}
	return out
}
