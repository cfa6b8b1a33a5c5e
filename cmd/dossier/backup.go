package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"github.com/dossier/dossier/sqlite"
)

// runBackup copies the store to a file: SQLite's online backup API for a
// SQLite store (safe while a server runs), pg_dump for PostgreSQL.
func runBackup(ctx context.Context, e *env, args []string) error {
	fs := newFlags("backup")
	db := dbFlag(fs, e)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("backup needs one file to write")
	}
	file := pos[0]
	if isPostgresURL(*db) {
		return pgTool(ctx, e, "pg_dump", "--format=custom", "--file="+file, "--dbname="+*db)
	}
	if err := sqlite.Backup(ctx, *db, file); err != nil {
		return err
	}
	st, _ := os.Stat(file)
	fmt.Fprintf(e.stdout, "backed up %s to %s (%d bytes)\n", *db, file, st.Size())
	return nil
}

// runRestore puts a backup back. It refuses a store that already holds
// customers or users unless --force is given.
func runRestore(ctx context.Context, e *env, args []string) error {
	fs := newFlags("restore")
	db := dbFlag(fs, e)
	force := fs.Bool("force", false, "replace a store that already holds data")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("restore needs one backup file")
	}
	file := pos[0]
	if isPostgresURL(*db) {
		if !*force {
			if err := pgEmpty(ctx, *db); err != nil {
				return err
			}
		}
		if _, err := os.Stat(file); err != nil {
			return err
		}
		// One transaction: a failed restore leaves the database as it was.
		return pgTool(ctx, e, "pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", "--dbname="+*db, file)
	}
	if err := sqlite.Restore(ctx, file, *db, *force); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "restored %s from %s\n", *db, file)
	return nil
}

func isPostgresURL(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// pgTool runs a PostgreSQL client program, or says what to run where it is
// not installed. The URL (which may hold a password) is never printed.
func pgTool(ctx context.Context, e *env, name string, args ...string) error {
	path, err := exec.LookPath(name)
	if err != nil {
		shown := make([]string, len(args))
		for i, a := range args {
			shown[i] = a
			if strings.HasPrefix(a, "--dbname=") {
				shown[i] = "--dbname=\"$DOSSIER_DB\""
			}
		}
		return fmt.Errorf("%s is not installed (Debian: apt-get install postgresql-client); run: %s %s", name, name, strings.Join(shown, " "))
	}
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Stdout, cmd.Stderr = e.stdout, e.stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	fmt.Fprintf(e.stdout, "%s finished\n", name)
	return nil
}

// pgEmpty fails when the PostgreSQL database holds customers or users.
func pgEmpty(ctx context.Context, url string) error {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return err
	}
	defer db.Close()
	// Names in a query are resolved before it runs, so look for the tables
	// first: a fresh database has none.
	var tables, n int64
	err = db.QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename IN ('customers', 'users')`).Scan(&tables)
	if err == nil && tables == 2 {
		err = db.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM customers) + (SELECT COUNT(*) FROM users)`).Scan(&n)
	}
	if err != nil {
		return fmt.Errorf("cannot check the database: %w", err)
	}
	if n > 0 {
		return errors.New("the database is not empty; pass --force to replace it with the backup")
	}
	return nil
}
