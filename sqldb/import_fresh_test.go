package sqldb_test

import (
	"strings"
	"testing"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/csv"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
)

// TestImportFreshCustomersQuality imports new customers in small batches
// into a store that has some already: their observations and contacts get
// ids reserved by the import, and their quality rows are computed from what
// was written rather than read back. The rows must equal a scan's, the ids
// must be the customers' own, and later writes must not collide with them.
func TestImportFreshCustomersQuality(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		head := "客户名称,统一社会信用代码,年营收,员工人数,联系人,决策角色,电话,邮箱\n"
		importBatches(t, db, "a.csv", head+
			"老客户一,,1亿,100,张三,决策人,13900000001,zhang@a.cn\n"+
			"老客户二,,,,李四,,,\n")
		res := importBatches(t, db, "b.csv", head+
			"新客户一,,2亿,200,王五,决策人,13900000002,wang@b.cn\n"+
			"新客户二,,,,,,,\n"+
			"老客户一,,3亿,,,,,\n"+ // updates a stored customer: read back
			"新客户三,,5千万,30,赵六,影响者,13900000003,\n"+
			"新客户四,,,,孙七,,不是电话,\n"+ // the phone is left out
			"新客户四,,,40,,,,\n"+ // a name twice in the file: row by row
			"新客户五,,1亿,,周八,决策人,,zhou@b.cn\n")
		if res.Run.Imported != 5 || res.Run.Updated != 2 || res.Run.Rejected != 0 {
			t.Fatalf("import: %s, %d same", res.Run.Summary(), res.Run.Same)
		}
		sameLists(t, db, "fresh import")
		seen := map[int64]bool{}
		for _, name := range []string{"新客户一", "新客户二", "新客户三", "新客户五"} {
			c := customerNamed(t, db, name)
			if c == nil {
				t.Fatalf("%s not found", name)
			}
			obs, err := db.Observations(ctx, c.ID)
			if err != nil || len(obs) != 1 || obs[0].CustomerID != c.ID || seen[obs[0].ID] {
				t.Fatalf("%s: observations %+v, %v", name, obs, err)
			}
			seen[obs[0].ID] = true
			cs, err := db.Contacts(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, k := range cs {
				if k.CustomerID != c.ID {
					t.Errorf("%s has contact %d of customer %d", name, k.ID, k.CustomerID)
				}
			}
		}
		// Ordinary writes after the import take the next ids.
		importBatches(t, db, "c.csv", head+
			"新客户一,,4亿,,郑九,,13900000009,\n"+
			"新客户六,,1亿,10,吴十,决策人,,\n")
		sameLists(t, db, "after the fresh import")
	})
}

// importBatches imports a customer file two rows per transaction.
func importBatches(t *testing.T, db *sqldb.DB, file, data string) *dossier.ImportResult {
	t.Helper()
	r, err := csv.NewReader(strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	im := &dossier.Importer{Store: db, Opt: dossier.ImportOptions{BatchSize: 2}}
	src := dossier.Source{Channel: dossier.ChannelThirdParty, Detail: file, CollectedAt: time.Now(), CollectedBy: "import"}
	res, err := im.Import(ctx, r, dossier.ImportRun{File: file, Kind: dossier.KindCustomers, Source: src, User: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	return res
}
