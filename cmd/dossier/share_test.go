package main

import (
	"strings"
	"testing"
)

func TestShareCommand(t *testing.T) {
	for name, db := range stores(t) {
		t.Run(name, func(t *testing.T) {
			env := map[string]string{"DOSSIER_DB": db, "USER": "tester"}
			if code, _, errOut := runCLI(t, env, "demo", "--customers", "20", "--seed", "3"); code != 0 {
				t.Fatalf("demo: %s", errOut)
			}
			code, out, errOut := runCLI(t, env, "share", "1")
			if code != 0 || !strings.Contains(out, "is shared with team") {
				t.Fatalf("share: exit %d: %s %s", code, out, errOut)
			}
			code, out, errOut = runCLI(t, env, "share", "1", "--off")
			if code != 0 || !strings.Contains(out, "no longer shared") {
				t.Fatalf("share --off: exit %d: %s %s", code, out, errOut)
			}
			if code, _, errOut := runCLI(t, env, "share", "99999"); code != 1 || !strings.Contains(errOut, "not found") {
				t.Errorf("share of a missing customer: exit %d: %s", code, errOut)
			}
			if code, _, _ := runCLI(t, env, "share"); code != 2 {
				t.Errorf("share without an id: exit %d, want 2", code)
			}
		})
	}
}
