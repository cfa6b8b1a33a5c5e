package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

type orchConfig struct {
	rows, runs, pointOps, listOps, aggRepeat, raceRows int
	out, dbDir, command                                string
	drivers                                            []string
	concDur                                            time.Duration
	coldBuild                                          bool
}

type buildFacts struct {
	bin          string
	size         int64
	strippedSize int64
	needsCgo     bool
	noCgoNote    string
	racePlainS   float64
	raceS        float64
	raceNote     string
	coldBuild    time.Duration
}

type metricDef struct {
	key, label, unit string
	higherBetter     bool
	decimals         int
}

var metricDefs = []metricDef{
	{"insert_rows_s", "1. bulk insert (N cust + 5N interactions + N facts, 1000 rows/tx)", "rows/s", true, 0},
	{"point_ops_s", "2. point read: customer by random id", "ops/s", true, 0},
	{"list_ops_s", "3. list page: industry=? ORDER BY name LIMIT 50 OFFSET ?", "ops/s", true, 0},
	{"agg_group_ms", "4a. GROUP BY industry, grade: count, sum", "ms/query", false, 1},
	{"agg_join_ms", "4b. join: per customer max(date), count in 90-day window", "ms/query", false, 1},
	{"conc_read_ops_s", "5. concurrent: 4 readers (point reads)", "reads/s", true, 0},
	{"conc_write_tx_s", "5. concurrent: 1 writer (UPDATE+INSERT tx)", "tx/s", true, 0},
	{"open_ms", "cold open: sql.Open + first query (incl. PRAGMAs)", "ms", false, 2},
	{"db_mib", "DB size after run (sanity check)", "MiB", false, 1},
}

func logf(format string, a ...any) {
	fmt.Fprintf(os.Stderr, "[%s] %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, a...))
}

func goCmd(env []string, args ...string) ([]byte, error) {
	c := exec.Command("go", args...)
	c.Env = append(os.Environ(), env...)
	out, err := c.CombinedOutput()
	if err != nil {
		return out, fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out, nil
}

func fileSize(p string) int64 {
	st, err := os.Stat(p)
	if err != nil {
		return -1
	}
	return st.Size()
}

// runWorkerBin runs one worker process and parses its RESULT line.
func runWorkerBin(bin string, args ...string) (workerResult, time.Duration, error) {
	var res workerResult
	c := exec.Command(bin, append([]string{"-worker"}, args...)...)
	var stdout, stderr bytes.Buffer
	c.Stdout = &stdout
	c.Stderr = &stderr
	t := time.Now()
	err := c.Run()
	wall := time.Since(t)
	if err != nil {
		return res, wall, fmt.Errorf("%s: %v: %s", filepath.Base(bin), err, strings.TrimSpace(stderr.String()+stdout.String()))
	}
	sc := bufio.NewScanner(&stdout)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if line, ok := strings.CutPrefix(sc.Text(), resultPrefix); ok {
			return res, wall, json.Unmarshal([]byte(line), &res)
		}
	}
	return res, wall, fmt.Errorf("%s: no result line in output: %s", filepath.Base(bin), stdout.String())
}

func orchestrate(cfg orchConfig) error {
	if _, err := os.Stat("go.mod"); err != nil {
		return fmt.Errorf("run from the bench/sqlitedriver directory (go.mod not found): %w", err)
	}
	if cfg.runs < 1 || len(cfg.drivers) == 0 {
		return fmt.Errorf("need -runs >= 1 and at least one driver")
	}
	started := time.Now()
	load0, _ := os.ReadFile("/proc/loadavg")
	binDir, err := os.MkdirTemp("", "sqlitebench-bin-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(binDir)

	// Build facts.
	facts := map[string]*buildFacts{}
	for _, d := range cfg.drivers {
		f := &buildFacts{bin: filepath.Join(binDir, d)}
		facts[d] = f
		logf("building %s", d)
		if _, err := goCmd(nil, "build", "-tags", d, "-o", f.bin, "."); err != nil {
			return err
		}
		f.size = fileSize(f.bin)
		stripped := f.bin + "-stripped"
		if _, err := goCmd(nil, "build", "-tags", d, "-ldflags=-s -w", "-o", stripped, "."); err != nil {
			return err
		}
		f.strippedSize = fileSize(stripped)

		// cgo requirement: build with CGO_ENABLED=0 and try to use it.
		nocgo := f.bin + "-nocgo"
		if out, err := goCmd([]string{"CGO_ENABLED=0"}, "build", "-tags", d, "-o", nocgo, "."); err != nil {
			f.needsCgo, f.noCgoNote = true, "CGO_ENABLED=0 build fails: "+firstLine(string(out))
		} else if _, _, err := runWorkerBin(nocgo, "-selftest", "-dir", cfg.dbDir); err != nil {
			f.needsCgo, f.noCgoNote = true, "CGO_ENABLED=0 builds but fails at run time: "+firstLine(lastPart(err.Error()))
		} else {
			f.noCgoNote = "CGO_ENABLED=0 build opens, writes and verifies PRAGMAs"
		}

		if cfg.raceRows > 0 {
			logf("-race smoke run for %s (rows=%d)", d, cfg.raceRows)
			raceBin := f.bin + "-race"
			smoke := []string{"-rows", strconv.Itoa(cfg.raceRows), "-point-ops", "2000", "-list-ops", "200",
				"-agg-repeat", "1", "-conc-dur", "1s", "-dir", cfg.dbDir}
			if _, err := goCmd(nil, "build", "-race", "-tags", d, "-o", raceBin, "."); err != nil {
				f.raceNote = "-race build failed: " + firstLine(err.Error())
			} else if _, wall, err := runWorkerBin(raceBin, smoke...); err != nil {
				f.raceNote = "-race run failed: " + firstLine(lastPart(err.Error()))
			} else {
				f.raceS = wall.Seconds()
				if _, wall, err := runWorkerBin(f.bin, smoke...); err == nil {
					f.racePlainS = wall.Seconds()
				}
			}
		}
	}

	// Cold compile time of each driver: a fresh GOCACHE, warmed with the
	// standard library only (the tag-less orchestrator build), then one
	// `go build -tags <driver>` each. What CI and new machines pay once.
	if cfg.coldBuild {
		cache, err := os.MkdirTemp("", "sqlitebench-gocache-")
		if err != nil {
			return err
		}
		env := []string{"GOCACHE=" + cache}
		logf("cold build: warming a fresh GOCACHE with the standard library")
		if _, err := goCmd(env, "build", "-o", filepath.Join(binDir, "stdwarm"), "."); err != nil {
			return err
		}
		for _, d := range cfg.drivers {
			logf("cold build: %s", d)
			t := time.Now()
			if _, err := goCmd(env, "build", "-tags", d, "-o", filepath.Join(binDir, d+"-cold"), "."); err != nil {
				return err
			}
			facts[d].coldBuild = time.Since(t)
		}
		os.RemoveAll(cache)
	}

	// Measurements: runs interleaved across drivers, order rotated each run,
	// so slow drift from concurrent load on the machine hits all drivers.
	all := map[string][]workerResult{}
	args := []string{"-rows", strconv.Itoa(cfg.rows), "-point-ops", strconv.Itoa(cfg.pointOps),
		"-list-ops", strconv.Itoa(cfg.listOps), "-agg-repeat", strconv.Itoa(cfg.aggRepeat),
		"-conc-dur", cfg.concDur.String(), "-dir", cfg.dbDir}
	for r := range cfg.runs {
		for i := range cfg.drivers {
			d := cfg.drivers[(i+r)%len(cfg.drivers)]
			logf("run %d/%d: %s", r+1, cfg.runs, d)
			res, wall, err := runWorkerBin(facts[d].bin, args...)
			if err != nil {
				return err
			}
			logf("  %s done in %.1fs: insert %.0f rows/s, point %.0f ops/s, list %.0f ops/s, group %.1f ms, join %.1f ms, conc %.0f r/s %.0f w/s",
				d, wall.Seconds(), res.Metrics["insert_rows_s"], res.Metrics["point_ops_s"], res.Metrics["list_ops_s"],
				res.Metrics["agg_group_ms"], res.Metrics["agg_join_ms"], res.Metrics["conc_read_ops_s"], res.Metrics["conc_write_tx_s"])
			all[d] = append(all[d], res)
		}
	}
	load1, _ := os.ReadFile("/proc/loadavg")

	md := render(cfg, facts, all, started, time.Since(started), string(load0), string(load1))
	fmt.Print(md)
	if cfg.out != "" {
		if err := os.WriteFile(cfg.out, []byte(md), 0o644); err != nil {
			return err
		}
		logf("wrote %s", cfg.out)
	}
	return nil
}

// firstLine returns the first line that is not a "# package" header.
func firstLine(s string) string {
	for line := range strings.SplitSeq(strings.TrimSpace(s), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			s = line
			break
		}
	}
	if len(s) > 160 {
		s = s[:160] + "…"
	}
	return s
}

// lastPart strips the "bin: exit status N: " prefix of a worker error.
func lastPart(s string) string {
	if i := strings.LastIndex(s, "]: "); i >= 0 {
		return s[i+3:]
	}
	return s
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "?"
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "?"
}

func goVersion() string {
	out, err := exec.Command("go", "version").Output()
	if err != nil {
		return runtime.Version()
	}
	return strings.TrimSpace(string(out))
}

func commas(v float64, decimals int) string {
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	neg := strings.HasPrefix(intPart, "-")
	intPart = strings.TrimPrefix(intPart, "-")
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	r := b.String()
	if neg {
		r = "-" + r
	}
	if frac != "" {
		r += "." + frac
	}
	return r
}

func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }

func render(cfg orchConfig, facts map[string]*buildFacts, all map[string][]workerResult,
	started time.Time, took time.Duration, load0, load1 string) string {
	var w strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&w, format, a...) }
	ds := cfg.drivers
	base := ds[0]
	host, _ := os.Hostname()
	kernel, _ := os.ReadFile("/proc/sys/kernel/osrelease")

	p("# SQLite driver benchmark for Dossier\n\n")
	p("| machine fact | value |\n|---|---|\n")
	p("| date | %s |\n", started.UTC().Format("2006-01-02 15:04 MST"))
	p("| nproc | %d |\n", runtime.NumCPU())
	p("| CPU | %s |\n", cpuModel())
	p("| go | %s |\n", goVersion())
	p("| kernel | Linux %s (host %s) |\n", strings.TrimSpace(string(kernel)), host)
	p("| load average before / after | %s / %s |\n", strings.Join(strings.Fields(load0)[:3:3], " "),
		strings.Join(strings.Fields(load1)[:3:3], " "))
	p("| total wall time | %s |\n\n", took.Round(time.Second))
	p("Command (in `bench/sqlitedriver`):\n\n```\n%s\n```\n\n", cfg.command)
	p("Data: N=%s customers, %s interactions, %s facts (deterministic, math/rand/v2 PCG fixed seeds, Chinese text). "+
		"Each run uses a fresh temporary database file; runs are interleaved across drivers with the order rotated each run. "+
		"Point reads: %d, list pages: %d, aggregates: %d executions per run (median), concurrent phase: %s. "+
		"Pool: MaxOpenConns=MaxIdleConns=8.\n\n",
		commas(float64(cfg.rows), 0), commas(float64(5*cfg.rows), 0), commas(float64(cfg.rows), 0),
		cfg.pointOps, cfg.listOps, cfg.aggRepeat, cfg.concDur)

	p("## Results: median of %d runs\n\n", cfg.runs)
	p("In parentheses: speed relative to %s (>1 = faster than %s; for ms rows this is %s_ms / driver_ms).\n\n", base, base, base)
	p("| workload | unit |")
	for _, d := range ds {
		p(" %s |", d)
	}
	p("\n|---|---|")
	for range ds {
		p("---:|")
	}
	p("\n")
	medians := map[string]map[string]float64{}
	for _, d := range ds {
		medians[d] = map[string]float64{}
		for _, m := range metricDefs {
			var xs []float64
			for _, r := range all[d] {
				xs = append(xs, r.Metrics[m.key])
			}
			medians[d][m.key] = median(xs)
		}
	}
	for _, m := range metricDefs {
		p("| %s | %s |", m.label, m.unit)
		for _, d := range ds {
			v, b := medians[d][m.key], medians[base][m.key]
			cell := commas(v, m.decimals)
			if m.key != "db_mib" && d != base && v > 0 && b > 0 {
				ratio := v / b
				if !m.higherBetter {
					ratio = b / v
				}
				cell += fmt.Sprintf(" (%.2f×)", ratio)
			}
			p(" %s |", cell)
		}
		p("\n")
	}

	p("\n## Spread over runs (min – max)\n\n| workload |")
	for _, d := range ds {
		p(" %s |", d)
	}
	p("\n|---|")
	for range ds {
		p("---:|")
	}
	p("\n")
	for _, m := range metricDefs {
		if m.key == "db_mib" {
			continue
		}
		p("| %s (%s) |", m.label, m.unit)
		for _, d := range ds {
			lo, hi := 0.0, 0.0
			for i, r := range all[d] {
				v := r.Metrics[m.key]
				if i == 0 || v < lo {
					lo = v
				}
				if i == 0 || v > hi {
					hi = v
				}
			}
			p(" %s – %s |", commas(lo, m.decimals), commas(hi, m.decimals))
		}
		p("\n")
	}

	p("\n## Build facts\n\n")
	p("| driver | module | SQLite | needs cgo | `go build` size | stripped (`-ldflags=-s -w`) | cold compile (fresh GOCACHE, std warm) | -race smoke (rows=%d): race / plain wall |\n", cfg.raceRows)
	p("|---|---|---|---|---:|---:|---:|---|\n")
	for _, d := range ds {
		f := facts[d]
		var r0 workerResult
		if len(all[d]) > 0 {
			r0 = all[d][0]
		}
		cgo := "no"
		if f.needsCgo {
			cgo = "**yes**"
		}
		race := "skipped"
		switch {
		case f.raceNote != "":
			race = f.raceNote
		case f.raceS > 0:
			race = fmt.Sprintf("%.1fs / %.1fs (%.1f×)", f.raceS, f.racePlainS, f.raceS/f.racePlainS)
		}
		cold := "skipped"
		if f.coldBuild > 0 {
			cold = fmt.Sprintf("%.0fs", f.coldBuild.Seconds())
		}
		p("| %s | %s %s | %s | %s — %s | %s | %s | %s | %s |\n", d, r0.Module, r0.Version, r0.SQLiteVersion,
			cgo, f.noCgoNote, mib(f.size), mib(f.strippedSize), cold, race)
	}
	p("\nSizes are of this benchmark program built with `-tags <driver>` (the shared benchmark code is identical, so differences are the driver).\n")

	p("\n## How the PRAGMAs were set (and verified)\n\n")
	for _, d := range ds {
		if len(all[d]) == 0 {
			continue
		}
		r := all[d][0]
		p("- **%s** DSN: `%s`\n  - read back: %s\n", d, r.DSN, r.Pragmas)
	}

	p("\n## Raw runs\n\n| driver | run |")
	for _, m := range metricDefs {
		p(" %s |", m.key)
	}
	p("\n|---|---:|")
	for range metricDefs {
		p("---:|")
	}
	p("\n")
	for _, d := range ds {
		for i, r := range all[d] {
			p("| %s | %d |", d, i+1)
			for _, m := range metricDefs {
				p(" %s |", commas(r.Metrics[m.key], m.decimals))
			}
			p("\n")
		}
	}
	return w.String()
}
