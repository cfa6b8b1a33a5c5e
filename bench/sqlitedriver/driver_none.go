//go:build !mattn && !modernc && !ncruces

package main

import (
	"database/sql"
	"errors"
)

// Built without a driver tag, the program is the orchestrator: it builds one
// binary per driver (-tags mattn|modernc|ncruces) and runs them as workers.
// Separate binaries are required anyway: mattn and ncruces both register the
// database/sql name "sqlite3", and per-driver binaries give honest sizes.
const (
	driverTag    = ""
	driverModule = ""
)

func openDB(string) (*sql.DB, string, error) {
	return nil, "", errors.New("built without a driver tag (-tags mattn|modernc|ncruces)")
}
