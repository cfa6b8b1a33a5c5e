package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserWizardKindsAndFieldEditor imports a contacts file through the
// wizard in Chinese, sees the per-row reason in Chinese, changes the
// mapping, confirms; then adds, edits and retires a custom field and
// opens the users page. Each screen is checked at 1280×800 and at a tablet
// width (768×1024) for labelled inputs and no sideways scrolling, and the
// confirm and save buttons are reached with the Tab key alone.
func TestBrowserWizardKindsAndFieldEditor(t *testing.T) {
	b := newBrowser(t, "--demo", "--demo-customers", "20")
	b.login()
	b.do(chromedp.WaitVisible(chromedp.CSS(`header nav`)))
	file := filepath.Join(t.TempDir(), "联系人.csv")
	data := "客户编号,姓名,职务,电话\n1,浏览器联系人,采购经理,13800138000\n1,,经理,13900000000\n"
	if err := os.WriteFile(file, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}

	b.do(chromedp.Navigate(b.base+"/import"), chromedp.WaitVisible(chromedp.CSS(`#upload-form`)))
	b.checkScreen("uiwiz2-01-upload")
	b.do(chromedp.SetValue(chromedp.CSS(`#import-kind`), "contacts"),
		chromedp.SetUploadFiles(chromedp.CSS(`#import-file`), []string{file}),
		chromedp.Click(chromedp.CSS(`#upload-button`)),
		chromedp.WaitVisible(chromedp.CSS(`#mapping-form`)))
	issues := b.text(`#issues`)
	if !strings.Contains(issues, "缺少联系人姓名（整行未导入）") || strings.Contains(issues, "rejected") || strings.Contains(issues, "no contact") {
		t.Errorf("the per-row reason is not in Chinese: %s", issues)
	}
	// 职务 is detected as the contact's title; the user leaves it out.
	b.do(chromedp.SetValue(chromedp.CSS(`#col2`), "-"),
		chromedp.Click(chromedp.CSS(`#recheck`)),
		chromedp.WaitReady(chromedp.CSS(`#confirm-form input[name="col2"][value="-"]`)))
	if counts := b.text(`#dry-counts`); !strings.Contains(counts, "更新 1，拒绝 1") {
		t.Errorf("dry run counts: %s", counts)
	}
	b.checkScreen("uiwiz2-02-preview")
	b.tabTo("run-import")

	b.do(chromedp.Click(chromedp.CSS(`#run-import`)), chromedp.WaitVisible(chromedp.CSS(`#result-counts`)))
	if res := b.text(`#result`); !strings.Contains(res, "联系人") || !strings.Contains(res, "更新 1，拒绝 1") {
		t.Errorf("result: %s", res)
	}
	b.do(chromedp.WaitVisible(chromedp.CSS(`#errors-csv`)))
	b.checkScreen("uiwiz2-03-result")
	b.do(chromedp.Navigate(b.base+"/customers/1"), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
	if p := b.text(`main`); !strings.Contains(p, "浏览器联系人") {
		t.Errorf("imported contact not on the profile: %.500s", p)
	}

	// The field editor: add an enumeration, edit it, retire it.
	b.do(chromedp.Navigate(b.base+"/admin/fields"), chromedp.WaitVisible(chromedp.CSS(`#field-form`)),
		chromedp.SetValue(chromedp.CSS(`#field-key`), "competitor_level"),
		chromedp.SetValue(chromedp.CSS(`#field-label-zh`), "竞争强度"),
		chromedp.SetValue(chromedp.CSS(`#field-type`), "enum"),
		chromedp.SetValue(chromedp.CSS(`#field-options`), "high=高, low=低"),
		chromedp.Click(chromedp.CSS(`#add-field-button`)),
		chromedp.WaitVisible(chromedp.CSS(`#field-added`)))
	b.checkScreen("uiwiz2-04-fields")
	b.do(chromedp.Click(chromedp.CSS(`#edit-competitor_level`)), chromedp.WaitVisible(chromedp.CSS(`#field-edit-form`)))
	b.do(chromedp.SetValue(chromedp.CSS(`#edit-label-zh`), "竞争激烈程度"),
		chromedp.SetValue(chromedp.CSS(`#edit-label-en`), "Competition"),
		chromedp.SetValue(chromedp.CSS(`#edit-help-zh`), "按销售判断填写"),
		chromedp.SetValue(chromedp.CSS(`#edit-options`), "high=高=High, mid=中=Medium, low=低=Low"),
		chromedp.Click(chromedp.CSS(`#edit-required`)))
	b.tabTo("save-field")
	b.do(chromedp.Click(chromedp.CSS(`#save-field`)), chromedp.WaitVisible(chromedp.CSS(`#field-saved`)))
	if v := b.text(`#versions`); !strings.Contains(v, "v2") || !strings.Contains(v, "竞争激烈程度") || !strings.Contains(v, "竞争强度") {
		t.Errorf("versions: %s", v)
	}
	b.checkScreen("uiwiz2-05-field-edit")
	// A duplicate option is refused with a Chinese message.
	b.do(chromedp.SetValue(chromedp.CSS(`#edit-options`), "high=高, high=很高"),
		chromedp.Click(chromedp.CSS(`#save-field`)), chromedp.WaitVisible(chromedp.CSS(`#field-error`)))
	if msg := b.text(`#field-error`); !strings.Contains(msg, "可选值“high”重复") {
		t.Errorf("validation message: %s", msg)
	}
	b.do(chromedp.Navigate(b.base+"/admin/fields/competitor_level"), chromedp.WaitVisible(chromedp.CSS(`#retire-field`)),
		chromedp.Click(chromedp.CSS(`#retire-field`)), chromedp.WaitVisible(chromedp.CSS(`#field-retired`)))
	b.checkScreen("uiwiz2-06-field-retired")
	b.do(chromedp.Navigate(b.base+"/admin/fields"), chromedp.WaitVisible(chromedp.CSS(`#fields`)))
	if row := b.text(`#field-competitor_level`); !strings.Contains(row, "已停用") || !strings.Contains(row, "竞争激烈程度") {
		t.Errorf("retired field row: %s", row)
	}

	// Users, teams and roles.
	b.do(chromedp.Navigate(b.base+"/admin/users"), chromedp.WaitVisible(chromedp.CSS(`#add-user-form`)))
	b.checkScreen("uiwiz2-07-users")
}

// checkScreen checks the page at 1280×800 and at 768×1024: every visible
// input has a label, the page does not scroll sideways; it saves a
// screenshot of each size.
func (b *browser) checkScreen(name string) {
	b.t.Helper()
	for _, size := range []struct {
		w, h   int64
		suffix string
	}{{768, 1024, "-tablet"}, {1280, 800, ""}} {
		b.do(chromedp.EmulateViewport(size.w, size.h))
		unlabelled, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('input, select, textarea'))
			.filter(e => e.type !== 'hidden' && !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
			.map(e => e.outerHTML.slice(0, 120))`))
		if err != nil {
			b.t.Fatal(err)
		}
		if len(unlabelled) > 0 {
			b.t.Errorf("%s: inputs without a label: %v", name, unlabelled)
		}
		wide, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`))
		if err != nil {
			b.t.Fatal(err)
		}
		if wide {
			culprits, _ := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('body *'))
				.filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest(".scroll"))
				.slice(0, 5).map(e => e.tagName + "." + e.className + " " + Math.round(e.getBoundingClientRect().right) + " " + getComputedStyle(e).overflowX + " " + e.clientWidth)`))
			b.t.Logf("wider than the window: %v", culprits)
			b.t.Errorf("%s scrolls sideways at %d×%d", name, size.w, size.h)
		}
		screenshot(b.t, b.ctx, name+size.suffix)
	}
}

// tabTo presses Tab from the top of the page until the element with the
// given id has the focus, and fails if it is not reached.
func (b *browser) tabTo(id string) {
	b.t.Helper()
	b.do(chromedp.Evaluate[chromedp.Void](`document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)`))
	for i := 0; i < 120; i++ {
		b.do(chromedp.KeyEvent("\t"))
		got, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.activeElement ? document.activeElement.id : ''`))
		if err != nil {
			b.t.Fatal(err)
		}
		if got == id {
			return
		}
	}
	b.t.Errorf("#%s is not reached with the Tab key", id)
}
