package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/filter"
)

// CreateSegment implements dossier.SegmentService.
func (db *DB) CreateSegment(ctx context.Context, s *dossier.Segment) error {
	if err := s.Validate(); err != nil {
		return err
	}
	reg, err := db.Registry(ctx)
	if err != nil {
		return err
	}
	if _, err := filter.Parse(s.Expression, reg); err != nil {
		e := err.(*dossier.Error)
		e.Field = "expression"
		return e
	}
	return db.inTx(ctx, func(tx *Tx) error {
		s.CreatedAt = tx.now
		id, err := tx.insert(ctx, `INSERT INTO segments (name, expression, owner, shared, created_at) VALUES (?, ?, ?, ?, ?)`,
			s.Name, s.Expression, s.Owner, boolInt(s.Shared), ts(tx.now))
		if db.dialect.IsUniqueViolation(err) {
			return &dossier.Error{Code: dossier.ECONFLICT, Field: "name", Message: fmt.Sprintf("a segment named %q already exists", s.Name)}
		} else if err != nil {
			return fmt.Errorf("create segment: %w", err)
		}
		s.ID, s.Version = id, 1
		return nil
	})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

const segmentCols = "id, name, expression, owner, shared, created_at, version"

func scanSegment(row scanner) (*dossier.Segment, error) {
	var (
		s       dossier.Segment
		shared  int
		created string
	)
	if err := row.Scan(&s.ID, &s.Name, &s.Expression, &s.Owner, &shared, &created, &s.Version); err != nil {
		return nil, err
	}
	s.Shared, s.CreatedAt = shared != 0, parseTS(created)
	return &s, nil
}

// Segments implements dossier.SegmentService.
func (db *DB) Segments(ctx context.Context, owner string) ([]dossier.Segment, error) {
	q, args := "SELECT "+segmentCols+" FROM segments", []any{}
	if owner != "" {
		q, args = q+" WHERE owner = ? OR shared <> 0", append(args, owner)
	}
	rows, err := db.r.QueryContext(ctx, db.q(q+" ORDER BY name"), args...)
	if err != nil {
		return nil, fmt.Errorf("segments: %w", err)
	}
	defer rows.Close()
	var out []dossier.Segment
	for rows.Next() {
		s, err := scanSegment(rows)
		if err != nil {
			return nil, fmt.Errorf("segments: %w", err)
		}
		out = append(out, *s)
	}
	return out, rows.Err()
}

// FindSegment implements dossier.SegmentService.
func (db *DB) FindSegment(ctx context.Context, name string) (*dossier.Segment, error) {
	s, err := scanSegment(db.r.QueryRowContext(ctx, db.q("SELECT "+segmentCols+" FROM segments WHERE name = ?"), name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, dossier.Errorf(dossier.ENOTFOUND, "no segment %q", name)
	}
	return s, err
}
