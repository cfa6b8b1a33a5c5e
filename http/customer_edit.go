package http

import (
	"fmt"
	nethttp "net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/http/html"
	"github.com/dossier/dossier/i18n"
)

// editKeys are the basic fields the profile's edit form offers, in order;
// their labels and choices come from the registry, and a retired or
// unknown one is left out.
var editKeys = []string{"name", "industry", "stage", "grade", "province", "city", "owner"}

// editableKeys is editKeys followed by the custom fields a team added to
// the registry (R31): a field added in the registry editor can be filled in
// on the profile at once.
func editableKeys(reg *dossier.Registry) []string {
	keys := slices.Clone(editKeys)
	for _, f := range reg.Active() {
		if !f.Builtin && f.Entity == dossier.EntityCustomer {
			keys = append(keys, f.Key)
		}
	}
	return keys
}

// editForm builds the profile's edit form for c, showing vals (the stored
// values, or what the user sent when a save was refused) and version.
func editForm(c *dossier.Customer, reg *dossier.Registry, lang string, vals map[string]string, version int64) *html.EditForm {
	form := &html.EditForm{Action: fmt.Sprintf("/customers/%d/edit", c.ID), Version: version}
	for _, k := range editableKeys(reg) {
		f, ok := reg.Field(k)
		if !ok || f.Retired {
			continue
		}
		ef := html.EditField{Key: k, Label: f.Label(lang), Value: vals[k], Help: f.Help(lang)}
		for _, o := range f.Options {
			label := o.LabelZH
			if lang == "en" {
				label = o.LabelEN
			}
			ef.Options = append(ef.Options, html.EditOption{Value: o.Value, Label: label, Selected: o.Value == vals[k]})
		}
		if _, known := f.Option(vals[k]); len(f.Options) > 0 && vals[k] != "" && !known {
			// A value outside the options (legacy data) stays selectable,
			// so saving other fields does not erase it.
			ef.Options = append(ef.Options, html.EditOption{Value: vals[k], Label: vals[k], Selected: true})
		}
		form.Fields = append(form.Fields, ef)
	}
	return form
}

// handleCustomerEdit saves the profile's edit form through the same
// service as the API's PATCH, as an internal-channel observation. The form
// carries the version it was read at: when someone saved in between, the
// form comes back with status 409 and the user's input, and nothing is
// overwritten (issue #8, item 6).
func (s *Server) handleCustomerEdit(w nethttp.ResponseWriter, r *nethttp.Request) {
	c, reg, err := s.visibleCustomerAndRegistry(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	version, err := strconv.ParseInt(strings.TrimSpace(r.PostFormValue("version")), 10, 64)
	if err != nil || version <= 0 {
		s.fail(w, r, dossier.FieldError("version", "the form lacks the version it was read at"))
		return
	}
	sent, changed := map[string]string{}, map[string]string{}
	for _, k := range editableKeys(reg) {
		if _, ok := r.PostForm[k]; !ok {
			continue
		}
		v := strings.TrimSpace(r.PostFormValue(k))
		sent[k] = v
		if v != c.Value(k) {
			changed[k] = v
		}
	}
	if version != c.Version {
		err = dossier.Errorf(dossier.ECONFLICT, "customer %d was changed by someone else", c.ID)
	} else if len(changed) > 0 {
		err = s.saveEdit(r, c, changed, version)
	}
	if err != nil {
		s.refuseEdit(w, r, c, reg, sent, version, err)
		return
	}
	nethttp.Redirect(w, r, customerURL(c.ID), nethttp.StatusSeeOther)
}

// saveEdit applies the changed values at version and audits the change.
func (s *Server) saveEdit(r *nethttp.Request, c *dossier.Customer, changed map[string]string, version int64) error {
	if err := claimValues(userOf(r), changed, false); err != nil {
		return err
	}
	if err := keepHolder(userOf(r), c, changed); err != nil {
		return err
	}
	src := dossier.Source{Channel: dossier.ChannelInternal, Detail: "web form", CollectedAt: s.now(), CollectedBy: userOf(r).Name}
	if _, err := s.svc.Customers.UpdateCustomer(r.Context(), c.ID, dossier.CustomerUpdate{Values: changed, Source: src, Version: version}); err != nil {
		return err
	}
	return s.audit(r, dossier.AuditCustomerUpdate, "customer", c.ID, strings.Join(sortedKeys(changed), ","))
}

// refuseEdit shows the profile again with the user's input and why it was
// not saved; a stale version gets its own message and status 409. Errors
// other than the user's (internal ones) go the usual way.
func (s *Server) refuseEdit(w nethttp.ResponseWriter, r *nethttp.Request, c *dossier.Customer, reg *dossier.Registry,
	sent map[string]string, version int64, err error) {
	code, status, msgKey := errorKind(err)
	if code == dossier.EINTERNAL || code == dossier.ENOTFOUND {
		s.fail(w, r, err)
		return
	}
	lang := langOf(r)
	page, perr := s.customerPage(r, c)
	if perr != nil {
		s.fail(w, r, perr)
		return
	}
	page.Base = s.base(w, r, "customer.title", "customers")
	page.Title = c.Name
	page.Edit = editForm(c, reg, lang, sent, version)
	page.Edit.Open = true
	if code == dossier.ECONFLICT {
		page.Edit.Error = i18n.T(lang, "share.edit_stale")
	} else {
		page.Edit.Error = i18n.T(lang, msgKey) + " " + dossier.ErrorMessage(err)
	}
	s.render(w, r, status, "customer", page)
}

// handleCustomerShare shares the customer with its owner's team, or stops
// sharing it (form value shared=0). Only its owner, a manager of its team
// or an admin may.
func (s *Server) handleCustomerShare(w nethttp.ResponseWriter, r *nethttp.Request) {
	c, err := s.visibleCustomer(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u := userOf(r)
	if !u.CanShare(c) {
		s.fail(w, r, dossier.Errorf(dossier.EFORBIDDEN, "only the owner, the team's manager or an admin may share customer %d", c.ID))
		return
	}
	shared := r.PostFormValue("shared") != "0"
	by := dossier.AuditEntry{User: u.Name, RemoteAddr: clientIP(r)}
	if err := s.svc.Customers.SetCustomerShared(r.Context(), c.ID, shared, by); err != nil {
		s.fail(w, r, err)
		return
	}
	nethttp.Redirect(w, r, customerURL(c.ID), nethttp.StatusSeeOther)
}

// shareForm is the profile's share button, for those who may share c.
func shareForm(u *dossier.User, c *dossier.Customer) *html.ShareForm {
	if !u.CanShare(c) {
		return nil
	}
	return &html.ShareForm{Action: fmt.Sprintf("/customers/%d/share", c.ID), Shared: c.SharedWithTeam, Team: c.Team}
}
