package http

import (
	"fmt"
	nethttp "net/http"

	"github.com/dossier/dossier"
)

// projectWrite is the body of POST and PATCH /api/v1/projects. On PATCH,
// version is required and absent fields stay as they are.
type projectWrite struct {
	CustomerID   int64      `json:"customer_id,omitempty"`
	Name         *string    `json:"name,omitempty"`
	Status       *string    `json:"status,omitempty"`
	Start        *string    `json:"start,omitempty"`
	End          *string    `json:"end,omitempty"`
	Amount       *int64     `json:"amount,omitempty"` // yuan
	Satisfaction *int       `json:"satisfaction,omitempty"`
	Source       *apiSource `json:"source,omitempty"`
	Version      int64      `json:"version,omitempty"`
}

func (s *Server) projects() (dossier.ProjectStore, error) {
	if s.svc.Projects == nil {
		return nil, dossier.Errorf(dossier.ENOTFOUND, "projects are not available on this server")
	}
	return s.svc.Projects, nil
}

// handleAPIProjects lists the projects of the user's customers.
func (s *Server) handleAPIProjects(w nethttp.ResponseWriter, r *nethttp.Request) {
	st, err := s.projects()
	var p page[dossier.Project]
	if err == nil {
		p, err = findRecords(r, "projects", func(rp dossier.RecordPage) (dossier.ProjectFilter, error) {
			f := dossier.ProjectFilter{RecordPage: rp}
			if v := r.URL.Query().Get("status"); v != "" {
				o, ok := (dossier.Field{Options: dossier.ProjectStatusOptions}).Option(v)
				if !ok {
					return f, dossier.FieldError("status", "unknown project status %q", v)
				}
				f.Status = o.Value
			}
			return f, nil
		}, st.FindProjects, func(p dossier.Project) int64 { return p.ID })
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, nethttp.StatusOK, p)
}

// visibleProject is the project of the path's id when its customer is in
// the user's scope; otherwise not found.
func (s *Server) visibleProject(r *nethttp.Request) (dossier.ProjectStore, *dossier.Project, error) {
	st, err := s.projects()
	if err != nil {
		return nil, nil, err
	}
	p, err := visibleRecord(s, r, "project", st.FindProject, func(p *dossier.Project) int64 { return p.CustomerID })
	return st, p, err
}

func (s *Server) handleAPIProject(w nethttp.ResponseWriter, r *nethttp.Request) {
	_, p, err := s.visibleProject(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, nethttp.StatusOK, p)
}

func (s *Server) handleAPICreateProject(w nethttp.ResponseWriter, r *nethttp.Request) {
	st, err := s.projects()
	var in projectWrite
	if err == nil {
		err = decodeJSON(w, r, &in)
	}
	if err == nil {
		err = s.recordCustomer(r, "project", in.CustomerID)
	}
	p := &dossier.Project{CustomerID: in.CustomerID, Name: deref(in.Name), Status: deref(in.Status), Start: deref(in.Start),
		End: deref(in.End), Source: s.source(r, in.Source)}
	if in.Amount != nil {
		p.Amount = *in.Amount
	}
	if in.Satisfaction != nil {
		p.Satisfaction = *in.Satisfaction
	}
	if err == nil {
		err = st.CreateProject(r.Context(), p)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/projects/%d", p.ID))
	writeJSON(w, nethttp.StatusCreated, p)
}

func (s *Server) handleAPIUpdateProject(w nethttp.ResponseWriter, r *nethttp.Request) {
	st, p, err := s.visibleProject(r)
	var in projectWrite
	if err == nil {
		err = decodeJSON(w, r, &in)
	}
	if err == nil && (in.CustomerID != 0 || in.Source != nil) {
		err = dossier.FieldError("customer_id", "a project's customer and source cannot be changed")
	}
	var version int64
	if err == nil {
		version, err = versionOf(r, in.Version)
	}
	if err == nil {
		p, err = st.UpdateProject(r.Context(), p.ID, dossier.ProjectUpdate{Name: in.Name, Status: in.Status, Start: in.Start, End: in.End,
			Amount: in.Amount, Satisfaction: in.Satisfaction, Version: version})
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, nethttp.StatusOK, p)
}

func (s *Server) handleAPIDeleteProject(w nethttp.ResponseWriter, r *nethttp.Request) {
	st, p, err := s.visibleProject(r)
	var version int64
	if err == nil {
		version, err = deleteVersion(r)
	}
	if err == nil {
		err = st.DeleteProject(r.Context(), p.ID, version)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, nethttp.StatusOK, deleted{p.ID})
}
