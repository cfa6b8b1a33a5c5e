package sqldb_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
)

// plainSearch is the list's name search without the pair index, straight
// in SQL: the ids of the live customers whose name holds q or whose credit
// code is q.
func plainSearch(t *testing.T, db *sqldb.DB, q string) []int64 {
	t.Helper()
	esc := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(q)
	query := db.QForTest(`SELECT id FROM customers WHERE hidden = 0 AND merged_into IS NULL AND (name LIKE ? ESCAPE '\' OR credit_code = ?) ORDER BY id`)
	rows, err := rawPool(db).QueryContext(ctx, query, "%"+esc+"%", strings.ToUpper(q))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

// listSearch is the store's answer to the same search, with its total.
func listSearch(t *testing.T, db *sqldb.DB, q string) ([]int64, int) {
	t.Helper()
	return listIDs(t, db, dossier.CustomerFilter{Query: q})
}

// listIDs is the sorted ids of a list filter's customers (up to 1,000),
// with the list's total.
func listIDs(t *testing.T, db *sqldb.DB, f dossier.CustomerFilter) ([]int64, int) {
	t.Helper()
	f.Limit = 1000
	cs, total, err := db.FindCustomers(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, c := range cs {
		ids = append(ids, c.ID)
	}
	slices.Sort(ids)
	return ids, total
}

// A name search answers as the plain LIKE does, through every kind of
// write that changes names (create, import, rename, delete), for long
// names, credit codes, ASCII case and LIKE's own characters; and it reads
// the pair index (migration 029): a customer whose pairs are taken out
// behind the store's back is no longer found by a rare term.
func TestNameSearchEqualsLike(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		long := strings.Repeat("很长的名字", 220) + "长名称目标有限公司" // past the 1,000 indexed characters
		var cs []*dossier.Customer
		for _, v := range []map[string]string{
			{"name": "宜昌市邦正远通讯有限公司"},
			{"name": "北京ABC科技有限公司"},
			{"name": "上海abc贸易有限公司"},
			{"name": "深圳100%_纯净水有限公司"},
			{"name": "杭州数联科技有限公司", "credit_code": "91330100MA2B3C4D5N"},
			{"name": long},
		} {
			cs = append(cs, mustCreate(t, db, v))
		}
		for i := range 20 {
			mustCreate(t, db, map[string]string{"name": fmt.Sprintf("填充客户%d有限公司", i)})
		}
		importAs(t, db, dossier.KindCustomers, "s.csv", dossier.ChannelCustomer, "客户名称\n武汉邦正机电有限公司\n")
		terms := []string{"邦正远", "邦正", "abc", "ABC科技", "有限公司", "100%_", "%", "_纯", "长名称目标", "91330100MA2B3C4D5N",
			"91330100ma2b3c4d5n", "数联", "不存在的名字", "宜", "  邦正远  ", "填充客户1", "市远通讯"}
		check := func(step string) {
			t.Helper()
			for _, q := range terms {
				want := plainSearch(t, db, strings.TrimSpace(q))
				got, total := listSearch(t, db, q)
				if !slices.Equal(got, want) || total != len(want) {
					t.Errorf("%s: search %q = %v (total %d), want %v", step, q, got, total, want)
				}
			}
		}
		check("created")

		c, err := db.FindCustomerByID(ctx, cs[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.UpdateCustomer(ctx, c.ID, dossier.CustomerUpdate{Values: map[string]string{"name": "宜昌市远通讯有限公司"},
			Source: src(dossier.ChannelInternal, "test", "2026-01-06"), Version: c.Version}); err != nil {
			t.Fatal(err)
		}
		check("renamed")
		var stale int
		if err := rawPool(db).QueryRowContext(ctx, db.QForTest("SELECT COUNT(*) FROM customer_grams WHERE customer_id = ? AND gram = '邦正'"),
			c.ID).Scan(&stale); err != nil || stale != 0 {
			t.Errorf("pairs of the old name left in the index: %d, %v", stale, err)
		}
		c, err = db.FindCustomerByID(ctx, cs[1].ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteCustomer(ctx, c.ID, c.Version, dossier.AuditEntry{User: "admin"}); err != nil {
			t.Fatal(err)
		}
		check("deleted")

		if got, _ := listSearch(t, db, "邦正机电"); len(got) != 1 {
			t.Fatalf("search 邦正机电 = %v, want the imported customer", got)
		}
		if _, err := rawPool(db).ExecContext(ctx, "DELETE FROM customer_grams WHERE gram = '正机'"); err != nil {
			t.Fatal(err)
		}
		if got, _ := listSearch(t, db, "正机"); len(got) != 0 {
			t.Errorf("search 正机 with its pair taken out of the index = %v; the index was not read", got)
		}
	})
}

// A filter that requires a rare tag reads that tag's customers first (the
// list's walk in its order would test nearly every customer), and answers
// as before; a tag under OR or NOT narrows nothing. On both stores.
func TestRareTagNarrowsFilter(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		var rare, common []int64
		for i := range 12 {
			c := mustCreate(t, db, map[string]string{"name": fmt.Sprintf("标签客户%d有限公司", i), "grade": map[bool]string{true: "重点", false: "普通"}[i%2 == 0]})
			if i%4 == 0 {
				if err := db.SetManualTag(ctx, c.ID, "稀有标签", false); err != nil {
					t.Fatal(err)
				}
				rare = append(rare, c.ID)
			}
			if i < 10 {
				if err := db.SetManualTag(ctx, c.ID, "常见标签", false); err != nil {
					t.Fatal(err)
				}
				common = append(common, c.ID)
			}
		}
		both := slices.DeleteFunc(slices.Clone(rare), func(id int64) bool { return !slices.Contains(common, id) })
		var either []int64
		for _, id := range append(slices.Clone(rare), common...) {
			if !slices.Contains(either, id) {
				either = append(either, id)
			}
		}
		slices.Sort(either)
		for _, c := range []struct {
			expr   string
			want   []int64
			narrow bool
		}{
			{"tag = 稀有标签", rare, true},
			{"tag = 稀有标签 AND grade = 重点", rare, true}, // every fourth is even
			{"tag = 常见标签 AND tag = 稀有标签", both, true},
			{"tag = 稀有标签 OR tag = 常见标签", either, false},
			{"tag = 不存在的标签", nil, true},
		} {
			got, total := listIDs(t, db, dossier.CustomerFilter{Expr: c.expr})
			if !slices.Equal(got, c.want) || total != len(c.want) {
				t.Errorf("%s: %v (total %d), want %v", c.expr, got, total, c.want)
			}
			where, _, err := db.WhereForTest(ctx, dossier.CustomerFilter{Expr: c.expr})
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Contains(where, "c.id IN (SELECT customer_id FROM customer_tags"); got != c.narrow {
				t.Errorf("%s: narrowed %v, want %v: %s", c.expr, got, c.narrow, where)
			}
		}
	})
}
