package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/filter"
)

// taskRow is what the recompute needs of an existing task.
type taskRow struct {
	id      int64
	source  string
	status  string
	due     string
	created string // as stored: parsed only for the one follow-up that needs it
}

// createdOr is the task's creation time, or def when there is no task.
func (t *taskRow) createdOr(def time.Time) time.Time {
	if t == nil {
		return def
	}
	return parseTS(t.created)
}

// analysisBatch is one batch of customers with everything their score and
// analysis read, fetched with one range query per table (customer ids in
// (lo, hi]) rather than one query per customer.
type analysisBatch struct {
	lo, hi    int64
	customers []*dossier.Customer
	inputs    []dossier.AnalysisInput
	scoreIn   []dossier.ScoreInputs
	ruleTags  [][]string // each customer's stored rule tags, by index
	openRisks map[int64][]dossier.Risk
	tasks     map[int64][]taskRow
	prev      []prevAnalysis // the stored summary of each customer, by index
	prevScore []storedScore  // the stored score of each customer, by index
}

// inputReader is an Analyzer that says which registry fields it reads.
type inputReader interface{ Inputs() []string }

// profileSelect is the part of the profile a recompute reads: what the
// score and the task logic need, and the fields the analyzer reads (all
// when it does not say). Reading 10 columns instead of 60 is most of the
// cost of the read.
type profileSelect struct {
	cols   []profileField
	custom bool // some wanted field lives in the custom JSON
	sql    string
}

func selectFor(an dossier.Analyzer) profileSelect {
	want := map[string]bool{"name": true, "expected_amount": true, "budget": true, "strategic_value": true,
		"follow_up_priority": true, "owner": true}
	ir, ok := an.(inputReader)
	if !ok {
		return profileSelect{cols: profileFields, custom: true, sql: profileSQL(profileFields, true)}
	}
	p := profileSelect{}
	for _, k := range ir.Inputs() {
		want[k] = true
		p.custom = p.custom || !isProfileColumn[k]
	}
	for _, f := range profileFields {
		if want[f.key] {
			p.cols = append(p.cols, f)
		}
	}
	p.sql = profileSQL(p.cols, p.custom)
	return p
}

func profileSQL(cols []profileField, custom bool) string {
	s := "c.id, c.score"
	for _, f := range cols {
		s += ", c." + f.key
	}
	if custom {
		s += ", c.custom"
	}
	return s
}

// storedCols are the stored score's and summary's columns read beside the
// profile (LEFT JOIN: NULL when the customer has none yet), in the order
// batchRow.scan gives them.
const storedCols = `, s.r, s.f, s.m, s.v, s.total, s.priority, s.settings_version, s.explanation,
	a.value, a.grade, a.tier, a.cadence, a.next_follow_up, a.risk_level, a.icp,
	a.need_match_suggestion, a.likelihood_suggestion, a.errors, a.rules_version`

// batchRow scans the rows of a batch's customer query into buffers it
// reuses from row to row.
type batchRow struct {
	ps     profileSelect
	score  sql.NullInt64
	custom string
	cols   []any            // as the driver gives them: see canonicalValue
	sc     [7]sql.NullInt64 // r, f, m, v, total, settings_version
	sPrio  sql.NullString
	sExpl  sql.NullString    // compared as read: no copy into bytes
	aText  [8]sql.NullString // value … risk_level, icp, rules_version
	aInt   [3]sql.NullInt64  // need_match_suggestion, likelihood_suggestion, errors
	iLast  sql.NullString
	agg    [6]sql.NullInt64 // n_f, n_3, n_12, neg_3, contacts, decision makers
	dest   []any
}

func newBatchRow(ps profileSelect) *batchRow {
	r := &batchRow{ps: ps, cols: make([]any, len(ps.cols))}
	r.dest = append(r.dest, new(int64), &r.score)
	for i := range r.cols {
		r.dest = append(r.dest, &r.cols[i])
	}
	if ps.custom {
		r.dest = append(r.dest, &r.custom)
	}
	for i := range 5 {
		r.dest = append(r.dest, &r.sc[i])
	}
	r.dest = append(r.dest, &r.sPrio, &r.sc[5], &r.sExpl)
	for i := range 7 {
		r.dest = append(r.dest, &r.aText[i])
	}
	r.dest = append(r.dest, &r.aInt[0], &r.aInt[1], &r.aInt[2], &r.aText[7], &r.iLast)
	for i := range r.agg {
		r.dest = append(r.dest, &r.agg[i])
	}
	return r
}

// aggregates returns the aggregates of the row last scanned (0 for NULL).
func (r *batchRow) aggregates() rowAggregates {
	g := &r.agg
	return rowAggregates{last: r.iLast.String, nF: g[0].Int64, n3: g[1].Int64, n12: g[2].Int64, neg: g[3].Int64,
		contacts: g[4].Int64, deciders: g[5].Int64}
}

// scan reads one row: the customer with the columns the recompute needs,
// its stored score and its stored summary.
func (r *batchRow) scan(sc scanner) (*dossier.Customer, storedScore, prevAnalysis, error) {
	if err := sc.Scan(r.dest...); err != nil {
		return nil, storedScore{}, prevAnalysis{}, err
	}
	c := &dossier.Customer{ID: *r.dest[0].(*int64)}
	// Sized for the values there are (about half the columns are NULL):
	// a map sized for every column was a third of the scan.
	n := 0
	for _, v := range r.cols {
		if v != nil {
			n++
		}
	}
	if r.ps.custom {
		n += 4
	}
	vals := make(map[string]string, n)
	if r.ps.custom {
		_ = json.Unmarshal([]byte(r.custom), &vals)
	}
	for i, f := range r.ps.cols {
		if v, ok := canonicalValue(f.kind, r.cols[i]); ok {
			vals[f.key] = v
		}
	}
	c.Values = vals
	c.SetResolved(nil)
	if r.score.Valid {
		s := int(r.score.Int64)
		c.Score = &s
	}
	var st storedScore
	if r.sc[4].Valid {
		st = storedScore{had: true, r: r.sc[0].Int64, f: r.sc[1].Int64, m: r.sc[2].Int64, v: r.sc[3].Int64,
			total: r.sc[4].Int64, settings: r.sc[5].Int64, priority: r.sPrio.String, expl: r.sExpl.String}
	}
	var pa prevAnalysis
	if r.aText[0].Valid {
		t := &r.aText
		pa = prevAnalysis{had: true, analysisRow: analysisRow{value: t[0].String, grade: t[1].String, tier: t[2].String,
			cadence: t[3].String, next: t[4].String, risk: t[5].String, icp: t[6].String,
			needMatch: r.aInt[0].Int64, likelihood: r.aInt[1].Int64, errors: r.aInt[2].Int64, version: t[7].String}}
	}
	return c, st, pa, nil
}

// readAnalysisBatch reads up to limit customers with ids in (after, upTo].
func (db *DB) readAnalysisBatch(ctx context.Context, after, upTo int64, limit int, asOf time.Time, s dossier.ScoreSettings, ps profileSelect) (*analysisBatch, error) {
	// The stored score and summary come in the same query (one row each,
	// keyed by customer id): what the writer compares with, to write only
	// what changed.
	// So do the interaction and contact aggregates: one row per customer,
	// grouped by SQLite or PostgreSQL in a subquery over the batch's range,
	// rather than a row each for the driver to hand over.
	args := append(aggregateArgs(after, upTo, asOf, s), after, upTo, limit)
	b := &analysisBatch{lo: after, openRisks: map[int64][]dossier.Risk{},
		tasks: map[int64][]taskRow{}, customers: make([]*dossier.Customer, 0, limit),
		prevScore: make([]storedScore, 0, limit), prev: make([]prevAnalysis, 0, limit)}
	br := newBatchRow(ps)
	aggs := make([]rowAggregates, 0, limit)
	err := db.eachInRange(ctx, `SELECT `+ps.sql+storedCols+aggregateCols+` FROM customers c
		LEFT JOIN scores s ON s.customer_id = c.id LEFT JOIN analyses a ON a.customer_id = c.id
		LEFT JOIN (`+interactionAggregatesSQL+`) i ON i.customer_id = c.id
		LEFT JOIN (`+contactAggregatesSQL+`) k ON k.customer_id = c.id
		WHERE c.id > ? AND c.id <= ? AND c.hidden = 0 AND c.merged_into IS NULL ORDER BY c.id LIMIT ?`, args, func(sc scanner) error {
		c, st, pa, err := br.scan(sc)
		if err != nil {
			return err
		}
		aggs = append(aggs, br.aggregates())
		b.customers = append(b.customers, c)
		b.prevScore = append(b.prevScore, st)
		b.prev = append(b.prev, pa)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("analysis customers: %w", err)
	}
	if len(b.customers) == 0 {
		return b, nil
	}
	b.hi = b.customers[len(b.customers)-1].ID
	b.inputs = make([]dossier.AnalysisInput, len(b.customers))
	b.scoreIn = make([]dossier.ScoreInputs, len(b.customers))
	b.ruleTags = make([][]string, len(b.customers))
	idx := make(map[int64]int, len(b.customers))
	for i, c := range b.customers {
		idx[c.ID] = i
		b.inputs[i] = dossier.AnalysisInput{CustomerID: c.ID, Name: c.Name, Values: c.Values}
		b.scoreIn[i] = dossier.ScoreInputs{ExpectedAmount: c.Values["expected_amount"], Budget: c.Values["budget"],
			StrategicValue: c.Values["strategic_value"]}
		aggs[i].apply(&b.inputs[i], &b.scoreIn[i])
	}
	for _, read := range []func(context.Context, *analysisBatch, map[int64]int, time.Time, dossier.ScoreSettings) error{
		db.readNeeds, db.readTags, db.readOpenRisks, db.readTasks,
	} {
		if err := read(ctx, b, idx, asOf, s); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// eachInRange is each for the recompute's range queries over a batch: on
// SQLite with the driver's rows (see eachDriverRow), on PostgreSQL through
// database/sql.
func (db *DB) eachInRange(ctx context.Context, query string, args []any, scan func(sc scanner) error) error {
	if db.dialect.Name() == filter.SQLite {
		return db.eachDriverRow(ctx, db.q(query), args, scan)
	}
	return db.each(ctx, query, args, scan)
}

// each runs a read query and calls scan for every row.
func (db *DB) each(ctx context.Context, query string, args []any, scan func(sc scanner) error) error {
	rows, err := db.r.QueryContext(ctx, db.q(query), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// interactionAggregatesSQL reads a batch's interaction aggregates: last
// contact, the counts since three dates and the negative feedback since the
// fourth, for customer ids in (?, ?] and dates up to ?. One pass over the
// (customer_id, date, feedback, import_id) index (migration 018) covers it:
// no interaction row is read.
var interactionAggregatesSQL = `SELECT customer_id, MAX(date) AS last_date,
	SUM(CASE WHEN date >= ? THEN 1 ELSE 0 END) AS n_f, SUM(CASE WHEN date >= ? THEN 1 ELSE 0 END) AS n_3,
	SUM(CASE WHEN date >= ? THEN 1 ELSE 0 END) AS n_12, SUM(CASE WHEN date >= ? AND feedback = 'negative' THEN 1 ELSE 0 END) AS neg_3
	FROM interactions WHERE customer_id > ? AND customer_id <= ? AND date <= ? AND ` + liveImport("") + ` GROUP BY customer_id`

// contactAggregatesSQL counts a batch's contacts and decision makers, for
// customer ids in (?, ?].
var contactAggregatesSQL = `SELECT customer_id, COUNT(*) AS n, SUM(CASE WHEN role = 'decision_maker' THEN 1 ELSE 0 END) AS dm
	FROM contacts WHERE customer_id > ? AND customer_id <= ? AND merged_into IS NULL AND ` + liveImport("") + ` GROUP BY customer_id`

// aggregateCols are the interaction and contact aggregates read beside the
// profile (NULL for a customer without any), in batchRow's order.
const aggregateCols = `, i.last_date, i.n_f, i.n_3, i.n_12, i.neg_3, k.n, k.dm`

// aggregateArgs are the placeholders' values of the two aggregate
// subqueries, for customer ids in (lo, hi] as of asOf.
func aggregateArgs(lo, hi int64, asOf time.Time, s dossier.ScoreSettings) []any {
	return []any{dossier.FormatDate(dossier.MonthsBefore(asOf, s.FWindowMonths)), dossier.FormatDate(dossier.MonthsBefore(asOf, 3)),
		dossier.FormatDate(dossier.MonthsBefore(asOf, 12)), dossier.FormatDate(dossier.MonthsBefore(asOf, 3)),
		lo, hi, dossier.FormatDate(asOf), lo, hi}
}

// rowAggregates are one customer's interaction and contact aggregates.
type rowAggregates struct {
	last               string
	nF, n3, n12, neg   int64
	contacts, deciders int64
}

// apply sets the aggregates in a customer's analysis and score inputs.
func (g *rowAggregates) apply(in *dossier.AnalysisInput, si *dossier.ScoreInputs) {
	t, _ := time.Parse(dossier.DateLayout, g.last) // zero when there is none
	in.LastContact, in.Contacts3m, in.Contacts12m, in.Negative3m = t, int(g.n3), int(g.n12), int(g.neg)
	si.LastContact, si.RecentContacts = t, int(g.nF)
	in.Contacts, in.DecisionMakers = int(g.contacts), int(g.deciders)
}

func (db *DB) readNeeds(ctx context.Context, b *analysisBatch, idx map[int64]int, _ time.Time, _ dossier.ScoreSettings) error {
	var (
		id                            int64
		typ, at                       string
		explicit, urgency, importance int
	)
	err := db.eachInRange(ctx, `SELECT customer_id, type, explicit, urgency, importance, collected_at
		FROM needs WHERE customer_id > ? AND customer_id <= ? ORDER BY customer_id, id`, []any{b.lo, b.hi}, func(sc scanner) error {
		// Scanned into the variables above, not new ones per row (each
		// would escape to the heap).
		if err := sc.Scan(&id, &typ, &explicit, &urgency, &importance, &at); err != nil {
			return err
		}
		if i, ok := idx[id]; ok {
			n := dossier.Need{CustomerID: id, Type: typ, Explicit: explicit != 0, Urgency: urgency, Importance: importance}
			n.Source.CollectedAt = parseTS(at)
			b.inputs[i].Needs = append(b.inputs[i].Needs, n)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("needs: %w", err)
	}
	return nil
}

// tagsSQL reads a batch's tags as one row per customer: how many, and each
// as source, US, tag, joined by RS in (tag, source) order. A row per tag
// cost more in the driver than in SQLite (a third of the reads' rows).
func (db *DB) tagsSQL() string {
	// SQLite concatenates in the order of the primary key it scans, which
	// is not promised: readTags sorts the manual tags (BINARY collation is
	// Go's byte order), cheaper than sorting in the aggregate. PostgreSQL
	// sorts in its collation, as ORDER BY tag did.
	agg := `group_concat(source || char(31) || tag, char(30))`
	if db.dialect.Name() == "postgres" {
		agg = `string_agg(source || chr(31) || tag, chr(30) ORDER BY tag, source)`
	}
	return `SELECT customer_id, COUNT(*), ` + agg + ` FROM customer_tags WHERE customer_id > ? AND customer_id <= ? GROUP BY customer_id`
}

func (db *DB) readTags(ctx context.Context, b *analysisBatch, idx map[int64]int, _ time.Time, _ dossier.ScoreSettings) error {
	var (
		id     int64
		n      int
		joined string
		odd    bool // a tag holds a separator
	)
	sortTags := db.dialect.Name() != "postgres"
	err := db.eachInRange(ctx, db.tagsSQL(), []any{b.lo, b.hi}, func(sc scanner) error {
		if err := sc.Scan(&id, &n, &joined); err != nil {
			return err
		}
		i, ok := idx[id]
		if !ok || odd {
			return nil
		}
		if strings.Count(joined, "\x1e") != n-1 {
			odd = true
			return nil
		}
		for item := range strings.SplitSeq(joined, "\x1e") {
			source, tag, _ := strings.Cut(item, "\x1f")
			b.addTag(i, tag, source)
		}
		if sortTags {
			slices.Sort(b.inputs[i].ManualTags)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("tags: %w", err)
	}
	if odd { // start over, a row per tag
		for i := range b.inputs {
			b.inputs[i].ManualTags = nil
		}
		clear(b.ruleTags)
		return db.readTagRows(ctx, b, idx)
	}
	return nil
}

// readTagRows reads a batch's tags a row each.
func (db *DB) readTagRows(ctx context.Context, b *analysisBatch, idx map[int64]int) error {
	var (
		id          int64
		tag, source string
	)
	err := db.eachInRange(ctx, `SELECT customer_id, tag, source FROM customer_tags WHERE customer_id > ? AND customer_id <= ? ORDER BY customer_id, tag, source`,
		[]any{b.lo, b.hi}, func(sc scanner) error {
			if err := sc.Scan(&id, &tag, &source); err != nil {
				return err
			}
			if i, ok := idx[id]; ok {
				b.addTag(i, tag, source)
			}
			return nil
		})
	if err != nil {
		return fmt.Errorf("tags: %w", err)
	}
	return nil
}

func (b *analysisBatch) addTag(i int, tag, source string) {
	if source == TagManual {
		b.inputs[i].ManualTags = append(b.inputs[i].ManualTags, tag)
		return
	}
	// A slice, not a map per customer: a customer has a few tags, each
	// once (the key is customer, tag and source).
	b.ruleTags[i] = append(b.ruleTags[i], tag)
}

func (db *DB) readOpenRisks(ctx context.Context, b *analysisBatch, _ map[int64]int, _ time.Time, _ dossier.ScoreSettings) error {
	// Since is not read: saveRisks compares and updates the rest.
	err := db.eachInRange(ctx, `SELECT id, customer_id, category, level, trigger_text, rule_id FROM risks
		WHERE customer_id > ? AND customer_id <= ? AND resolved_at IS NULL`, []any{b.lo, b.hi}, func(sc scanner) error {
		var r dossier.Risk
		if err := sc.Scan(&r.ID, &r.CustomerID, &r.Category, &r.Level, &r.Trigger, &r.RuleID); err != nil {
			return err
		}
		b.openRisks[r.CustomerID] = append(b.openRisks[r.CustomerID], r)
		return nil
	})
	if err != nil {
		return fmt.Errorf("open risks: %w", err)
	}
	return nil
}

// readTasks reads open tasks (for the aggregates and the follow-up) and
// strategy tasks in any state (an action list is created once).
func (db *DB) readTasks(ctx context.Context, b *analysisBatch, idx map[int64]int, asOf time.Time, _ dossier.ScoreSettings) error {
	day := dossier.FormatDate(asOf)
	var (
		t  taskRow
		id int64
	)
	err := db.eachInRange(ctx, `SELECT id, customer_id, source, status, due, created_at FROM tasks
		WHERE customer_id > ? AND customer_id <= ? AND (status = 'open' OR source LIKE 'strategy:%')`, []any{b.lo, b.hi}, func(sc scanner) error {
		if err := sc.Scan(&t.id, &id, &t.source, &t.status, &t.due, &t.created); err != nil {
			return err
		}
		b.tasks[id] = append(b.tasks[id], t)
		if i, ok := idx[id]; ok && t.status == dossier.TaskOpen {
			b.inputs[i].OpenTasks++
			if t.due < day {
				b.inputs[i].OverdueTasks++
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("tasks: %w", err)
	}
	return nil
}

// prevAnalysis is the stored analysis summary (had: there is one): tier
// and value for the history, and the whole row to skip rewriting an
// unchanged one.
type prevAnalysis struct {
	had bool
	analysisRow
}

// storedScore is what a stored score is compared on to skip rewriting it:
// its points, priority, settings and explanation, not its as-of date, so
// that the first run of a new day rewrites only the scores whose inputs
// moved (the date of the run is kept once, in settings: scoreAsOfKey).
type storedScore struct {
	had                         bool
	r, f, m, v, total, settings int64
	priority                    string
	expl                        string // as stored (JSON)
}

// same reports whether the stored score is s with the explanation expl.
func (p *storedScore) same(s dossier.Score, expl []byte) bool {
	return p.had && p.r == int64(s.R) && p.f == int64(s.F) && p.m == int64(s.M) && p.v == int64(s.V) &&
		p.total == int64(s.Total) && p.settings == int64(s.Settings) && p.priority == s.Priority && p.expl == string(expl)
}

// rowKey renders a row's values (drivers give []byte, string or numbers)
// as one comparable string. It runs twice per customer, so no fmt.
func rowKey(vals []any) string {
	var sb strings.Builder
	for _, v := range vals {
		switch x := v.(type) {
		case string:
			sb.WriteString(x)
		case []byte:
			sb.Write(x)
		case int64:
			sb.WriteString(strconv.FormatInt(x, 10))
		case int:
			sb.WriteString(strconv.Itoa(x))
		case float64:
			sb.WriteString(strconv.FormatFloat(x, 'g', -1, 64))
		case nil:
		default:
			fmt.Fprint(&sb, x)
		}
		sb.WriteByte(0x1f)
	}
	return sb.String()
}
