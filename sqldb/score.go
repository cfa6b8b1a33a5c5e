package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/dossier/dossier"
)

const scoreBatch = 1000

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// scoreRow is a customer with the aggregates its score needs.
type scoreRow struct {
	id             int64
	name, priority string
	in             dossier.ScoreInputs
	same           bool // the customer's score and priority columns already hold the new values
}

// RecomputeScores implements dossier.ScoreService. It walks customers in id
// order a batch at a time (keyset paging, so memory stays flat and no read
// transaction stays open), computes in Go and writes each batch in one
// transaction. When a customer's priority changes, the new follow-up
// priority is recorded as an internal fact, so its history is kept.
func (db *DB) RecomputeScores(ctx context.Context, asOf time.Time, s dossier.ScoreSettings, emit func(dossier.Score) error) (int, error) {
	asOf = time.Date(asOf.Year(), asOf.Month(), asOf.Day(), 0, 0, 0, 0, time.UTC)
	var after int64
	n := 0
	for {
		rows, err := db.scoreInputs(ctx, after, asOf, s)
		if err != nil {
			return n, err
		}
		if len(rows) == 0 {
			return n, db.saveScoreAsOf(ctx, asOf)
		}
		scores := make([]dossier.Score, len(rows))
		for i, r := range rows {
			scores[i] = dossier.ComputeScore(r.in, asOf, s)
			scores[i].CustomerID, scores[i].Name = r.id, r.name
		}
		expls := make([][]byte, len(scores))
		for i := range scores {
			expls[i], _ = json.Marshal(scores[i].Explanation)
		}
		if err := db.inTx(ctx, func(tx *Tx) error {
			_, err := tx.saveScores(ctx, rows, scores, expls, s, nil)
			return err
		}); err != nil {
			return n, err
		}
		for _, sc := range scores {
			if emit != nil {
				if err := emit(sc); err != nil {
					return n, err
				}
			}
			n++
		}
		after = rows[len(rows)-1].id
	}
}

func (db *DB) scoreInputs(ctx context.Context, after int64, asOf time.Time, s dossier.ScoreSettings) ([]scoreRow, error) {
	day := dossier.FormatDate(asOf)
	from := dossier.FormatDate(dossier.MonthsBefore(asOf, s.FWindowMonths))
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT c.id, c.name, COALESCE(c.follow_up_priority, ''),
		COALESCE(c.expected_amount, 0), COALESCE(c.budget, ''), COALESCE(c.strategic_value, ''),
		(SELECT MAX(i.date) FROM interactions i WHERE i.customer_id = c.id AND i.date <= ? AND `+liveImport("i")+`),
		(SELECT COUNT(*) FROM interactions i WHERE i.customer_id = c.id AND i.date >= ? AND i.date <= ? AND `+liveImport("i")+`)
		FROM customers c WHERE c.id > ? AND c.hidden = 0 AND c.merged_into IS NULL ORDER BY c.id LIMIT ?`), day, from, day, after, scoreBatch)
	if err != nil {
		return nil, fmt.Errorf("score inputs: %w", err)
	}
	defer rows.Close()
	var out []scoreRow
	for rows.Next() {
		var (
			r      scoreRow
			amount int64
			last   sql.NullString
		)
		if err := rows.Scan(&r.id, &r.name, &r.priority, &amount, &r.in.Budget, &r.in.StrategicValue, &last, &r.in.RecentContacts); err != nil {
			return nil, err
		}
		if amount > 0 {
			r.in.ExpectedAmount = itoa(amount)
		}
		if last.Valid {
			r.in.LastContact, _ = time.Parse(dossier.DateLayout, last.String)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// saveScores writes a batch with three multi-row statements (scores,
// customers, priority facts) instead of three per customer: over a network
// connection the round trips, not the rows, are what costs. expls are the
// scores' explanations as JSON; the customers' columns are written only
// where they change.
func (tx *Tx) saveScores(ctx context.Context, rows []scoreRow, scores []dossier.Score, expls [][]byte, s dossier.ScoreSettings, pool map[int64]bool) (cleared map[int64]bool, err error) {
	now := ts(tx.now)
	var scoreArgs, custArgs, poolArgs []any
	changed := map[int64]map[string]string{}
	for i, sc := range scores {
		scoreArgs = append(scoreArgs, sc.CustomerID, sc.AsOf, sc.R, sc.F, sc.M, sc.V, sc.Total, sc.Priority, sc.Settings, string(expls[i]), now)
		switch {
		case rows[i].same:
		case pool[sc.CustomerID]:
			poolArgs = append(poolArgs, sc.CustomerID, sc.Total, sc.Priority)
		default:
			custArgs = append(custArgs, sc.CustomerID, sc.Total, sc.Priority)
		}
		if rows[i].priority != sc.Priority {
			changed[sc.CustomerID] = map[string]string{"follow_up_priority": sc.Priority}
		}
	}
	_, err = tx.exec(ctx, `INSERT INTO scores (customer_id, as_of, r, f, m, v, total, priority, settings_version, explanation, computed_at)
		VALUES `+valuesList(len(scores), 11, nil)+`
		ON CONFLICT (customer_id) DO UPDATE SET as_of = excluded.as_of, r = excluded.r, f = excluded.f, m = excluded.m,
		v = excluded.v, total = excluded.total, priority = excluded.priority, settings_version = excluded.settings_version,
		explanation = excluded.explanation, computed_at = excluded.computed_at`, scoreArgs...)
	if err != nil {
		return nil, fmt.Errorf("save scores: %w", err)
	}
	if len(custArgs) > 0 {
		_, err = tx.exec(ctx, `WITH v (id, total, priority) AS (VALUES `+valuesList(len(custArgs)/3, 3, []string{"BIGINT", "BIGINT", "TEXT"})+`)
			UPDATE customers SET score = v.total, follow_up_priority = v.priority FROM v WHERE customers.id = v.id`, custArgs...)
		if err != nil {
			return nil, fmt.Errorf("save customer scores: %w", err)
		}
	}
	// A customer the batch returns to the pool gets its new score and its
	// cleared owner in one update, which moves it once in the indexes that
	// hold both (the analysis index, owner and score) rather than twice;
	// returnToPool writes the rest of the hand-over.
	if len(poolArgs) > 0 {
		_, err = tx.exec(ctx, `WITH v (id, total, priority) AS (VALUES `+valuesList(len(poolArgs)/3, 3, []string{"BIGINT", "BIGINT", "TEXT"})+`)
			UPDATE customers SET score = v.total, follow_up_priority = v.priority, owner = NULL, version = customers.version + 1, updated_at = ?
			FROM v WHERE customers.id = v.id`, append(poolArgs, ts(tx.now))...)
		if err != nil {
			return nil, fmt.Errorf("save customer scores: %w", err)
		}
		cleared = make(map[int64]bool, len(poolArgs)/3)
		for i := 0; i < len(poolArgs); i += 3 {
			cleared[poolArgs[i].(int64)] = true
		}
	}
	return cleared, tx.insertPriorityFacts(ctx, scores, changed, s)
}

// scoreAsOfKey is the settings row holding the as-of date of the last
// complete recompute. Score rows keep the date they were last written
// with; one whose values did not change is not rewritten, so the run's
// date is kept once here and FindScore reports the later of the two.
const scoreAsOfKey = "scores.as_of"

func (db *DB) saveScoreAsOf(ctx context.Context, asOf time.Time) error {
	return db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO settings (key, value, version, updated_at) VALUES (?, ?, 1, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value, version = settings.version + 1, updated_at = excluded.updated_at`,
			scoreAsOfKey, dossier.FormatDate(asOf), ts(tx.now))
		if err != nil {
			return fmt.Errorf("save the recompute's date: %w", err)
		}
		return nil
	})
}

// insertPriorityFacts records each changed follow-up priority as an internal
// fact, so the priority's history is kept like any other field's.
func (tx *Tx) insertPriorityFacts(ctx context.Context, scores []dossier.Score, changed map[int64]map[string]string, s dossier.ScoreSettings) error {
	if len(changed) == 0 {
		return nil
	}
	src := dossier.Source{Channel: dossier.ChannelInternal, Detail: fmt.Sprintf("priority score (R14, settings v%d)", s.Version),
		CollectedAt: tx.now, CollectedBy: "dossier"}
	var args []any
	for _, sc := range scores { // in id order, so the rows are too
		vals, ok := changed[sc.CustomerID]
		if !ok {
			continue
		}
		vb, _ := json.Marshal(vals)
		args = append(args, sc.CustomerID)
		args = append(args, srcArgs(src)...)
		args = append(args, string(vb), "{}", ts(tx.now))
	}
	_, err := tx.exec(ctx, `INSERT INTO observations
		(customer_id, src_channel, src_detail, collected_at, collected_by, import_id, vals, remarks, recorded_at)
		VALUES `+valuesList(len(changed), 9, nil), args...)
	if err != nil {
		return fmt.Errorf("record priorities: %w", err)
	}
	prio := make(map[int64]string, len(changed))
	for id, vals := range changed {
		prio[id] = vals["follow_up_priority"]
	}
	if err := tx.touchForFact(ctx, "follow_up_priority", prio); err != nil {
		return fmt.Errorf("record priorities: %w", err)
	}
	return nil
}

// valuesList returns n rows of cols placeholders for a VALUES clause; casts,
// when given, type each column (PostgreSQL cannot infer the types of a bare
// VALUES list).
func valuesList(n, cols int, casts []string) string {
	var one strings.Builder
	one.WriteByte('(')
	for c := range cols {
		if c > 0 {
			one.WriteString(", ")
		}
		if casts != nil {
			one.WriteString("CAST(? AS " + casts[c] + ")")
		} else {
			one.WriteByte('?')
		}
	}
	one.WriteByte(')')
	return strings.TrimSuffix(strings.Repeat(one.String()+", ", n), ", ")
}

// FindScore implements dossier.ScoreService.
func (db *DB) FindScore(ctx context.Context, customerID int64) (*dossier.Score, error) {
	var (
		sc   dossier.Score
		expl string
	)
	var run sql.NullString
	err := db.r.QueryRowContext(ctx, db.q(`SELECT s.customer_id, c.name, s.as_of, s.r, s.f, s.m, s.v, s.total, s.priority, s.settings_version, s.explanation,
		(SELECT value FROM settings WHERE key = ?)
		FROM scores s JOIN customers c ON c.id = s.customer_id WHERE s.customer_id = ?`), scoreAsOfKey, customerID).
		Scan(&sc.CustomerID, &sc.Name, &sc.AsOf, &sc.R, &sc.F, &sc.M, &sc.V, &sc.Total, &sc.Priority, &sc.Settings, &expl, &run)
	if isNoRows(err) {
		return nil, dossier.Errorf(dossier.ENOTFOUND, "customer %d has no score yet: run dossier score", customerID)
	} else if err != nil {
		return nil, fmt.Errorf("find score %d: %w", customerID, err)
	}
	if err := json.Unmarshal([]byte(expl), &sc.Explanation); err != nil {
		return nil, fmt.Errorf("score %d explanation: %w", customerID, err)
	}
	// A complete recompute found the score unchanged as of its date.
	if run.Valid && run.String > sc.AsOf {
		sc.AsOf = run.String
	}
	return &sc, nil
}
