package sqldb

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/dossier/dossier"
)

// The quality lists (conflicts, gaps, invalid values) are read from derived
// tables (migration 010) instead of being computed by a scan of every
// customer on each request. Each write transaction notes the customers
// whose facts or contacts it touched (Tx.touch); before it commits, their
// rows — and those of the customers they are merged into — are computed
// again with the very functions the scan used (Verify, AssessCompleteness,
// invalidOf), so a list read from the tables equals the scan's.
//
// What the rows also depend on — the field registry and the quality
// settings — is fingerprinted in quality_basis: when it no longer matches,
// every row is rebuilt (RebuildQuality) before a list is read.

// qualityBasis is what a customer's quality rows are computed with.
type qualityBasis struct {
	reg      *dossier.Registry
	required []dossier.Field
	tol      float64
	key      string // fingerprint of the registry and the settings
}

func newQualityBasis(reg *dossier.Registry, s dossier.QualitySettings) (*qualityBasis, error) {
	b := &qualityBasis{reg: reg, tol: s.Tolerance}
	for _, f := range reg.Active() {
		if f.Required {
			b.required = append(b.required, f)
		}
	}
	fields, err := json.Marshal(reg.Fields())
	if err != nil {
		return nil, err
	}
	sb, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	h.Write(fields)
	h.Write([]byte{0})
	h.Write(sb)
	b.key = hex.EncodeToString(h.Sum(nil))
	return b, nil
}

// qualityBasis reads the registry and settings through qr.
func qualityBasisFrom(ctx context.Context, qr querier, q func(string) string) (*qualityBasis, error) {
	reg, err := registryFrom(ctx, qr, q)
	if err != nil {
		return nil, err
	}
	s := dossier.DefaultQualitySettings()
	rows, err := qr.QueryContext(ctx, q("SELECT value FROM settings WHERE key = ?"), QualitySettingsKey)
	if err != nil {
		return nil, fmt.Errorf("read quality settings: %w", err)
	}
	defer rows.Close()
	if rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(v), &s); err != nil {
			return nil, fmt.Errorf("quality settings: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return newQualityBasis(reg, s)
}

// customerQuality is what the tables hold for one active customer.
type customerQuality struct {
	id        int64
	comp      dossier.Completeness
	conflicts []dossier.FieldVerification
	invalid   []dossier.InvalidValue
}

// assess computes a group's quality exactly as the scans do.
func (b *qualityBasis) assess(g *group) customerQuality {
	out := customerQuality{id: g.c.ID, comp: dossier.AssessCompleteness(b.reg, g.won, g.hasContact)}
	// g.won is policy.Resolve(g.facts): resolving again was a third of Verify.
	for _, v := range append(dossier.VerifyResolved(b.reg, g.facts, g.won, b.tol), dossier.VerifyDecisionMaker(g.contacts)) {
		if v.State == dossier.StateConflict {
			out.conflicts = append(out.conflicts, v)
		}
	}
	out.invalid = invalidOf(b.reg, b.required, g)
	return out
}

// assessAll assesses groups on every core: validating values (phone
// numbers above all) is most of a rebuild's time.
func assessAll(b *qualityBasis, groups []*group) []customerQuality {
	rows := make([]customerQuality, len(groups))
	workers := min(runtime.GOMAXPROCS(0), max(len(groups)/64, 1))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(groups); i += workers {
				rows[i] = b.assess(groups[i])
			}
		}()
	}
	wg.Wait()
	return rows
}

// touch marks customers whose quality rows must be computed again before
// the transaction commits.
func (tx *Tx) touch(ids ...int64) {
	if tx.dirty == nil {
		tx.dirty = map[int64]bool{}
	}
	for _, id := range ids {
		tx.dirty[id] = true
		delete(tx.fresh, id)
	}
}

// written notes the groups of customers the transaction has just created,
// as they were written: their quality rows are computed from them instead
// of reading the customers back, unless something touches them again.
func (tx *Tx) written(groups []*group) {
	if tx.fresh == nil {
		tx.fresh = map[int64]*group{}
	}
	for _, g := range groups {
		tx.fresh[g.c.ID] = g
	}
}

// qualityBasis is the registry and settings the transaction's quality
// rows are computed with, read once per transaction.
func (tx *Tx) qualityBasis(ctx context.Context) (*qualityBasis, error) {
	if tx.qbasis == nil {
		b, err := qualityBasisFrom(ctx, tx, tx.db.q)
		if err != nil {
			return nil, err
		}
		tx.qbasis = b
	}
	return tx.qbasis, nil
}

// touchForFact touches the customers whose quality rows a new fact of
// field (vals: each customer's new value) may change. A field that is
// neither required nor a key fact counts for neither completeness nor
// conflicts, so such a fact changes the rows only if its value is invalid,
// or if the customer holds an invalid fact of the field (whose "current"
// mark moves to the new one). The recompute records every changed
// follow-up priority as such a fact: touching them all re-validated every
// value of those customers (phone numbers above all) for identical rows,
// a third of a recompute in which most priorities change.
func (tx *Tx) touchForFact(ctx context.Context, field string, vals map[int64]string) error {
	b, err := tx.qualityBasis(ctx)
	if err != nil {
		return err
	}
	ids := make([]int64, 0, len(vals))
	for id := range vals {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	if f, ok := b.reg.Field(field); !ok || f.Retired || f.Required || f.KeyFact || f.Entity != dossier.EntityCustomer {
		tx.touch(ids...)
		return nil
	}
	var rest []int64
	for _, id := range ids {
		if b.reg.ValueProblem(field, vals[id]) != "" {
			tx.touch(id)
		} else {
			rest = append(rest, id)
		}
	}
	for start := 0; start < len(rest); start += groupBatch {
		part := rest[start:min(start+groupBatch, len(rest))]
		rows, err := tx.QueryContext(ctx, tx.db.q("SELECT DISTINCT customer_id FROM quality_invalid WHERE field = ? AND customer_id IN ("+
			placeholders(len(part))+")"), append([]any{field}, int64sAny(part)...)...)
		if err != nil {
			return fmt.Errorf("invalid facts of %s: %w", field, err)
		}
		held, err := scanIDs(rows)
		if err != nil {
			return err
		}
		tx.touch(held...)
	}
	return nil
}

// flushQuality refreshes the quality rows of every touched customer.
func (tx *Tx) flushQuality(ctx context.Context) error {
	if len(tx.dirty) == 0 {
		return nil
	}
	ids := make([]int64, 0, len(tx.dirty))
	for id := range tx.dirty {
		ids = append(ids, id)
	}
	tx.dirty = nil
	defer func() { tx.fresh = nil }()
	slices.Sort(ids)
	return tx.refreshQuality(ctx, ids)
}

// refreshQuality recomputes the quality rows of customers and of the
// customers they are merged into: the rows of a customer that is hidden or
// merged are removed, those of an active one written again.
func (tx *Tx) refreshQuality(ctx context.Context, ids []int64) error {
	if _, err := tx.qualityBasis(ctx); err != nil {
		return err
	}
	all := map[int64]bool{}
	for start := 0; start < len(ids); start += groupBatch {
		part := ids[start:min(start+groupBatch, len(ids))]
		merged, err := tx.mergedOf(ctx, part)
		if err != nil {
			return err
		}
		for _, id := range part {
			all[id] = true
		}
		for _, id := range merged { // rare: follow the chain one by one
			s, err := tx.survivorOf(ctx, id)
			if err != nil {
				return err
			}
			if s != 0 {
				all[s] = true
			}
		}
	}
	list := make([]int64, 0, len(all))
	for id := range all {
		list = append(list, id)
	}
	slices.Sort(list)
	for start := 0; start < len(list); start += groupBatch {
		part := list[start:min(start+groupBatch, len(list))]
		if err := tx.writeQuality(ctx, part, "customer_id IN ("+placeholders(len(part))+")", int64sAny(part)); err != nil {
			return err
		}
	}
	return nil
}

// mergedOf returns those of ids that are merged into another customer.
func (tx *Tx) mergedOf(ctx context.Context, ids []int64) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, tx.db.q("SELECT id FROM customers WHERE merged_into IS NOT NULL AND id IN ("+placeholders(len(ids))+")"), int64sAny(ids)...)
	if err != nil {
		return nil, fmt.Errorf("merged customers: %w", err)
	}
	return scanIDs(rows)
}

func int64sAny(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

// writeQuality deletes the quality rows matching cond (on customer_id, a
// fixed condition) and writes those of the active customers among ids.
func (tx *Tx) writeQuality(ctx context.Context, ids []int64, cond string, args []any) error {
	if tx.db.dialect.Name() == "postgres" {
		// Two transactions refreshing one customer would each delete what
		// the other had not committed yet, then collide on insert: the
		// customer rows' locks put them one after the other (SQLite has a
		// single writer already).
		rows, err := tx.QueryContext(ctx, tx.db.q("SELECT id FROM customers WHERE id IN ("+placeholders(len(ids))+") ORDER BY id FOR NO KEY UPDATE"), int64sAny(ids)...)
		if err != nil {
			return fmt.Errorf("lock customers: %w", err)
		}
		if _, err := scanIDs(rows); err != nil {
			return err
		}
	}
	for _, t := range []string{"quality_customers", "quality_gaps", "quality_conflicts", "quality_invalid"} {
		if _, err := tx.exec(ctx, "DELETE FROM "+t+" WHERE "+cond, args...); err != nil {
			return fmt.Errorf("clear %s: %w", t, err)
		}
	}
	var fresh []*group
	stored := ids
	if len(tx.fresh) > 0 {
		stored = nil
		for _, id := range ids {
			if g := tx.fresh[id]; g != nil {
				delete(tx.fresh, id) // its rows are written once
				g.facts = flatten(g.obs)
				g.won = tx.db.policy.Resolve(g.facts)
				g.hasContact = len(g.contacts) > 0
				fresh = append(fresh, g)
			} else {
				stored = append(stored, id)
			}
		}
	}
	groups, err := loadGroups(ctx, tx, tx.db.q, tx.db.policy, stored)
	if err != nil {
		return err
	}
	if len(fresh) > 0 {
		groups = append(groups, fresh...)
		slices.SortFunc(groups, func(a, b *group) int { return cmp.Compare(a.c.ID, b.c.ID) })
	}
	return tx.insertQuality(ctx, assessAll(tx.qbasis, groups))
}

func (tx *Tx) insertQuality(ctx context.Context, rows []customerQuality) error {
	now := ts(tx.now)
	cust := TableRows{Table: "quality_customers", Columns: []string{"customer_id", "score", "filled", "total", "missing", "gaps", "conflicts", "invalid", "updated_at"}}
	gaps := TableRows{Table: "quality_gaps", Columns: []string{"field", "score", "customer_id"}}
	conf := TableRows{Table: "quality_conflicts", Columns: []string{"customer_id", "seq", "field", "detail"}}
	inv := TableRows{Table: "quality_invalid", Columns: []string{"customer_id", "seq", "field", "value", "problem", "observation_id", "contact_id", "is_current"}}
	for _, r := range rows {
		missing, err := json.Marshal(r.comp.Missing)
		if err != nil {
			return err
		}
		cust.Rows = append(cust.Rows, []any{r.id, r.comp.Score, r.comp.Filled, r.comp.Total, string(missing), len(r.comp.Missing),
			len(r.conflicts), len(r.invalid), now})
		seen := map[string]bool{}
		for _, g := range r.comp.Missing {
			if !seen[g.Field] { // a field is one gap; the key guards against a registry listing it twice
				seen[g.Field] = true
				gaps.Rows = append(gaps.Rows, []any{g.Field, r.comp.Score, r.id})
			}
		}
		for i, v := range r.conflicts {
			d, err := json.Marshal(v)
			if err != nil {
				return err
			}
			conf.Rows = append(conf.Rows, []any{r.id, i, v.Field, string(d)})
		}
		for i, iv := range r.invalid {
			inv.Rows = append(inv.Rows, []any{r.id, i, iv.Field, iv.Value, iv.Problem, iv.ObservationID, iv.ContactID, b2i(iv.Current)})
		}
	}
	for _, t := range []TableRows{cust, gaps, conf, inv} {
		if err := tx.insertRows(ctx, t); err != nil {
			return err
		}
	}
	return nil
}

// loadGroups reads the active customers among ids with the observations of
// their whole group and their contacts, in id order.
func loadGroups(ctx context.Context, qr querier, q func(string) string, policy dossier.ResolvePolicy, ids []int64) ([]*group, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := qr.QueryContext(ctx, q("SELECT c.id FROM customers c WHERE c.hidden = 0 AND c.merged_into IS NULL AND c.id IN ("+
		placeholders(len(ids))+") ORDER BY c.id"), int64sAny(ids)...)
	if err != nil {
		return nil, fmt.Errorf("quality customers: %w", err)
	}
	active, err := scanIDs(rows)
	if err != nil || len(active) == 0 {
		return nil, err
	}
	// Only the id: names and owners are read with the lists, so they are
	// never stale.
	batch := make([]*dossier.Customer, len(active))
	for i, id := range active {
		batch[i] = &dossier.Customer{ID: id}
	}
	roots := make([]any, len(batch))
	for i, c := range batch {
		roots[i] = c.ID
	}
	// Every customer merged into one of the batch, transitively.
	mrows, err := qr.QueryContext(ctx, q(`WITH RECURSIVE grp(root, id) AS (
		SELECT id, id FROM customers WHERE id IN (`+placeholders(len(roots))+`)
		UNION SELECT grp.root, m.absorbed FROM merges m JOIN grp ON m.survivor = grp.id WHERE m.undone_at IS NULL)
		SELECT root, id FROM grp`), roots...)
	if err != nil {
		return nil, fmt.Errorf("quality groups: %w", err)
	}
	root := map[int64]int64{}
	var members []any
	for mrows.Next() {
		var r, id int64
		if err := mrows.Scan(&r, &id); err != nil {
			mrows.Close()
			return nil, err
		}
		root[id] = r
		members = append(members, id)
	}
	mrows.Close()
	if err := mrows.Err(); err != nil {
		return nil, err
	}
	obs, err := observationsOf(ctx, qr, q, members)
	if err != nil {
		return nil, err
	}
	groups := map[int64]*group{}
	for _, c := range batch {
		groups[c.ID] = &group{c: c}
	}
	for _, o := range obs {
		g := groups[root[o.CustomerID]]
		g.obs = append(g.obs, o)
	}
	if err := batchContacts(ctx, qr, q, roots, groups); err != nil {
		return nil, err
	}
	out := make([]*group, len(batch))
	for i, c := range batch {
		g := groups[c.ID]
		g.facts = flatten(g.obs)
		g.won = policy.Resolve(g.facts)
		g.hasContact = len(g.contacts) > 0
		out[i] = g
	}
	return out, nil
}

// RebuildQuality computes the quality rows of every customer again, a
// batch per transaction, and records the basis they were computed with.
// It returns the number of active customers.
func (db *DB) RebuildQuality(ctx context.Context) (int, error) {
	db.qmu.Lock()
	defer db.qmu.Unlock()
	return db.rebuildQuality(ctx)
}

func (db *DB) rebuildQuality(ctx context.Context) (int, error) {
	b, err := qualityBasisFrom(ctx, db.r, db.q)
	if err != nil {
		return 0, err
	}
	var after int64
	n := 0
	for {
		rows, err := db.r.QueryContext(ctx, db.q("SELECT id FROM customers WHERE id > ? ORDER BY id LIMIT ?"), after, groupBatch)
		if err != nil {
			return n, fmt.Errorf("rebuild quality: %w", err)
		}
		ids, err := scanIDs(rows)
		if err != nil {
			return n, err
		}
		if len(ids) == 0 {
			break
		}
		last := ids[len(ids)-1]
		err = db.inTx(ctx, func(tx *Tx) error {
			tx.qbasis = b
			return tx.writeQuality(ctx, ids, "customer_id > ? AND customer_id <= ?", []any{after, last})
		})
		if err != nil {
			return n, err
		}
		n += len(ids)
		after = last
	}
	// Rows of customers beyond the last (none, unless the ids were reset).
	err = db.inTx(ctx, func(tx *Tx) error {
		for _, t := range []string{"quality_customers", "quality_gaps", "quality_conflicts", "quality_invalid"} {
			if _, err := tx.exec(ctx, "DELETE FROM "+t+" WHERE customer_id > ?", after); err != nil {
				return err
			}
		}
		return tx.saveQualityBasis(ctx, b.key)
	})
	if err != nil {
		return n, fmt.Errorf("rebuild quality: %w", err)
	}
	var active int
	err = db.r.QueryRowContext(ctx, "SELECT COUNT(*) FROM quality_customers").Scan(&active)
	return active, err
}

func (tx *Tx) saveQualityBasis(ctx context.Context, key string) error {
	_, err := tx.exec(ctx, `INSERT INTO quality_basis (id, basis, built_at) VALUES (1, ?, ?)
		ON CONFLICT (id) DO UPDATE SET basis = excluded.basis, built_at = excluded.built_at`, key, ts(tx.now))
	return err
}

func (db *DB) storedQualityBasis(ctx context.Context) (string, error) {
	var key string
	err := db.r.QueryRowContext(ctx, "SELECT basis FROM quality_basis WHERE id = 1").Scan(&key)
	if isNoRows(err) {
		return "", nil
	}
	return key, err
}

// ensureQuality rebuilds the quality rows when the registry or settings
// changed since they were computed (or they never were), and returns the
// basis in force.
func (db *DB) ensureQuality(ctx context.Context) (*qualityBasis, error) {
	b, err := qualityBasisFrom(ctx, db.r, db.q)
	if err != nil {
		return nil, err
	}
	stored, err := db.storedQualityBasis(ctx)
	if err != nil || stored == b.key {
		return b, err
	}
	db.qmu.Lock()
	defer db.qmu.Unlock()
	if stored, err = db.storedQualityBasis(ctx); err != nil || stored == b.key {
		return b, err
	}
	// A rebuild outlives the request that found the rows stale: stopping
	// half-way would leave the next request to start again.
	if _, err := db.rebuildQuality(context.WithoutCancel(ctx)); err != nil {
		return nil, err
	}
	return qualityBasisFrom(ctx, db.r, db.q)
}

// qualityQuery returns the FROM and WHERE of a quality list (from, whose
// rows are aliased q) and of its count (countFrom, which may leave out the
// tables the conditions do not need).
//
// Rows exist only for active customers (a refresh deletes those of a
// customer hidden or merged), so an unscoped list joins customers for their
// names alone and its count reads the quality table only: at 100,000
// customers, a condition on customers made SQLite filter every one of them
// first (a Bloom filter), 100-400 ms a request. A list scoped to an owner or
// a team filters customers as the customer list does.
func (db *DB) qualityQuery(ctx context.Context, f dossier.QualityFilter, from, countFrom string, extra ...string) (list, count string, args []any, err error) {
	cond := ""
	for _, e := range extra {
		cond += " AND " + e
	}
	if f.Owner == "" && f.Team == "" {
		// CROSS JOIN keeps SQLite reading the quality table in its index's
		// order rather than customers in another index's, then sorting.
		where := " WHERE 1 = 1" + cond
		return " FROM " + from + " CROSS JOIN customers c" + where + " AND c.id = q.customer_id", " FROM " + countFrom + where, nil, nil
	}
	where, args, err := db.customerWhere(ctx, dossier.CustomerFilter{Owner: f.Owner, Team: f.Team})
	if err != nil {
		return "", "", nil, err
	}
	list = " FROM " + from + " JOIN customers c ON c.id = q.customer_id" + where + cond
	if f.NoTotal {
		// The first few of a start page: walk the quality rows in the
		// list's order and keep the owner's, rather than read all of the
		// owner's customers (83,000 at 1,000,000) and sort them.
		return " FROM " + from + " CROSS JOIN customers c" + where + " AND c.id = q.customer_id" + cond, list, args, nil
	}
	return list, list, args, nil
}

// pageClause is LIMIT/OFFSET with page's rules: a negative limit means all,
// 0 or too large means 50.
func pageClause(offset, limit int) string {
	offset = max(offset, 0)
	if limit < 0 {
		if offset == 0 {
			return ""
		}
		return " LIMIT " + itoa(1<<62) + " OFFSET " + itoa(int64(offset))
	}
	if limit == 0 || limit > MaxLimit {
		limit = 50
	}
	return " LIMIT " + itoa(int64(limit)) + " OFFSET " + itoa(int64(offset))
}

func (db *DB) count(ctx context.Context, from string, args []any) (int, error) {
	var n int
	if err := db.r.QueryRowContext(ctx, db.q("SELECT COUNT(*)"+from), args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("quality count: %w", err)
	}
	return n, nil
}

// qualityListOf is qualityList over one per-field table (conflicts,
// invalid values), narrowed to f.Field when it is set.
func (db *DB) qualityListOf(ctx context.Context, f dossier.QualityFilter, table string) (string, []any, int, error) {
	cond := ""
	if f.Field != "" {
		cond = "q.field = ?"
	}
	return db.qualityList(ctx, f, table, table, cond)
}

// qualityList is the common start of the quality lists: the tables are
// current, the FROM clause is scoped like the customer list, and the total
// is counted. cond, when set, takes f.Field as its one argument (or none
// when it has no placeholder).
func (db *DB) qualityList(ctx context.Context, f dossier.QualityFilter, table, countTable, cond string) (string, []any, int, error) {
	if _, err := db.ensureQuality(ctx); err != nil {
		return "", nil, 0, err
	}
	var extra []string
	var fargs []any
	if cond != "" {
		extra = []string{cond}
		if strings.Contains(cond, "?") {
			fargs = []any{f.Field}
		}
	}
	from, countFrom, args, err := db.qualityQuery(ctx, f, table, countTable, extra...)
	if err != nil {
		return "", nil, 0, err
	}
	args = append(args, fargs...)
	if f.NoTotal {
		return from, args, 0, nil
	}
	total, err := db.count(ctx, countFrom, args)
	return from, args, total, err
}

// FindConflicts implements dossier.QualityService.
func (db *DB) FindConflicts(ctx context.Context, f dossier.QualityFilter) ([]dossier.Conflict, int, error) {
	from, args, total, err := db.qualityListOf(ctx, f, "quality_conflicts q")
	if err != nil {
		return nil, 0, err
	}
	from, args, offset := afterSeq(f, from, args)
	rows, err := db.r.QueryContext(ctx, db.q("SELECT q.customer_id, c.name, COALESCE(c.owner, ''), q.detail, q.seq"+from+
		" ORDER BY q.customer_id, q.seq"+pageClause(offset, f.Limit)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("conflicts: %w", err)
	}
	defer rows.Close()
	out := []dossier.Conflict{}
	for rows.Next() {
		var (
			c      dossier.Conflict
			detail string
		)
		if err := rows.Scan(&c.CustomerID, &c.CustomerName, &c.Owner, &detail, &c.Seq); err != nil {
			return nil, 0, err
		}
		if err := json.Unmarshal([]byte(detail), &c.Verification); err != nil {
			return nil, 0, fmt.Errorf("conflict of customer %d: %w", c.CustomerID, err)
		}
		out = append(out, c)
	}
	return out, total, rows.Err()
}

// afterSeq narrows a list ordered by customer and seq (conflicts, invalid
// values) to the rows past f.After, and returns the offset to use: none
// with a cursor. The total stays that of the whole list.
func afterSeq(f dossier.QualityFilter, from string, args []any) (string, []any, int) {
	k := f.After
	if k == nil {
		return from, args, f.Offset
	}
	cond, kargs := keysetAfter(keyCol{"q.customer_id", false, k.CustomerID}, keyCol{"q.seq", false, k.Seq})
	return from + " AND " + cond, append(args, kargs...), 0
}

// FindGaps implements dossier.QualityService: customers with at least one
// gap (of Field, when set), least complete first.
func (db *DB) FindGaps(ctx context.Context, f dossier.QualityFilter) ([]dossier.Completeness, int, error) {
	table, countTable, cond := "quality_customers q", "quality_customers q", "q.gaps > 0"
	if f.Field != "" {
		table, countTable, cond = "quality_gaps g JOIN quality_customers q ON q.customer_id = g.customer_id", "quality_gaps g", "g.field = ?"
	}
	from, args, total, err := db.qualityList(ctx, f, table, countTable, cond)
	if err != nil {
		return nil, 0, err
	}
	t := "q"
	if f.Field != "" {
		t = "g" // the same values, in quality_gaps' key order
	}
	offset := f.Offset
	if k := f.After; k != nil {
		cond, kargs := keysetAfter(keyCol{t + ".score", false, k.Score}, keyCol{t + ".customer_id", false, k.CustomerID})
		from, args, offset = from+" AND "+cond, append(args, kargs...), 0
	}
	rows, err := db.r.QueryContext(ctx, db.q("SELECT q.customer_id, c.name, COALESCE(c.owner, ''), q.score, q.filled, q.total, q.missing"+from+
		" ORDER BY "+t+".score, "+t+".customer_id"+pageClause(offset, f.Limit)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("gaps: %w", err)
	}
	defer rows.Close()
	out := []dossier.Completeness{}
	for rows.Next() {
		var (
			c       dossier.Completeness
			missing string
		)
		if err := rows.Scan(&c.CustomerID, &c.CustomerName, &c.Owner, &c.Score, &c.Filled, &c.Total, &missing); err != nil {
			return nil, 0, err
		}
		if err := json.Unmarshal([]byte(missing), &c.Missing); err != nil {
			return nil, 0, fmt.Errorf("gaps of customer %d: %w", c.CustomerID, err)
		}
		out = append(out, c)
	}
	return out, total, rows.Err()
}

// FindInvalid implements dossier.QualityService: every stored value that
// fails its field's validation — in any observation of the customer's
// group, current or superseded, and in its contacts' phone numbers and
// e-mail addresses — and every required field with no current value.
func (db *DB) FindInvalid(ctx context.Context, f dossier.QualityFilter) ([]dossier.InvalidValue, int, error) {
	from, args, total, err := db.qualityListOf(ctx, f, "quality_invalid q")
	if err != nil {
		return nil, 0, err
	}
	from, args, offset := afterSeq(f, from, args)
	rows, err := db.r.QueryContext(ctx, db.q("SELECT q.customer_id, c.name, COALESCE(c.owner, ''), q.field, q.value, q.problem, q.observation_id, q.contact_id, q.is_current, q.seq"+
		from+" ORDER BY q.customer_id, q.seq"+pageClause(offset, f.Limit)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("invalid values: %w", err)
	}
	defer rows.Close()
	out := []dossier.InvalidValue{}
	for rows.Next() {
		var (
			iv  dossier.InvalidValue
			cur int
		)
		if err := rows.Scan(&iv.CustomerID, &iv.CustomerName, &iv.Owner, &iv.Field, &iv.Value, &iv.Problem, &iv.ObservationID, &iv.ContactID, &cur, &iv.Seq); err != nil {
			return nil, 0, err
		}
		iv.Current = cur != 0
		out = append(out, iv)
	}
	return out, total, rows.Err()
}

// QualityStatus says what the quality tables hold.
type QualityStatus struct {
	Customers int       `json:"customers"` // active customers with rows
	WithGaps  int       `json:"with_gaps"` // of them, with at least one gap
	Conflicts int       `json:"conflicts"` // key facts in conflict
	Invalid   int       `json:"invalid"`   // invalid values and empty required fields
	Current   bool      `json:"current"`   // computed with the registry and settings in force
	BuiltAt   time.Time `json:"built_at"`  // last full rebuild; zero when never
}

// QualityStatus counts the quality rows of active customers and says
// whether they are current; it rebuilds nothing.
func (db *DB) QualityStatus(ctx context.Context) (QualityStatus, error) {
	var st QualityStatus
	b, err := qualityBasisFrom(ctx, db.r, db.q)
	if err != nil {
		return st, err
	}
	var key, built string
	err = db.r.QueryRowContext(ctx, "SELECT basis, built_at FROM quality_basis WHERE id = 1").Scan(&key, &built)
	if err != nil && !isNoRows(err) {
		return st, fmt.Errorf("quality status: %w", err)
	}
	if built != "" {
		st.BuiltAt = parseTS(built)
	}
	st.Current = key == b.key
	err = db.r.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN q.gaps > 0 THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(q.conflicts), 0), COALESCE(SUM(q.invalid), 0)
		FROM quality_customers q JOIN customers c ON c.id = q.customer_id WHERE c.hidden = 0 AND c.merged_into IS NULL`).
		Scan(&st.Customers, &st.WithGaps, &st.Conflicts, &st.Invalid)
	if err != nil {
		return st, fmt.Errorf("quality status: %w", err)
	}
	return st, nil
}
