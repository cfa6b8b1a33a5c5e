package main

import (
	"context"
	"fmt"

	"github.com/dossier/dossier"
)

// runShare shares a customer with its owner's team (issue #8), or with
// --off stops sharing it. The command line acts as the operator of the
// store, like an admin; the change is audited as a customer.update.
func runShare(ctx context.Context, e *env, args []string) error {
	fs := newFlags("share")
	db := dbFlag(fs, e)
	off := fs.Bool("off", false, "stop sharing the customer with its team")
	id, err := parseOneID(fs, args, "customer id")
	if err != nil {
		return err
	}
	store, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.SetCustomerShared(ctx, id, !*off, dossier.AuditEntry{User: cliUser(e)}); err != nil {
		return err
	}
	c, err := store.FindCustomerByID(ctx, id)
	if err != nil {
		return err
	}
	if c.SharedWithTeam {
		fmt.Fprintf(e.stdout, "customer %d (%s) is shared with team %q\n", c.ID, c.Name, c.Team)
	} else {
		fmt.Fprintf(e.stdout, "customer %d (%s) is no longer shared with its team\n", c.ID, c.Name)
	}
	return nil
}
