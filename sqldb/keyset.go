package sqldb

// Keyset paging: a list ordered by several columns, the last one unique,
// continues after the row a cursor names with a condition on those
// columns, so rows added meanwhile neither repeat nor push others past the
// page boundary as an OFFSET would.

// keyCol is one column of a list's order and the cursor row's value in it.
type keyCol struct {
	expr string // the column as the query names it
	desc bool   // ordered descending
	v    any
}

// keysetAfter is the condition matching the rows after the cursor row in
// the order of cols, and its arguments. The first column's bound is also
// written alone in front, so that an index starting with it seeks to the
// page instead of reading every row before it.
func keysetAfter(cols ...keyCol) (string, []any) {
	op := func(c keyCol, strict bool) string {
		switch {
		case c.desc && strict:
			return " < ?"
		case c.desc:
			return " <= ?"
		case strict:
			return " > ?"
		}
		return " >= ?"
	}
	var build func(i int) (string, []any)
	build = func(i int) (string, []any) {
		c := cols[i]
		if i == len(cols)-1 {
			return c.expr + op(c, true), []any{c.v}
		}
		rest, args := build(i + 1)
		return "(" + c.expr + op(c, true) + " OR (" + c.expr + " = ? AND " + rest + "))", append([]any{c.v, c.v}, args...)
	}
	cond, args := build(0)
	if len(cols) == 1 {
		return cond, args
	}
	return cols[0].expr + op(cols[0], false) + " AND " + cond, append([]any{cols[0].v}, args...)
}

// limitClause is " LIMIT n" for a positive n, "" otherwise (no cap).
func limitClause(n int) string {
	if n <= 0 {
		return ""
	}
	return " LIMIT " + itoa(int64(n))
}
