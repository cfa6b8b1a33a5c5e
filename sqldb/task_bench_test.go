package sqldb_test

import (
	"testing"
	"time"

	"github.com/dossier/dossier"
)

// BenchmarkBoard is the tasks board's reads (http/task.go) on the store of
// DOSSIER_BENCH_DB: its four columns (overdue, due this week, later, done
// in the last 7 days, 50 tasks each) and the public pool (20 customers and
// the count), for an admin, a team's manager and a sales rep (the owner of
// customer 1, in its team). pool-as-segment is the reference for the pool:
// the list's segment filter "owner IS EMPTY".
//
//	DOSSIER_BENCH_DB=/work/data/bench1m.db go test ./sqldb -run '^$' -bench Board -benchtime 20x -count 3
func BenchmarkBoard(b *testing.B) {
	db := benchDB(b)
	c, err := db.FindCustomerByID(ctx, 1)
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now().UTC()
	today := dossier.FormatDate(now)
	day := func(n int) string { return dossier.FormatDate(now.AddDate(0, 0, n)) }
	for _, sc := range []struct {
		name string
		u    dossier.User
	}{
		{"admin", dossier.User{Role: dossier.RoleAdmin}},
		{"manager", dossier.User{Role: dossier.RoleManager, Team: c.Team}},
		{"sales", dossier.User{Name: c.Owner, Role: dossier.RoleSales, Team: c.Team}},
	} {
		var scope dossier.CustomerFilter
		sc.u.CustomerScope(&scope)
		base := dossier.TaskFilter{CustomerOwner: scope.Owner, SharedTeam: scope.SharedTeam, Team: scope.Team, AsOf: today, Limit: 50}
		if sc.u.Role == dossier.RoleSales {
			base.Owner = sc.u.Name
		}
		open := base
		open.Status = dossier.TaskOpen
		overdue, week, later, done := open, open, open, base
		overdue.Overdue = true
		week.DueFrom, week.DueTo = today, day(6)
		later.DueFrom = day(7)
		done.Status, done.ClosedSince = dossier.TaskDone, day(-7)
		for _, q := range []struct {
			name string
			f    dossier.TaskFilter
		}{{"overdue", overdue}, {"week", week}, {"later", later}, {"done", done}} {
			b.Run(sc.name+"/"+q.name, func(b *testing.B) {
				defer cpuPerOp(b)()
				for b.Loop() {
					if _, err := db.FindTasks(ctx, q.f); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		b.Run(sc.name+"/pool", func(b *testing.B) {
			defer cpuPerOp(b)()
			for b.Loop() {
				if _, _, err := db.FindPool(ctx, sc.u.PoolTeam(), 20); err != nil {
					b.Fatal(err)
				}
			}
		})
		// The reference: the same pool through the list's segment filter,
		// as the first version of the board read it.
		b.Run(sc.name+"/pool-as-segment", func(b *testing.B) {
			defer cpuPerOp(b)()
			f := dossier.CustomerFilter{Expr: "owner IS EMPTY", Team: sc.u.PoolTeam(), Sort: "-updated", Limit: 20}
			for b.Loop() {
				if _, _, err := db.FindCustomers(ctx, f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
