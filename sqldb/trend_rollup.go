package sqldb

import (
	"context"
	"slices"
	"strings"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/analytics"
	"github.com/dossier/dossier/filter"
)

// interactionCube is the interaction rollup (migration 033): the live
// interactions per month and per customer grade, stage, province and
// industry (in full: a filter on an industry takes its sub-industries).
var interactionCube = rollupCube{"interaction_rollup", []string{"grade", "stage", "province", "industry"}}

// trendRollup answers a trend of interactions from the interaction rollup
// when the series (none, or one of the cube's customer fields) and the
// filter are covered; ok = false sends the trend to the plain query. A
// trend by a customer field otherwise joins every interaction to its
// customer: 21 s at 10,000,000 interactions on SQLite.
func (db *DB) trendRollup(ctx context.Context, reg *dossier.Registry, q analytics.TrendQuery) (query string, args []any, ok bool, err error) {
	if db.noRollup || q.Source != analytics.SourceInteractions {
		return "", nil, false, nil
	}
	key := "''"
	if q.By != "" {
		e, _, _, err := filter.Column(reg, q.By, db.dialect.Name())
		col := strings.TrimPrefix(e, "c.")
		if err != nil || !strings.HasPrefix(e, "c.") || !slices.Contains(interactionCube.cols, col) {
			return "", nil, false, nil // the plain query reports an unknown field as it always has
		}
		key = col
	}
	rf, ok, err := db.rollupFilterOf(ctx, q.Filter)
	if !ok || err != nil {
		return "", nil, false, nil
	}
	where, args, ok := interactionCube.where(rf)
	if !ok {
		return "", nil, false, nil
	}
	defer db.maybeCompactRollup(ctx, interactionCube.table)
	return "SELECT month, " + key + ", CAST(SUM(n) AS BIGINT) FROM " + interactionCube.table + where +
		" GROUP BY 1, 2 HAVING SUM(n) <> 0", args, true, nil
}
