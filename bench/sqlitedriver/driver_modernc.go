//go:build modernc

package main

import (
	"database/sql"

	_ "modernc.org/sqlite" // registers driver "sqlite"
)

const (
	driverTag    = "modernc"
	driverModule = "modernc.org/sqlite"
)

// modernc.org/sqlite executes every _pragma=name(value) DSN parameter on each
// new connection (busy_timeout first, the rest in lexical order).
func openDB(path string) (*sql.DB, string, error) {
	dsn := "file:" + path + "?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)" +
		"&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(ON)&_pragma=temp_store(MEMORY)" +
		"&_pragma=cache_size(-65536)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	return db, dsn, err
}
