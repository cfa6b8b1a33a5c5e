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

// TestRecomputeAndSegmentPlans: the recompute's interaction aggregates read
// one covering index (no interaction row), and the segment filters the
// issue measures count from one narrow index each (migration 018).
func TestRecomputeAndSegmentPlans(t *testing.T) {
	store, err := sqlite.Open(ctx, t.TempDir()+"/plan.db", sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	plans, err := store.QueryPlans(ctx, []string{"industry IN (制造业, 零售) AND NOT stage = 流失", "name ~ 科技"})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{
		"SEARCH interactions USING COVERING INDEX interactions_customer_recent (customer_id>? AND customer_id<?)",
		"SCAN c USING COVERING INDEX customers_industry",
		"SCAN c USING COVERING INDEX customers_name",
	} {
		if !strings.HasPrefix(plans[i], want) {
			t.Errorf("plan %d: %s\nwant it to start with %s", i, plans[i], want)
		}
	}
}

// TestScopeCountReadsNoRows: a sales rep's list total ("mine or shared with
// my team") is counted from the two indexes that hold the live flags, not
// by reading each of the rep's customer rows (migration 021).
func TestScopeCountReadsNoRows(t *testing.T) {
	store, err := sqlite.Open(ctx, t.TempDir()+"/plan.db", sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	plan, err := store.ScopeCountPlan(ctx, "王平凯", "华东一组")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"customers_owner_live (owner=? AND hidden=? AND merged_into=?)",
		"customers_team_shared_live (team=? AND shared_with_team=? AND hidden=? AND merged_into=?)",
	} {
		if !strings.Contains(plan, want) {
			t.Errorf("plan of a sales rep's count: %s\nwant it to use %s", plan, want)
		}
	}
}
