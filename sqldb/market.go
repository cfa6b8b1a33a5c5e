package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/dossier/dossier"
)

// sourceCols are the provenance columns every market table ends with.
const sourceCols = "channel, source_detail, collected_at, collected_by, recorded_at"

func sourceArgs(s dossier.Source, recorded string) []any {
	return []any{string(s.Channel), s.Detail, ts(s.CollectedAt), s.CollectedBy, recorded}
}

// sourceDest scans the provenance columns into s and *recorded.
type sourceDest struct {
	channel, collected, recorded string
}

func (d *sourceDest) ptrs(s *dossier.Source) []any {
	return []any{&d.channel, &s.Detail, &d.collected, &s.CollectedBy, &d.recorded}
}

// fill sets the channel and collection time, and returns the recording time.
func (d *sourceDest) fill(s *dossier.Source) time.Time {
	s.Channel, s.CollectedAt = dossier.Channel(d.channel), parseTS(d.collected)
	return parseTS(d.recorded)
}

// marketWhere builds the WHERE of a market list from the filter fields the
// table has.
func marketWhere(f dossier.MarketFilter, industry, kind bool) (string, []any) {
	var where []string
	var args []any
	add := func(cond string, v any) { where, args = append(where, cond), append(args, v) }
	if f.Region != "" {
		add("region = ?", f.Region)
	}
	if f.Industry != "" && industry {
		add("industry = ?", f.Industry)
	}
	if f.Year != 0 {
		add("year = ?", f.Year)
	}
	if f.Kind != "" && kind {
		add("kind = ?", f.Kind)
	}
	if len(where) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(where, " AND "), args
}

// listRows runs a list query and scans each row with scan.
func listRows[T any](ctx context.Context, db *DB, what, query string, args []any, scan func(scanner) (T, error)) ([]T, error) {
	rows, err := db.r.QueryContext(ctx, db.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// CreateMarketRecord implements dossier.MarketService.
func (db *DB) CreateMarketRecord(ctx context.Context, m *dossier.MarketRecord) error {
	return db.inTx(ctx, func(tx *Tx) error { return tx.createMarketRecord(ctx, m) })
}

func (tx *Tx) createMarketRecord(ctx context.Context, m *dossier.MarketRecord) error {
	if err := m.Validate(); err != nil {
		return err
	}
	var growth any
	if m.Growth != nil {
		growth = *m.Growth
	}
	id, err := tx.insert(ctx, `INSERT INTO market_records (region, industry, year, size, growth, `+sourceCols+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		append([]any{m.Region, m.Industry, m.Year, m.Size, growth}, sourceArgs(m.Source, ts(tx.now))...)...)
	if err != nil {
		return fmt.Errorf("create market record: %w", err)
	}
	m.ID, m.RecordedAt = id, tx.now.Truncate(time.Microsecond)
	return nil
}

// MarketRecords implements dossier.MarketService.
func (db *DB) MarketRecords(ctx context.Context, f dossier.MarketFilter) ([]dossier.MarketRecord, error) {
	where, args := marketWhere(f, true, false)
	if k := f.After; k != nil {
		cond, kargs := keysetAfter(keyCol{"year", true, k.Year}, keyCol{"region", false, k.Region},
			keyCol{"industry", false, k.Industry}, keyCol{"id", false, k.ID})
		where, args = joinWhere(where, cond), append(args, kargs...)
	}
	return listRows(ctx, db, "market records", `SELECT id, region, industry, year, size, growth, `+sourceCols+
		` FROM market_records`+where+` ORDER BY year DESC, region, industry, id`+limitClause(f.Limit), args,
		func(row scanner) (dossier.MarketRecord, error) {
			var (
				m      dossier.MarketRecord
				growth sql.NullFloat64
				d      sourceDest
			)
			err := row.Scan(append([]any{&m.ID, &m.Region, &m.Industry, &m.Year, &m.Size, &growth}, d.ptrs(&m.Source)...)...)
			if growth.Valid {
				m.Growth = &growth.Float64
			}
			m.RecordedAt = d.fill(&m.Source)
			return m, err
		})
}

// CreateMarketNote implements dossier.MarketService.
func (db *DB) CreateMarketNote(ctx context.Context, n *dossier.MarketNote) error {
	return db.inTx(ctx, func(tx *Tx) error { return tx.createMarketNote(ctx, n) })
}

func (tx *Tx) createMarketNote(ctx context.Context, n *dossier.MarketNote) error {
	if err := n.Validate(); err != nil {
		return err
	}
	id, err := tx.insert(ctx, `INSERT INTO market_notes (kind, region, industry, title, body, `+sourceCols+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		append([]any{n.Kind, n.Region, n.Industry, n.Title, n.Body}, sourceArgs(n.Source, ts(tx.now))...)...)
	if err != nil {
		return fmt.Errorf("create market note: %w", err)
	}
	n.ID, n.RecordedAt = id, tx.now.Truncate(time.Microsecond)
	return nil
}

// MarketNotes implements dossier.MarketService; the year filters on the
// year the note was collected.
func (db *DB) MarketNotes(ctx context.Context, f dossier.MarketFilter) ([]dossier.MarketNote, error) {
	year := f.Year
	f.Year = 0
	where, args := marketWhere(f, true, true)
	if year != 0 {
		where, args = joinWhere(where, "collected_at >= ? AND collected_at < ?"), append(args, fmt.Sprintf("%04d", year), fmt.Sprintf("%04d", year+1))
	}
	if k := f.After; k != nil {
		cond, kargs := keysetAfter(keyCol{"collected_at", true, ts(k.CollectedAt)}, keyCol{"id", true, k.ID})
		where, args = joinWhere(where, cond), append(args, kargs...)
	}
	return listRows(ctx, db, "market notes", `SELECT id, kind, region, industry, title, body, `+sourceCols+
		` FROM market_notes`+where+` ORDER BY collected_at DESC, id DESC`+limitClause(f.Limit), args,
		func(row scanner) (dossier.MarketNote, error) {
			var (
				n dossier.MarketNote
				d sourceDest
			)
			err := row.Scan(append([]any{&n.ID, &n.Kind, &n.Region, &n.Industry, &n.Title, &n.Body}, d.ptrs(&n.Source)...)...)
			n.RecordedAt = d.fill(&n.Source)
			return n, err
		})
}

func joinWhere(where, cond string) string {
	if where == "" {
		return " WHERE " + cond
	}
	return where + " AND " + cond
}

// CreateCompetitor implements dossier.MarketService.
func (db *DB) CreateCompetitor(ctx context.Context, c *dossier.Competitor) error {
	return db.inTx(ctx, func(tx *Tx) error { return tx.createCompetitor(ctx, c) })
}

func (tx *Tx) createCompetitor(ctx context.Context, c *dossier.Competitor) error {
	if err := c.Validate(); err != nil {
		return err
	}
	id, err := tx.insert(ctx, `INSERT INTO competitors (name, positioning, strengths, weaknesses, price_level, `+sourceCols+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		append([]any{c.Name, c.Positioning, c.Strengths, c.Weaknesses, c.PriceLevel}, sourceArgs(c.Source, ts(tx.now))...)...)
	if tx.db.dialect.IsUniqueViolation(err) {
		return &dossier.Error{Code: dossier.ECONFLICT, Field: "name", Message: fmt.Sprintf("a competitor named %q already exists", c.Name)}
	} else if err != nil {
		return fmt.Errorf("create competitor: %w", err)
	}
	c.ID, c.RecordedAt = id, tx.now.Truncate(time.Microsecond)
	return nil
}

// Competitors implements dossier.MarketService.
func (db *DB) Competitors(ctx context.Context) ([]dossier.Competitor, error) {
	return db.FindCompetitors(ctx, dossier.MarketFilter{})
}

// FindCompetitors implements dossier.MarketService: by name (unique),
// then id.
func (db *DB) FindCompetitors(ctx context.Context, f dossier.MarketFilter) ([]dossier.Competitor, error) {
	where, args := "", []any(nil)
	if k := f.After; k != nil {
		cond, kargs := keysetAfter(keyCol{"name", false, k.Name}, keyCol{"id", false, k.ID})
		where, args = " WHERE "+cond, kargs
	}
	return listRows(ctx, db, "competitors", `SELECT id, name, positioning, strengths, weaknesses, price_level, `+sourceCols+
		` FROM competitors`+where+` ORDER BY name, id`+limitClause(f.Limit), args,
		func(row scanner) (dossier.Competitor, error) {
			var (
				c dossier.Competitor
				d sourceDest
			)
			err := row.Scan(append([]any{&c.ID, &c.Name, &c.Positioning, &c.Strengths, &c.Weaknesses, &c.PriceLevel}, d.ptrs(&c.Source)...)...)
			c.RecordedAt = d.fill(&c.Source)
			return c, err
		})
}

// CreateMarketShare implements dossier.MarketService.
func (db *DB) CreateMarketShare(ctx context.Context, s *dossier.MarketShare) error {
	return db.inTx(ctx, func(tx *Tx) error { return tx.createMarketShare(ctx, s) })
}

func (tx *Tx) createMarketShare(ctx context.Context, s *dossier.MarketShare) error {
	if err := s.Validate(); err != nil {
		return err
	}
	var cid int64
	err := tx.queryRow(ctx, `SELECT id FROM competitors WHERE name = ?`, s.Competitor).Scan(&cid)
	if err == sql.ErrNoRows {
		return dossier.FieldError("competitor", "no competitor named %q: add its profile first", s.Competitor)
	} else if err != nil {
		return fmt.Errorf("create market share: %w", err)
	}
	id, err := tx.insert(ctx, `INSERT INTO market_shares (competitor_id, region, year, share, `+sourceCols+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		append([]any{cid, s.Region, s.Year, s.Share}, sourceArgs(s.Source, ts(tx.now))...)...)
	if err != nil {
		return fmt.Errorf("create market share: %w", err)
	}
	s.ID, s.RecordedAt = id, tx.now.Truncate(time.Microsecond)
	return nil
}

// MarketShares implements dossier.MarketService.
func (db *DB) MarketShares(ctx context.Context, f dossier.MarketFilter) ([]dossier.MarketShare, error) {
	where, args := marketWhere(f, false, false)
	where = strings.NewReplacer("region", "s.region", "year", "s.year").Replace(where)
	return listRows(ctx, db, "market shares", `SELECT s.id, c.name, s.region, s.year, s.share, s.channel, s.source_detail,
		s.collected_at, s.collected_by, s.recorded_at FROM market_shares s JOIN competitors c ON c.id = s.competitor_id`+
		where+` ORDER BY s.year DESC, s.region, s.share DESC, c.name, s.id`, args,
		func(row scanner) (dossier.MarketShare, error) {
			var (
				s dossier.MarketShare
				d sourceDest
			)
			err := row.Scan(append([]any{&s.ID, &s.Competitor, &s.Region, &s.Year, &s.Share}, d.ptrs(&s.Source)...)...)
			s.RecordedAt = d.fill(&s.Source)
			return s, err
		})
}

// LoadMarket adds a batch of market facts in one transaction: competitors
// first, so that shares can name them. Any error adds nothing.
func (db *DB) LoadMarket(ctx context.Context, b *dossier.MarketBatch) error {
	return db.inTx(ctx, func(tx *Tx) error {
		for i := range b.Competitors {
			if err := tx.createCompetitor(ctx, &b.Competitors[i]); err != nil {
				return err
			}
		}
		for i := range b.Records {
			if err := tx.createMarketRecord(ctx, &b.Records[i]); err != nil {
				return err
			}
		}
		for i := range b.Notes {
			if err := tx.createMarketNote(ctx, &b.Notes[i]); err != nil {
				return err
			}
		}
		for i := range b.Shares {
			if err := tx.createMarketShare(ctx, &b.Shares[i]); err != nil {
				return err
			}
		}
		return nil
	})
}
