package main

import (
	"context"
	"fmt"
	"strconv"

	"github.com/dossier/dossier"
)

// runTask makes a task by hand or removes one, through the same store
// methods as POST and DELETE /api/v1/tasks, audited alike.
func runTask(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usagef("use 'dossier task add CUSTOMER_ID TITLE --due DATE [--owner O]' or 'task rm ID'")
	}
	fs := newFlags("task")
	db := dbFlag(fs, e)
	due := fs.String("due", "", "due date, e.g. 2026-12-01")
	owner := fs.String("owner", "", "who does it (default: the customer's owner)")
	pos, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	store, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	by := cliUser(e)
	switch sub := args[0]; {
	case sub == "add" && len(pos) == 2:
		id, err := strconv.ParseInt(pos[0], 10, 64)
		if err != nil {
			return usagef("CUSTOMER_ID %q is not a number", pos[0])
		}
		c, err := store.FindCustomerByID(ctx, id)
		if err != nil {
			return err
		}
		if *owner == "" {
			*owner = c.Owner
		}
		t, err := store.CreateTask(ctx, dossier.NewTask{CustomerID: id, Owner: *owner, Title: pos[1], Due: *due}, by)
		if err != nil {
			if dossier.ErrorCode(err) == dossier.EINVALID {
				return usagef("%s", dossier.ErrorMessage(err))
			}
			return err
		}
		if err := store.RecordAudit(ctx, &dossier.AuditEntry{User: by, Action: dossier.AuditTaskCreate, Entity: "customer", EntityID: id,
			Detail: fmt.Sprintf("task %d for %s due %s: %s", t.ID, t.Owner, t.Due, t.Title)}); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "task %d for customer %d due %s\n", t.ID, id, t.Due)
		return nil
	case sub == "rm" && len(pos) == 1:
		id, err := strconv.ParseInt(pos[0], 10, 64)
		if err != nil {
			return usagef("ID %q is not a number", pos[0])
		}
		ts, err := store.FindTasks(ctx, dossier.TaskFilter{ID: id})
		if err != nil {
			return err
		}
		if len(ts) == 0 {
			return dossier.Errorf(dossier.ENOTFOUND, "no task %d", id)
		}
		t := ts[0]
		if err := store.DeleteTask(ctx, id, t.Version); err != nil {
			return err
		}
		if err := store.RecordAudit(ctx, &dossier.AuditEntry{User: by, Action: dossier.AuditTaskDelete, Entity: "customer", EntityID: t.CustomerID,
			Detail: fmt.Sprintf("task %d (%s, due %s, %s)", t.ID, t.Title, t.Due, t.Status)}); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "task %d removed\n", id)
		return nil
	}
	return usagef("use 'dossier task add CUSTOMER_ID TITLE --due DATE [--owner O]' or 'task rm ID'")
}

// runCustomer removes a customer as DELETE /api/v1/customers/{id} does:
// hidden from every list and count, its facts kept, audited.
func runCustomer(ctx context.Context, e *env, args []string) error {
	fs := newFlags("customer")
	db := dbFlag(fs, e)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 || pos[0] != "rm" {
		return usagef("use 'dossier customer rm ID'")
	}
	id, err := strconv.ParseInt(pos[1], 10, 64)
	if err != nil {
		return usagef("ID %q is not a number", pos[1])
	}
	store, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	c, err := store.FindCustomerByID(ctx, id)
	if err != nil {
		return err
	}
	if err := store.DeleteCustomer(ctx, id, c.Version, dossier.AuditEntry{User: cliUser(e)}); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "customer %d (%s) removed\n", id, c.Name)
	return nil
}
