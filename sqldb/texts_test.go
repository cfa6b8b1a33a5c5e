package sqldb_test

import (
	"testing"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/analytics"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
)

// TestNeedClusters runs the need-cluster analysis end to end on both
// stores: texts counted by the database, sub-industries rolled up into
// their top level, interactions of the matching customers only.
func TestNeedClusters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		stock := "库存数据不准,仓库盘点耗时"
		service := "售后响应速度慢,投诉不及时"
		for i, c := range []map[string]string{
			{"name": "甲机械", "industry": "制造业-通用设备制造业", "need_description": stock, "pain_points": "仓库扩容后库存盘点耗时"},
			{"name": "乙汽车", "industry": "制造业-汽车制造业", "need_description": stock},
			{"name": "丙电子", "industry": "制造业", "need_description": service},
			{"name": "丁零售", "industry": "批发和零售业", "need_description": service},
			{"name": "戊空白", "industry": "批发和零售业"},
		} {
			cu := mustCreate(t, db, c)
			in := dossier.Interaction{CustomerID: cu.ID, Date: "2026-01-0" + string(rune('1'+i)), Channel: "phone",
				Summary: "客户投诉售后响应不及时", Source: src(dossier.ChannelInternal, "test", "2026-01-20")}
			if err := db.CreateInteraction(ctx, &in); err != nil {
				t.Fatal(err)
			}
		}
		res, err := analytics.Clusters(ctx, db, analytics.ClusterRequest{
			Query: analytics.TextQuery{Source: analytics.TextNeeds, By: analytics.IndustryTop}, K: 2, Examples: true, Lang: "zh"})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Groups) != 2 {
			t.Fatalf("groups %+v", res.Groups)
		}
		mfg, retail := res.Groups[0], res.Groups[1]
		if mfg.Key != "制造业" || mfg.Records != 4 || mfg.Distinct != 3 || len(mfg.Clusters) != 2 {
			t.Errorf("manufacturing %+v", mfg)
		}
		if c := mfg.Clusters[0]; c.Count != 3 || c.Share != 75 || len(c.Examples) != 2 {
			t.Errorf("manufacturing's stock cluster %+v", c)
		}
		if retail.Key != "批发和零售业" || retail.Records != 1 || len(retail.Clusters) != 1 || retail.Clusters[0].Share != 100 {
			t.Errorf("retail %+v", retail)
		}

		res, err = analytics.Clusters(ctx, db, analytics.ClusterRequest{
			Query: analytics.TextQuery{Source: analytics.TextInteractions, Filter: dossier.CustomerFilter{Expr: "industry = 制造业"}}})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Groups) != 1 || res.Groups[0].Records != 3 || len(res.Groups[0].Clusters) != 1 || res.Groups[0].Clusters[0].Examples != nil {
			t.Errorf("interactions of manufacturers %+v", res.Groups)
		}
		res, err = analytics.Clusters(ctx, db, analytics.ClusterRequest{
			Query: analytics.TextQuery{Source: analytics.TextInteractions, Since: "2026-01-02", Filter: dossier.CustomerFilter{Expr: "industry = 制造业"}}})
		if err != nil || len(res.Groups) != 1 || res.Groups[0].Records != 2 {
			t.Errorf("interactions since 2026-01-02: %+v, %v", res, err)
		}
		if _, err := analytics.Clusters(ctx, db, analytics.ClusterRequest{Query: analytics.TextQuery{Source: analytics.TextInteractions, Since: "last year"}}); dossier.ErrorCode(err) != dossier.EINVALID {
			t.Errorf("bad since: %v", err)
		}
		if _, err := analytics.Clusters(ctx, db, analytics.ClusterRequest{Query: analytics.TextQuery{Source: "emails"}}); dossier.ErrorCode(err) != dossier.EINVALID {
			t.Errorf("unknown source: %v", err)
		}
	})
}
