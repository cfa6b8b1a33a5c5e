package http

import (
	"errors"
	"fmt"
	nethttp "net/http"
	"strconv"

	"github.com/dossier/dossier"
)

// The API's writes beyond the first ones (issue 9): hand-made tasks,
// segments by id, deleting customers and undoing imports. Each delete
// names the version read (?version= or If-Match), like the PATCHes; a
// stale one is 409.

// deleteVersion is the version a DELETE names: ?version= or If-Match.
func deleteVersion(r *nethttp.Request) (int64, error) {
	var q int64
	if v := r.URL.Query().Get("version"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return 0, dossier.FieldError("version", "version must be the version you read")
		}
		q = n
	}
	return versionOf(r, q)
}

// taskCreate is the body of POST /api/v1/tasks.
type taskCreate struct {
	CustomerID int64  `json:"customer_id"`
	Title      string `json:"title"`
	Due        string `json:"due"`             // date
	Owner      string `json:"owner,omitempty"` // default: the caller
}

func (s *Server) taskStore() (dossier.TaskStore, error) {
	st, ok := s.svc.Customers.(dossier.TaskStore)
	if !ok {
		return nil, dossier.Errorf(dossier.ENOTFOUND, "tasks cannot be made by hand on this server")
	}
	return st, nil
}

// handleAPICreateTask makes a task for a customer the caller may edit, owned
// by the caller unless a manager or admin names another owner: 201.
func (s *Server) handleAPICreateTask(w nethttp.ResponseWriter, r *nethttp.Request) {
	st, err := s.taskStore()
	var in taskCreate
	if err == nil {
		err = decodeJSON(w, r, &in)
	}
	u := userOf(r)
	if in.Owner == "" {
		in.Owner = u.Name
	}
	if err == nil && in.Owner != u.Name && !u.CanAssignOwners() {
		err = &dossier.Error{Code: dossier.EFORBIDDEN, Field: "owner", Message: "you may only make tasks of your own"}
	}
	if err == nil {
		err = s.recordCustomer(r, "task", in.CustomerID)
	}
	var t *dossier.Task
	if err == nil {
		t, err = st.CreateTask(r.Context(), dossier.NewTask{CustomerID: in.CustomerID, Owner: in.Owner, Title: in.Title, Due: in.Due}, u.Name)
	}
	if err == nil {
		err = s.audit(r, dossier.AuditTaskCreate, "customer", t.CustomerID, fmt.Sprintf("task %d for %s due %s: %s", t.ID, t.Owner, t.Due, t.Title))
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/tasks/%d", t.ID))
	writeJSON(w, nethttp.StatusCreated, t)
}

func (s *Server) handleAPITask(w nethttp.ResponseWriter, r *nethttp.Request) {
	t, err := s.visibleTask(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, nethttp.StatusOK, t)
}

// handleAPIDeleteTask removes a task of a customer in the caller's scope.
func (s *Server) handleAPIDeleteTask(w nethttp.ResponseWriter, r *nethttp.Request) {
	st, err := s.taskStore()
	var (
		t       *dossier.Task
		version int64
	)
	if err == nil {
		t, err = s.visibleTask(r)
	}
	if err == nil {
		version, err = deleteVersion(r)
	}
	if err == nil {
		err = st.DeleteTask(r.Context(), t.ID, version)
	}
	if err == nil {
		err = s.audit(r, dossier.AuditTaskDelete, "customer", t.CustomerID, fmt.Sprintf("task %d (%s, due %s, %s)", t.ID, t.Title, t.Due, t.Status))
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, nethttp.StatusOK, deleted{t.ID})
}

// segmentPatch is the body of PATCH /api/v1/segments/{id}: the fields to
// change and the version read.
type segmentPatch struct {
	Name       *string `json:"name,omitempty"`
	Expression *string `json:"expression,omitempty"`
	Shared     *bool   `json:"shared,omitempty"`
	Version    int64   `json:"version,omitempty"`
}

// visibleSegment is the segment of the path's id when the caller may use it
// (their own, a shared one, or any for an admin); mine says they may also
// change it (their own, or any for an admin: a shared segment stays its
// owner's).
func (s *Server) visibleSegment(r *nethttp.Request, mine bool) (dossier.SegmentEditor, *dossier.Segment, error) {
	ed, ok := s.svc.Segments.(dossier.SegmentEditor)
	if !ok {
		return nil, nil, dossier.Errorf(dossier.ENOTFOUND, "segments cannot be changed on this server")
	}
	id, err := pathID(r, "segment")
	if err != nil {
		return nil, nil, err
	}
	seg, err := ed.FindSegmentByID(r.Context(), id)
	if err != nil {
		return nil, nil, err
	}
	u := userOf(r)
	admin := u.Role == dossier.RoleAdmin
	switch {
	case !admin && !seg.VisibleTo(u):
		return nil, nil, dossier.Errorf(dossier.ENOTFOUND, "no segment %d", id)
	case mine && !admin && seg.Owner != u.Name:
		return nil, nil, dossier.Errorf(dossier.EFORBIDDEN, "segment %d is %s's: only its owner or an admin may change it", id, seg.Owner)
	}
	return ed, seg, nil
}

func (s *Server) handleAPISegment(w nethttp.ResponseWriter, r *nethttp.Request) {
	_, seg, err := s.visibleSegment(r, false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, nethttp.StatusOK, seg)
}

func (s *Server) handleAPIUpdateSegment(w nethttp.ResponseWriter, r *nethttp.Request) {
	ed, seg, err := s.visibleSegment(r, true)
	var in segmentPatch
	if err == nil {
		err = decodeJSON(w, r, &in)
	}
	if err == nil {
		in.Version, err = versionOf(r, in.Version)
	}
	if err == nil {
		seg, err = ed.UpdateSegment(r.Context(), seg.ID, dossier.SegmentUpdate{Name: in.Name, Expression: in.Expression, Shared: in.Shared, Version: in.Version})
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, nethttp.StatusOK, seg)
}

func (s *Server) handleAPIDeleteSegment(w nethttp.ResponseWriter, r *nethttp.Request) {
	ed, seg, err := s.visibleSegment(r, true)
	var version int64
	if err == nil {
		version, err = deleteVersion(r)
	}
	if err == nil {
		err = ed.DeleteSegment(r.Context(), seg.ID, version)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, nethttp.StatusOK, deleted{seg.ID})
}

// handleAPIDeleteCustomer removes a customer the caller may edit: a sales
// rep their own, a manager their team's, an admin any. The store hides it
// and audits the removal (dossier.CustomerDeleter).
func (s *Server) handleAPIDeleteCustomer(w nethttp.ResponseWriter, r *nethttp.Request) {
	del, ok := s.svc.Customers.(dossier.CustomerDeleter)
	var err error
	if !ok {
		err = dossier.Errorf(dossier.ENOTFOUND, "customers cannot be deleted on this server")
	}
	var c *dossier.Customer
	if err == nil {
		c, err = s.visibleCustomer(r)
	}
	u := userOf(r)
	if err == nil && u.Role == dossier.RoleSales && c.Owner != u.Name {
		err = dossier.Errorf(dossier.EFORBIDDEN, "a customer shared with your team stays with its owner: only %s may delete it", c.Owner)
	}
	var version int64
	if err == nil {
		version, err = deleteVersion(r)
	}
	if err == nil {
		err = del.DeleteCustomer(r.Context(), c.ID, version, dossier.AuditEntry{User: u.Name, RemoteAddr: clientIP(r)})
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, nethttp.StatusOK, deleted{c.ID})
}

// handleAPIDeleteImport undoes an import run, as `dossier import undo` and
// the wizard's button do: the run stops counting and the customers it
// alone created are hidden. Only users who may import may undo one.
func (s *Server) handleAPIDeleteImport(w nethttp.ResponseWriter, r *nethttp.Request) {
	err := mayImport(r)
	if err == nil && s.svc.ImportRuns == nil {
		err = dossier.Errorf(dossier.ENOTFOUND, "imports are not available on this server")
	}
	var (
		id  int64
		res *dossier.UndoResult
	)
	if err == nil {
		id, err = pathID(r, "import")
	}
	if err == nil {
		res, err = s.svc.ImportRuns.UndoImport(r.Context(), id, userOf(r).Name, false)
	}
	if err == nil {
		err = s.audit(r, dossier.AuditImportUndo, "import", res.Run.ID,
			fmt.Sprintf("%s: %d customers hidden, %d resolved again (API)", res.Run.File, res.Hidden, res.Resolved))
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, nethttp.StatusOK, viewImport(&res.Run))
}

// studyPatch is the body of PATCH /api/v1/analyses/{id}. The scope is not
// among the fields: the runs of an analysis compare one population.
type studyPatch struct {
	Name    *string   `json:"name,omitempty"`
	Goal    *string   `json:"goal,omitempty"`
	Roles   *[]string `json:"roles,omitempty"`
	Version int64     `json:"version,omitempty"`
}

// ownStudy is the analysis of the path's id when the caller may change it:
// its owner or an admin. Those who only see it are refused (403), the
// others told it does not exist.
func (s *Server) ownStudy(r *nethttp.Request) (dossier.StudyEditor, *dossier.Study, error) {
	ed, ok := s.svc.Snapshots.(dossier.StudyEditor)
	if !ok {
		return nil, nil, dossier.Errorf(dossier.ENOTFOUND, "analyses cannot be changed on this server")
	}
	st, err := s.visibleStudy(r)
	if err != nil {
		return nil, nil, err
	}
	if u := userOf(r); u.Role != dossier.RoleAdmin && st.Owner != u.Name {
		return nil, nil, dossier.Errorf(dossier.EFORBIDDEN, "analysis %d is %s's: only its owner or an admin may change it", st.ID, st.Owner)
	}
	return ed, st, nil
}

func (s *Server) handleAPIUpdateStudy(w nethttp.ResponseWriter, r *nethttp.Request) {
	ed, st, err := s.ownStudy(r)
	var in studyPatch
	if err == nil {
		err = decodeJSON(w, r, &in)
	}
	if err == nil {
		in.Version, err = versionOf(r, in.Version)
	}
	if err == nil {
		st, err = ed.UpdateStudy(r.Context(), st.ID, dossier.StudyUpdate{Name: in.Name, Goal: in.Goal, Roles: in.Roles, Version: in.Version})
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, nethttp.StatusOK, st)
}

// handleAPIDeleteStudy removes an analysis with its runs.
func (s *Server) handleAPIDeleteStudy(w nethttp.ResponseWriter, r *nethttp.Request) {
	ed, st, err := s.ownStudy(r)
	var version int64
	if err == nil {
		version, err = deleteVersion(r)
	}
	if err == nil {
		err = ed.DeleteStudy(r.Context(), st.ID, version)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, nethttp.StatusOK, deleted{st.ID})
}

// handleAPICreateImport imports an uploaded file (CSV or XLSX, multipart
// field "file") as the wizard and `dossier import` do, its columns matched
// by their headers, with the kind given by ?kind= (customers by default, or
// a multipart "kind" field before the file) and the source by ?source= (a
// channel) and ?source_detail=: 201 with the recorded run. Only users who
// may import (User.CanImport).
func (s *Server) handleAPICreateImport(w nethttp.ResponseWriter, r *nethttp.Request) {
	err := mayImport(r)
	var ch dossier.Channel
	if err == nil {
		if ch, err = dossier.ParseChannel(r.URL.Query().Get("source")); err != nil {
			err = dossier.FieldError("source", "%s", dossier.ErrorMessage(err))
		}
	}
	var up *upload
	if err == nil {
		r.Body = nethttp.MaxBytesReader(w, r.Body, maxUpload+64<<10)
		up, err = s.saveUpload(r)
		var tooBig *nethttp.MaxBytesError
		if errors.As(err, &tooBig) {
			err = bodyTooLarge{}
		}
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer s.uploads.remove(up.ID)
	detail := dossier.CleanText(r.URL.Query().Get("source_detail"))
	if detail == "" {
		detail = up.File
	}
	kind, err := importKind(r.URL.Query().Get("kind"), up)
	var rr dossier.RowReader
	closeRows := func() {}
	if err == nil {
		rr, closeRows, err = s.uploads.rows(up)
	}
	var res *dossier.ImportResult
	if err == nil {
		im := &dossier.Importer{Store: s.svc.Imports}
		res, err = im.Import(r.Context(), rr, s.importRun(r, up, kind, ch, detail))
		closeRows()
	}
	if err == nil {
		err = s.audit(r, dossier.AuditImport, "import", res.Run.ID, fmt.Sprintf("%s: %s (API)", up.File, res.Run.Summary()))
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/imports/%d", res.Run.ID))
	writeJSON(w, nethttp.StatusCreated, viewImport(&res.Run))
}
