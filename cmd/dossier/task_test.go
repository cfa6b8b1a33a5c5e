package main

import (
	"context"
	"strings"
	"testing"

	"github.com/dossier/dossier"
)

// task add and rm, segment rm and customer rm go through the store's
// service methods (the API's), on both stores.
func TestTaskSegmentCustomerRemoval(t *testing.T) {
	for kind, db := range stores(t) {
		t.Run(kind, func(t *testing.T) {
			if code, _, errOut := runCLI(t, nil, "demo", "--customers", "20", "--db", db); code != 0 {
				t.Fatal(errOut)
			}
			env := map[string]string{"USER": "ops"}
			code, out, errOut := runCLI(t, env, "task", "add", "3", "电话回访", "--due", "2026/12/1", "--owner", "li", "--db", db)
			if code != 0 || !strings.Contains(out, "for customer 3 due 2026-12-01") {
				t.Fatalf("task add: %d %q %q", code, out, errOut)
			}
			id := strings.Fields(out)[1] // "task N for customer …"
			if code, _, errOut := runCLI(t, env, "task", "add", "3", "x", "--due", "someday", "--db", db); code != 2 {
				t.Errorf("bad due date: %d %q", code, errOut)
			}
			if code, out, errOut := runCLI(t, env, "task", "rm", id, "--db", db); code != 0 || !strings.Contains(out, "removed") {
				t.Errorf("task rm %s: %d %q %q", id, code, out, errOut)
			}
			if code, _, _ := runCLI(t, env, "task", "rm", id, "--db", db); code != 1 {
				t.Errorf("task rm twice: %d", code)
			}
			if code, _, errOut := runCLI(t, env, "segment", "add", "待删", "grade = 重点", "--db", db); code != 0 {
				t.Fatal(errOut)
			}
			if code, out, errOut := runCLI(t, env, "segment", "rm", "待删", "--db", db); code != 0 || !strings.Contains(out, "segment 待删 removed") {
				t.Errorf("segment rm: %d %q %q", code, out, errOut)
			}
			if code, out, errOut := runCLI(t, env, "customer", "rm", "3", "--db", db); code != 0 || !strings.Contains(out, "customer 3") {
				t.Fatalf("customer rm: %d %q %q", code, out, errOut)
			}
			store, err := openStore(context.Background(), db)
			if err != nil {
				t.Fatal(err)
			}
			defer store.Close()
			if _, err := store.FindCustomerByID(context.Background(), 3); dossier.ErrorCode(err) != dossier.ENOTFOUND {
				t.Errorf("customer 3 after rm: %v", err)
			}
			es, _, err := store.FindAudit(context.Background(), dossier.AuditFilter{User: "cli:ops"})
			if err != nil {
				t.Fatal(err)
			}
			var actions []string
			for _, e := range es {
				actions = append(actions, e.Action)
			}
			if got := strings.Join(actions, " "); got != "customer.delete task.delete task.create" {
				t.Errorf("audited %q", got)
			}
		})
	}
}
