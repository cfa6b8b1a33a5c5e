package sqldb

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/dossier/dossier"
)

// CreateStudy implements dossier.SnapshotService. A study made from a
// saved segment keeps the segment's expression as it was, so later runs
// compare the same population definition.
func (db *DB) CreateStudy(ctx context.Context, s *dossier.Study) error {
	if err := s.Validate(); err != nil {
		return err
	}
	if s.Segment != "" {
		seg, err := db.FindSegment(ctx, s.Segment)
		if err != nil {
			if dossier.ErrorCode(err) == dossier.ENOTFOUND {
				return dossier.FieldError("segment", "no segment %q", s.Segment)
			}
			return err
		}
		s.Scope = seg.Expression
	}
	if _, _, err := db.customerWhere(ctx, dossier.CustomerFilter{Expr: s.Scope}); err != nil {
		if e, ok := err.(*dossier.Error); ok {
			e.Field = "scope"
		}
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		s.CreatedAt = tx.now
		id, err := tx.insert(ctx, `INSERT INTO studies (name, goal, segment, scope, owner, roles, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			s.Name, s.Goal, s.Segment, s.Scope, s.Owner, strings.Join(s.Roles, ","), ts(tx.now))
		if db.dialect.IsUniqueViolation(err) {
			return &dossier.Error{Code: dossier.ECONFLICT, Field: "name", Message: fmt.Sprintf("an analysis named %q already exists", s.Name)}
		} else if err != nil {
			return fmt.Errorf("create analysis: %w", err)
		}
		s.ID, s.Version = id, 1
		return nil
	})
}

const studyCols = `id, name, goal, segment, scope, owner, roles, created_at,
	(SELECT COUNT(*) FROM snapshots s WHERE s.study_id = studies.id AND s.done_at IS NOT NULL), version`

func scanStudy(row scanner) (*dossier.Study, error) {
	var (
		s              dossier.Study
		roles, created string
	)
	if err := row.Scan(&s.ID, &s.Name, &s.Goal, &s.Segment, &s.Scope, &s.Owner, &roles, &created, &s.Runs, &s.Version); err != nil {
		return nil, err
	}
	if roles != "" {
		s.Roles = strings.Split(roles, ",")
	}
	s.CreatedAt = parseTS(created)
	return &s, nil
}

// Studies implements dossier.SnapshotService.
func (db *DB) Studies(ctx context.Context) ([]dossier.Study, error) {
	rows, err := db.r.QueryContext(ctx, "SELECT "+studyCols+" FROM studies ORDER BY name")
	if err != nil {
		return nil, fmt.Errorf("analyses: %w", err)
	}
	defer rows.Close()
	var out []dossier.Study
	for rows.Next() {
		s, err := scanStudy(rows)
		if err != nil {
			return nil, fmt.Errorf("analyses: %w", err)
		}
		out = append(out, *s)
	}
	return out, rows.Err()
}

// FindStudy implements dossier.SnapshotService.
func (db *DB) FindStudy(ctx context.Context, ref string) (*dossier.Study, error) {
	q, arg := "SELECT "+studyCols+" FROM studies WHERE name = ?", any(ref)
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		q, arg = "SELECT "+studyCols+" FROM studies WHERE id = ?", id
	}
	s, err := scanStudy(db.r.QueryRowContext(ctx, db.q(q), arg))
	if isNoRows(err) {
		return nil, dossier.Errorf(dossier.ENOTFOUND, "no analysis %q", ref)
	}
	if err != nil {
		return nil, fmt.Errorf("analysis %s: %w", ref, err)
	}
	return s, nil
}

// RunStudy implements dossier.SnapshotService.
func (db *DB) RunStudy(ctx context.Context, id int64, by string) (*dossier.Snapshot, error) {
	st, err := db.FindStudy(ctx, itoa(id))
	if err != nil {
		return nil, err
	}
	snap := &dossier.Snapshot{Label: fmt.Sprintf("%s #%d", st.Name, st.Runs+1), StudyID: st.ID, Scope: st.Scope, TakenBy: by}
	if err := db.TakeSnapshot(ctx, snap); err != nil {
		return nil, err
	}
	return snap, nil
}
