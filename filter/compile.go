package filter

import (
	"math"
	"strings"

	"github.com/dossier/dossier"
)

// Dialects that Where understands.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// Where compiles the expression to an SQL boolean expression over the
// customers table aliased "c", with "?" placeholders and their arguments in
// order. It is "" for an empty expression. Conditions on tags and risks are
// EXISTS subqueries on customer_tags and risks; conditions on open risks
// joined by AND are checked on the same risk ("a high financial risk").
// A negation counts an unknown value as not matching, so NOT stage = 流失
// keeps customers whose stage is unknown.
func (e *Expr) Where(dialect string) (string, []any) {
	if e.Empty() {
		return "", nil
	}
	c := &compiler{dialect: dialect}
	sql := c.node(e.root)
	return sql, c.args
}

type compiler struct {
	dialect string
	args    []any
}

func (c *compiler) arg(v any) string {
	c.args = append(c.args, v)
	if f, ok := v.(float64); ok {
		// A fractional number compared with an integer column: PostgreSQL
		// would otherwise type the parameter as the column's integer.
		if f != math.Trunc(f) {
			return "CAST(? AS DOUBLE PRECISION)"
		}
		c.args[len(c.args)-1] = int64(f)
	}
	return "?"
}

func (c *compiler) node(n node) string {
	switch n := n.(type) {
	case andNode:
		return c.and(n.kids)
	case orNode:
		parts := make([]string, len(n.kids))
		for i, k := range n.kids {
			parts[i] = c.node(k)
		}
		return "(" + strings.Join(parts, " OR ") + ")"
	case notNode:
		return "NOT COALESCE(" + c.node(n.kid) + ", " + c.falseLit() + ")"
	case *cond:
		return c.cond(n)
	}
	panic("filter: unknown node") // unreachable: the parser builds only the kinds above
}

func (c *compiler) falseLit() string {
	if c.dialect == Postgres {
		return "FALSE"
	}
	return "0"
}

// and compiles a conjunction; the positive conditions on risks among its
// operands share one EXISTS, so they describe the same risk.
func (c *compiler) and(kids []node) string {
	var parts, risk []string
	for _, k := range kids {
		if rc, ok := k.(*cond); ok && rc.t.kind == kRisk && positive(rc.op) {
			risk = append(risk, c.riskPredicate(rc))
			continue
		}
		parts = append(parts, c.node(k))
	}
	if len(risk) > 0 {
		parts = append(parts, riskExists(strings.Join(risk, " AND ")))
	}
	return "(" + strings.Join(parts, " AND ") + ")"
}

// positive reports whether an operator asserts something of a row, so that
// "some row satisfies it" is its meaning on tags and risks. The others
// (!=, NOT IN, IS EMPTY) mean "no row has it".
func positive(op string) bool {
	switch op {
	case "!=", "notin", "empty":
		return false
	}
	return true
}

func riskExists(pred string) string {
	return "EXISTS (SELECT 1 FROM risks r WHERE r.customer_id = c.id AND r.resolved_at IS NULL AND " + pred + ")"
}

func (c *compiler) cond(n *cond) string {
	switch n.t.kind {
	case kTag, kRisk, kScore:
		return c.related(n)
	case kQuery:
		return c.query(n)
	}
	return c.column(n, c.colExpr(n.t))
}

// colExpr is the SQL expression of a customers column or custom field. The
// names come from the registry: built-in keys are the columns, custom keys
// match ^[a-z][a-z0-9_]{1,39}$ (dossier.Field.ValidateCustom).
func (c *compiler) colExpr(t target) string {
	if t.kind == kColumn {
		return "c." + t.col
	}
	var e string
	if c.dialect == Postgres {
		e = "(c.custom::jsonb ->> '" + t.col + "')"
	} else {
		e = "json_extract(c.custom, '$." + t.col + "')"
	}
	if numeric(t.typ) {
		if c.dialect == Postgres {
			return "(CASE WHEN " + e + " ~ '^-{0,1}[0-9]+([.][0-9]+){0,1}$' THEN CAST(" + e + " AS DOUBLE PRECISION) END)"
		}
		return "CAST(" + e + " AS REAL)"
	}
	return e
}

// column compiles a condition on one value per customer.
func (c *compiler) column(n *cond, col string) string {
	text := !numeric(n.t.typ)
	switch n.op {
	case "empty":
		if text {
			return "(" + col + " IS NULL OR " + col + " = '')"
		}
		return col + " IS NULL"
	case "notempty":
		if text {
			return "(" + col + " IS NOT NULL AND " + col + " <> '')"
		}
		return col + " IS NOT NULL"
	case "!=":
		return "(" + col + " IS NULL OR NOT " + c.eq(n.t, col, n.args[0]) + ")"
	case "notin":
		return "(" + col + " IS NULL OR NOT " + c.in(n.t, col, n.args) + ")"
	case "in":
		return c.in(n.t, col, n.args)
	case "=":
		return c.eq(n.t, col, n.args[0])
	case "~":
		return "LOWER(" + col + ") LIKE " + c.arg("%"+likeEscape(strings.ToLower(n.args[0].(string)))+"%") + ` ESCAPE '\'`
	case "^=":
		return "LOWER(" + col + ") LIKE " + c.arg(likeEscape(strings.ToLower(n.args[0].(string)))+"%") + ` ESCAPE '\'`
	}
	return col + " " + n.op + " " + c.arg(n.args[0])
}

// eq is equality with the type's meaning: a hierarchical value also matches
// its sub-values, a tag list matches when it holds the value.
func (c *compiler) eq(t target, col string, v any) string {
	switch {
	case t.hier:
		s := v.(string)
		return "(" + col + " = " + c.arg(s) + " OR " + col + " LIKE " + c.arg(likeEscape(s)+"-%") + ` ESCAPE '\')`
	case t.typ == dossier.TypeTags:
		return "(';' || " + col + " || ';') LIKE " + c.arg("%;"+likeEscape(v.(string))+";%") + ` ESCAPE '\'`
	}
	return col + " = " + c.arg(v)
}

func (c *compiler) in(t target, col string, vs []any) string {
	if t.hier || t.typ == dossier.TypeTags {
		parts := make([]string, len(vs))
		for i, v := range vs {
			parts[i] = c.eq(t, col, v)
		}
		return "(" + strings.Join(parts, " OR ") + ")"
	}
	ph := make([]string, len(vs))
	for i, v := range vs {
		ph[i] = c.arg(v)
	}
	return col + " IN (" + strings.Join(ph, ", ") + ")"
}

// related compiles a condition on tags, risks or score components: some row
// satisfies it, or (negated operators) no row has the value.
func (c *compiler) related(n *cond) string {
	var from, col string
	switch n.t.kind {
	case kTag:
		from, col = "customer_tags t WHERE t.customer_id = c.id", "t.tag"
	case kRisk:
		from, col = "risks r WHERE r.customer_id = c.id AND r.resolved_at IS NULL", "r."+n.t.col
	default:
		from, col = "scores s WHERE s.customer_id = c.id", "s."+n.t.col
	}
	if n.t.kind == kRisk && positive(n.op) {
		return riskExists(c.riskPredicate(n))
	}
	var pred string
	switch n.op {
	case "empty":
		return "NOT EXISTS (SELECT 1 FROM " + from + ")"
	case "notempty":
		return "EXISTS (SELECT 1 FROM " + from + ")"
	case "!=":
		return "NOT EXISTS (SELECT 1 FROM " + from + " AND " + col + " = " + c.arg(n.args[0]) + ")"
	case "notin":
		return "NOT EXISTS (SELECT 1 FROM " + from + " AND " + c.in(n.t, col, n.args) + ")"
	default:
		pred = c.column(n, col)
	}
	return "EXISTS (SELECT 1 FROM " + from + " AND " + pred + ")"
}

func (c *compiler) riskPredicate(n *cond) string { return c.column(n, "r."+n.t.col) }

// query is the customer list's search box: a part of the name, or the credit
// code.
func (c *compiler) query(n *cond) string {
	switch n.op {
	case "=", "~":
		s := n.args[0].(string)
		return "(LOWER(c.name) LIKE " + c.arg("%"+likeEscape(strings.ToLower(s))+"%") + ` ESCAPE '\' OR c.credit_code = ` + c.arg(strings.ToUpper(s)) + ")"
	}
	return c.column(n, "c.name")
}

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// Column resolves a field name (key, label or alias) to the SQL expression of
// its value on the customers table "c", for grouping and measures. Only
// single-valued customer fields have one; tags, risks and scores do not.
func Column(reg *dossier.Registry, name, dialect string) (sql string, typ dossier.FieldType, key string, err error) {
	t, err := resolveField(reg, name, 1)
	if err != nil {
		return "", "", "", &dossier.Error{Code: dossier.EINVALID, Field: "field", Message: err.(*Error).Msg}
	}
	if t.kind != kColumn && t.kind != kCustom {
		return "", "", "", &dossier.Error{Code: dossier.EINVALID, Field: "field", Message: "'" + name + "' has several values per customer; group by a customer field"}
	}
	c := &compiler{dialect: dialect}
	return c.colExpr(t), t.typ, t.name, nil
}

// Options returns the choices of an enumeration field ("" name: none), so
// that reports can label stored values.
func Options(reg *dossier.Registry, name string) []dossier.Option {
	t, err := resolveField(reg, name, 1)
	if err != nil {
		return nil
	}
	return t.opts
}
