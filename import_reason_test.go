package dossier_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/csv"
)

// TestImportIssuesHaveReasonIDs checks that every problem an import of any
// kind reports carries a catalogue message id (so the web wizard can say
// it in Chinese) and that the ids are the listed ones.
func TestImportIssuesHaveReasonIDs(t *testing.T) {
	files := map[string]string{
		dossier.KindCustomers: "客户名称,年营收,预算范围,成立日期,采购时间,统一社会信用代码,联系电话,邮箱,客户等级\n" +
			"甲公司,很多,abc,2024-13-45,明年吧,12345,12,not-mail,Z\n" +
			",1,,,,,,,\n",
		dossier.KindContacts:     "客户,姓名,电话\n甲公司,,13800000000\n,张三,1\n乙公司,李四,12\n",
		dossier.KindInteractions: "客户编号,日期,方式\nx,2024-01-01,电话\n1,,电话\n1,2024-02-30,电话\n,2024-01-01,电话\n",
		dossier.KindProjects:     "客户,项目名称,开始日期,结束日期,满意度,项目金额\n甲,一期,2024-05-01,2024-01-01,9,很多\n甲,,,,,\n,二期,,,,\n",
	}
	for kind, data := range files {
		r, err := csv.NewReader(strings.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		im := &dossier.Importer{Store: newMemStore(), Opt: dossier.ImportOptions{DryRun: true}}
		res, err := im.Import(t.Context(), r, dossier.ImportRun{File: "f.csv", Kind: kind, Source: src()})
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		if len(res.Issues) < 3 {
			t.Errorf("%s: %d issues, want at least 3: %+v", kind, len(res.Issues), res.Issues)
		}
		for _, is := range res.Issues {
			if !slices.Contains(dossier.ReasonIDs, is.ReasonID) {
				t.Errorf("%s row %d: reason %q has id %q, not one of ReasonIDs", kind, is.Row, is.Reason, is.ReasonID)
			}
		}
	}
}
