package main

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/dossier/dossier"
)

// runTasks lists follow-up and action-list tasks (R15, R18), soonest due
// first; --overdue keeps the open ones past their due date.
func runTasks(ctx context.Context, e *env, args []string) error {
	fs := newFlags("tasks")
	db := dbFlag(fs, e)
	owner := fs.String("owner", "", "only this owner's tasks")
	overdue := fs.Bool("overdue", false, "only open tasks past their due date")
	status := fs.String("status", "open", "open, done, cancelled or all")
	asOfFlag := fs.String("as-of", "", "what counts as overdue is judged as of this date (default today)")
	limit := fs.Int("limit", 200, "at most this many tasks (1–1000)")
	asJSON := fs.Bool("json", false, "print one JSON object per task")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	if *status != "all" && !dossier.ValidTaskStatus(*status) {
		return usagef("--status must be open, done, cancelled or all")
	}
	asOf, err := parseAsOf(*asOfFlag)
	if err != nil {
		return err
	}
	store, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	f := dossier.TaskFilter{Owner: *owner, Overdue: *overdue, AsOf: dossier.FormatDate(asOf), Limit: *limit}
	if *status != "all" {
		f.Status = *status
	}
	tasks, err := store.FindTasks(ctx, f)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		for _, t := range tasks {
			if err := enc.Encode(t); err != nil {
				return err
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tDUE\tSTATUS\tOWNER\tCUSTOMER\tTITLE")
	for _, t := range tasks {
		st := t.Status
		if t.Overdue {
			st = "overdue"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d %s\t%s\n", t.ID, t.Due, st, t.Owner, t.CustomerID, t.CustomerName, t.Title)
	}
	return tw.Flush()
}
