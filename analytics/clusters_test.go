package analytics

import (
	"slices"
	"testing"
)

func TestTerms(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"希望提升仓储管理效率,需要数据分析平台", []string{"仓储管理", "效率", "数据分析", "平台"}},
		{"客户对系统响应速度有较高要求,希望提供试用版", []string{"系统", "响应速度", "提供", "试用版"}},
		{"替换老旧ERP系统 (2024年)", []string{"替换", "老旧", "erp", "系统"}},
		{"", nil},
		{"，。!! 123", nil},
	} {
		got, err := Terms(tc.text)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("Terms(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

// TestClusterGroup: two themes, written several ways, come out as two
// clusters of the right sizes, named by their words; the weights count
// records, not distinct texts.
func TestClusterGroup(t *testing.T) {
	texts := []Text{
		{Text: "仓库扩容后库存盘点耗时", Count: 5},
		{Text: "库存数据不准,仓库盘点耗时", Count: 2},
		{Text: "新建仓库的库位管理与库存盘点", Count: 1},
		{Text: "售后响应速度慢,投诉不及时", Count: 3},
		{Text: "投诉售后响应不及时", Count: 1},
		{Text: "。。。", Count: 4},
	}
	cg, err := clusterGroup(texts, ClusterRequest{K: 2, Examples: true})
	if err != nil {
		t.Fatal(err)
	}
	if cg.Records != 16 || cg.Distinct != 6 || cg.NoTerms != 4 || len(cg.Clusters) != 2 {
		t.Fatalf("group %+v", cg)
	}
	stock, service := cg.Clusters[0], cg.Clusters[1]
	if stock.Count != 8 || service.Count != 4 || stock.Share < 66.6 || stock.Share > 66.7 {
		t.Errorf("sizes %d and %d (share %.2f), want 8 and 4 (66.67%%)", stock.Count, service.Count, stock.Share)
	}
	if !hasTerm(stock, "盘点") || !hasTerm(stock, "库存") || hasTerm(stock, "投诉") {
		t.Errorf("stock cluster terms %+v", stock.Terms)
	}
	if !hasTerm(service, "售后") || !hasTerm(service, "投诉") {
		t.Errorf("service cluster terms %+v", service.Terms)
	}
	if len(stock.Examples) != 3 || len(service.Examples) != 2 {
		t.Errorf("examples %q / %q", stock.Examples, service.Examples)
	}
	again, _ := clusterGroup(texts, ClusterRequest{K: 2, Examples: true})
	if again.Clusters[0].Terms[0] != stock.Terms[0] {
		t.Error("the same texts gave different clusters")
	}
}

func TestClusterGroupEdges(t *testing.T) {
	one, err := clusterGroup([]Text{{Text: "仓储管理", Count: 1}}, ClusterRequest{K: 5})
	if err != nil || len(one.Clusters) != 1 || one.Clusters[0].Share != 100 {
		t.Errorf("one text: %+v, %v", one, err)
	}
	same, _ := clusterGroup([]Text{{Text: "仓储管理", Count: 2}, {Text: "仓储管理", Count: 3}}, ClusterRequest{})
	if len(same.Clusters) != 1 || same.Clusters[0].Count != 5 {
		t.Errorf("identical texts: %+v", same)
	}
	none, _ := clusterGroup(nil, ClusterRequest{})
	if len(none.Clusters) != 0 || none.Records != 0 {
		t.Errorf("no texts: %+v", none)
	}
	if k := autoK(1); k != 1 {
		t.Errorf("autoK(1) = %d", k)
	}
	if k := autoK(10000); k != 8 {
		t.Errorf("autoK(10000) = %d", k)
	}
}

func hasTerm(c Cluster, term string) bool {
	for _, t := range c.Terms {
		if t.Term == term {
			return true
		}
	}
	return false
}

func FuzzTerms(f *testing.F) {
	for _, s := range []string{"希望提升仓储管理效率", "ERP系统", "", "\xff\xfe", "１２３ＡＢＣ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		words, err := Terms(s)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range words {
			if !wordLike(w) || stopWords[w] {
				t.Errorf("Terms(%q) gave %q", s, w)
			}
		}
	})
}
