//go:build mattn

package main

import (
	"database/sql"

	"github.com/mattn/go-sqlite3"
)

const (
	driverTag    = "mattn"
	driverModule = "github.com/mattn/go-sqlite3"
)

// mattn/go-sqlite3 has DSN keys for most PRAGMAs (_journal_mode,
// _synchronous, _busy_timeout, _foreign_keys, _cache_size, _txlock) but none
// for temp_store, so that one is set in a ConnectHook, which runs on every
// new connection of the pool.
func init() {
	sql.Register("sqlite3_bench", &sqlite3.SQLiteDriver{
		ConnectHook: func(c *sqlite3.SQLiteConn) error {
			_, err := c.Exec("PRAGMA temp_store=MEMORY", nil)
			return err
		},
	})
}

func openDB(path string) (*sql.DB, string, error) {
	dsn := "file:" + path + "?_journal_mode=WAL&_synchronous=NORMAL&_busy_timeout=5000" +
		"&_foreign_keys=1&_cache_size=-65536&_txlock=immediate"
	db, err := sql.Open("sqlite3_bench", dsn)
	return db, dsn + "  (+ ConnectHook: PRAGMA temp_store=MEMORY)", err
}
