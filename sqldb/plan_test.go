package sqldb_test

import (
	"database/sql"
	"strings"
	"testing"

	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqlite"
)

// TestHiddenFlagDoesNotSteerPlans: the filter every list and pivot carries
// (hidden = 0) must leave SQLite free to use the covering analysis index,
// not an index on the flag, which reads every row.
func TestHiddenFlagDoesNotSteerPlans(t *testing.T) {
	path := t.TempDir() + "/plan.db"
	store, err := sqlite.Open(ctx, path, sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	store.Close()
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query("EXPLAIN QUERY PLAN SELECT c.grade, c.stage, COUNT(*) FROM customers c WHERE c.hidden = 0 AND c.merged_into IS NULL GROUP BY 1, 2")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if p := strings.Join(plan, "; "); strings.Contains(p, "customers_hidden") || !strings.Contains(p, "COVERING INDEX customers_analysis") {
		t.Errorf("plan of a pivot: %s", p)
	}
}
