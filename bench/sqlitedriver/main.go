// Command sqlitedriver benchmarks SQLite drivers for Go through database/sql
// on a CRM-shaped workload, to choose Dossier's embedded database driver by
// measurement.
//
//	go run . [-rows 200000] [-runs 5] [-out RESULTS.md]
//
// Run without build tags, the program is an orchestrator: it builds one
// worker binary per driver (-tags mattn|modernc|ncruces), records build facts
// (cgo requirement, binary size, -race smoke run), then runs the workers
// -runs times each, interleaved, and writes medians and ratios as Markdown.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"time"
)

func main() {
	var (
		rows      = flag.Int("rows", 200000, "customers N (interactions 5N, facts N)")
		runs      = flag.Int("runs", 5, "runs per driver; the median is reported")
		out       = flag.String("out", "RESULTS.md", "Markdown output file (empty: stdout only)")
		drivers   = flag.String("drivers", "mattn,modernc,ncruces", "drivers to compare; the first is the ratio baseline")
		concDur   = flag.Duration("conc-dur", 2*time.Second, "duration of the concurrent read/write workload")
		pointOps  = flag.Int("point-ops", 20000, "point reads per run")
		listOps   = flag.Int("list-ops", 2000, "list-page queries per run")
		aggRepeat = flag.Int("agg-repeat", 3, "executions of each aggregate query per run (median kept)")
		raceRows  = flag.Int("race-rows", 5000, "rows for the -race smoke run per driver (0: skip)")
		coldBuild = flag.Bool("cold-build", true, "time a cold compile of each driver in a fresh GOCACHE")
		dbDir     = flag.String("dir", "", "directory for the temporary databases (default: os.TempDir)")
		worker    = flag.Bool("worker", false, "internal: run one measurement (needs a driver build tag)")
		selftest  = flag.Bool("selftest", false, "internal: with -worker, only open, verify PRAGMAs and exit")
	)
	flag.Parse()

	if *worker || driverTag != "" {
		if driverTag == "" {
			fatal(fmt.Errorf("-worker needs a binary built with -tags mattn|modernc|ncruces"))
		}
		err := runWorker(workerOpts{rows: *rows, dir: *dbDir, concDur: *concDur, selftest: *selftest,
			pointOps: *pointOps, listOps: *listOps, aggRepeat: *aggRepeat})
		if err != nil {
			fatal(err)
		}
		return
	}

	cfg := orchConfig{
		rows: *rows, runs: *runs, out: *out, drivers: strings.Split(*drivers, ","),
		concDur: *concDur, pointOps: *pointOps, listOps: *listOps, aggRepeat: *aggRepeat,
		raceRows: *raceRows, dbDir: *dbDir, coldBuild: *coldBuild,
		command: strings.TrimSpace("go run . " + strings.Join(os.Args[1:], " ")),
	}
	if err := orchestrate(cfg); err != nil {
		fatal(err)
	}
}

func fatal(err error) {
	fmt.Fprintf(os.Stderr, "sqlitedriver[%s]: %v\n", driverTag, err)
	os.Exit(1)
}
