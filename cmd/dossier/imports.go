package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/dossier/dossier"
)

// runImports lists the recorded import runs, newest first, with their counts.
func runImports(ctx context.Context, e *env, args []string) error {
	fs := newFlags("imports")
	db := dbFlag(fs, e)
	limit := fs.Int("limit", 50, "how many runs to list (at most 500)")
	asJSON := fs.Bool("json", false, "one JSON object per line")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	store, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	runs, err := store.ImportRuns(ctx, *limit)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		for _, r := range runs {
			if err := enc.Encode(importJSON(r)); err != nil {
				return err
			}
		}
		return nil
	}
	fmt.Fprintf(e.stdout, "%-5s %-16s %-9s %-12s %8s %8s %8s %9s  %s\n", "ID", "STARTED", "STATE", "KIND", "IMPORTED", "UPDATED", "REJECTED", "UNCHANGED", "FILE")
	for _, r := range runs {
		fmt.Fprintf(e.stdout, "%-5d %-16s %-9s %-12s %8d %8d %8d %9d  %s\n", r.ID, r.Started.Local().Format("2006-01-02 15:04"),
			r.State(), r.Kind, r.Imported, r.Updated, r.Rejected, r.Same, r.File)
	}
	return nil
}

func importJSON(r dossier.ImportRun) map[string]any {
	m := map[string]any{"id": r.ID, "file": r.File, "kind": r.Kind, "source": r.Source.Channel, "source_detail": r.Source.Detail,
		"user": r.User, "started": r.Started, "state": r.State(), "imported": r.Imported, "updated": r.Updated,
		"rejected": r.Rejected, "unchanged": r.Same}
	if !r.Reverted.IsZero() {
		m["reverted"], m["reverted_by"] = r.Reverted, r.RevertedBy
	}
	return m
}

// runImportUndo reverts a recorded import ("import undo ID") or puts a
// reverted one back ("import restore ID"); both are audited.
func runImportUndo(ctx context.Context, e *env, verb string, args []string) error {
	fs := newFlags("import " + verb)
	db := dbFlag(fs, e)
	force := fs.Bool("force", false, "undo a run still marked running (its process died)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("import %s needs one import id ('dossier imports' lists them)", verb)
	}
	id, err := strconv.ParseInt(pos[0], 10, 64)
	if err != nil || id <= 0 {
		return usagef("import %s %q: an import id is a number", verb, pos[0])
	}
	store, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	if verb == "undo" {
		res, err := store.UndoImport(ctx, id, cliUser(e), *force)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "import %d (%s) reverted: %d customers hidden, %d resolved again, %d contacts/interactions/projects hidden\n",
			id, res.Run.File, res.Hidden, res.Resolved, res.Records)
		fmt.Fprintf(e.stdout, "'dossier import restore %d' puts it back\n", id)
		return nil
	}
	res, err := store.RestoreImport(ctx, id, cliUser(e))
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "import %d (%s) restored: %d customers shown again, %d resolved again, %d contacts/interactions/projects back\n",
		id, res.Run.File, res.Shown, res.Resolved, res.Records)
	return nil
}
