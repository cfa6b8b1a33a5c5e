package main

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/dossier/dossier"
)

// runSegment saves, lists and shows segments: named filter expressions.
func runSegment(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usagef("use 'dossier segment add NAME EXPR [--owner O] [--shared]', 'segment list [--json]', 'segment show NAME' or 'segment rm NAME'")
	}
	fs := newFlags("segment")
	db := dbFlag(fs, e)
	owner := fs.String("owner", "", "who owns the segment (default: the operating-system user)")
	shared := fs.Bool("shared", false, "share the segment with every user")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	store, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	switch sub := args[0]; {
	case sub == "add" && len(pos) == 2:
		s := &dossier.Segment{Name: pos[0], Expression: pos[1], Owner: *owner, Shared: *shared}
		if s.Owner == "" {
			s.Owner = cliUser(e)
		}
		if err := store.CreateSegment(ctx, s); err != nil {
			if dossier.ErrorCode(err) == dossier.EINVALID {
				return usagef("%s", dossier.ErrorMessage(err))
			}
			return err
		}
		fmt.Fprintf(e.stdout, "segment %s saved\n", s.Name)
		return nil
	case sub == "list" && len(pos) == 0:
		ss, err := store.Segments(ctx, "")
		if err != nil {
			return err
		}
		if *asJSON {
			enc := json.NewEncoder(e.stdout)
			for _, s := range ss {
				if err := enc.Encode(s); err != nil {
					return err
				}
			}
			return nil
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tOWNER\tSHARED\tEXPRESSION")
		for _, s := range ss {
			fmt.Fprintf(tw, "%s\t%s\t%v\t%s\n", s.Name, s.Owner, s.Shared, s.Expression)
		}
		return tw.Flush()
	case sub == "show" && len(pos) == 1:
		s, err := store.FindSegment(ctx, pos[0])
		if err != nil {
			return err
		}
		_, n, err := store.FindCustomers(ctx, dossier.CustomerFilter{Expr: s.Expression, Limit: 1})
		if err != nil {
			return err
		}
		if *asJSON {
			return json.NewEncoder(e.stdout).Encode(struct {
				*dossier.Segment
				Customers int `json:"customers"`
			}{s, n})
		}
		fmt.Fprintf(e.stdout, "%s (owner %s, shared %v)\n%s\n%d customers\n", s.Name, s.Owner, s.Shared, s.Expression, n)
		return nil
	case sub == "rm" && len(pos) == 1:
		s, err := store.FindSegment(ctx, pos[0])
		if err != nil {
			return err
		}
		if err := store.DeleteSegment(ctx, s.ID, s.Version); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "segment %s removed\n", s.Name)
		return nil
	}
	return usagef("use 'dossier segment add NAME EXPR', 'segment list', 'segment show NAME' or 'segment rm NAME'")
}
