package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/filter"
)

var _ dossier.SegmentEditor = (*DB)(nil)

// FindSegmentByID implements dossier.SegmentEditor.
func (db *DB) FindSegmentByID(ctx context.Context, id int64) (*dossier.Segment, error) {
	return findSegmentByID(func(q string, args ...any) *sql.Row { return db.r.QueryRowContext(ctx, db.q(q), args...) }, id)
}

// findSegmentByID reads a segment through queryRow, which rewrites the
// placeholders for the store.
func findSegmentByID(queryRow func(string, ...any) *sql.Row, id int64) (*dossier.Segment, error) {
	s, err := scanSegment(queryRow("SELECT "+segmentCols+" FROM segments WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, dossier.Errorf(dossier.ENOTFOUND, "no segment %d", id)
	}
	if err != nil {
		return nil, fmt.Errorf("segment %d: %w", id, err)
	}
	return s, nil
}

// versionedSegment reads a segment in tx and checks the version sent.
func (tx *Tx) versionedSegment(ctx context.Context, id, version int64) (*dossier.Segment, error) {
	s, err := findSegmentByID(func(q string, args ...any) *sql.Row { return tx.queryRow(ctx, q, args...) }, id)
	if err != nil {
		return nil, err
	}
	if err := checkVersion("segment", id, s.Version, version); err != nil {
		return nil, err
	}
	return s, nil
}

// UpdateSegment implements dossier.SegmentEditor.
func (db *DB) UpdateSegment(ctx context.Context, id int64, upd dossier.SegmentUpdate) (*dossier.Segment, error) {
	reg, err := db.Registry(ctx)
	if err != nil {
		return nil, err
	}
	err = db.inTx(ctx, func(tx *Tx) error {
		s, err := tx.versionedSegment(ctx, id, upd.Version)
		if err != nil {
			return err
		}
		if upd.Name != nil {
			s.Name = *upd.Name
		}
		if upd.Expression != nil {
			s.Expression = *upd.Expression
		}
		if upd.Shared != nil {
			s.Shared = *upd.Shared
		}
		if err := s.Validate(); err != nil {
			return err
		}
		if _, err := filter.Parse(s.Expression, reg); err != nil {
			e := err.(*dossier.Error)
			e.Field = "expression"
			return e
		}
		_, err = tx.exec(ctx, `UPDATE segments SET name = ?, expression = ?, shared = ?, version = version + 1 WHERE id = ?`,
			s.Name, s.Expression, boolInt(s.Shared), id)
		if db.dialect.IsUniqueViolation(err) {
			return &dossier.Error{Code: dossier.ECONFLICT, Field: "name", Message: fmt.Sprintf("a segment named %q already exists", s.Name)}
		} else if err != nil {
			return fmt.Errorf("update segment %d: %w", id, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return db.FindSegmentByID(ctx, id)
}

// DeleteSegment implements dossier.SegmentEditor. Analyses scoped by the
// segment keep their own copy of its expression (Study.Scope), so none is
// left without a scope.
func (db *DB) DeleteSegment(ctx context.Context, id, version int64) error {
	return db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.versionedSegment(ctx, id, version); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM segments WHERE id = ?`, id); err != nil {
			return fmt.Errorf("delete segment %d: %w", id, err)
		}
		return nil
	})
}
