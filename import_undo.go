package dossier

import "context"

// UndoResult says what undoing (or restoring) an import changed.
type UndoResult struct {
	Run       ImportRun
	Resolved  int // customers whose profile was resolved again
	Hidden    int // customers hidden: the run was their only source
	Shown     int // customers shown again (restore)
	Records   int // contacts, interactions and projects of the run
	AuditedAs int64
}

// ImportRunService lists recorded imports and reverts them. Observations are
// append-only, so an undo never deletes: the run is marked reverted, its
// observations stop counting in resolution, its contacts, interactions and
// projects are hidden, and customers it alone created disappear from lists.
// Restore is the exact inverse.
type ImportRunService interface {
	ImportRuns(ctx context.Context, limit int) ([]ImportRun, error)
	ImportRunByID(ctx context.Context, id int64) (*ImportRun, error)
	// UndoImport refuses a run still marked running (its process may be
	// writing, or may have died) unless force is set.
	UndoImport(ctx context.Context, id int64, user string, force bool) (*UndoResult, error)
	RestoreImport(ctx context.Context, id int64, user string) (*UndoResult, error)
}
