package sqldb

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/dossier/dossier/analytics"
	"github.com/dossier/dossier/filter"
)

// Texts implements analytics.TextStore: the distinct texts of the matching
// customers with how many records carry each, counted by the database.
// Needs are the resolved need description and pain points of each customer;
// interactions are the summaries and feedback of interactions whose import
// was not undone.
func (db *DB) Texts(ctx context.Context, q analytics.TextQuery, each func(analytics.Text) error) error {
	reg, err := db.Registry(ctx)
	if err != nil {
		return err
	}
	by, fold := "''", func(s string) string { return s }
	if q.By != "" {
		e, _, f, err := db.dimSQL(reg, analytics.Dim{Field: q.By})
		if err != nil {
			return err
		}
		by = e
		if f != nil {
			fold = f
		}
	}
	where, args, err := db.customerWhere(ctx, q.Filter)
	if err != nil {
		return err
	}
	var queries []string
	switch q.Source {
	case analytics.TextInteractions:
		since := ""
		if q.Since != "" {
			since, args = " AND x.date >= ?", append(args, q.Since)
		}
		query := "SELECT " + by + ", x.summary, x.feedback_text FROM interactions x JOIN customers c ON c.id = x.customer_id" +
			where + " AND " + liveImport("x") + since
		return db.tallyTexts(ctx, query, args, fold, each)
	default:
		for _, key := range []string{"need_description", "pain_points"} {
			col, _, _, err := filter.Column(reg, key, db.dialect.Name())
			if err != nil {
				return err
			}
			queries = append(queries, "SELECT "+by+", "+col+", COUNT(*) FROM customers c"+where+
				" AND "+col+" IS NOT NULL AND "+col+" <> '' GROUP BY 1, 2")
		}
	}
	for _, query := range queries {
		if err := db.eachText(ctx, query, args, fold, each); err != nil {
			return err
		}
	}
	return nil
}

func (db *DB) eachText(ctx context.Context, query string, args []any, fold func(string) string, each func(analytics.Text) error) error {
	rows, err := db.r.QueryContext(ctx, db.q(query), args...)
	if err != nil {
		return fmt.Errorf("texts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			g, text sql.NullString
			n       int64
		)
		if err := rows.Scan(&g, &text, &n); err != nil {
			return fmt.Errorf("texts: %w", err)
		}
		if err := each(analytics.Text{Group: fold(canonicalKey(g)), Text: text.String, Count: n}); err != nil {
			return err
		}
	}
	return rows.Err()
}

// tallyTexts counts the texts of interactions in Go rather than with GROUP
// BY: a database sorting ten million rows by their text needs a temporary
// B-tree of them (2.25 GB of memory measured at 1M customers), while a
// tally holds only distinct texts, at most analytics.MaxGroupTexts per
// group; the rest are passed on as one count per group without a text.
func (db *DB) tallyTexts(ctx context.Context, query string, args []any, fold func(string) string, each func(analytics.Text) error) error {
	rows, err := db.r.QueryContext(ctx, db.q(query), args...)
	if err != nil {
		return fmt.Errorf("texts: %w", err)
	}
	defer rows.Close()
	type key struct{ group, text string }
	tally := map[key]int64{}
	distinct := map[string]int{}
	overflow := map[string]int64{}
	for rows.Next() {
		var g, summary, feedback sql.NullString
		if err := rows.Scan(&g, &summary, &feedback); err != nil {
			return fmt.Errorf("texts: %w", err)
		}
		group := fold(canonicalKey(g))
		for _, t := range []string{summary.String, feedback.String} {
			if t == "" {
				continue
			}
			k := key{group, t}
			if _, ok := tally[k]; ok || distinct[group] < analytics.MaxGroupTexts {
				if !ok {
					distinct[group]++
				}
				tally[k]++
				continue
			}
			overflow[group]++
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("texts: %w", err)
	}
	for k, n := range tally {
		if err := each(analytics.Text{Group: k.group, Text: k.text, Count: n}); err != nil {
			return err
		}
	}
	for g, n := range overflow {
		if err := each(analytics.Text{Group: g, Count: n}); err != nil {
			return err
		}
	}
	return nil
}
