package dedupe

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dossier/dossier"
)

func rec(id string, kv ...string) Record {
	r := Record{ID: id, Fields: map[string]string{}}
	for i := 0; i+1 < len(kv); i += 2 {
		r.Fields[kv[i]] = kv[i+1]
	}
	return r
}

// companies builds a background of distinct companies so that the model
// has non-matches to learn from, plus the records of a case.
func companies(n int, extra ...Record) []Record {
	trades := []string{"华", "锦", "鑫", "瑞", "泰", "宏", "达", "盛", "嘉", "恒", "通", "远", "德", "信", "安", "康", "明", "辉", "昌", "隆", "兴", "源", "丰", "美"}
	words := []string{"科技", "贸易", "实业", "电子", "物流", "建材", "医药", "食品"}
	cities := []string{"深圳市", "广州市", "杭州市", "成都市", "武汉市", "南京市"}
	var out []Record
	r := rand.New(rand.NewPCG(1, 2))
	pick := func(s []string) string { return s[r.IntN(len(s))] }
	for i := range n {
		city := pick(cities)
		name := city + pick(trades) + pick(trades) + pick(words) + "有限公司"
		phone := fmt.Sprintf("1390000%04d", i)
		out = append(out, rec("bg"+strconv.Itoa(i), "name", name, "city", city, "contact_phone", phone))
		if i%5 == 0 { // entered again by another rep, without the city
			out = append(out, rec("bg"+strconv.Itoa(i)+"d", "name", strings.TrimPrefix(name, city), "contact_phone", phone))
		}
	}
	return append(out, extra...)
}

func TestRunChineseCases(t *testing.T) {
	recs := companies(400,
		rec("a1", "name", "深圳市华为技术有限公司", "city", "深圳", "credit_code", "914403001922038216"),
		rec("a2", "name", "华为技术（深圳）有限公司", "contact_phone", "0755-28780808"),
		rec("a3", "name", "华为技术(深圳)有限责任公司", "contact_phone", "+86 755 2878 0808"),
		rec("a4", "name", "深圳华为", "credit_code", "914403001922038216"),
		// Same trade name, another city and another credit code: another company.
		rec("b1", "name", "成都市华为技术有限公司", "city", "成都", "credit_code", "91510100MA61R7XK3L"),
		// A matching credit code outweighs a different spelling.
		rec("c1", "name", "杭州阿里巴巴网络技术有限公司", "credit_code", "91330100799655058B"),
		rec("c2", "name", "阿里巴巴(中国)网络技术有限公司", "credit_code", "91330100799655058B"),
		// Only similar names, one credit code.
		rec("d1", "name", "上海都德商贸有限公司", "credit_code", "91310000MA1FL4XB2K"),
		rec("d2", "name", "都得贸易（上海）有限公司", "credit_code", "91310000MA1FL4XB2K"),
	)
	res, err := Run(context.Background(), recs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	cl := res.Cluster
	for _, id := range []string{"a2", "a3", "a4"} {
		if cl[id] != cl["a1"] {
			t.Errorf("%s in cluster %s, want a1's %s", id, cl[id], cl["a1"])
		}
	}
	if cl["b1"] == cl["a1"] {
		t.Errorf("b1 (other city, other credit code) joined a1")
	}
	if cl["c1"] != cl["c2"] {
		t.Errorf("c1 and c2 share a credit code but were kept apart")
	}
	if cl["d1"] != cl["d2"] {
		t.Errorf("d1 and d2 share a credit code, their names are only similar: kept apart")
	}
	if len(res.Cluster) != len(recs) {
		t.Errorf("%d records in Cluster, want %d", len(res.Cluster), len(recs))
	}
	for _, p := range res.Pairs {
		if p.A == "a1" && p.B == "a4" && len(p.Evidence) == 0 {
			t.Errorf("pair a1-a4 without evidence")
		}
	}
	if testing.Verbose() {
		t.Logf("prior %.4f, %d candidate pairs", res.Report.Prior, res.Report.CandidatePairs)
		for _, f := range res.Report.Model {
			t.Logf("%s: %+v", f.Field, f.Levels)
		}
		for _, p := range res.Pairs {
			if p.A[0] != 'b' || p.B[0] != 'b' {
				t.Logf("%s %s %.3f %+v", p.A, p.B, p.Probability, p.Evidence)
			}
		}
	}
}

func TestCustomerRecord(t *testing.T) {
	c := &dossier.Customer{ID: 42, Name: "深圳市华为技术有限公司", Industry: "信息技术",
		Values: map[string]string{"credit_code": "914403001922038216", "city": "深圳市", "revenue": "100"}}
	got := CustomerRecord(c, []dossier.Contact{{Phone: "+8613900000000", Email: "a@huawei.com"}, {Phone: "+8613900000001"}})
	want := Record{ID: "42", Fields: map[string]string{"name": "深圳市华为技术有限公司", "credit_code": "914403001922038216",
		"city": "深圳市", "industry": "信息技术", "contact_phone": "+8613900000000;+8613900000001", "contact_email": "a@huawei.com"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("CustomerRecord (-want +got):\n%s", diff)
	}
}
