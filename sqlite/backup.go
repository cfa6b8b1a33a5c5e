package sqlite

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	"github.com/mattn/go-sqlite3"
)

// Backup copies the database at src into a new file dst with SQLite's online
// backup API. It reads one consistent snapshot: in WAL mode a reader does not
// block the writer, so a running server keeps working while it copies. The
// copy is written beside dst and renamed into place only when complete and
// checked, so a failed or interrupted backup never looks like a good one.
func Backup(ctx context.Context, src, dst string) error {
	if _, err := os.Stat(src); err != nil {
		return fmt.Errorf("cannot back up %s: %w", src, err)
	}
	if err := isDossierFile(src); err != nil {
		return err
	}
	if _, err := os.Stat(dst); err == nil {
		return fmt.Errorf("%s already exists; choose a new file name", dst)
	}
	tmp := dst + ".partial"
	_ = os.Remove(tmp)
	if err := copyDB(ctx, src, "mode=ro", tmp); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("back up %s: %w", src, err)
	}
	if err := quickCheck(tmp); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("back up %s: the copy failed its check: %w", src, err)
	}
	return os.Rename(tmp, dst)
}

// Restore replaces the database at dst with the backup at src. It refuses a
// dst that holds customers or users unless force is set, since restoring
// throws away everything written since the backup. Stop servers using dst
// first: they would keep reading pages of the old file from their caches.
func Restore(ctx context.Context, src, dst string, force bool) error {
	if err := isDossierFile(src); err != nil {
		return err
	}
	if err := quickCheck(src); err != nil {
		return fmt.Errorf("%s is damaged: %w", src, err)
	}
	if dir := filepath.Dir(dst); dir != "" {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return fmt.Errorf("cannot restore into %s: folder %s does not exist", dst, dir)
		}
	}
	if !force {
		n, err := storedRows(dst)
		if err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("%s is not empty (%d customers and users); pass --force to replace it with the backup", dst, n)
		}
	}
	// The backup API writes through the destination's own journal, so a
	// restore cut short leaves dst as it was, never half-restored.
	if err := copyDB(ctx, src, "mode=ro", dst); err != nil {
		return fmt.Errorf("restore %s: %w", dst, err)
	}
	return nil
}

// copyDB copies every page of database src into dst in one backup step.
// One step (-1) holds a single read snapshot of src; smaller steps would
// restart whenever another process writes to src.
func copyDB(ctx context.Context, src, srcMode, dst string) error {
	from, err := rawConn(src, srcMode)
	if err != nil {
		return err
	}
	defer from.Close()
	to, err := rawConn(dst, "")
	if err != nil {
		return err
	}
	defer to.Close()
	b, err := to.Backup("main", from, "main")
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		_ = b.Finish()
		return err
	}
	_, err = b.Step(-1)
	return errors.Join(err, b.Finish())
}

// rawConn opens a driver connection, which the backup API needs.
func rawConn(path, mode string) (*sqlite3.SQLiteConn, error) {
	v := url.Values{}
	v.Set("_busy_timeout", "5000")
	if mode != "" {
		v.Set("mode", mode[len("mode="):])
	}
	c, err := (&sqlite3.SQLiteDriver{}).Open("file:" + (&url.URL{Path: path}).EscapedPath() + "?" + v.Encode())
	if err != nil {
		return nil, explain(path, err)
	}
	return c.(*sqlite3.SQLiteConn), nil
}

// isDossierFile checks that path is a SQLite file with Dossier's schema table.
func isDossierFile(path string) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("cannot read %s: %w", path, err)
	}
	var n int64
	if err := queryInt(path, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'schema_migrations'", &n); err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("%s is not a Dossier database (no schema_migrations table)", path)
	}
	return nil
}

// quickCheck runs PRAGMA quick_check, which reads every page.
func quickCheck(path string) error {
	c, err := rawConn(path, "mode=ro")
	if err != nil {
		return err
	}
	defer c.Close()
	rows, err := c.Query("PRAGMA quick_check", nil)
	if err != nil {
		return err
	}
	defer rows.Close()
	dest := make([]driver.Value, 1)
	if err := rows.Next(dest); err != nil {
		return err
	}
	if s, _ := dest[0].(string); s != "ok" {
		return fmt.Errorf("quick_check: %v", dest[0])
	}
	return nil
}

// storedRows counts the customers and users in the database at path: 0 when
// the file does not exist or has no such tables.
func storedRows(path string) (int64, error) {
	if st, err := os.Stat(path); err != nil || st.Size() == 0 {
		return 0, nil
	}
	var tables int64
	if err := queryInt(path, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('customers', 'users')", &tables); err != nil {
		return 0, err
	}
	if tables < 2 {
		return 0, nil
	}
	var n int64
	err := queryInt(path, "SELECT (SELECT COUNT(*) FROM customers) + (SELECT COUNT(*) FROM users)", &n)
	return n, err
}

func queryInt(path, query string, n *int64) error {
	c, err := rawConn(path, "mode=ro")
	if err != nil {
		return err
	}
	defer c.Close()
	rows, err := c.Query(query, nil)
	if err != nil {
		return explain(path, err)
	}
	defer rows.Close()
	dest := make([]driver.Value, 1)
	if err := rows.Next(dest); err != nil {
		return explain(path, err)
	}
	*n, _ = dest[0].(int64)
	return nil
}
