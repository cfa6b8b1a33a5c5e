package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"runtime/debug"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/rules"
	"github.com/dossier/dossier/sqldb"
)

func runScore(ctx context.Context, e *env, args []string) error {
	fs := newFlags("score")
	db := dbFlag(fs, e)
	asOfFlag := fs.String("as-of", "", "score as of this date (default today)")
	asJSON := fs.Bool("json", false, "print one JSON object per customer")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	asOf, err := parseAsOf(*asOfFlag)
	if err != nil {
		return err
	}
	store, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	settings, err := loadScoreSettings(ctx, store)
	if err != nil {
		return err
	}
	engine, err := rules.Load(ctx, store)
	if err != nil {
		return err
	}
	tuneGC(e)
	out := bufio.NewWriter(e.stdout)
	defer out.Flush()
	tiers := map[string]int{}
	var risky, ruleErrors int
	enc := json.NewEncoder(out)
	n, err := store.RecomputeAll(ctx, asOf, settings, engine.Terse(), func(s dossier.Score, a *dossier.Analysis) error {
		tiers[s.Priority]++
		risky += min(len(a.Risks), 1)
		ruleErrors += len(a.Errors)
		if *asJSON {
			return enc.Encode(newScoreLine(s, a))
		}
		return nil
	})
	if err != nil {
		return err
	}
	if !*asJSON {
		fmt.Fprintf(out, "scored %d customers as of %s: high %d, medium %d, low %d; %d with open risks\n",
			n, dossier.FormatDate(asOf), tiers["high"], tiers["medium"], tiers["low"], risky)
		if ruleErrors > 0 {
			fmt.Fprintf(out, "%d rule evaluations failed and were left out; see rule_errors in --json\n", ruleErrors)
		}
	}
	return nil
}

// scoreLine is one line of score --json: the R14 score with the analysis.
type scoreLine struct {
	dossier.Score
	Value        string              `json:"value"`
	Grade        string              `json:"grade"`
	Tier         string              `json:"tier"`
	Cadence      string              `json:"cadence"`
	Tags         []string            `json:"tags"`
	Risks        []riskLine          `json:"risks"`
	ICP          map[string]int      `json:"icp"`
	NextFollowUp string              `json:"next_follow_up"`
	Strategies   []string            `json:"strategies"`
	RuleErrors   []dossier.RuleError `json:"rule_errors,omitempty"`
}

type riskLine struct {
	Category string `json:"category"`
	Level    string `json:"level"`
	Trigger  string `json:"trigger"`
}

func newScoreLine(s dossier.Score, a *dossier.Analysis) scoreLine {
	l := scoreLine{Score: s, Value: a.Value, Grade: a.Grade, Tier: a.Tier, Cadence: a.Cadence, Tags: a.Tags,
		Risks: []riskLine{}, ICP: map[string]int{}, NextFollowUp: a.NextFollowUp, Strategies: []string{}, RuleErrors: a.Errors}
	for _, r := range a.Risks {
		l.Risks = append(l.Risks, riskLine{r.Category, r.Level, r.Trigger})
	}
	for _, f := range a.ICP {
		l.ICP[f.Name] = f.Fit
	}
	for _, st := range a.Strategies {
		l.Strategies = append(l.Strategies, st.Name)
	}
	return l
}

// loadScoreSettings returns the team's score settings, or the defaults.
func loadScoreSettings(ctx context.Context, store *sqldb.DB) (dossier.ScoreSettings, error) {
	s := dossier.DefaultScoreSettings()
	_, err := store.Setting(ctx, dossier.ScoreSettingsKey, &s)
	return s, err
}

// tuneGC raises the GC target for a bulk recompute unless GOGC is set: it
// allocates a batch's worth of short-lived values at a time and keeps
// little, so collecting a quarter as often costs ~100 MB more and saves
// about a sixth of the CPU (BENCHMARKS.md).
func tuneGC(e *env) {
	if e.getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
}
