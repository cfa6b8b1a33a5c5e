package sqldb

import (
	"cmp"
	"context"
	"fmt"
	"reflect"
	"slices"

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

// CheckFreshGroups makes every quality refresh compare the groups an
// import kept for the customers it created (import_bulk.go, freshGroups)
// with what loadGroups reads back for them, failing the transaction when
// they differ; it returns a function that undoes that and reports how
// many groups were compared.
func CheckFreshGroups() (done func() int) {
	n := 0
	freshCheck = func(ctx context.Context, tx *Tx, fresh []*group) error {
		ids := make([]int64, len(fresh))
		for i, g := range fresh {
			ids[i] = g.c.ID
		}
		stored, err := loadGroups(ctx, tx, tx.db.q, tx.db.policy, ids)
		if err != nil {
			return err
		}
		if len(stored) != len(fresh) {
			return fmt.Errorf("fresh groups: %d kept, %d read back", len(fresh), len(stored))
		}
		for i := range fresh {
			a, b := *fresh[i], *stored[i]
			for _, g := range []*group{&a, &b} {
				g.facts = slices.Clone(g.facts)
				slices.SortFunc(g.facts, func(x, y dossier.Fact) int {
					return cmp.Or(cmp.Compare(x.ObservationID, y.ObservationID), cmp.Compare(x.Field, y.Field))
				})
			}
			if !reflect.DeepEqual(a, b) {
				return fmt.Errorf("customer %d: the kept group\n%+v\ndiffers from the stored one\n%+v", a.c.ID, a, b)
			}
			n++
		}
		return nil
	}
	return func() int { freshCheck = nil; return n }
}
