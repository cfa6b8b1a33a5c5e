package sqldb

import (
	"context"
	"fmt"
	"strings"

	"github.com/dossier/dossier"
)

var _ dossier.StudyEditor = (*DB)(nil)

// versionedStudy reads an analysis in tx and checks the version sent.
func (tx *Tx) versionedStudy(ctx context.Context, id, version int64) (*dossier.Study, error) {
	s, err := scanStudy(tx.queryRow(ctx, "SELECT "+studyCols+" FROM studies WHERE id = ?", id))
	switch {
	case isNoRows(err):
		return nil, dossier.Errorf(dossier.ENOTFOUND, "no analysis %d", id)
	case err != nil:
		return nil, fmt.Errorf("analysis %d: %w", id, err)
	}
	if err := checkVersion("analysis", id, s.Version, version); err != nil {
		return nil, err
	}
	return s, nil
}

// UpdateStudy implements dossier.StudyEditor.
func (db *DB) UpdateStudy(ctx context.Context, id int64, upd dossier.StudyUpdate) (*dossier.Study, error) {
	err := db.inTx(ctx, func(tx *Tx) error {
		s, err := tx.versionedStudy(ctx, id, upd.Version)
		if err != nil {
			return err
		}
		if upd.Name != nil {
			s.Name = *upd.Name
		}
		if upd.Goal != nil {
			s.Goal = strings.TrimSpace(*upd.Goal)
		}
		if upd.Roles != nil {
			s.Roles = *upd.Roles
		}
		if err := s.Validate(); err != nil {
			return err
		}
		_, err = tx.exec(ctx, `UPDATE studies SET name = ?, goal = ?, roles = ?, version = version + 1 WHERE id = ?`,
			s.Name, s.Goal, strings.Join(s.Roles, ","), id)
		if db.dialect.IsUniqueViolation(err) {
			return &dossier.Error{Code: dossier.ECONFLICT, Field: "name", Message: fmt.Sprintf("an analysis named %q already exists", s.Name)}
		} else if err != nil {
			return fmt.Errorf("update analysis %d: %w", id, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return db.FindStudy(ctx, itoa(id))
}

// DeleteStudy implements dossier.StudyEditor: its runs' snapshots go with it.
func (db *DB) DeleteStudy(ctx context.Context, id, version int64) error {
	return db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.versionedStudy(ctx, id, version); err != nil {
			return err
		}
		for _, q := range []string{
			`DELETE FROM snapshot_rows WHERE snapshot_id IN (SELECT id FROM snapshots WHERE study_id = ?)`,
			`DELETE FROM snapshots WHERE study_id = ?`,
			`DELETE FROM studies WHERE id = ?`,
		} {
			if _, err := tx.exec(ctx, q, id); err != nil {
				return fmt.Errorf("delete analysis %d: %w", id, err)
			}
		}
		return nil
	})
}
