package main

import (
	"context"
	stdcsv "encoding/csv"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/analytics"
)

// runClusters prints need clusters: groups of need descriptions or
// interaction summaries with the words that characterise them (R24).
func runClusters(ctx context.Context, e *env, args []string) error {
	fs := newFlags("clusters")
	af := newAnalysisFlags(fs, e)
	source := fs.String("source", analytics.TextNeeds, "needs (descriptions and pain points) or interactions (summaries and feedback)")
	by := fs.String("by", analytics.IndustryTop, `one clustering per value of this field; "" for all customers at once`)
	k := fs.Int("k", 0, fmt.Sprintf("clusters per group, 1 to %d; 0 chooses from the data", analytics.MaxClusters))
	since := fs.String("since", "", "interactions on or after this date (default: the last 12 months)")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	store, f, err := af.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	res, err := analytics.Clusters(ctx, store, analytics.ClusterRequest{
		Query: analytics.TextQuery{Filter: f, Source: *source, By: *by, Since: sinceOr(*since, time.Now())}, K: *k, Examples: true, Lang: *af.lang,
	})
	if err != nil {
		return badInput(err)
	}
	if *af.out.json {
		return json.NewEncoder(e.stdout).Encode(res)
	}
	recs := [][]string{{"group", "cluster", "records", "share", "terms", "example"}}
	for _, g := range res.Groups {
		name := label(analytics.Header{Key: g.Key, Label: g.Label}, *af.lang)
		for i, c := range g.Clusters {
			var terms []string
			for _, t := range c.Terms {
				terms = append(terms, t.Term)
			}
			example := ""
			if len(c.Examples) > 0 {
				example = c.Examples[0]
			}
			recs = append(recs, []string{name, fmt.Sprint(i + 1), fmt.Sprint(c.Count), fmt.Sprintf("%.1f%%", c.Share), strings.Join(terms, " "), example})
		}
	}
	if *af.out.csv {
		cw := stdcsv.NewWriter(e.stdout)
		_ = cw.WriteAll(recs)
		return cw.Error()
	}
	return writeRecords(e.stdout, recs)
}

// sinceOr is the first day of interactions a need cluster reads: the given
// date, or a year before now.
func sinceOr(since string, now time.Time) string {
	if since != "" {
		return since
	}
	return now.AddDate(-1, 0, 0).Format(dossier.DateLayout)
}
