//go:build ncruces

package main

import (
	"database/sql"

	// Registers driver "sqlite3". Since v0.37 the SQLite build is translated
	// to Go by wasm2go and linked in, so .../embed is deprecated (importing
	// it only prints a warning) and is deliberately not imported.
	_ "github.com/ncruces/go-sqlite3/driver"
)

const (
	driverTag    = "ncruces"
	driverModule = "github.com/ncruces/go-sqlite3"
)

// ncruces executes the _pragma=name(value) DSN parameters, in order, on each
// new connection (busy_timeout should come first). Its default _txlock is
// already immediate; it is spelled out to match the other two.
func openDB(path string) (*sql.DB, string, error) {
	dsn := "file:" + path + "?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)" +
		"&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(ON)&_pragma=temp_store(MEMORY)" +
		"&_pragma=cache_size(-65536)&_txlock=immediate"
	db, err := sql.Open("sqlite3", dsn)
	return db, dsn, err
}
