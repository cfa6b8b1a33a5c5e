package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/filter"
)

var cadenceZH = map[string]string{"weekly": "每周", "biweekly": "每两周", "monthly": "每月"}

// taskPlan is what a batch's recompute does to tasks: follow-ups closed,
// tasks created, and customers returned to the public pool.
type taskPlan struct {
	done []int64
	add  []any
	pool []poolMove
}

// planTasks decides how each customer's follow-up task (R15) and action
// list (R18) stay current: a follow-up is done once an interaction is
// recorded after it was created, and a new one is due at the next date of
// the tier's cadence (today at the earliest). A strategy's actions are
// created once. A customer whose follow-up stays open more than
// PoolAfterDays past its due date returns to the public pool (公海).
func (tx *Tx) planTasks(b *analysisBatch, as []dossier.Analysis, asOf time.Time) taskPlan {
	now := ts(tx.now)
	day := dossier.FormatDate(asOf)
	var p taskPlan
	for i, a := range as {
		c := b.customers[i]
		owner := c.Values["owner"]
		var follow *taskRow
		for j, t := range b.tasks[c.ID] {
			if t.status == dossier.TaskOpen && t.source == dossier.TaskSourceFollowUp {
				follow = &b.tasks[c.ID][j]
			}
		}
		// An interaction on or after the day the follow-up was created
		// answers it (one the same day may predate it, but then the next
		// follow-up is due at the same date anyway); a task created today is
		// left alone, so a rerun does not churn.
		last := b.inputs[i].LastContact
		created := dossier.FormatDate(follow.createdOr(tx.now))
		if follow != nil && !last.IsZero() && dossier.FormatDate(last) >= created && created < dossier.FormatDate(tx.now) {
			p.done, follow = append(p.done, follow.id), nil
		}
		if follow == nil && a.NextFollowUp != "" {
			p.add = append(p.add, c.ID, owner, "按节奏跟进("+cadenceZH[a.Cadence]+")", max(a.NextFollowUp, day), dossier.TaskOpen, dossier.TaskSourceFollowUp, now)
		}
		if follow != nil && owner != "" && a.PoolAfterDays > 0 {
			if due, err := time.Parse(dossier.DateLayout, follow.due); err == nil && asOf.Sub(due) > time.Duration(a.PoolAfterDays)*24*time.Hour {
				p.pool = append(p.pool, poolMove{id: c.ID, owner: owner, due: follow.due, days: int(asOf.Sub(due).Hours() / 24), limit: a.PoolAfterDays})
			}
		}
		p.add = append(p.add, strategyTasks(c.ID, owner, a, b.tasks[c.ID], asOf, now)...)
	}
	return p
}

// pooled is the set of customers the plan returns to the pool.
func (p taskPlan) pooled() map[int64]bool {
	if len(p.pool) == 0 {
		return nil
	}
	out := make(map[int64]bool, len(p.pool))
	for _, m := range p.pool {
		out[m.id] = true
	}
	return out
}

// writeTasks carries the plan out. cleared holds the pooled customers whose
// owner the score update has already cleared (saveScores).
func (tx *Tx) writeTasks(ctx context.Context, p taskPlan, cleared map[int64]bool) error {
	now := ts(tx.now)
	if err := tx.execIn(ctx, `UPDATE tasks SET status = 'done', closed_at = ?, updated_by = 'dossier', version = version + 1 WHERE id IN IN_LIST`, []any{now}, p.done); err != nil {
		return fmt.Errorf("close follow-ups: %w", err)
	}
	if err := tx.insertMany(ctx, `INSERT INTO tasks (customer_id, owner, title, due, status, source, created_at)`, 7, p.add, ""); err != nil {
		return fmt.Errorf("create tasks: %w", err)
	}
	return tx.returnToPool(ctx, p.pool, cleared)
}

func strategyTasks(id int64, owner string, a dossier.Analysis, have []taskRow, asOf time.Time, now string) []any {
	var add []any
	for _, s := range a.Strategies {
		for n, act := range s.Actions {
			src := "strategy:" + s.RuleID + ":" + strconv.Itoa(n)
			exists := false
			for _, t := range have {
				exists = exists || t.source == src
			}
			if !exists {
				add = append(add, id, owner, act.Title, dossier.FormatDate(asOf.AddDate(0, 0, act.DueDays)), dossier.TaskOpen, src, now)
			}
		}
	}
	return add
}

type poolMove struct {
	id          int64
	owner, due  string
	days, limit int
}

// returnToPool clears the owner of each customer (a new internal
// observation, so the hand-over is in the facts), frees its open tasks and
// writes an audit entry naming the rule and the previous owner. The
// customers in cleared already had their row updated with their new score
// (saveScores): updating a row once moves it once in the owner and analysis
// indexes.
func (tx *Tx) returnToPool(ctx context.Context, moves []poolMove, cleared map[int64]bool) error {
	if len(moves) == 0 {
		return nil
	}
	now := ts(tx.now)
	ids := make([]int64, len(moves))
	var obs, audit []any
	for i, m := range moves {
		ids[i] = m.id
		detail := fmt.Sprintf("公海规则: 跟进逾期 %d 天 > %d 天, 原负责人 %s", m.days, m.limit, m.owner)
		src := dossier.Source{Channel: dossier.ChannelInternal, Detail: detail, CollectedAt: tx.now, CollectedBy: "dossier"}
		vb, _ := json.Marshal(map[string]string{"owner": ""})
		obs = append(obs, m.id)
		obs = append(obs, srcArgs(src)...)
		obs = append(obs, string(vb), "{}", now)
		audit = append(audit, now, "dossier", dossier.AuditPool, "customer", m.id,
			fmt.Sprintf("returned to the public pool: follow-up due %s overdue %d days (limit %d); previous owner %s", m.due, m.days, m.limit, m.owner), "")
	}
	// One multi-row insert, as tx.audit would write them one by one.
	if err := tx.insertMany(ctx, `INSERT INTO audit_log (at, user_name, action, entity, entity_id, detail, remote_addr)`, 7, audit, ""); err != nil {
		return fmt.Errorf("pool audit: %w", err)
	}
	if err := tx.insertMany(ctx, `INSERT INTO observations
		(customer_id, src_channel, src_detail, collected_at, collected_by, import_id, vals, remarks, recorded_at)`, 9, obs, ""); err != nil {
		return fmt.Errorf("pool observations: %w", err)
	}
	blank := make(map[int64]string, len(ids))
	var rest []int64
	for _, id := range ids {
		blank[id] = ""
		if !cleared[id] {
			rest = append(rest, id)
		}
	}
	if err := tx.touchForFact(ctx, "owner", blank); err != nil {
		return fmt.Errorf("pool observations: %w", err)
	}
	if err := tx.execIn(ctx, `UPDATE customers SET owner = NULL, version = version + 1, updated_at = ? WHERE id IN IN_LIST`, []any{now}, rest); err != nil {
		return fmt.Errorf("pool customers: %w", err)
	}
	if err := tx.execIn(ctx, `UPDATE tasks SET owner = '', version = version + 1 WHERE status = 'open' AND customer_id IN IN_LIST`, nil, ids); err != nil {
		return fmt.Errorf("pool tasks: %w", err)
	}
	return nil
}

const maxTaskLimit = 1000

// FindTasks lists tasks, soonest due first.
func (db *DB) FindTasks(ctx context.Context, f dossier.TaskFilter) ([]dossier.Task, error) {
	day := f.AsOf
	if day == "" {
		day = dossier.FormatDate(db.now().UTC())
	}
	var (
		where []string
		args  []any
	)
	if f.ID != 0 {
		where, args = append(where, "t.id = ?"), append(args, f.ID)
	}
	sw, sa := scopeWhere("c", f.CustomerOwner, f.SharedTeam, f.Team)
	where, args = append(where, sw...), append(args, sa...)
	if f.CustomerID != 0 {
		where, args = append(where, "t.customer_id = ?"), append(args, f.CustomerID)
	}
	if f.Owner != "" {
		where, args = append(where, "t.owner = ?"), append(args, f.Owner)
	}
	if f.Status != "" {
		where, args = append(where, "t.status = ?"), append(args, f.Status)
	}
	if f.Overdue {
		where, args = append(where, "t.status = 'open' AND t.due < ?"), append(args, day)
	}
	for _, c := range []struct{ cond, v string }{
		{"a.tier = ?", f.Tier}, {"t.due >= ?", f.DueFrom}, {"t.due <= ?", f.DueTo}, {"t.closed_at >= ?", f.ClosedSince},
	} {
		if c.v != "" {
			where, args = append(where, c.cond), append(args, c.v)
		}
	}
	if f.After > 0 {
		// Keyset on the order below: (due, id) past the cursor's task,
		// written with due >= ? alone on the left so that tasks_due_id seeks
		// to the page instead of reading every task before it.
		where, args = append(where, "t.due >= ? AND (t.due > ? OR t.id > ?)"), append(args, f.AfterDue, f.AfterDue, f.After)
	}
	// Tasks of a customer merged away or spoken of only by undone imports
	// are not listed, like the customer itself.
	where = append(where, "c.hidden = 0", "c.merged_into IS NULL")
	cond := " WHERE " + strings.Join(where, " AND ")
	limit := f.Limit
	if limit <= 0 || limit > maxTaskLimit {
		limit = 200
	}
	order := "t.due, t.id"
	if f.CustomerID != 0 && db.dialect.Name() == filter.SQLite {
		// One customer's few tasks: through tasks_customer, then sorted.
		// Without statistics on tasks SQLite walked every open task in
		// tasks_due_id's order instead (0.3 s per profile at 100,000
		// customers); "+" keeps the index from supplying the order.
		order = "+t.due, t.id"
	}
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT `+taskColumns+`
		FROM tasks t JOIN customers c ON c.id = t.customer_id LEFT JOIN analyses a ON a.customer_id = t.customer_id`+cond+
		` ORDER BY `+order+` LIMIT `+itoa(int64(limit))), args...)
	if err != nil {
		return nil, fmt.Errorf("find tasks: %w", err)
	}
	defer rows.Close()
	out := []dossier.Task{}
	for rows.Next() {
		t, err := scanTask(rows, day)
		if err != nil {
			return nil, err
		}
		out = append(out, *t)
	}
	return out, rows.Err()
}

// taskColumns are the columns scanTask reads, from tasks t, customers c and
// analyses a (left-joined: a customer not analysed yet has no tier).
const taskColumns = `t.id, t.customer_id, c.name, t.owner, t.title, t.due, t.status, t.source, t.created_at, t.closed_at, COALESCE(a.tier, ''), t.version`

func scanTask(sc scanner, day string) (*dossier.Task, error) {
	var (
		t       dossier.Task
		created string
		closed  *string
	)
	if err := sc.Scan(&t.ID, &t.CustomerID, &t.CustomerName, &t.Owner, &t.Title, &t.Due, &t.Status, &t.Source, &created, &closed, &t.Tier, &t.Version); err != nil {
		return nil, err
	}
	t.CreatedAt = parseTS(created)
	if closed != nil {
		c := parseTS(*closed)
		t.ClosedAt = &c
	}
	t.Overdue = t.Status == dossier.TaskOpen && t.Due < day
	return &t, nil
}

// UpdateTask accepts, edits or closes a task (R18). Closing (done or
// cancelled) stamps closed_at; reopening clears it.
func (db *DB) UpdateTask(ctx context.Context, id int64, upd dossier.TaskUpdate, by string) (*dossier.Task, error) {
	if upd.Status != nil && !dossier.ValidTaskStatus(*upd.Status) {
		return nil, dossier.FieldError("status", "status must be open, done or cancelled")
	}
	if upd.Due != nil {
		d, err := dossier.ParseDate(*upd.Due)
		if err != nil {
			return nil, dossier.FieldError("due", "due: %v", err)
		}
		s := dossier.FormatDate(d)
		upd.Due = &s
	}
	if upd.Title != nil && strings.TrimSpace(*upd.Title) == "" {
		return nil, dossier.FieldError("title", "a task needs a title")
	}
	var out *dossier.Task
	err := db.inTx(ctx, func(tx *Tx) error {
		if upd.Version != 0 {
			if _, err := tx.versionedTask(ctx, id, upd.Version); err != nil {
				return err
			}
		}
		sets, args := []string{"updated_by = ?", "version = version + 1"}, []any{by}
		if upd.Status != nil {
			sets, args = append(sets, "status = ?"), append(args, *upd.Status)
			if *upd.Status == dossier.TaskOpen {
				sets = append(sets, "closed_at = NULL")
			} else {
				sets, args = append(sets, "closed_at = ?"), append(args, ts(tx.now))
			}
		}
		for _, f := range []struct {
			col string
			v   *string
		}{{"title", upd.Title}, {"due", upd.Due}, {"owner", upd.Owner}} {
			if f.v != nil {
				sets, args = append(sets, f.col+" = ?"), append(args, strings.TrimSpace(*f.v))
			}
		}
		res, err := tx.exec(ctx, `UPDATE tasks SET `+strings.Join(sets, ", ")+` WHERE id = ?`, append(args, id)...)
		if err != nil {
			return fmt.Errorf("update task %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return dossier.Errorf(dossier.ENOTFOUND, "task %d not found", id)
		}
		out, err = scanTask(tx.queryRow(ctx, `SELECT `+taskColumns+`
			FROM tasks t JOIN customers c ON c.id = t.customer_id LEFT JOIN analyses a ON a.customer_id = t.customer_id WHERE t.id = ?`, id), dossier.FormatDate(tx.now))
		return err
	})
	return out, err
}

// FindRisks returns a customer's risks, open ones first; open limits to
// those not resolved.
func (db *DB) FindRisks(ctx context.Context, customerID int64, open bool) ([]dossier.Risk, error) {
	cond := ""
	if open {
		cond = " AND resolved_at IS NULL"
	}
	out := []dossier.Risk{}
	err := db.each(ctx, `SELECT id, customer_id, category, level, trigger_text, rule_id, since, resolved_at FROM risks
		WHERE customer_id = ?`+cond+` ORDER BY resolved_at IS NOT NULL, since DESC, id DESC`, []any{customerID}, func(sc scanner) error {
		var (
			r        dossier.Risk
			since    string
			resolved *string
		)
		if err := sc.Scan(&r.ID, &r.CustomerID, &r.Category, &r.Level, &r.Trigger, &r.RuleID, &since, &resolved); err != nil {
			return err
		}
		r.Since = parseTS(since)
		if resolved != nil {
			t := parseTS(*resolved)
			r.ResolvedAt = &t
		}
		out = append(out, r)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find risks: %w", err)
	}
	return out, nil
}

// ScoreHistory returns a customer's score history, newest first.
func (db *DB) ScoreHistory(ctx context.Context, customerID int64) ([]dossier.HistoryEntry, error) {
	out := []dossier.HistoryEntry{}
	err := db.each(ctx, `SELECT as_of, total, priority, tier, value, cause, detail FROM score_history WHERE customer_id = ? ORDER BY id DESC LIMIT 50`,
		[]any{customerID}, func(sc scanner) error {
			var h dossier.HistoryEntry
			var detail sql.NullString
			if err := sc.Scan(&h.AsOf, &h.Total, &h.Priority, &h.Tier, &h.Value, &h.Cause, &detail); err != nil {
				return err
			}
			if detail.Valid {
				h.Detail = new(dossier.HistoryDetail)
				if err := json.Unmarshal([]byte(detail.String), h.Detail); err != nil {
					return fmt.Errorf("history detail: %w", err)
				}
			}
			out = append(out, h)
			return nil
		})
	return out, err
}

// SetManualTag adds (or, with remove, deletes) a hand-set tag; rules never
// touch these.
func (db *DB) SetManualTag(ctx context.Context, customerID int64, tag string, remove bool) error {
	tag = strings.TrimSpace(tag)
	if tag == "" || len(tag) > 200 {
		return dossier.FieldError("tag", "a tag is 1–200 characters")
	}
	return db.inTx(ctx, func(tx *Tx) error {
		var (
			res sql.Result
			err error
		)
		if remove {
			res, err = tx.exec(ctx, `DELETE FROM customer_tags WHERE customer_id = ? AND tag = ? AND source = 'manual'`, customerID, tag)
		} else {
			res, err = tx.exec(ctx, `INSERT INTO customer_tags (customer_id, tag, source, rule_id, created_at) VALUES (?, ?, 'manual', '', ?)
			ON CONFLICT (customer_id, tag, source) DO NOTHING`, customerID, tag, ts(tx.now))
		}
		if err != nil {
			return err
		}
		// Subscribers hear of a tag that changed, not of a repeated request.
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return tx.announce(ctx, dossier.EventCustomerChanged, customerEvent{CustomerID: customerID, Tag: tag, TagRemoved: remove})
	})
}
