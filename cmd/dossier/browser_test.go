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
	exe := os.Getenv("DOSSIER_TEST_CHROMIUM")
	if exe == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("DOSSIER_TEST_CHROMIUM is not set: CI must run the browser tests")
		}
		t.Skip("DOSSIER_TEST_CHROMIUM not set")
	}
	base, admin := startServer(t, filepath.Join(t.TempDir(), "d.db"), "--demo", "--demo-customers", "60")

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelA()
	// A whole-test timeout on the allocator bounds a browser that hangs.
	actx, cancelT := context.WithTimeout(actx, 120*time.Second)
	defer cancelT()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	text := func(sel string) string {
		v, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return v
	}
	do := func(steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatal(err)
		}
	}
	do(chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS(`input[name="name"]`)))
	screenshot(t, ctx, "01-login")
	do(chromedp.SendKeys(chromedp.CSS(`input[name="name"]`), "admin"),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), admin),
		chromedp.Submit(chromedp.CSS(`input[name="password"]`)),
		chromedp.WaitVisible(chromedp.CSS(`table`)))
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
