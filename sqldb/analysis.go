package sqldb

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/filter"
)

// Tag sources.
const (
	TagManual = "manual"
	TagRule   = "rule"
)

// maxParams bounds the placeholders of one statement (SQLite allows 32766,
// PostgreSQL 65535).
const maxParams = 30000

// RecomputeAll scores and analyses every customer as of a date in one walk
// (batches of scoreBatch ids, one range query per table and batch, one
// write transaction per batch), and calls emit for each customer in id
// order. It keeps the derived records current: rule tags, risks (opened,
// re-worded, resolved), follow-up and action-list tasks, the public pool,
// the score history and the analysis summary.
//
// Batches are read and evaluated by one worker per core when the Analyzer
// can fork (see forker), and written in id order by one writer: the batches
// are disjoint id ranges, so reading one while another is written never
// sees a half-written customer. Each worker has its own Analyzer.
func (db *DB) RecomputeAll(ctx context.Context, asOf time.Time, s dossier.ScoreSettings, an dossier.Analyzer,
	emit func(dossier.Score, *dossier.Analysis) error) (int, error) {
	asOf = time.Date(asOf.Year(), asOf.Month(), asOf.Day(), 0, 0, 0, 0, time.UTC)
	var maxID int64
	if err := db.r.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM customers`).Scan(&maxID); err != nil {
		return 0, fmt.Errorf("recompute: %w", err)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	analyzers := forkAnalyzers(an, recomputeWorkers())
	ps := selectFor(an)
	// pending holds the jobs in id order, for the writer; jobs hands them
	// to the workers. pending's capacity bounds the batches in memory.
	pending := make(chan recomputeJob, len(analyzers)+1)
	jobs := make(chan recomputeJob)
	go func() {
		defer close(pending)
		defer close(jobs)
		size := recomputeBatch()
		for lo := int64(0); lo < maxID; lo += size {
			j := recomputeJob{lo: lo, hi: min(lo+size, maxID), out: make(chan computedBatch, 1)}
			for _, ch := range []chan recomputeJob{pending, jobs} {
				select {
				case ch <- j:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	var wg sync.WaitGroup
	for _, a := range analyzers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				j.out <- db.computeJob(ctx, j, asOf, s, a, ps) // buffered: never blocks
			}
		}()
	}
	n, err := db.consumeBatches(ctx, pending, s, asOf, emit)
	cancel()
	if uerr := db.untuneBulk(context.WithoutCancel(ctx)); err == nil && uerr != nil {
		err = fmt.Errorf("recompute: %w", uerr)
	}
	for range pending { // let the dispatcher finish
	}
	wg.Wait()
	if err == nil {
		err = db.saveScoreAsOf(context.WithoutCancel(ctx), asOf)
	}
	if err == nil {
		err = db.analyzeAfterRecompute(context.WithoutCancel(ctx))
	}
	return n, err
}

// analyzeAfterRecompute refreshes PostgreSQL's statistics of customers: a
// recompute rewrites their scores, grades and priorities, and a server
// without autovacuum (or before it comes round) would otherwise plan with
// the old ones. After the first scoring of a demo store they said every
// score was NULL, and a list of "total >= 60" read 53,185 customers of
// 100,000 through the score index and sorted them (190 ms a page instead
// of 3 ms). ANALYZE samples a fixed number of rows: about a second at
// 1,000,000 customers. SQLite plans from the statistics of its indexes,
// which migration 017 samples.
func (db *DB) analyzeAfterRecompute(ctx context.Context) error {
	if db.dialect.Name() != filter.Postgres {
		return nil
	}
	if _, err := db.w.ExecContext(ctx, "ANALYZE customers"); err != nil {
		return fmt.Errorf("recompute: refresh statistics: %w", err)
	}
	return nil
}

// recomputeJob is the batch of customer ids in (lo, hi]; its result comes
// back on out.
type recomputeJob struct {
	lo, hi int64
	out    chan computedBatch
}

type computedBatch struct {
	b        *analysisBatch
	scores   []dossier.Score
	analyses []dossier.Analysis
	expls    [][]byte      // each score's explanation as stored (JSON)
	rows     []analysisRow // each summary as stored
	err      error
}

// forker is an Analyzer that can make another for a second goroutine
// (an Analyzer serves one goroutine at a time).
type forker interface{ Fork() dossier.Analyzer }

// forkAnalyzers returns up to n analyzers, an first; one when an cannot fork.
func forkAnalyzers(an dossier.Analyzer, n int) []dossier.Analyzer {
	out := []dossier.Analyzer{an}
	if f, ok := an.(forker); ok {
		for len(out) < n {
			out = append(out, f.Fork())
		}
	}
	return out
}

// recomputeWorkers is how many goroutines read and evaluate batches: one
// per core the process may use (tests set workersOverride).
func recomputeWorkers() int {
	if workersOverride > 0 {
		return workersOverride
	}
	return max(1, runtime.GOMAXPROCS(0))
}

// workersOverride and batchOverride, when set, replace the number of
// workers and the batch size (tests: many small batches on a small store).
var workersOverride, batchOverride int

func recomputeBatch() int64 {
	if batchOverride > 0 {
		return int64(batchOverride)
	}
	return scoreBatch
}

// computeJob reads a batch and evaluates it. The explanations are encoded
// here, off the writer's goroutine: the writer compares them with the
// stored ones.
func (db *DB) computeJob(ctx context.Context, j recomputeJob, asOf time.Time, s dossier.ScoreSettings, an dossier.Analyzer, ps profileSelect) computedBatch {
	b, err := db.readAnalysisBatch(ctx, j.lo, j.hi, int(j.hi-j.lo), asOf, s, ps)
	if err != nil {
		return computedBatch{err: err}
	}
	scores, analyses := computeBatch(b, asOf, s, an)
	expls := make([][]byte, len(scores))
	rows := make([]analysisRow, len(scores))
	for i := range scores {
		expls[i] = encodeExplanation(scores[i].Explanation)
		rows[i] = newAnalysisRow(&analyses[i])
	}
	return computedBatch{b: b, scores: scores, analyses: analyses, expls: expls, rows: rows}
}

func computeBatch(b *analysisBatch, asOf time.Time, s dossier.ScoreSettings, an dossier.Analyzer) ([]dossier.Score, []dossier.Analysis) {
	scores := make([]dossier.Score, len(b.customers))
	analyses := make([]dossier.Analysis, len(b.customers))
	for i, c := range b.customers {
		scores[i] = dossier.ComputeScore(b.scoreIn[i], asOf, s)
		scores[i].CustomerID, scores[i].Name = c.ID, c.Name
		b.inputs[i].Score = scores[i]
		analyses[i] = an.Analyze(&b.inputs[i])
	}
	return scores, analyses
}

// AnalyzeCustomer computes one customer's score and analysis as of a date
// without storing them: the explanation behind the stored summary.
func (db *DB) AnalyzeCustomer(ctx context.Context, id int64, asOf time.Time, s dossier.ScoreSettings, an dossier.Analyzer) (*dossier.Analysis, error) {
	asOf = time.Date(asOf.Year(), asOf.Month(), asOf.Day(), 0, 0, 0, 0, time.UTC)
	b, err := db.readAnalysisBatch(ctx, id-1, id, 1, asOf, s, selectFor(an))
	if err != nil {
		return nil, err
	}
	if len(b.customers) == 0 || b.customers[0].ID != id {
		return nil, dossier.Errorf(dossier.ENOTFOUND, "customer %d not found", id)
	}
	_, as := computeBatch(b, asOf, s, an)
	return &as[0], nil
}

// saveBatch writes a batch's scores and everything derived from them.
func (tx *Tx) saveBatch(ctx context.Context, c computedBatch, s dossier.ScoreSettings, asOf time.Time) error {
	b, scores, as := c.b, c.scores, c.analyses
	// Rewrite only the scores that changed, ignoring the as-of date: an
	// unchanged customer costs no write, the same day or the next.
	var rows []scoreRow
	var changed []dossier.Score
	var expls [][]byte
	for i, cu := range b.customers {
		sc := scores[i]
		same := cu.Values["follow_up_priority"] == sc.Priority && cu.Score != nil && *cu.Score == sc.Total
		if same && b.prevScore[i].same(sc, c.expls[i]) {
			continue
		}
		rows = append(rows, scoreRow{id: cu.ID, name: cu.Name, priority: cu.Values["follow_up_priority"], same: same})
		changed = append(changed, sc)
		expls = append(expls, c.expls[i])
	}
	tasks := tx.planTasks(b, as, asOf)
	var cleared map[int64]bool
	if len(changed) > 0 {
		var err error
		if cleared, err = tx.saveScores(ctx, rows, changed, expls, s, tasks.pooled()); err != nil {
			return err
		}
	}
	if err := tx.saveAnalysisRows(ctx, b, c.rows, as); err != nil {
		return err
	}
	for _, step := range []func(context.Context, *analysisBatch, []dossier.Score, []dossier.Analysis, time.Time) error{
		tx.saveRuleTags, tx.saveRisks, tx.saveHistory,
	} {
		if err := step(ctx, b, scores, as, asOf); err != nil {
			return err
		}
	}
	return tx.writeTasks(ctx, tasks, cleared)
}

// insertMany runs head + VALUES rows + tail in chunks that stay under the
// placeholder limit.
func (tx *Tx) insertMany(ctx context.Context, head string, cols int, args []any, tail string) error {
	per := maxParams / cols
	for len(args) > 0 {
		n := min(len(args)/cols, per)
		if _, err := tx.exec(ctx, head+" VALUES "+valuesList(n, cols, nil)+tail, args[:n*cols]...); err != nil {
			return err
		}
		args = args[n*cols:]
	}
	return nil
}

// execIn runs query with "(?, ?, …)" in place of IN_LIST for each chunk of ids.
func (tx *Tx) execIn(ctx context.Context, query string, pre []any, ids []int64) error {
	for len(ids) > 0 {
		n := min(len(ids), maxParams-len(pre))
		args := append(slices.Clone(pre), anySlice(ids[:n])...)
		list := "(" + strings.TrimSuffix(strings.Repeat("?, ", n), ", ") + ")"
		if _, err := tx.exec(ctx, strings.Replace(query, "IN_LIST", list, 1), args...); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

func anySlice(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

// analysisCols are the columns of analyses but computed_at, in the order
// analysisRow.args gives them.
const (
	analysisCols = `customer_id, value, grade, tier, cadence, next_follow_up, risk_level,
		icp, need_match_suggestion, likelihood_suggestion, errors, rules_version`
	analysisColCount = 12
)

// analysisRow is an analysis summary as stored (without its customer id),
// comparable with ==.
type analysisRow struct {
	value, grade, tier, cadence, next, risk, icp string
	needMatch, likelihood, errors                int64
	version                                      string
}

func newAnalysisRow(a *dossier.Analysis) analysisRow {
	return analysisRow{value: a.Value, grade: a.Grade, tier: a.Tier, cadence: a.Cadence, next: a.NextFollowUp,
		risk: riskLevel(a.Risks), icp: encodeICP(a.ICP), needMatch: int64(a.NeedMatchSuggestion),
		likelihood: int64(a.LikelihoodSuggestion), errors: int64(len(a.Errors)), version: a.RulesVersion}
}

// args are the row's values in the order of analysisCols.
func (r *analysisRow) args(id int64) []any {
	return []any{id, r.value, r.grade, r.tier, r.cadence, r.next, r.risk, r.icp, r.needMatch, r.likelihood, r.errors, r.version}
}

// saveAnalysisRows upserts the summaries that changed.
func (tx *Tx) saveAnalysisRows(ctx context.Context, b *analysisBatch, rows []analysisRow, as []dossier.Analysis) error {
	now := ts(tx.now)
	args := make([]any, 0, len(as)*(analysisColCount+1))
	for i := range as {
		if p := b.prev[i]; p.had && p.analysisRow == rows[i] {
			continue
		}
		args = append(append(args, rows[i].args(as[i].CustomerID)...), now)
	}
	err := tx.insertMany(ctx, `INSERT INTO analyses (`+analysisCols+`, computed_at)`, analysisColCount+1, args,
		` ON CONFLICT (customer_id) DO UPDATE SET value = excluded.value, grade = excluded.grade,
		tier = excluded.tier, cadence = excluded.cadence, next_follow_up = excluded.next_follow_up, risk_level = excluded.risk_level,
		icp = excluded.icp, need_match_suggestion = excluded.need_match_suggestion, likelihood_suggestion = excluded.likelihood_suggestion,
		errors = excluded.errors, rules_version = excluded.rules_version, computed_at = excluded.computed_at`)
	if err != nil {
		return fmt.Errorf("save analyses: %w", err)
	}
	return nil
}

func riskLevel(rs []dossier.RiskFinding) string {
	top := "none"
	rank := map[string]int{"none": 0, dossier.LevelLow: 1, dossier.LevelMedium: 2, dossier.LevelHigh: 3}
	for _, r := range rs {
		if rank[r.Level] > rank[top] {
			top = r.Level
		}
	}
	return top
}

// saveRuleTags writes the difference between the rule tags stored and the
// ones the rules give now, so an unchanged customer costs no write.
func (tx *Tx) saveRuleTags(ctx context.Context, b *analysisBatch, _ []dossier.Score, as []dossier.Analysis, _ time.Time) error {
	now := ts(tx.now)
	var add []any
	for i, a := range as {
		id := a.CustomerID
		manual := b.inputs[i].ManualTags
		// A customer has a few tags: slices, not a map per customer.
		want := func(t string) bool { return slices.Contains(a.Tags, t) && !slices.Contains(manual, t) }
		for _, t := range b.ruleTags[i] {
			if !want(t) {
				if _, err := tx.exec(ctx, `DELETE FROM customer_tags WHERE customer_id = ? AND tag = ? AND source = 'rule'`, id, t); err != nil {
					return fmt.Errorf("remove tag: %w", err)
				}
			}
		}
		for _, t := range a.Tags {
			if !slices.Contains(manual, t) && !slices.Contains(b.ruleTags[i], t) {
				add = append(add, id, t, TagRule, a.TagRules[t], now)
			}
		}
	}
	if err := tx.insertMany(ctx, `INSERT INTO customer_tags (customer_id, tag, source, rule_id, created_at)`, 5, add, ""); err != nil {
		return fmt.Errorf("add tags: %w", err)
	}
	return nil
}

// saveRisks opens a risk when its rule first fires, updates its level and
// trigger while it keeps firing, and resolves it when it stops.
func (tx *Tx) saveRisks(ctx context.Context, b *analysisBatch, _ []dossier.Score, as []dossier.Analysis, _ time.Time) error {
	now := ts(tx.now)
	var add []any
	var resolved []int64
	for _, a := range as {
		open := b.openRisks[a.CustomerID]
		for _, f := range a.Risks {
			j := slices.IndexFunc(open, func(r dossier.Risk) bool { return r.RuleID == f.RuleID })
			if j < 0 {
				add = append(add, a.CustomerID, f.Category, f.Level, f.Trigger, f.RuleID, now)
				continue
			}
			if r := open[j]; r.Trigger != f.Trigger || r.Level != f.Level || r.Category != f.Category {
				if _, err := tx.exec(ctx, `UPDATE risks SET trigger_text = ?, level = ?, category = ? WHERE id = ?`, f.Trigger, f.Level, f.Category, r.ID); err != nil {
					return fmt.Errorf("update risk: %w", err)
				}
			}
		}
		for _, r := range open {
			if !slices.ContainsFunc(a.Risks, func(f dossier.RiskFinding) bool { return f.RuleID == r.RuleID }) {
				resolved = append(resolved, r.ID)
			}
		}
	}
	if err := tx.insertMany(ctx, `INSERT INTO risks (customer_id, category, level, trigger_text, rule_id, since)`, 6, add, ""); err != nil {
		return fmt.Errorf("open risks: %w", err)
	}
	if err := tx.execIn(ctx, `UPDATE risks SET resolved_at = ? WHERE id IN IN_LIST`, []any{now}, resolved); err != nil {
		return fmt.Errorf("resolve risks: %w", err)
	}
	return nil
}

// saveHistory records a score-history row when priority, tier or value
// changed (or on the first analysis), with the cause.
func (tx *Tx) saveHistory(ctx context.Context, b *analysisBatch, scores []dossier.Score, as []dossier.Analysis, _ time.Time) error {
	now := ts(tx.now)
	var add []any
	for i, a := range as {
		sc := scores[i]
		oldPriority := b.customers[i].Values["follow_up_priority"]
		p := b.prev[i]
		had := p.had
		prev := [2]string{p.tier, p.value}
		if had && prev[0] == a.Tier && prev[1] == a.Value && oldPriority == sc.Priority {
			continue
		}
		cause, detail := historyCause(had, prev, oldPriority, sc, a)
		add = append(add, a.CustomerID, a.AsOf, sc.Total, sc.Priority, a.Tier, a.Value, cause, detail, now)
	}
	if err := tx.insertMany(ctx, `INSERT INTO score_history (customer_id, as_of, total, priority, tier, value, cause, detail, computed_at)`, 9, add, ""); err != nil {
		return fmt.Errorf("score history: %w", err)
	}
	return nil
}

// historyCause is the cause of a history row: in English (the cause
// column, as the API has always given it) and in parts (detail, JSON).
func historyCause(had bool, prev [2]string, oldPriority string, sc dossier.Score, a dossier.Analysis) (string, string) {
	d := dossier.HistoryDetail{First: !had, Lines: sc.Explanation}
	for _, ch := range [][3]string{{"priority", oldPriority, sc.Priority}, {"tier", prev[0], a.Tier}, {"value", prev[1], a.Value}} {
		if had && ch[1] != ch[2] || !had && ch[0] == "priority" && ch[1] != "" && ch[1] != ch[2] {
			d.Changes = append(d.Changes, dossier.HistoryChange{What: ch[0], From: ch[1], To: ch[2]})
		}
	}
	var parts, reasons []string
	if d.First {
		parts = append(parts, "first analysis")
	}
	for _, c := range d.Changes {
		parts = append(parts, fmt.Sprintf("%s %s→%s", c.What, orDash(c.From), orDash(c.To)))
	}
	for _, l := range sc.Explanation {
		reasons = append(reasons, l.Reason)
	}
	detail, _ := json.Marshal(d) // plain strings and numbers: cannot fail
	return strings.Join(parts, "; ") + " (" + strings.Join(reasons, "; ") + ")", string(detail)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
