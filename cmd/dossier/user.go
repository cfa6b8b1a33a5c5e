package main

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"strings"

	"github.com/dossier/dossier"
)

func runUser(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "add" {
		return usagef("use 'dossier user add NAME --role ROLE [--team TEAM] [--password P]'")
	}
	fs := newFlags("user")
	db := dbFlag(fs, e)
	role := fs.String("role", "", "admin, manager, sales, service, marketing or analyst")
	team := fs.String("team", "", "team name")
	password := fs.String("password", "", "password (default: a generated one, printed once)")
	pos, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("user add needs one NAME")
	}
	if !dossier.ValidRole(*role) {
		return usagef("--role %q: use one of %s", *role, strings.Join(dossier.Roles, ", "))
	}
	store, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	pw := *password
	if pw == "" {
		pw = newPassword()
	}
	u := &dossier.User{Name: pos[0], Role: *role, Team: *team}
	if err := store.CreateUser(ctx, u, pw); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "user %s added (role %s)", u.Name, u.Role)
	if *password == "" {
		fmt.Fprintf(e.stdout, "; password: %s", pw)
	}
	fmt.Fprintln(e.stdout)
	return nil
}

func runToken(ctx context.Context, e *env, args []string) error {
	fs := newFlags("token")
	db := dbFlag(fs, e)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("token needs one user NAME")
	}
	store, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	u, err := store.FindUserByName(ctx, pos[0])
	if err != nil {
		return err
	}
	tok, err := store.CreateToken(ctx, u.ID)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, tok)
	return nil
}

// newPassword returns 16 random characters, easy to type and to read.
func newPassword() string {
	b := make([]byte, 10)
	_, _ = rand.Read(b)
	return strings.ToLower(base32.StdEncoding.EncodeToString(b))
}
