package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/sqldb"
)

// scoreSettingsKey is where a team's changed score thresholds are kept.
const scoreSettingsKey = "score"

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
	out := bufio.NewWriter(e.stdout)
	defer out.Flush()
	tiers := map[string]int{}
	enc := json.NewEncoder(out)
	n, err := store.RecomputeScores(ctx, asOf, settings, func(s dossier.Score) error {
		tiers[s.Priority]++
		if *asJSON {
			return enc.Encode(s)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if !*asJSON {
		fmt.Fprintf(out, "scored %d customers as of %s: high %d, medium %d, low %d\n",
			n, dossier.FormatDate(asOf), tiers["high"], tiers["medium"], tiers["low"])
	}
	return nil
}

// loadScoreSettings returns the team's score settings, or the defaults.
func loadScoreSettings(ctx context.Context, store *sqldb.DB) (dossier.ScoreSettings, error) {
	s := dossier.DefaultScoreSettings()
	_, err := store.Setting(ctx, scoreSettingsKey, &s)
	return s, err
}
