package sqldb

import (
	"context"

	"github.com/dossier/dossier"
)

// The full scans the quality tables replaced, kept as the reference the
// tables are compared with (quality_index_test.go).

func (db *DB) ScanConflicts(ctx context.Context, f dossier.QualityFilter) ([]dossier.Conflict, int, error) {
	return db.scanConflicts(ctx, f)
}

func (db *DB) ScanGaps(ctx context.Context, f dossier.QualityFilter) ([]dossier.Completeness, int, error) {
	return db.scanGaps(ctx, f)
}

func (db *DB) ScanInvalid(ctx context.Context, f dossier.QualityFilter) ([]dossier.InvalidValue, int, error) {
	return db.scanInvalid(ctx, f)
}
