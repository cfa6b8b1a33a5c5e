// Command dedupe-bench measures the dedupe engine on public record-linkage
// data sets and on generated Chinese company records: pairwise precision,
// recall and F1 against the ground truth, and the time. It is not part of
// `go test`; run it by hand (see BENCHMARKS.md, section "Dedupe"):
//
//	go run ./bench/dedupe -data ../shared/datasets
//	go run ./bench/dedupe -only demo -demo 1000000
package main

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/dossier/dossier/dedupe"
)

// set is a data set: records and the true cluster of each record ID.
type set struct {
	name  string
	recs  []dedupe.Record
	truth map[string]string
}

func main() {
	data := flag.String("data", "../shared/datasets", "folder of the shared data sets")
	only := flag.String("only", "", "comma-separated data sets to run (default: all but demo)")
	demoN := flag.Int("demo", 1_000_000, "demo customers for the demo data set")
	threshold := flag.Float64("threshold", 0, "match threshold (default: the engine's)")
	verbose := flag.Bool("v", false, "print the model and the largest blocks")
	errs := flag.Int("errors", 0, "print up to this many missed and wrong pairs")
	copiesN := flag.Int("copies", 1_000_000, "records for the copies data set (one company entered again and again)")
	writeDemo := flag.String("write-demo", "", "write the demo customers (-demo N) as a CSV file for `dossier dedupe FILE` and exit")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the runs to this file")
	half := flag.Int("half", 0, "keep only one half of the true clusters (1 or 2, split by a hash of the cluster), to develop on one half and check on the other")
	flag.Parse()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	if *writeDemo != "" {
		if err := writeDemoCSV(*writeDemo, *demoN); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	loaders := map[string]func() (*set, error){
		"restaurants":   func() (*set, error) { return restaurants(*data) },
		"affiliations":  func() (*set, error) { return affiliations(*data) },
		"febrl1":        func() (*set, error) { return febrl(*data, "dataset1.csv") },
		"febrl2":        func() (*set, error) { return febrl(*data, "dataset2.csv") },
		"febrl3":        func() (*set, error) { return febrl(*data, "dataset3.csv") },
		"fake1000":      func() (*set, error) { return fake1000(*data) },
		"historical50k": func() (*set, error) { return historical(*data) },
		"chinese":       func() (*set, error) { return chinese(*data, 1) },
		"demo":          func() (*set, error) { return demoSet(*demoN) },
		"copies":        func() (*set, error) { return copies(*copiesN), nil },
	}
	order := []string{"chinese", "restaurants", "affiliations", "febrl1", "febrl2", "febrl3", "fake1000", "historical50k", "demo", "copies"}
	names := order[:len(order)-2]
	if *only != "" {
		names = strings.Split(*only, ",")
	}
	fmt.Printf("%-14s %8s %9s %9s %7s %7s %7s %9s %s\n", "data set", "records", "true", "found", "P", "R", "F1", "time", "notes")
	for _, n := range names {
		load, ok := loaders[n]
		if !ok {
			fmt.Fprintf(os.Stderr, "unknown data set %q; have %v\n", n, order)
			os.Exit(2)
		}
		s, err := load()
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", n, err)
			continue
		}
		if *half > 0 {
			s = halfOf(s, *half)
		}
		runOne(s, dedupe.Options{Threshold: *threshold, PairThreshold: 0.01}, *verbose, *errs)
	}
}

func runOne(s *set, opt dedupe.Options, verbose bool, errs int) {
	runtime.GC()
	cpu0 := cpuTime()
	start := time.Now()
	res, err := dedupe.Run(context.Background(), s.recs, opt)
	took := time.Since(start)
	cpu := cpuTime() - cpu0
	if err != nil {
		fmt.Printf("%-14s error: %v\n", s.name, err)
		return
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	p, r, f, truePairs, found := score(s, res.Cluster)
	fmt.Printf("%-14s %8d %9d %9d %7.3f %7.3f %7.3f %9s pairs=%d windowed=%d heap-sys=%dMB\n", s.name, len(s.recs), truePairs, found, p, r, f,
		took.Round(time.Millisecond), res.Report.CandidatePairs, len(res.Report.WindowedBlocks), ms.HeapSys>>20)
	if n, merged := hardNegatives(s, res); n > 0 {
		fmt.Printf("  hard negatives (same trade name, different true entity): %d pairs, %d merged\n", n, merged)
	}
	printErrors(s, res, errs)
	if verbose {
		calibration(s, res)
	}
	fmt.Printf("  cpu %s, peak RSS of the process so far %d MB;", cpu.Round(time.Millisecond), peakRSS()>>20)
	fmt.Printf(" phases:")
	for _, ph := range res.Report.Timing {
		fmt.Printf(" %s %s", ph.Name, ph.Took.Round(time.Millisecond))
	}
	fmt.Println()
	if verbose {
		fmt.Printf("  prior %.4f\n", res.Report.Prior)
		for _, fw := range res.Report.Model {
			fmt.Printf("  %-16s", fw.Field)
			for _, l := range fw.Levels {
				fmt.Printf(" %s %+.1f (m %.3f u %.4f);", l.Level, l.Weight, l.M, l.U)
			}
			fmt.Println()
		}
		for i, b := range res.Report.WindowedBlocks {
			if i == 5 {
				break
			}
			fmt.Printf("  windowed block %s %q: %d records\n", b.Field, b.Key, b.Size)
		}
	}
}

// printErrors shows missed pairs (same true cluster, different found
// cluster) and wrong ones, with the engine's probability when it scored
// them.
func printErrors(s *set, res *dedupe.Result, n int) {
	byID := map[string]dedupe.Record{}
	for _, r := range s.recs {
		byID[r.ID] = r
	}
	prob := map[[2]string]float64{}
	for _, p := range res.Pairs {
		prob[[2]string{p.A, p.B}] = p.Probability
		prob[[2]string{p.B, p.A}] = p.Probability
	}
	members := map[string][]string{}
	for _, r := range s.recs {
		members[s.truth[r.ID]] = append(members[s.truth[r.ID]], r.ID)
	}
	missed := 0
	for _, ids := range members {
		for i := range ids {
			for j := i + 1; j < len(ids) && missed < n; j++ {
				if res.Cluster[ids[i]] != res.Cluster[ids[j]] {
					missed++
					fmt.Printf("  MISSED p=%.3f %v | %v\n", prob[[2]string{ids[i], ids[j]}], byID[ids[i]].Fields, byID[ids[j]].Fields)
				}
			}
		}
	}
	wrong := 0
	for _, p := range res.Pairs {
		if wrong < n && res.Cluster[p.A] == res.Cluster[p.B] && s.truth[p.A] != s.truth[p.B] {
			wrong++
			fmt.Printf("  WRONG p=%.3f %v | %v %v\n", p.Probability, byID[p.A].Fields, byID[p.B].Fields, p.Evidence)
		}
	}
}

// score computes pairwise precision, recall and F1 of the found clusters
// against the true ones.
func score(s *set, found map[string]string) (p, r, f float64, truePairs, foundPairs int) {
	type cell struct{ f, t string }
	both := map[cell]int{}
	fs, ts := map[string]int{}, map[string]int{}
	for _, rec := range s.recs {
		fc, tc := found[rec.ID], s.truth[rec.ID]
		both[cell{fc, tc}]++
		fs[fc]++
		ts[tc]++
	}
	pairs := func(n int) int { return n * (n - 1) / 2 }
	tp := 0
	for _, n := range both {
		tp += pairs(n)
	}
	for _, n := range fs {
		foundPairs += pairs(n)
	}
	for _, n := range ts {
		truePairs += pairs(n)
	}
	if foundPairs > 0 {
		p = float64(tp) / float64(foundPairs)
	}
	if truePairs > 0 {
		r = float64(tp) / float64(truePairs)
	}
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return p, r, f, truePairs, foundPairs
}

// readCSV reads a CSV file with a header, trimming spaces around values
// (several of these files put one after each comma).
func readCSV(path string, fn func(h map[string]int, row []string)) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.TrimLeadingSpace = true
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return err
	}
	h := map[string]int{}
	for i, c := range header {
		h[strings.TrimSpace(strings.TrimPrefix(c, "\ufeff"))] = i
	}
	for {
		row, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		for i := range row {
			row[i] = strings.TrimSpace(row[i])
		}
		fn(h, row)
	}
}

func get(h map[string]int, row []string, col string) string {
	if i, ok := h[col]; ok && i < len(row) {
		return row[i]
	}
	return ""
}

// fieldsOf maps dataset columns to record field keys.
func fieldsOf(h map[string]int, row []string, cols map[string]string) map[string]string {
	out := map[string]string{}
	for col, key := range cols {
		if v := get(h, row, col); v != "" {
			out[key] = v
		}
	}
	return out
}

func restaurants(dir string) (*set, error) {
	s := &set{name: "restaurants", truth: map[string]string{}}
	n := 0
	err := readCSV(filepath.Join(dir, "restaurants-fodors-zagat/restaurant-nophone-training.csv"), func(h map[string]int, row []string) {
		id := fmt.Sprint(n)
		n++
		s.recs = append(s.recs, dedupe.Record{ID: id, Fields: fieldsOf(h, row, map[string]string{"name": "name", "address": "address", "city": "city", "cuisine": "cuisine"})})
		s.truth[id] = strings.Trim(get(h, row, "unique_id"), "'")
	})
	return s, err
}

// affiliations scores against the connected components of the listed
// pairs (the README notes the list is not transitively closed).
func affiliations(dir string) (*set, error) {
	s := &set{name: "affiliations", truth: map[string]string{}}
	base := filepath.Join(dir, "leipzig-affiliations")
	err := readCSV(filepath.Join(base, "affiliationstrings_ids.csv"), func(h map[string]int, row []string) {
		s.recs = append(s.recs, dedupe.Record{ID: row[0], Fields: map[string]string{"name": row[1]}})
	})
	if err != nil {
		return nil, err
	}
	parent := map[string]string{}
	var find func(string) string
	find = func(x string) string {
		if p, ok := parent[x]; ok && p != x {
			r := find(p)
			parent[x] = r
			return r
		}
		return x
	}
	f, err := os.Open(filepath.Join(base, "affiliationstrings_mapping.csv"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		a, b := find(r[0]), find(r[1])
		if a != b {
			parent[max(a, b)] = min(a, b)
		}
	}
	for _, r := range s.recs {
		s.truth[r.ID] = find(r.ID)
	}
	return s, nil
}

func febrl(dir, file string) (*set, error) {
	s := &set{name: "febrl" + file[7:8], truth: map[string]string{}}
	cols := map[string]string{}
	for _, c := range []string{"given_name", "surname", "street_number", "address_1", "address_2", "suburb", "postcode", "state", "date_of_birth", "soc_sec_id"} {
		cols[c] = c
	}
	err := readCSV(filepath.Join(dir, "febrl", file), func(h map[string]int, row []string) {
		id := get(h, row, "rec_id")
		s.recs = append(s.recs, dedupe.Record{ID: id, Fields: fieldsOf(h, row, cols)})
		parts := strings.Split(id, "-")
		s.truth[id] = parts[1]
	})
	return s, err
}

func fake1000(dir string) (*set, error) {
	s := &set{name: "fake1000", truth: map[string]string{}}
	err := readCSV(filepath.Join(dir, "splink-fake-1000/fake_1000.csv"), func(h map[string]int, row []string) {
		id := get(h, row, "unique_id")
		s.recs = append(s.recs, dedupe.Record{ID: id, Fields: fieldsOf(h, row, map[string]string{"first_name": "first_name", "surname": "surname", "dob": "dob", "city": "city", "email": "email"})})
		s.truth[id] = get(h, row, "cluster")
	})
	return s, err
}

func historical(dir string) (*set, error) {
	s := &set{name: "historical50k", truth: map[string]string{}}
	cols := map[string]string{}
	for _, c := range []string{"first_name", "surname", "dob", "birth_place", "postcode_fake", "gender", "occupation"} {
		cols[c] = c
	}
	err := readCSV(filepath.Join(dir, "splink-historical-50k/historical_figures_with_errors_50k.csv"), func(h map[string]int, row []string) {
		id := get(h, row, "unique_id")
		s.recs = append(s.recs, dedupe.Record{ID: id, Fields: fieldsOf(h, row, cols)})
		s.truth[id] = get(h, row, "cluster")
	})
	return s, err
}

// cpuTime is the user and system time of the process: on a shared
// machine the wall time says more about the neighbours than the engine.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// peakRSS is the largest resident set of the process, in bytes.
func peakRSS() int64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Maxrss << 10
}

// copies is one company entered n times, every field the same: the bad
// input that must not be quadratic.
func copies(n int) *set {
	s := &set{name: "copies", truth: make(map[string]string, n), recs: make([]dedupe.Record, n)}
	fields := map[string]string{"name": "深圳市华为技术有限公司", "credit_code": "914403001922038216", "contact_phone": "13900000000", "city": "深圳市"}
	for i := range s.recs {
		id := strconv.Itoa(i)
		s.recs[i] = dedupe.Record{ID: id, Fields: fields}
		s.truth[id] = "0"
	}
	return s
}

// calibration prints, per band of probability, how many listed pairs
// there are and the share of them that are true matches: a calibrated
// model's share is about the band's probability.
func calibration(s *set, res *dedupe.Result) {
	bands := []float64{0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 1.01}
	n, tp := make([]int, len(bands)), make([]int, len(bands))
	for _, p := range res.Pairs {
		for i, b := range bands {
			if p.Probability < b {
				n[i]++
				if s.truth[p.A] == s.truth[p.B] {
					tp[i]++
				}
				break
			}
		}
	}
	fmt.Printf("  calibration:")
	lo := 0.0
	for i, b := range bands {
		if n[i] > 0 {
			fmt.Printf(" [%.2f,%.2f) %d pairs %.2f true;", lo, min(b, 1), n[i], float64(tp[i])/float64(n[i]))
		}
		lo = b
	}
	fmt.Println()
}

// hardNegatives counts the pairs of records that have the same trade name
// (dedupe.ParseName) but belong to different true entities, and how many
// of them the run put in one cluster: the namesakes the engine must keep
// apart.
func hardNegatives(s *set, res *dedupe.Result) (n, merged int) {
	byTrade := map[string][]string{}
	for _, r := range s.recs {
		if t := dedupe.ParseName(r.Fields["name"]).Trade; t != "" {
			byTrade[t] = append(byTrade[t], r.ID)
		}
	}
	for _, ids := range byTrade {
		if len(ids) > 200 { // a common word, not a trade name
			continue
		}
		for i := range ids {
			for j := i + 1; j < len(ids); j++ {
				if s.truth[ids[i]] != s.truth[ids[j]] {
					n++
					if res.Cluster[ids[i]] == res.Cluster[ids[j]] {
						merged++
					}
				}
			}
		}
	}
	return n, merged
}

// halfOf keeps the records of the true clusters whose FNV hash is even
// (h = 1) or odd (h = 2): a split of the clusters that no rule of the
// engine can see.
func halfOf(s *set, h int) *set {
	out := &set{name: fmt.Sprintf("%s/%d", s.name, h), truth: map[string]string{}}
	for _, r := range s.recs {
		c := s.truth[r.ID]
		f := fnv.New32a()
		f.Write([]byte(c))
		if int(f.Sum32()%2) == h-1 {
			out.recs = append(out.recs, r)
			out.truth[r.ID] = c
		}
	}
	return out
}
