package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestQualityIndexCommand(t *testing.T) {
	for name, db := range stores(t) {
		t.Run(name, func(t *testing.T) {
			env := map[string]string{"DOSSIER_DB": db, "USER": "tester"}
			if code, _, errOut := runCLI(t, env, "demo", "--customers", "120", "--seed", "5"); code != 0 {
				t.Fatalf("demo: %s", errOut)
			}
			code, out, errOut := runCLI(t, env, "quality", "--json")
			var st struct {
				Customers, Conflicts, Invalid int
				Current                       bool
			}
			if code != 0 || json.Unmarshal([]byte(out), &st) != nil {
				t.Fatalf("quality --json: exit %d: %s %s", code, out, errOut)
			}
			if !st.Current || st.Customers == 0 {
				t.Errorf("after demo the rows should be current and cover the customers: %+v", st)
			}
			_, conflicts, _ := runCLI(t, env, "conflicts", "--json")
			if n := strings.Count(conflicts, "\n"); n != st.Conflicts {
				t.Errorf("status counts %d conflicts, the list %d", st.Conflicts, n)
			}
			code, out, _ = runCLI(t, env, "quality", "--rebuild")
			if code != 0 || !strings.Contains(out, "rebuilt the quality rows of") || !strings.Contains(out, "rows current") {
				t.Errorf("quality --rebuild: exit %d: %s", code, out)
			}
			if code, _, _ := runCLI(t, env, "quality", "extra"); code != 2 {
				t.Errorf("an argument: exit %d, want 2", code)
			}
		})
	}
}
