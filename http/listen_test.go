package http

import (
	"context"
	"io"
	"log/slog"
	nethttp "net/http"
	"testing"
	"time"
)

// TestListenAndServe starts the server on port 0, reads the bound address
// from Ready, and checks that cancelling the context shuts it down cleanly.
func TestListenAndServe(t *testing.T) {
	e := newEnv(t)
	ready := make(chan string, 1)
	srv, err := NewServer(Config{Addr: "127.0.0.1:0", Logger: slog.New(slog.DiscardHandler), Ready: func(a string) { ready <- a }},
		Services{Customers: e.db, Records: e.db, Users: e.db, Scores: e.db, Fields: e.db, Audit: e.db, Personal: e.db, Dedupe: e.db, Quality: e.db, Pinger: e.db})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.ListenAndServe(ctx) }()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("ListenAndServe: %v", err)
	case <-time.After(5 * time.Second):
		t.Fatal("server did not become ready")
	}
	if srv.Addr() != addr {
		t.Errorf("Addr() = %q, Ready got %q", srv.Addr(), addr)
	}
	res, err := nethttp.Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || string(body) != "ok" {
		t.Errorf("healthz: %d %q", res.StatusCode, body)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("shutdown: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("server did not shut down")
	}
}

func TestNewServerChecks(t *testing.T) {
	e := newEnv(t)
	full := Services{Customers: e.db, Records: e.db, Users: e.db, Scores: e.db, Fields: e.db, Audit: e.db, Personal: e.db, Dedupe: e.db, Quality: e.db, Pinger: e.db}
	missing := full
	missing.Pinger = nil
	if _, err := NewServer(Config{}, missing); err == nil {
		t.Error("a missing service was accepted")
	}
	if _, err := NewServer(Config{CSRFKey: []byte("short")}, full); err == nil {
		t.Error("a short CSRF key was accepted")
	}
	if _, err := NewServer(Config{}, full); err != nil {
		t.Errorf("defaults: %v", err)
	}
}
