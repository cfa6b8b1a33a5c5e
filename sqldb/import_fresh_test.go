package sqldb_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
)

// TestImportFreshQualityGroups: the quality rows of customers an import
// creates are computed from the groups the import keeps in memory; those
// groups equal what the store gives back (sqldb.CheckFreshGroups fails the
// import otherwise), and the quality lists equal the full scans, on an
// import with contacts, remarks, missing and invalid values, rows that
// name each other (the row path) and a re-import.
func TestImportFreshQualityGroups(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		done := sqldb.CheckFreshGroups()
		defer done()
		var b strings.Builder
		b.WriteString("客户名称,统一社会信用代码,年营收,员工人数,联系人,手机,邮箱,城市,备注\n")
		for i := range 120 {
			rev, staff, contact, phone, mail, city := fmt.Sprintf("%d亿", i%7+1), fmt.Sprint(10+i), fmt.Sprintf("张%d", i), fmt.Sprintf("1390001%04d", i), fmt.Sprintf("a%d@x.cn", i), "深圳"
			switch i % 6 {
			case 1:
				rev = fmt.Sprintf("大概%d万", 100+i) // a vague value: a remark
			case 2:
				contact, phone, mail = "", "", ""
			case 3:
				phone = "12345" // invalid: reported, left out
			case 4:
				staff, city = "", ""
			}
			name := fmt.Sprintf("测试%d科技有限公司", i)
			if i%20 == 19 { // the same company as the row before: the row path
				name = fmt.Sprintf("测试%d科技有限公司", i-1)
			}
			fmt.Fprintf(&b, "%s,,%s,%s,%s,%s,%s,%s,第%d行\n", name, rev, staff, contact, phone, mail, city, i)
		}
		res := importAs(t, db, dossier.KindCustomers, "fresh.csv", dossier.ChannelThirdParty, b.String())
		if res.Run.Imported < 100 {
			t.Fatalf("imported %d of 120 rows", res.Run.Imported)
		}
		sameLists(t, db, "fresh import")
		importAs(t, db, dossier.KindCustomers, "fresh.csv", dossier.ChannelThirdParty, b.String())
		sameLists(t, db, "re-import")
		if n := done(); n < 100 {
			t.Fatalf("only %d kept groups were compared with the store", n)
		}
	})
}
