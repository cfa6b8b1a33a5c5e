package sqldb

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// A name search (the list's search box) is LIKE '%term%', which no b-tree
// index answers. Migration 029 keeps every name's character pairs in
// customer_grams; a term with a rare pair is narrowed to the customers
// whose names hold that pair, and the LIKE then checks the term itself, so
// the answer is the same. A term whose pairs are all common is left to
// the list's walk in its sort order, which meets a page of matches soon.

// searchRare is how many names may hold a term's rarest pair for the
// search to read them through customer_grams; with more, matches are
// common enough that the walk in sort order finds a page of them quickly.
const searchRare = 20000

// searchGrams caps the pairs of a term whose counts are looked up: a long
// term has rare pairs among its first few anyway.
const searchGrams = 8

// nameGrams returns a search term's distinct character pairs as
// customer_grams holds them: ASCII letters lowered, as SQLite's lower()
// and the PostgreSQL trigger do; nil when the term has none (one
// character) or is not valid UTF-8 (the stores would cut it otherwise).
func nameGrams(q string) []string {
	if !utf8.ValidString(q) {
		return nil
	}
	r := []rune(asciiLower(q))
	var out []string
	for i := 0; i+1 < len(r) && len(out) < searchGrams; i++ {
		if g := string(r[i : i+2]); !slices.Contains(out, g) {
			out = append(out, g)
		}
	}
	return out
}

func asciiLower(s string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

// searchNarrow is a condition that narrows a name search to the customers
// holding its rarest pair (and those with long names, and the credit code
// the search also matches), "" when no pair is rare enough to pay.
func (db *DB) searchNarrow(ctx context.Context, q string) (string, []any, error) {
	best, err := db.rarest(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM customer_grams WHERE gram = ? LIMIT ?) t", nameGrams(q))
	if err != nil || best == "" {
		return "", nil, err
	}
	// '' marks the names too long for all their pairs to be indexed.
	return "c.id IN (SELECT customer_id FROM customer_grams WHERE gram IN (?, '')" +
		" UNION ALL SELECT id FROM customers WHERE credit_code = ?)", []any{best, strings.ToUpper(q)}, nil
}

// rarest returns the value whose count (a query of the value and a limit)
// is smallest, "" when none is at most searchRare.
func (db *DB) rarest(ctx context.Context, count string, values []string) (string, error) {
	best, bestN := "", searchRare+1
	count = db.q(count)
	for _, v := range values {
		var n int
		if err := db.r.QueryRowContext(ctx, count, v, searchRare+1).Scan(&n); err != nil {
			return "", fmt.Errorf("count %q: %w", v, err)
		}
		if n < bestN {
			best, bestN = v, n
		}
		if n <= searchRare/20 {
			break // rare enough: the others cannot save much
		}
	}
	return best, nil
}

// tagNarrow is a condition that narrows a filter to the customers of the
// rarest tag it requires (filter.Expr.RequiredTags), "" when none is rare
// enough to pay: the filter's own EXISTS made the list walk its sort order
// and test each customer, reading nearly all 1,000,000 for a tag that 7
// hold (5.2 s on SQLite).
func (db *DB) tagNarrow(ctx context.Context, tags []string) (string, []any, error) {
	best, err := db.rarest(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM customer_tags WHERE tag = ? LIMIT ?) t", tags)
	if err != nil || best == "" {
		return "", nil, err
	}
	return "c.id IN (SELECT customer_id FROM customer_tags WHERE tag = ?)", []any{best}, nil
}
