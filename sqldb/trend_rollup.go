package sqldb

import (
	"context"
	"slices"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/analytics"
)

// interactionCubes are the interaction rollups: the live interactions per
// month and per customer grade, stage, province and industry (migration
// 033; the industry in full: a filter on an industry takes its
// sub-industries), and per province, city and customer type (migration
// 037). The first that covers a trend answers it.
var interactionCubes = []rollupCube{
	{"interaction_rollup", []string{"grade", "stage", "province", "industry"}},
	{"interaction_rollup_place", []string{"province", "city", "customer_type"}},
}

// needCubes are the need rollups: the live needs per month, need type and
// customer grade, stage and industry (migration 035), and per province,
// city and customer type (migration 038).
var needCubes = []rollupCube{
	{"need_rollup", []string{"grade", "stage", "industry"}},
	{"need_rollup_place", []string{"province", "city", "customer_type"}},
}

// trendRollup answers a trend from an interaction or need rollup when the
// series (none, the need type, or one of the cube's customer fields) and
// the filter are covered; ok = false sends the trend to the plain query. A
// trend by a customer field otherwise joins every record to its customer:
// 21 s at 10,000,000 interactions on SQLite.
func (db *DB) trendRollup(ctx context.Context, reg *dossier.Registry, q analytics.TrendQuery) (query string, args []any, ok bool) {
	if db.noRollup {
		return "", nil, false
	}
	// The interactions' own series (channel, feedback) are not in their
	// rollups; the needs' (type) is. Any source but interactions is needs,
	// as Trend reads it.
	cubes, series := interactionCubes, ""
	if q.Source != analytics.SourceInteractions {
		cubes, series = needCubes, "type"
	}
	key := "''"
	switch {
	case q.By == "":
	case series != "" && q.By == series:
		key = series
	default:
		// An unknown field is not covered: the plain query reports it.
		if key = rollupDim(reg, analytics.Dim{Field: q.By}, db.dialect.Name()); key == "" {
			return "", nil, false
		}
	}
	rf, ok, err := db.rollupFilterOf(ctx, q.Filter)
	if !ok || err != nil {
		return "", nil, false // a filter in error too: the plain query reports it
	}
	for _, cube := range cubes {
		if q.By != "" && key != series && !slices.Contains(cube.cols, key) {
			continue
		}
		where, args, ok := cube.where(rf)
		if !ok {
			continue
		}
		db.maybeCompactRollup(ctx, cube.table)
		return "SELECT month, " + key + ", CAST(SUM(n) AS BIGINT) FROM " + cube.table + where +
			" GROUP BY 1, 2 HAVING SUM(n) <> 0", args, true
	}
	return "", nil, false
}
