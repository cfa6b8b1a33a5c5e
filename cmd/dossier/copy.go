package main

import (
	"context"
	"fmt"
	"time"

	"github.com/dossier/dossier/postgres"
)

// runCopy moves the whole store into an empty PostgreSQL database: how a
// team that started on the SQLite file grows onto a server. The source is
// read in one snapshot and the destination written in one transaction, so
// an interrupted copy leaves nothing behind; the source is never changed.
func runCopy(ctx context.Context, e *env, args []string) error {
	fs := newFlags("copy")
	db := dbFlag(fs, e)
	to := fs.String("to", "", "the destination: a postgres:// URL of an empty database")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 || *to == "" {
		return usagef("copy needs --to postgres://… and no other arguments")
	}
	if !isPostgresURL(*to) {
		return usagef("--to must be a postgres:// URL (to copy a SQLite store to a file, use dossier backup)")
	}
	start := time.Now()
	src, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := openStore(ctx, *to)
	if err != nil {
		return err
	}
	defer dst.Close()
	srcPool := src.Pools()["read"]
	if srcPool == nil {
		srcPool = src.Pools()["main"]
	}
	report := func(t postgres.CopiedTable) { fmt.Fprintf(e.stderr, "%-28s %12d rows\n", t.Name, t.Rows) }
	tables, err := postgres.CopyStore(ctx, dst.Pools()["main"], srcPool, src.Dialect(), report)
	if err != nil {
		return err
	}
	var rows int64
	for _, t := range tables {
		rows += t.Rows
	}
	fmt.Fprintf(e.stdout, "copied %d tables, %d rows in %s\n", len(tables), rows, time.Since(start).Round(time.Millisecond))
	return nil
}
