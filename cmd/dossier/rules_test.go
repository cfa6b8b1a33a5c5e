package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The day-one promise: demo, then score --json shows value, tier,
// tags, risks, ICP fit and the next follow-up from the shipped rules.
func TestScoreShowsAnalysis(t *testing.T) {
	for name, db := range stores(t) {
		t.Run(name, func(t *testing.T) {
			env := map[string]string{"DOSSIER_DB": db}
			if code, _, errOut := runCLI(t, env, "demo", "--customers", "120", "--seed", "3", "--as-of", "2026-06-30"); code != 0 {
				t.Fatalf("demo: %s", errOut)
			}
			code, out, errOut := runCLI(t, env, "score", "--json", "--as-of", "2026-06-30")
			if code != 0 {
				t.Fatalf("score: %s", errOut)
			}
			seen := map[string]int{}
			for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
				var m struct {
					Value, Tier, NextFollowUp string
					Tags                      []string
					Risks                     []struct{ Category, Level, Trigger string }
					ICP                       map[string]int
					RuleErrors                []any `json:"rule_errors"`
				}
				if err := json.Unmarshal([]byte(l), &m); err != nil {
					t.Fatal(err)
				}
				var raw map[string]any
				_ = json.Unmarshal([]byte(l), &raw)
				for _, k := range []string{"id", "name", "r", "f", "m", "v", "total", "priority", "value", "tier", "tags", "risks", "icp", "next_follow_up"} {
					if _, ok := raw[k]; !ok {
						t.Fatalf("line lacks %s: %s", k, l)
					}
				}
				if m.Value == "" || m.Tier == "" || raw["next_follow_up"] == "" || len(m.RuleErrors) > 0 {
					t.Fatalf("incomplete analysis: %s", l)
				}
				for _, tag := range m.Tags {
					if tag == "行为-近3个月无沟通-需重点跟进" {
						seen["no-contact"]++
					}
				}
				for _, r := range m.Risks {
					seen[r.Category]++
				}
				if _, ok := m.ICP["制造业中型企业(种子001)"]; ok {
					seen["icp"]++
				}
			}
			for _, k := range []string{"no-contact", "financial", "cooperation", "icp"} {
				if seen[k] == 0 {
					t.Errorf("no customer shows %s: %v", k, seen)
				}
			}
			code, out, _ = runCLI(t, env, "tasks", "--overdue", "--as-of", "2026-09-30", "--json")
			if code != 0 || !strings.Contains(out, `"overdue":true`) {
				t.Errorf("tasks --overdue: exit %d: %.300s", code, out)
			}
		})
	}
}

func TestRulesSetRefusesBadRule(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"DOSSIER_DB": filepath.Join(dir, "d.db")}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`[{"id":"x","category":"financial","level":"high","when":"debt_ratio >\n  70 +","trigger":"\"t\""}]`), 0o600)
	code, _, errOut := runCLI(t, env, "rules", "set", "risks", bad)
	if code != 1 || !strings.Contains(errOut, "line 2, column") || !strings.Contains(errOut, "nothing saved") {
		t.Errorf("bad rule: exit %d: %s", code, errOut)
	}
	good := filepath.Join(dir, "good.json")
	os.WriteFile(good, []byte(`[{"id":"t","tag":"测试-有联系人","when":"contacts > 0"}]`), 0o600)
	if code, out, errOut := runCLI(t, env, "rules", "set", "tags", good); code != 0 || !strings.Contains(out, "version 1") {
		t.Fatalf("good rule: exit %d: %s %s", code, out, errOut)
	}
	_, out, _ := runCLI(t, env, "rules", "--json")
	if !strings.Contains(out, `"kind":"tags","version":1`) || !strings.Contains(out, "测试-有联系人") {
		t.Errorf("rules --json: %s", out)
	}
	if code, _, _ := runCLI(t, env, "rules", "set", "colours", good); code != 1 {
		t.Errorf("unknown kind: exit %d", code)
	}
	if code, _, _ := runCLI(t, env, "rules", "set"); code != 2 {
		t.Errorf("missing arguments: exit %d", code)
	}
}
