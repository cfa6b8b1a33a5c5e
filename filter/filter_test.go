package filter

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dossier/dossier"
)

func registry() *dossier.Registry {
	return dossier.NewRegistry([]dossier.Field{
		{Key: "competitor_info", LabelZH: "竞争对手信息", LabelEN: "Competitor information", Category: dossier.CatBackground, Type: dossier.TypeText, Position: 1000},
		{Key: "site_count", LabelZH: "门店数", LabelEN: "Sites", Category: dossier.CatBasic, Type: dossier.TypeNumber, Position: 1010},
	})
}

func TestWhere(t *testing.T) {
	tests := []struct {
		expr string
		sql  string
		args []any
	}{
		{"grade = 重点 AND need_match >= 4", "(c.grade = ? AND c.need_match >= ?)", []any{"key", int64(4)}},
		{"客户等级 = key 且 需求匹配度 >= 4", "(c.grade = ? AND c.need_match >= ?)", []any{"key", int64(4)}},
		{"industry IN (制造业, 零售) AND NOT stage = 流失",
			`(((c.industry = ? OR c.industry LIKE ? ESCAPE '\') OR (c.industry = ? OR c.industry LIKE ? ESCAPE '\')) AND NOT COALESCE(c.stage = ?, 0))`,
			[]any{"制造业", "制造业-%", "零售", "零售-%", "churned"}},
		{"revenue >= 1亿", "c.revenue >= ?", []any{int64(100000000)}},
		{"年营收 < 1.5万", "c.revenue < ?", []any{int64(15000)}},
		{"name ~ 科技", `LOWER(c.name) LIKE ? ESCAPE '\'`, []any{"%科技%"}},
		{"name ~ 100%_x", `LOWER(c.name) LIKE ? ESCAPE '\'`, []any{`%100\%\_x%`}},
		{"last_contact_date < 2026/1/1", "c.last_contact < ?", []any{"2026-01-01"}},
		{"tag = 行为-近3个月无沟通-需重点跟进", "EXISTS (SELECT 1 FROM customer_tags t WHERE t.customer_id = c.id AND t.tag = ?)", []any{"行为-近3个月无沟通-需重点跟进"}},
		{"tag ^= 行业-制造业", `EXISTS (SELECT 1 FROM customer_tags t WHERE t.customer_id = c.id AND LOWER(t.tag) LIKE ? ESCAPE '\')`, []any{"行业-制造业%"}},
		{"tag != x", "NOT EXISTS (SELECT 1 FROM customer_tags t WHERE t.customer_id = c.id AND t.tag = ?)", []any{"x"}},
		{"risk.category = financial", "EXISTS (SELECT 1 FROM risks r WHERE r.customer_id = c.id AND r.resolved_at IS NULL AND r.category = ?)", []any{"financial"}},
		{"risk.category = 财务 AND risk.level = 高",
			"(EXISTS (SELECT 1 FROM risks r WHERE r.customer_id = c.id AND r.resolved_at IS NULL AND r.category = ? AND r.level = ?))", []any{"financial", "high"}},
		{"priority = high", "c.follow_up_priority = ?", []any{"high"}},
		{"优先级 = 高", "c.follow_up_priority = ?", []any{"high"}},
		{"total >= 60", "c.score >= ?", []any{int64(60)}},
		{"score.r = 30", "EXISTS (SELECT 1 FROM scores s WHERE s.customer_id = c.id AND s.r = ?)", []any{int64(30)}},
		{"debt_ratio > 0.705", "c.debt_ratio > CAST(? AS DOUBLE PRECISION)", []any{70.5}},
		{"debt_ratio > 70%", "c.debt_ratio > ?", []any{int64(70)}},
		{"stage != 流失", "(c.stage IS NULL OR NOT c.stage = ?)", []any{"churned"}},
		{"grade IS EMPTY", "(c.grade IS NULL OR c.grade = '')", nil},
		{"revenue is not empty", "c.revenue IS NOT NULL", nil},
		{"core_advantages = 技术", `(';' || c.core_advantages || ';') LIKE ? ESCAPE '\'`, []any{"%;技术;%"}},
		{"(grade = key OR grade = potential) AND city = '上 海'", "((c.grade = ? OR c.grade = ?) AND c.city = ?)", []any{"key", "potential", "上 海"}},
		{"grade NOT IN (key, 普通)", "(c.grade IS NULL OR NOT c.grade IN (?, ?))", []any{"key", "ordinary"}},
		{"competitor_info ~ 华为", `LOWER(json_extract(c.custom, '$.competitor_info')) LIKE ? ESCAPE '\'`, []any{"%华为%"}},
		{"门店数 >= 3", "CAST(json_extract(c.custom, '$.site_count') AS REAL) >= ?", []any{int64(3)}},
		{"query = ABC", `(LOWER(c.name) LIKE ? ESCAPE '\' OR c.credit_code = ?)`, []any{"%abc%", "ABC"}},
		{"  ", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			e, err := Parse(tt.expr, registry())
			if err != nil {
				t.Fatal(err)
			}
			sql, args := e.Where(SQLite)
			if sql != tt.sql {
				t.Errorf("sql\n got %s\nwant %s", sql, tt.sql)
			}
			if diff := cmp.Diff(tt.args, args); diff != "" {
				t.Errorf("args (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWherePostgres(t *testing.T) {
	e, err := Parse("NOT 门店数 > 2 AND competitor_info = x", registry())
	if err != nil {
		t.Fatal(err)
	}
	sql, _ := e.Where(Postgres)
	want := "(NOT COALESCE((CASE WHEN (c.custom::jsonb ->> 'site_count') ~ '^-{0,1}[0-9]+([.][0-9]+){0,1}$' THEN CAST((c.custom::jsonb ->> 'site_count') AS DOUBLE PRECISION) END) > ?, FALSE) AND (c.custom::jsonb ->> 'competitor_info') = ?)"
	if sql != want {
		t.Errorf("got  %s\nwant %s", sql, want)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ expr, want string }{
		{"need_match >= 4 AND gradee = 重点", "at 21: unknown field 'gradee', did you mean 'grade'?"},
		{"客户等极 = 重点", "at 1: unknown field '客户等极', did you mean '客户等级'?"},
		{"zzzz = 1", "at 1: unknown field 'zzzz' (see `dossier fields` for the keys and labels)"},
		{"grade = 很重要", "at 9: '很重要' is not a value of 'grade': use 重点 (key), 潜在 (potential), 普通 (ordinary)"},
		{"revenue >= lots", `at 12: "lots" is not an amount (examples: 300000, 30万, 1.2亿) for 'revenue'`},
		{"last_contact_date < soon", `at 21: "soon" is not a date (examples: 2024-03-15, 2024/3/15, 2024年3月15日) for 'last_contact_date'`},
		{"grade > 重点", "at 7: '>' compares numbers and dates; 'grade' is a choice (use = or IN)"},
		{"revenue ~ 1", "at 9: '~' matches text; 'revenue' is an amount"},
		{"grade 重点", "at 7: expected an operator (=, !=, <, <=, >, >=, ~, ^=, IN, IS EMPTY) after 'grade'"},
		{"grade =", "at 8: expected a value after '='"},
		{"(grade = key", "at 13: expected ')' to close the '(' at 1"},
		{"grade = key)", "at 12: unexpected ')' without a matching '('"},
		{"grade = key grade = key", "at 13: expected AND or OR before 'grade'"},
		{"grade = key AND", "at 16: expected a condition such as grade = 重点"},
		{"AND grade = key", "at 1: expected a condition before 'AND'"},
		{"grade IN key", "at 10: expected '(' after IN, as in industry IN (制造业, 零售)"},
		{"grade IN (key potential)", "at 15: expected ',' or ')' in the IN list that starts at 7"},
		{"name = \"abc", "at 8: unclosed quote \""},
		{"name ! abc", "at 6: '!' must be followed by '=' (use NOT to negate a condition)"},
		{"contact_phone = 1", "at 1: 'contact_phone' belongs to a contact, not to the customer; segments filter on customer fields"},
		{"grade IS nothing", "at 10: expected EMPTY after IS"},
		{"name = ''", "at 8: empty value; use IS EMPTY to find customers without 'name'"},
		{strings.Repeat("(", 70) + "grade = key" + strings.Repeat(")", 70), "at 66: the expression nests deeper than 64 levels"},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			_, err := Parse(tt.expr, registry())
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			if dossier.ErrorCode(err) != dossier.EINVALID || err.(*dossier.Error).Message != tt.want {
				t.Errorf("got  %s %q\nwant %q", dossier.ErrorCode(err), err.(*dossier.Error).Message, tt.want)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"grade = 重点 AND need_match >= 4", "industry IN (制造业, 零售) AND NOT stage = 流失", "revenue >= 1亿",
		"name ~ 科技", "last_contact_date < 2026-01-01", "tag = 行为-近3个月无沟通-需重点跟进", "risk.category = financial",
		"priority = high", "total >= 60", "tag ^= 行业-制造业", "(a = 1 OR 门店数 > 2.5) 且 非 grade IS EMPTY", "x NOT IN ('a', \"b\")",
		"competitor_info ~ ?", "name = '?'",
	} {
		f.Add(s)
	}
	reg := registry()
	f.Fuzz(func(t *testing.T, s string) {
		e, err := Parse(s, reg)
		if err != nil {
			if dossier.ErrorCode(err) != dossier.EINVALID || !strings.HasPrefix(err.(*dossier.Error).Message, "at ") {
				t.Fatalf("error without a position: %v", err)
			}
			return
		}
		for _, d := range []string{SQLite, Postgres} {
			sql, args := e.Where(d)
			if n := strings.Count(sql, "?"); n != len(args) {
				t.Fatalf("%s: %d placeholders, %d args: %s", d, n, len(args), sql)
			}
		}
	})
}

func TestRequiredTags(t *testing.T) {
	for _, c := range []struct {
		expr string
		want []string
	}{
		{"", nil},
		{"tag = 行业-采矿业", []string{"行业-采矿业"}},
		{"tag = a AND grade = 重点 AND tag = b AND tag = a", []string{"a", "b"}},
		{"(tag = a AND stage = 成交) AND need_match >= 4", []string{"a"}},
		{"tag = a OR grade = 重点", nil},
		{"NOT tag = a", nil},
		{"tag != a", nil},
		{"tag ^= 行业", nil},
		{"tag IN (a, b)", nil},
		{"grade = 重点 AND NOT (tag = a AND tag = b)", nil},
	} {
		e, err := Parse(c.expr, registry())
		if err != nil {
			t.Fatalf("%s: %v", c.expr, err)
		}
		if got := e.RequiredTags(); !cmp.Equal(got, c.want) {
			t.Errorf("RequiredTags(%q) = %q, want %q", c.expr, got, c.want)
		}
	}
}
