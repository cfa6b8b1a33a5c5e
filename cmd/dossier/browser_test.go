package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowser drives the real program in a real Chromium: sign in, see the
// customer list, open a profile, switch to English. It needs
// DOSSIER_TEST_CHROMIUM (the browser binary); CI sets it and fails without.
// Screenshots go to DOSSIER_SCREENSHOTS when set.
func TestBrowser(t *testing.T) {
	b := newBrowser(t, "--demo", "--demo-customers", "60")
	ctx, do, text := b.ctx, b.do, b.text
	base, admin := b.base, b.admin
	do(chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS(`input[name="name"]`)))
	screenshot(t, ctx, "01-login")
	do(chromedp.SendKeys(chromedp.CSS(`input[name="name"]`), "admin"),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), admin),
		chromedp.Submit(chromedp.CSS(`input[name="password"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#home-key`)))
	if home := text(`main`); !strings.Contains(home, "工作台") || !strings.Contains(home, "重点客户") {
		t.Errorf("sign-in does not land on the home page: %.300s", home)
	}
	screenshot(t, ctx, "02-home")
	do(chromedp.Navigate(base+"/customers"), chromedp.WaitVisible(chromedp.CSS(`table`)))
	if list := text(`main`); !strings.Contains(list, "有限公司") {
		t.Errorf("list shows no companies: %.300s", list)
	}
	screenshot(t, ctx, "02-customers")
	do(chromedp.Click(chromedp.CSS(`table tbody tr:first-child td a`)), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
	if profile := text(`main`); !strings.Contains(profile, "基础信息") {
		t.Errorf("profile lacks the basic-information category: %.300s", profile)
	}
	screenshot(t, ctx, "03-profile")
	do(chromedp.Click(chromedp.CSS(`header .account a`)), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
	if en := text(`body`); !strings.Contains(en, "Basic information") {
		t.Errorf("English switch did not take: %.300s", en)
	}
	screenshot(t, ctx, "04-profile-en")
}

// browser is a running dossier server (SQLite in a temporary folder) and a
// real Chromium tab on it. Each browser test starts its own.
type browser struct {
	ctx         context.Context
	base, admin string // server URL and the admin's password
	t           *testing.T
}

// newBrowser starts `dossier serve` with the extra args and a Chromium tab.
// It needs DOSSIER_TEST_CHROMIUM (the browser binary); CI sets it and fails
// without.
func newBrowser(t *testing.T, serveArgs ...string) *browser {
	t.Helper()
	exe := os.Getenv("DOSSIER_TEST_CHROMIUM")
	if exe == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("DOSSIER_TEST_CHROMIUM is not set: CI must run the browser tests")
		}
		t.Skip("DOSSIER_TEST_CHROMIUM not set")
	}
	base, admin := startServer(t, filepath.Join(t.TempDir(), "d.db"), serveArgs...)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelA)
	// A whole-test timeout on the allocator bounds a browser that hangs.
	actx, cancelT := context.WithTimeout(actx, 120*time.Second)
	t.Cleanup(cancelT)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	return &browser{ctx: ctx, base: base, admin: admin, t: t}
}

// do runs browser steps and fails the test on error.
func (b *browser) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatal(err)
	}
}

// text is the visible text of the first element matching the CSS selector.
func (b *browser) text(sel string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return v
}

// login signs in as admin and waits for the page after it.
func (b *browser) login() {
	b.t.Helper()
	b.do(chromedp.Navigate(b.base+"/login"), chromedp.WaitVisible(chromedp.CSS(`input[name="name"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name="name"]`), "admin"),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), b.admin),
		chromedp.Submit(chromedp.CSS(`input[name="password"]`)),
		chromedp.WaitVisible(chromedp.CSS(`main`)))
}

// screenshot saves the page as PNG under DOSSIER_SCREENSHOTS, if set.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("DOSSIER_SCREENSHOTS")
	if dir == "" {
		return
	}
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644); err != nil {
		t.Fatal(err)
	}
}
