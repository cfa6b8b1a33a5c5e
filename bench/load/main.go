// Command load measures `dossier serve` under concurrent clients: each of
// -clients goroutines sends requests back to back for -duration (after a
// -warmup that is not counted), picking the list, profile or pivot endpoint
// by the -mix weights, with a bearer token. It prints, per endpoint, the
// requests, errors, throughput and latency percentiles, as a Markdown table
// ready for BENCHMARKS.md. It is not part of `go test` (see BENCHMARKS.md,
// section "Load").
//
//	go build -o /tmp/load ./bench/load
//	/tmp/load -url http://127.0.0.1:8080 -token TOKEN -clients 32 -duration 60s
//
// A request counts as an error when it fails or its status is not 200.
// wrk was not used: it is not installed on the project's machines and its
// Lua scripting would be needed for the token and the random ids anyway; a
// Go program with net/http is a few dozen lines and runs wherever Go does.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

type config struct {
	base, token      string
	clients          int
	duration, warmup time.Duration
	mix              map[string]int
	pageDepth        int
	maxID            int64
	timeout          time.Duration
	title            string
}

// request is one request of the load: a GET unless method says otherwise.
type request struct{ method, path, body string }

// endpoints builds one request of each kind. Lists read one of the first
// pageDepth pages in one of the orders the list page offers; profiles a
// random customer; pivots one of the analytics page's usual tables; a write
// records an interaction with a random customer, which changes the
// customer (its last contact) and so empties every cached total and pivot:
// a mix with writes measures the answers computed afresh after each.
var endpoints = map[string]func(r *rand.Rand, c *config) request{
	"list": func(r *rand.Rand, c *config) request {
		sorts := []string{"", "-score", "name", "-last_contact"}
		p := "/api/v1/customers?limit=50&offset=" + strconv.Itoa(50*r.IntN(c.pageDepth))
		if s := sorts[r.IntN(len(sorts))]; s != "" {
			p += "&sort=" + s
		}
		return request{path: p}
	},
	"profile": func(r *rand.Rand, c *config) request {
		return request{path: "/api/v1/customers/" + strconv.FormatInt(1+r.Int64N(c.maxID), 10)}
	},
	"pivot": func(r *rand.Rand, _ *config) request {
		pivots := []string{"rows=grade&cols=stage&measure=count", "rows=priority&cols=grade&measure=count",
			"rows=province&measure=count&filter=" + url.QueryEscape("grade = 重点")}
		return request{path: "/api/v1/analytics/pivot?" + pivots[r.IntN(len(pivots))]}
	},
	"write": func(r *rand.Rand, c *config) request {
		body := fmt.Sprintf(`{"customer_id": %d, "date": "2026-11-23", "channel": "电话", "summary": "load test call", "feedback": "中性"}`, 1+r.Int64N(c.maxID))
		return request{method: http.MethodPost, path: "/api/v1/interactions", body: body}
	},
}

// kindOrder is the order of the kinds in the report.
var kindOrder = []string{"list", "profile", "pivot", "write"}

// shown counts the errors printed: the first ten are enough to see why.
var shown atomic.Int64

type sample struct {
	kind string
	d    time.Duration
	ok   bool
}

func main() {
	c := config{}
	mix := flag.String("mix", "list=45,profile=45,pivot=10", "weights of the endpoints")
	flag.StringVar(&c.base, "url", "http://127.0.0.1:8080", "base URL of dossier serve")
	flag.StringVar(&c.token, "token", os.Getenv("DOSSIER_TOKEN"), "API token (default $DOSSIER_TOKEN)")
	flag.IntVar(&c.clients, "clients", 32, "concurrent clients")
	flag.DurationVar(&c.duration, "duration", 60*time.Second, "measured time")
	flag.DurationVar(&c.warmup, "warmup", 5*time.Second, "time before measuring")
	flag.IntVar(&c.pageDepth, "pages", 20, "list pages are drawn from the first N pages of 50")
	flag.Int64Var(&c.maxID, "max-id", 0, "profiles are drawn from ids 1..N (default: the store's customer total)")
	flag.DurationVar(&c.timeout, "timeout", 30*time.Second, "per-request timeout (a timeout counts as an error)")
	flag.StringVar(&c.title, "title", "", "a line printed above the table")
	flag.Parse()
	if err := run(&c, *mix); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

func run(c *config, mix string) error {
	var err error
	if c.mix, err = parseMix(mix); err != nil {
		return err
	}
	if c.token == "" {
		return fmt.Errorf("no token: pass -token or set DOSSIER_TOKEN")
	}
	client := &http.Client{Timeout: c.timeout, Transport: &http.Transport{MaxIdleConnsPerHost: c.clients, MaxConnsPerHost: c.clients}}
	if c.maxID == 0 {
		if c.maxID, err = total(client, c); err != nil {
			return err
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), c.warmup+c.duration)
	defer cancel()
	measureFrom := time.Now().Add(c.warmup)
	results := make([][]sample, c.clients)
	var wg sync.WaitGroup
	for i := range c.clients {
		wg.Go(func() { results[i] = client1(ctx, client, c, uint64(i), measureFrom) })
	}
	wg.Wait()
	fmt.Print(report(c, slices.Concat(results...)))
	return nil
}

func parseMix(s string) (map[string]int, error) {
	out := map[string]int{}
	for part := range strings.SplitSeq(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		n, err := strconv.Atoi(v)
		if _, known := endpoints[k]; !ok || !known || err != nil || n < 0 {
			return nil, fmt.Errorf("-mix: %q is not ENDPOINT=WEIGHT (endpoints: list, profile, pivot, write)", part)
		}
		out[k] = n
	}
	return out, nil
}

// total asks the list endpoint for the number of customers.
func total(client *http.Client, c *config) (int64, error) {
	body, status, err := do(context.Background(), client, c, request{path: "/api/v1/customers?limit=1"})
	if err != nil || status != http.StatusOK {
		return 0, fmt.Errorf("reading the customer total: status %d, %v: %s", status, err, body)
	}
	var v struct {
		Total int64 `json:"total"`
	}
	if err := json.Unmarshal(body, &v); err != nil || v.Total == 0 {
		return 0, fmt.Errorf("reading the customer total: %v (%s)", err, body)
	}
	return v.Total, nil
}

func do(ctx context.Context, client *http.Client, c *config, rq request) ([]byte, int, error) {
	method, body := rq.method, io.Reader(nil)
	if method == "" {
		method = http.MethodGet
	}
	if rq.body != "" {
		body = strings.NewReader(rq.body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+rq.path, body)
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	if rq.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	return got, resp.StatusCode, err
}

// client1 is one client: requests back to back until ctx ends; the ones
// that start before measureFrom are not kept, nor one cut off by the end.
func client1(ctx context.Context, client *http.Client, c *config, seed uint64, measureFrom time.Time) []sample {
	r := rand.New(rand.NewPCG(seed, 0x10ad))
	kinds := make([]string, 0, 100)
	for k, w := range c.mix {
		for range w {
			kinds = append(kinds, k)
		}
	}
	slices.Sort(kinds)
	var out []sample
	for ctx.Err() == nil {
		kind := kinds[r.IntN(len(kinds))]
		rq := endpoints[kind](r, c)
		start := time.Now()
		_, status, err := do(ctx, client, c, rq)
		ok := err == nil && status >= 200 && status < 300
		if ctx.Err() != nil {
			break
		}
		if start.Before(measureFrom) {
			continue
		}
		if !ok && shown.Add(1) <= 10 {
			fmt.Fprintf(os.Stderr, "error: %s %s: status %d %v\n", rq.method, rq.path, status, err)
		}
		out = append(out, sample{kind, time.Since(start), ok})
	}
	return out
}

func report(c *config, all []sample) string {
	var b strings.Builder
	if c.title != "" {
		fmt.Fprintf(&b, "%s\n\n", c.title)
	}
	fmt.Fprintf(&b, "%d clients for %s (after %s warm-up), %s, mix %s\n\n", c.clients, c.duration, c.warmup, c.base, mixText(c.mix))
	b.WriteString("| endpoint | requests | errors | req/s | p50 | p90 | p99 | max |\n|---|---:|---:|---:|---:|---:|---:|---:|\n")
	kinds := append(slices.Clone(kindOrder), "all")
	for _, k := range kinds {
		var ds []time.Duration
		errs := 0
		for _, s := range all {
			if k == "all" || s.kind == k {
				ds = append(ds, s.d)
				if !s.ok {
					errs++
				}
			}
		}
		if len(ds) == 0 {
			continue
		}
		slices.Sort(ds)
		fmt.Fprintf(&b, "| %s | %d | %d | %.1f | %s | %s | %s | %s |\n", k, len(ds), errs, float64(len(ds))/c.duration.Seconds(),
			ms(pct(ds, 50)), ms(pct(ds, 90)), ms(pct(ds, 99)), ms(ds[len(ds)-1]))
	}
	return b.String()
}

func mixText(m map[string]int) string {
	var parts []string
	for _, k := range kindOrder {
		if w := m[k]; w > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", k, w))
		}
	}
	return strings.Join(parts, " : ")
}

// pct is the nearest-rank percentile of sorted durations.
func pct(ds []time.Duration, p int) time.Duration {
	i := (len(ds)*p + 99) / 100
	return ds[max(i-1, 0)]
}

func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 1, 64) + " ms"
}
