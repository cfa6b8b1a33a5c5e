package sqldb_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
)

// segmentFixture is six customers whose every filter result below is worked
// out by hand.
func segmentFixture(t *testing.T, db *sqldb.DB) map[string]int64 {
	rows := []map[string]string{
		{"name": "甲机械", "industry": "制造业-机械设备", "grade": "重点", "need_match": "4", "stage": "成交", "revenue": "2亿", "province": "江苏", "debt_ratio": "78%"},
		{"name": "乙零售", "industry": "零售", "grade": "重点", "need_match": "5", "stage": "流失", "revenue": "5000万", "province": "浙江"},
		{"name": "丙科技", "industry": "信息技术", "grade": "潜在", "need_match": "3", "stage": "潜在", "revenue": "1亿", "province": "江苏", "core_advantages": "技术;渠道"},
		{"name": "丁科技制造", "industry": "制造业", "grade": "普通", "revenue": "3000万", "core_advantages": "品牌"},
		{"name": "戊商贸", "industry": "批发", "need_match": "4"},                                     // no grade, no stage
		{"name": "己制造业务", "industry": "制造业务外包", "grade": "重点", "stage": "潜在", "need_match": "2"}, // not a sub-industry of 制造业
	}
	ids := map[string]int64{}
	for _, r := range rows {
		ids[r["name"]] = mustCreate(t, db, r).ID
	}
	exec := func(q string) {
		if err := db.ExecForTest(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	exec(fmt.Sprintf(`INSERT INTO customer_tags (customer_id, tag, source, created_at) VALUES
		(%d, '行为-近3个月无沟通-需重点跟进', 'rule', '2026-01-01'), (%d, '行业-制造业-细分领域-汽车零部件', 'manual', '2026-01-01'),
		(%d, '行业-制造业', 'manual', '2026-01-01'), (%d, '行为-近3个月无沟通-需重点跟进', 'rule', '2026-01-01')`,
		ids["甲机械"], ids["甲机械"], ids["丁科技制造"], ids["戊商贸"]))
	exec(fmt.Sprintf(`INSERT INTO risks (id, customer_id, category, level, trigger_text, rule_id, since, resolved_at) VALUES
		(1, %d, 'financial', 'high', '负债率 78%% > 70%%', 't', '2026-01-01', NULL),
		(2, %d, 'financial', 'low', '逾期应收', 't', '2025-01-01', '2025-06-01'),
		(3, %d, 'financial', 'low', '逾期应收 3万', 't', '2026-01-01', NULL),
		(4, %d, 'cooperation', 'high', '决策链无决策人', 't', '2026-01-01', NULL)`,
		ids["甲机械"], ids["乙零售"], ids["丙科技"], ids["丙科技"]))
	exec(fmt.Sprintf(`UPDATE customers SET score = 85 WHERE id = %d`, ids["甲机械"]))
	exec(fmt.Sprintf(`UPDATE customers SET score = 60 WHERE id = %d`, ids["丙科技"]))
	exec(fmt.Sprintf(`UPDATE customers SET last_contact = '2025-12-31' WHERE id IN (%d, %d)`, ids["甲机械"], ids["戊商贸"]))
	exec(fmt.Sprintf(`UPDATE customers SET last_contact = '2026-01-01' WHERE id = %d`, ids["乙零售"]))
	return ids
}

func TestSegmentFilter(t *testing.T) {
	tests := []struct {
		expr string
		want []string
	}{
		{"grade = 重点 AND need_match >= 4", []string{"甲机械", "乙零售"}},
		{"industry IN (制造业, 零售) AND NOT stage = 流失", []string{"甲机械", "丁科技制造"}},
		{"NOT stage = 流失", []string{"甲机械", "丙科技", "丁科技制造", "戊商贸", "己制造业务"}},
		{"stage != 流失", []string{"甲机械", "丙科技", "丁科技制造", "戊商贸", "己制造业务"}},
		{"NOT (grade = 重点 OR need_match >= 4)", []string{"丙科技", "丁科技制造"}},
		{"revenue >= 1亿", []string{"甲机械", "丙科技"}},
		{"name ~ 科技", []string{"丙科技", "丁科技制造"}},
		{"name ^= 丁", []string{"丁科技制造"}},
		{"last_contact_date < 2026-01-01", []string{"甲机械", "戊商贸"}},
		{"last_contact IS EMPTY", []string{"丙科技", "丁科技制造", "己制造业务"}},
		{"tag = 行为-近3个月无沟通-需重点跟进", []string{"甲机械", "戊商贸"}},
		{"tag ^= 行业-制造业", []string{"甲机械", "丁科技制造"}},
		{"tag IS EMPTY", []string{"乙零售", "丙科技", "己制造业务"}},
		{"risk.category = financial", []string{"甲机械", "丙科技"}}, // 乙零售's is resolved
		{"risk.category = 财务 AND risk.level = 高", []string{"甲机械"}},
		{"risk.level = high", []string{"甲机械", "丙科技"}},
		{"risk IS EMPTY", []string{"乙零售", "丁科技制造", "戊商贸", "己制造业务"}},
		{"risk.trigger ~ 负债", []string{"甲机械"}},
		{"total >= 60", []string{"甲机械", "丙科技"}},
		{"debt_ratio > 0.7", []string{"甲机械"}},
		{"core_advantages = 技术", []string{"丙科技"}},
		{"grade IS EMPTY", []string{"戊商贸"}},
		{"省份 = 江苏 或 grade NOT IN (重点, 潜在)", []string{"甲机械", "丙科技", "丁科技制造", "戊商贸"}},
		{"query = 零售", []string{"乙零售"}},
	}
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		segmentFixture(t, db)
		for _, tt := range tests {
			f := dossier.CustomerFilter{Expr: tt.expr, Limit: 100}
			cs, total, err := db.FindCustomers(ctx, f)
			if err != nil {
				t.Errorf("%s: %v", tt.expr, err)
				continue
			}
			var got []string
			for _, c := range cs {
				got = append(got, c.Name)
			}
			slices.Sort(got)
			want := slices.Clone(tt.want)
			slices.Sort(want)
			if diff := cmp.Diff(want, got); diff != "" || total != len(want) {
				t.Errorf("%s: total %d (-want +got):\n%s", tt.expr, total, diff)
			}
			// The export reads the same filter.
			page, err := db.CustomersAfter(ctx, f, 0, 100)
			if err != nil || len(page) != len(want) {
				t.Errorf("%s: export gave %d customers, %v", tt.expr, len(page), err)
			}
		}
		// A scope narrows the expression further and an expression cannot widen it.
		_, n, err := db.FindCustomers(ctx, dossier.CustomerFilter{Expr: "grade = 重点 OR grade IS EMPTY", Province: "江苏"})
		if err != nil || n != 1 {
			t.Errorf("scoped: %d, %v", n, err)
		}
		_, _, err = db.FindCustomers(ctx, dossier.CustomerFilter{Expr: "gradee = 1"})
		if dossier.ErrorCode(err) != dossier.EINVALID || !strings.Contains(err.Error(), "did you mean 'grade'") {
			t.Errorf("bad expression: %v", err)
		}
	})
}

// FuzzSegmentFilter runs arbitrary expressions against a real SQLite store:
// an expression is either refused as invalid, with a position, or runs; the
// SQL it compiles to never fails in the database.
func FuzzSegmentFilter(f *testing.F) {
	for _, s := range []string{
		"grade = 重点 AND need_match >= 4", "industry IN (制造业, 零售) AND NOT stage = 流失", "revenue >= 1亿",
		"name ~ 科技", "last_contact_date < 2026-01-01", "tag ^= 行业-制造业", "risk.category = 财务 AND risk.level = 高",
		"NOT (total >= 60 OR debt_ratio > 0.705) 且 core_advantages = 技术", "score.r != 30", "grade NOT IN (key) OR city IS EMPTY",
	} {
		f.Add(s)
	}
	db := dbtest.SQLite(f, dbtest.Options())
	f.Fuzz(func(t *testing.T, expr string) {
		_, _, err := db.FindCustomers(ctx, dossier.CustomerFilter{Expr: expr, Limit: 5})
		if err == nil {
			return
		}
		if e, ok := err.(*dossier.Error); !ok || e.Code != dossier.EINVALID || !strings.HasPrefix(e.Message, "at ") {
			t.Fatalf("%q: %v", expr, err)
		}
	})
}
