package main

import (
	"context"
	"fmt"
	"strconv"
	"text/tabwriter"

	"github.com/dossier/dossier"
)

// runFacts prints a customer's facts, oldest first, marking the ones that
// currently win: the provenance behind every profile value.
func runFacts(ctx context.Context, e *env, args []string) error {
	fs := newFlags("facts")
	db := dbFlag(fs, e)
	field := fs.String("field", "", "only this field's history")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("facts needs one customer id")
	}
	id, err := strconv.ParseInt(pos[0], 10, 64)
	if err != nil {
		return usagef("customer id %q is not a number", pos[0])
	}
	store, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	obs, err := store.Observations(ctx, id)
	if err != nil {
		return err
	}
	facts := dossier.Facts(obs)
	won := store.Policy().Resolve(facts)
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FIELD\tVALUE\tCURRENT\tCHANNEL\tSOURCE\tCOLLECTED\tBY\tREMARK")
	for _, f := range facts {
		if *field != "" && f.Field != *field {
			continue
		}
		cur := ""
		if w := won[f.Field]; w.ObservationID == f.ObservationID {
			cur = "*"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", f.Field, f.Value, cur, f.Source.Channel, f.Source.Detail,
			dossier.FormatDate(f.Source.CollectedAt), f.Source.CollectedBy, f.Remark)
	}
	return tw.Flush()
}
