package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/sqldb"
)

// runSnapshot takes, lists and compares snapshots of the customers' key
// values (SPEC R32).
func runSnapshot(ctx context.Context, e *env, args []string) error {
	const use = "use 'dossier snapshot take [--label L] [--filter EXPR|--segment NAME]', 'snapshot list [--json]' or " +
		"'snapshot compare [--from REF] [--to REF] [--filter EXPR|--segment NAME] [--customer ID] [--json]'"
	if len(args) == 0 {
		return usagef(use)
	}
	fs := newFlags("snapshot")
	db := dbFlag(fs, e)
	label := fs.String("label", "", "a name for the snapshot, e.g. 2026Q4")
	expr := fs.String("filter", "", "only the customers matching a segment filter")
	segment := fs.String("segment", "", "only the customers of a saved segment")
	from := fs.String("from", "", "compare from this snapshot: its number, a date (the latest snapshot on or before it) or now (default: the latest snapshot)")
	to := fs.String("to", dossier.SnapshotNow, "compare to this snapshot: its number, a date or now")
	customer := fs.Int64("customer", 0, "compare one customer")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usagef(use)
	}
	store, f, err := openWithFilter(ctx, *db, *segment, *expr)
	if err != nil {
		return err
	}
	defer store.Close()
	switch args[0] {
	case "take":
		s := &dossier.Snapshot{Label: *label, Scope: f.Expr, TakenBy: cliUser(e)}
		if err := store.TakeSnapshot(ctx, s); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "snapshot %d taken: %d customers\n", s.ID, s.Customers)
		return nil
	case "list":
		ss, err := store.Snapshots(ctx, 0)
		if err != nil {
			return err
		}
		return printSnapshots(e.stdout, ss, *asJSON)
	case "compare":
		if *from == "" {
			ss, err := store.Snapshots(ctx, -1)
			if err != nil {
				return err
			}
			if len(ss) == 0 {
				return dossier.Errorf(dossier.ENOTFOUND, "no snapshot yet: take one with 'dossier snapshot take'")
			}
			*from = strconv.FormatInt(ss[0].ID, 10)
		}
		return compareCommand(ctx, e, store, *from, *to, f, *customer, *asJSON, "")
	}
	return usagef(use)
}

func printSnapshots(w io.Writer, ss []dossier.Snapshot, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		for _, s := range ss {
			if err := enc.Encode(s); err != nil {
				return err
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTAKEN\tLABEL\tCUSTOMERS\tBY\tSCOPE")
	for _, s := range ss {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\t%s\n", s.ID, s.TakenAt.Format("2006-01-02 15:04"), s.Label, s.Customers, s.TakenBy, s.Scope)
	}
	return tw.Flush()
}

// compareCommand prints the comparison of a population, or of one
// customer, between two snapshot references.
// nowScope limits "now" to an analysis's scope.
func compareCommand(ctx context.Context, e *env, store *sqldb.DB, fromRef, toRef string, f dossier.CustomerFilter, customer int64, asJSON bool, nowScope string) error {
	from, err := store.ResolveSnapshot(ctx, fromRef)
	if err != nil {
		return err
	}
	to, err := store.ResolveSnapshot(ctx, toRef)
	if err != nil {
		return err
	}
	for _, s := range []*dossier.Snapshot{from, to} {
		if s.ID == 0 {
			s.Scope = nowScope
		}
	}
	if customer != 0 {
		ch, err := store.CompareCustomer(ctx, from, to, customer)
		if err != nil {
			return err
		}
		if asJSON {
			return json.NewEncoder(e.stdout).Encode(ch)
		}
		return printCustomerChange(e.stdout, from, to, ch)
	}
	c, err := store.CompareSnapshots(ctx, from, to, f)
	if err != nil {
		return err
	}
	if asJSON {
		return json.NewEncoder(e.stdout).Encode(c)
	}
	return printComparison(e.stdout, c)
}

func snapshotName(s *dossier.Snapshot) string {
	if s.ID == 0 {
		return dossier.SnapshotNow
	}
	return fmt.Sprintf("#%d %s (%s)", s.ID, s.Label, s.TakenAt.Format("2006-01-02 15:04"))
}

func printComparison(w io.Writer, c *dossier.Comparison) error {
	fmt.Fprintf(w, "from %s to %s", snapshotName(c.From), snapshotName(c.To))
	if c.Scope != "" {
		fmt.Fprintf(w, ", customers matching %s", c.Scope)
	}
	fmt.Fprintf(w, "\ncustomers %d (new %d, gone %d); mean score %.1f → %.1f\n", c.Customers, c.New, c.Gone, c.ScoreFrom, c.ScoreTo)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, d := range c.Dimensions {
		fmt.Fprintf(tw, "\n%s\tTHEN\tNOW\n", strings.ToUpper(d.Name))
		for _, l := range d.Counts {
			fmt.Fprintf(tw, "%s\t%d\t%d\n", levelName(l.Level), l.From, l.To)
		}
		fmt.Fprintf(tw, "%s THEN → NOW\tCUSTOMERS\t\n", strings.ToUpper(d.Name))
		for _, t := range d.Transitions {
			fmt.Fprintf(tw, "%s → %s\t%d\t\n", levelName(t.From), levelName(t.To), t.Count)
		}
	}
	fmt.Fprintf(tw, "\nSCORE\tTHEN\tNOW\n")
	for _, b := range c.Bands {
		fmt.Fprintf(tw, "%d–%d\t%d\t%d\n", b.Low, b.Low+dossier.ScoreBand-1, b.From, b.To)
	}
	return tw.Flush()
}

func levelName(l string) string {
	if l == "" {
		return "(unknown)"
	}
	return l
}

func printCustomerChange(w io.Writer, from, to *dossier.Snapshot, ch *dossier.CustomerChange) error {
	fmt.Fprintf(w, "customer %d from %s to %s\n", ch.CustomerID, snapshotName(from), snapshotName(to))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "\tTHEN\tNOW\t")
	row := func(r *dossier.SnapshotRow) []string {
		if r == nil {
			return []string{"-", "-", "-", "-", "-", "-"}
		}
		return []string{strconv.Itoa(r.Score), r.Priority, r.Tier, r.Grade, r.Value, r.Stage}
	}
	a, b := row(ch.From), row(ch.To)
	for i, name := range []string{"score", "priority", "tier", "grade", "value", "stage"} {
		mark := ""
		if a[i] != b[i] {
			mark = "*"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", name, a[i], b[i], mark)
	}
	return tw.Flush()
}

// runAnalysis keeps analyses in the sense of SPEC R1: a goal, a scope and
// roles; each run keeps its results as a snapshot to compare with later.
func runAnalysis(ctx context.Context, e *env, args []string) error {
	const use = "use 'dossier analysis create NAME [--goal G] [--segment S|--filter EXPR] [--owner O] [--roles r1,r2]', " +
		"'analysis list [--json]', 'analysis run NAME' or 'analysis compare NAME [--from RUN] [--to RUN] [--json]'"
	if len(args) == 0 {
		return usagef(use)
	}
	fs := newFlags("analysis")
	db := dbFlag(fs, e)
	goal := fs.String("goal", "", "what the analysis is for")
	segment := fs.String("segment", "", "its scope: a saved segment")
	expr := fs.String("filter", "", "its scope: a segment filter expression")
	owner := fs.String("owner", "", "who is responsible (default: the operating-system user)")
	roles := fs.String("roles", "", "roles that may see it besides its owner and admins, comma separated (default: everyone)")
	from := fs.String("from", "", "compare from this run's snapshot number (default: the run before --to)")
	to := fs.String("to", "", "compare to this snapshot number or now (default: the latest run)")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	store, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	switch sub := args[0]; {
	case sub == "create" && len(pos) == 1:
		st := &dossier.Study{Name: pos[0], Goal: *goal, Segment: *segment, Scope: *expr, Owner: *owner}
		if st.Owner == "" {
			st.Owner = cliUser(e)
		}
		if *roles != "" {
			st.Roles = strings.Split(*roles, ",")
		}
		if err := store.CreateStudy(ctx, st); err != nil {
			if dossier.ErrorCode(err) == dossier.EINVALID {
				return usagef("%s", dossier.ErrorMessage(err))
			}
			return err
		}
		fmt.Fprintf(e.stdout, "analysis %d %s created\n", st.ID, st.Name)
		return nil
	case sub == "list" && len(pos) == 0:
		return listStudies(ctx, e.stdout, store, *asJSON)
	case sub == "run" && len(pos) == 1:
		st, err := store.FindStudy(ctx, pos[0])
		if err != nil {
			return err
		}
		s, err := store.RunStudy(ctx, st.ID, cliUser(e))
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "analysis %s run: snapshot %d, %d customers\n", st.Name, s.ID, s.Customers)
		return nil
	case sub == "compare" && len(pos) == 1:
		st, err := store.FindStudy(ctx, pos[0])
		if err != nil {
			return err
		}
		a, b, err := dossier.PickRuns(ctx, store, st, *from, *to)
		if err != nil {
			return err
		}
		return compareCommand(ctx, e, store, a, b, dossier.CustomerFilter{}, 0, *asJSON, st.Scope)
	}
	return usagef(use)
}

func listStudies(ctx context.Context, w io.Writer, store *sqldb.DB, asJSON bool) error {
	ss, err := store.Studies(ctx)
	if err != nil {
		return err
	}
	if asJSON {
		enc := json.NewEncoder(w)
		for _, s := range ss {
			if err := enc.Encode(s); err != nil {
				return err
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tOWNER\tROLES\tRUNS\tSCOPE\tGOAL")
	for _, s := range ss {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%s\t%s\n", s.ID, s.Name, s.Owner, strings.Join(s.Roles, ","), s.Runs, s.Scope, s.Goal)
	}
	return tw.Flush()
}
