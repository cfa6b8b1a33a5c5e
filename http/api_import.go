package http

import (
	"context"
	nethttp "net/http"
	"time"

	"github.com/dossier/dossier"
)

// ImportReader reads import runs for the API.
type ImportReader interface {
	ImportRunsBefore(ctx context.Context, before int64, limit int) ([]dossier.ImportRun, error)
	ImportRunByID(ctx context.Context, id int64) (*dossier.ImportRun, error)
}

// importView is an import run as the API shows it.
type importView struct {
	ID         int64          `json:"id"`
	File       string         `json:"file"`
	Kind       string         `json:"kind"`
	Source     dossier.Source `json:"source"`
	Imported   int            `json:"imported"`
	Updated    int            `json:"updated"`
	Rejected   int            `json:"rejected"`
	Unchanged  int            `json:"unchanged"`
	State      string         `json:"state"` // running, done, failed, interrupted or reverted
	User       string         `json:"user"`
	Started    time.Time      `json:"started"`
	Finished   *time.Time     `json:"finished,omitempty"`
	Reverted   *time.Time     `json:"reverted,omitempty"`
	RevertedBy string         `json:"reverted_by,omitempty"`
}

func viewImport(r *dossier.ImportRun) importView {
	opt := func(t time.Time) *time.Time {
		if t.IsZero() {
			return nil
		}
		return &t
	}
	return importView{ID: r.ID, File: r.File, Kind: r.Kind, Source: r.Source, Imported: r.Imported, Updated: r.Updated,
		Rejected: r.Rejected, Unchanged: r.Same, State: r.State(), User: r.User, Started: r.Started,
		Finished: opt(r.Finished), Reverted: opt(r.Reverted), RevertedBy: r.RevertedBy}
}

// importList is the body of GET /api/v1/imports.
type importList struct {
	Items      []importView `json:"items"`
	Limit      int          `json:"limit"`
	NextCursor string       `json:"next_cursor,omitempty"`
}

// importReaders: an import run names files and who loaded them, which is
// the business of whoever looks after the data, not of every rep.
var importReaders = rolesOnly(dossier.RoleAdmin, dossier.RoleManager)

func (s *Server) imports() (ImportReader, error) {
	if s.svc.ImportLog == nil {
		return nil, dossier.Errorf(dossier.ENOTFOUND, "imports are not available on this server")
	}
	return s.svc.ImportLog, nil
}

// handleAPIImports lists import runs, newest first, with a keyset cursor.
func (s *Server) handleAPIImports(w nethttp.ResponseWriter, r *nethttp.Request) {
	st, err := s.imports()
	var (
		limit  int
		before int64
		runs   []dossier.ImportRun
	)
	if err == nil {
		limit, err = apiLimit(r)
	}
	if err == nil {
		before, err = parseCursor(r, "imports")
	}
	if err == nil {
		runs, err = st.ImportRunsBefore(r.Context(), before, limit)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := importList{Items: make([]importView, 0, len(runs)), Limit: limit}
	for i := range runs {
		out.Items = append(out.Items, viewImport(&runs[i]))
	}
	if n := len(runs); n > 0 {
		out.NextCursor = nextCursor("imports", n, limit, runs[n-1].ID)
	}
	writeJSON(w, nethttp.StatusOK, out)
}

func (s *Server) handleAPIImport(w nethttp.ResponseWriter, r *nethttp.Request) {
	st, err := s.imports()
	var (
		id  int64
		run *dossier.ImportRun
	)
	if err == nil {
		id, err = pathID(r, "import")
	}
	if err == nil {
		run, err = st.ImportRunByID(r.Context(), id)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, nethttp.StatusOK, viewImport(run))
}
