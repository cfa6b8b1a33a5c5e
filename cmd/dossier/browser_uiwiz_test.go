package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserImportWizard uploads a small CSV through the import wizard,
// maps one column to another field, sees the dry run's problem with a
// value, confirms, and finds the result and the customer in the list.
// Then it adds a custom field in the registry editor and fills it in on the
// imported customer's profile.
func TestBrowserImportWizard(t *testing.T) {
	b := newBrowser(t)
	b.login()
	b.do(chromedp.WaitVisible(chromedp.CSS(`header nav`)))
	file := filepath.Join(t.TempDir(), "客户名单.csv")
	data := "客户名称,所属行业,备注,预算\n浏览器测试有限公司,制造业,华东,30-50万\n乙浏览器公司,服务业,华南,很多\n"
	if err := os.WriteFile(file, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}

	b.do(chromedp.Navigate(b.base+"/import"), chromedp.WaitVisible(chromedp.CSS(`#upload-form`)))
	screenshot(t, b.ctx, "uiwiz-01-upload")
	b.do(chromedp.SetUploadFiles(chromedp.CSS(`#import-file`), []string{file}),
		chromedp.Click(chromedp.CSS(`#upload-form button`)),
		chromedp.WaitVisible(chromedp.CSS(`#mapping-form`)))
	if issues := b.text(`#issues`); !strings.Contains(issues, "预算") || !strings.Contains(issues, "很多") {
		t.Errorf("dry run does not show the bad budget: %s", issues)
	}
	// 备注 is unknown (a custom field by default); map it to the province.
	b.do(chromedp.SetValue(chromedp.CSS(`#col2`), "province"),
		chromedp.Click(chromedp.CSS(`#recheck`)),
		chromedp.WaitReady(chromedp.CSS(`#confirm-form input[name="col2"][value="province"]`)))
	if counts := b.text(`#dry-counts`); !strings.Contains(counts, "将新增 2") {
		t.Errorf("dry run counts: %s", counts)
	}
	screenshot(t, b.ctx, "uiwiz-02-preview")

	b.do(chromedp.SetValue(chromedp.CSS(`#import-source`), "public"),
		chromedp.SetValue(chromedp.CSS(`#import-detail`), "2025 展会名单"),
		chromedp.Click(chromedp.CSS(`#run-import`)),
		chromedp.WaitVisible(chromedp.CSS(`#result-counts`)))
	if res := b.text(`#result`); !strings.Contains(res, "已导入 2，更新 0，拒绝 0") || !strings.Contains(res, "imported 2, updated 0, rejected 0") {
		t.Errorf("result: %s", res)
	}
	b.do(chromedp.WaitVisible(chromedp.CSS(`#errors-xlsx`)))
	screenshot(t, b.ctx, "uiwiz-03-result")
	resultURL, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}

	b.do(chromedp.Navigate(b.base+"/customers"), chromedp.WaitVisible(chromedp.CSS(`table`)))
	if list := b.text(`main`); !strings.Contains(list, "浏览器测试有限公司") || !strings.Contains(list, "华东") {
		t.Errorf("imported customer not in the list: %.500s", list)
	}
	screenshot(t, b.ctx, "uiwiz-04-customers")

	// The registry editor: a duplicate key is refused, a new field is added.
	b.do(chromedp.Navigate(b.base+"/admin/fields"), chromedp.WaitVisible(chromedp.CSS(`#field-form`)),
		chromedp.SetValue(chromedp.CSS(`#field-key`), "industry"),
		chromedp.SetValue(chromedp.CSS(`#field-label-zh`), "行业2"),
		chromedp.Click(chromedp.CSS(`#add-field-button`)),
		chromedp.WaitVisible(chromedp.CSS(`#field-error`)))
	if msg := b.text(`#field-error`); !strings.Contains(msg, "已存在") {
		t.Errorf("duplicate key message: %s", msg)
	}
	b.do(chromedp.SetValue(chromedp.CSS(`#field-key`), "competitor_info"),
		chromedp.SetValue(chromedp.CSS(`#field-label-zh`), "竞争对手信息"),
		chromedp.SetValue(chromedp.CSS(`#field-label-en`), "Competitor info"),
		chromedp.SetValue(chromedp.CSS(`#field-category`), "background"),
		chromedp.Click(chromedp.CSS(`#add-field-button`)),
		chromedp.WaitVisible(chromedp.CSS(`#field-added`)),
		chromedp.WaitVisible(chromedp.CSS(`#field-competitor_info`)))
	screenshot(t, b.ctx, "uiwiz-05-fields")

	b.do(chromedp.Navigate(b.base+"/customers"), chromedp.WaitVisible(chromedp.CSS(`table`)),
		chromedp.Click(chromedp.Search(`//a[text()="浏览器测试有限公司"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#edit summary`)),
		chromedp.Click(chromedp.CSS(`#edit summary`)),
		chromedp.WaitVisible(chromedp.CSS(`#edit-form input[name="competitor_info"]`)),
		chromedp.SetValue(chromedp.CSS(`#edit-form input[name="competitor_info"]`), "阿里云"),
		chromedp.Submit(chromedp.CSS(`#edit-form input[name="competitor_info"]`)),
		// The saved value's source badge exists only on the page after the save.
		chromedp.WaitVisible(chromedp.CSS(`a[href$="/fields/competitor_info"]`)))
	if p := b.text(`main`); !strings.Contains(p, "竞争对手信息") || !strings.Contains(p, "阿里云") {
		t.Errorf("custom field not on the profile: %.800s", p)
	}
	screenshot(t, b.ctx, "uiwiz-06-profile")

	// Undo from the result page: the customers the run created leave the list.
	b.do(chromedp.Navigate(resultURL), chromedp.WaitVisible(chromedp.CSS(`#undo-form button`)),
		chromedp.Click(chromedp.CSS(`#undo-form button`)),
		chromedp.WaitNotPresent(chromedp.CSS(`#undo-form`)))
	if res := b.text(`main`); !strings.Contains(res, "本次导入已撤销") {
		t.Errorf("undo: %.500s", res)
	}
	screenshot(t, b.ctx, "uiwiz-07-undone")
	b.do(chromedp.Navigate(b.base+"/customers"), chromedp.WaitVisible(chromedp.CSS(`main`)))
	if list := b.text(`main`); strings.Contains(list, "乙浏览器公司") {
		t.Errorf("customer of the undone import still listed: %.500s", list)
	}
}
