package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/dossier/dossier"
)

// The data-quality commands (SPEC R6–R8): merge and unmerge customers, list
// conflicts between channels, show a customer's verification, the gap
// worklist and the invalid-value report.

// idArg parses a positional id.
func idArg(what, s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, usagef("%s %q is not a positive number", what, s)
	}
	return id, nil
}

// parseOneID parses a command's flags and its one positional argument, an
// id ("merge id", "customer id"); anything else is a usage error.
func parseOneID(fs *flag.FlagSet, args []string, what string) (int64, error) {
	pos, err := parse(fs, args)
	if err != nil {
		return 0, err
	}
	if len(pos) != 1 {
		return 0, usagef("%s needs one %s", fs.Name(), what)
	}
	return idArg(what, pos[0])
}

func runMerge(ctx context.Context, e *env, args []string) error {
	fs := newFlags("merge")
	db := dbFlag(fs, e)
	reason := fs.String("reason", "", "why the two are one customer (kept with the merge)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usagef("merge needs two customer ids: the one to keep, then the one merged into it")
	}
	survivor, err := idArg("customer id", pos[0])
	if err != nil {
		return err
	}
	absorbed, err := idArg("customer id", pos[1])
	if err != nil {
		return err
	}
	store, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	m, err := store.MergeCustomers(ctx, dossier.MergeRequest{Survivor: survivor, Absorbed: absorbed, Reason: *reason,
		By: dossier.Actor{Name: cliUser(e)}})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "merge %d: customer %d merged into %d (%d contacts moved, %d duplicate contacts united); undo with: dossier unmerge %d\n",
		m.ID, m.Absorbed, m.Survivor, len(m.Moves.Contacts), len(m.Moves.Hidden), m.ID)
	return nil
}

func runUnmerge(ctx context.Context, e *env, args []string) error {
	fs := newFlags("unmerge")
	db := dbFlag(fs, e)
	id, err := parseOneID(fs, args, "merge id")
	if err != nil {
		return err
	}
	store, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	m, err := store.UndoMerge(ctx, id, dossier.Actor{Name: cliUser(e)})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "merge %d undone: customers %d and %d are separate again\n", m.ID, m.Survivor, m.Absorbed)
	return nil
}

// allPages returns a whole store list with one call and no limit (-1):
// one indexed query, where pages would repeat the count and the offset.
func allPages[T any](find func(offset int) ([]T, int, error)) ([]T, error) {
	items, _, err := find(0)
	return items, err
}

func runConflicts(ctx context.Context, e *env, args []string) error {
	fs := newFlags("conflicts")
	db := dbFlag(fs, e)
	asJSON := fs.Bool("json", false, "print one JSON object per conflict")
	field := fs.String("field", "", "only this field")
	owner := fs.String("owner", "", "only this owner's customers")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	store, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	all, err := allPages(func(off int) ([]dossier.Conflict, int, error) {
		return store.FindConflicts(ctx, dossier.QualityFilter{Owner: *owner, Field: *field, Offset: off, Limit: -1})
	})
	if err != nil {
		return err
	}
	if *asJSON {
		return jsonLines(e.stdout, all)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tCUSTOMER\tOWNER\tFIELD\tCURRENT\tWHAT EACH CHANNEL SAYS")
	for _, c := range all {
		v := c.Verification
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", c.CustomerID, c.CustomerName, c.Owner, v.Field, v.Value, evidenceText(v.Evidence))
	}
	fmt.Fprintf(tw, "%d conflicts\n", len(all))
	return tw.Flush()
}

func evidenceText(fs []dossier.Fact) string {
	parts := make([]string, 0, len(fs))
	for _, f := range fs {
		parts = append(parts, fmt.Sprintf("%s=%s (%s, %s)", f.Source.Channel, f.Value, f.Source.Detail, dossier.FormatDate(f.Source.CollectedAt)))
	}
	return strings.Join(parts, "; ")
}

func jsonLines[T any](w io.Writer, items []T) error {
	enc := json.NewEncoder(w)
	for _, it := range items {
		if err := enc.Encode(it); err != nil {
			return err
		}
	}
	return nil
}

func runVerify(ctx context.Context, e *env, args []string) error {
	fs := newFlags("verify")
	db := dbFlag(fs, e)
	asJSON := fs.Bool("json", false, "print the states as JSON")
	id, err := parseOneID(fs, args, "customer id")
	if err != nil {
		return err
	}
	store, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	vs, err := store.Verification(ctx, id)
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(e.stdout).Encode(vs)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FIELD\tSTATE\tCURRENT\tEVIDENCE")
	for _, v := range vs {
		state := v.State
		if v.Settled {
			state += " (settled)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", v.Field, state, v.Value, evidenceText(v.Evidence))
	}
	return tw.Flush()
}

func runGaps(ctx context.Context, e *env, args []string) error {
	fs := newFlags("gaps")
	db := dbFlag(fs, e)
	owner := fs.String("owner", "", "only this owner's customers (the owner's worklist)")
	field := fs.String("field", "", "only customers missing this field")
	asJSON := fs.Bool("json", false, "print one JSON object per customer")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	store, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	all, err := allPages(func(off int) ([]dossier.Completeness, int, error) {
		return store.FindGaps(ctx, dossier.QualityFilter{Owner: *owner, Field: *field, Offset: off, Limit: -1})
	})
	if err != nil {
		return err
	}
	if *asJSON {
		return jsonLines(e.stdout, all)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tCUSTOMER\tOWNER\tCOMPLETE\tMISSING")
	for _, c := range all {
		var miss []string
		for _, g := range c.Missing {
			m := g.Field
			if g.Estimate != "" {
				m += "≈" + g.Estimate + "?"
			}
			miss = append(miss, m)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d%% (%d/%d)\t%s\n", c.CustomerID, c.CustomerName, c.Owner, c.Score, c.Filled, c.Total, strings.Join(miss, ", "))
	}
	fmt.Fprintf(tw, "%d customers with gaps\n", len(all))
	return tw.Flush()
}

func runInvalid(ctx context.Context, e *env, args []string) error {
	fs := newFlags("invalid")
	db := dbFlag(fs, e)
	asCSV := fs.Bool("csv", false, "print CSV with a header row")
	field := fs.String("field", "", "only this field")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	store, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	all, err := allPages(func(off int) ([]dossier.InvalidValue, int, error) {
		return store.FindInvalid(ctx, dossier.QualityFilter{Field: *field, Offset: off, Limit: -1})
	})
	if err != nil {
		return err
	}
	if *asCSV {
		w := csv.NewWriter(e.stdout)
		_ = w.Write([]string{"customer_id", "customer_name", "owner", "field", "value", "problem", "observation_id", "contact_id", "current"})
		for _, iv := range all {
			_ = w.Write([]string{itoa64(iv.CustomerID), iv.CustomerName, iv.Owner, iv.Field, iv.Value, iv.Problem,
				itoa64(iv.ObservationID), itoa64(iv.ContactID), strconv.FormatBool(iv.Current)})
		}
		w.Flush()
		return w.Error()
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tCUSTOMER\tFIELD\tVALUE\tPROBLEM")
	for _, iv := range all {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", iv.CustomerID, iv.CustomerName, iv.Field, iv.Value, iv.Problem)
	}
	fmt.Fprintf(tw, "%d invalid values\n", len(all))
	return tw.Flush()
}

func itoa64(n int64) string {
	if n == 0 {
		return ""
	}
	return strconv.FormatInt(n, 10)
}
