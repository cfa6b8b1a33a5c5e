package http

import (
	nethttp "net/http"
	"strconv"

	"github.com/dossier/dossier"
)

// contactID reads the {id} path value of a contact route.
func contactID(r *nethttp.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, dossier.Errorf(dossier.ENOTFOUND, "no contact %q", r.PathValue("id"))
	}
	return id, nil
}

// handleAPIContactExport answers a PIPL access request: everything held
// about one contact, unmasked (admins only, by the route table), audited.
func (s *Server) handleAPIContactExport(w nethttp.ResponseWriter, r *nethttp.Request) {
	id, err := contactID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pd, err := s.svc.Personal.PersonalData(r.Context(), id)
	if err == nil {
		err = s.audit(r, dossier.AuditContactExport, "contact", id, "")
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Disposition", `attachment; filename="contact-`+strconv.FormatInt(id, 10)+`.json"`)
	writeJSON(w, nethttp.StatusOK, pd)
}

// eraseBody is the optional body of POST /api/v1/contacts/{id}/erase.
type eraseBody struct {
	Reason string `json:"reason"`
}

// handleAPIContactErase answers a PIPL erasure request: the contact's
// personal data is blanked, the row and an audit entry remain. An optional
// JSON body {"reason": "…"} goes into the audit entry.
func (s *Server) handleAPIContactErase(w nethttp.ResponseWriter, r *nethttp.Request) {
	id, err := contactID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in eraseBody
	if r.ContentLength != 0 {
		if err := decodeJSON(w, r, &in); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	e := &dossier.AuditEntry{User: userOf(r).Name, Detail: in.Reason, RemoteAddr: clientIP(r)}
	if err := s.svc.Personal.EraseContact(r.Context(), id, e); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, nethttp.StatusOK, erased{id})
}
