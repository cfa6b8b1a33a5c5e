package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/rules"
	"github.com/dossier/dossier/sqldb"
)

// runRules lists the analysis rules with their versions, prints one kind
// as JSON (rules show KIND), or validates and saves a new version of one
// kind from a JSON file (rules set KIND FILE). A bad rule is refused with
// the line and column of the error and nothing is saved.
func runRules(ctx context.Context, e *env, args []string) error {
	fs := newFlags("rules")
	db := dbFlag(fs, e)
	asJSON := fs.Bool("json", false, "print the rules as JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	verb := ""
	if len(pos) > 0 {
		verb = pos[0]
	}
	switch {
	case verb == "" && len(pos) == 0:
	case verb == "show" && len(pos) == 2:
	case verb == "set" && len(pos) == 3:
	case verb == "vars" && len(pos) == 1:
	default:
		return usagef("use: rules [--json] | rules show KIND | rules set KIND FILE | rules vars")
	}
	store, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	engine, err := rules.Load(ctx, store)
	if err != nil {
		return err
	}
	set := engine.Set()
	switch verb {
	case "show":
		b, err := set.Part(pos[1])
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(e.stdout, "%s\n", b)
		return err
	case "set":
		return setRules(ctx, e, store, set, pos[1], pos[2])
	case "vars":
		return printVars(e, engine.Vars())
	}
	if *asJSON {
		return printRulesJSON(e, set)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "KIND\tVERSION\tRULES")
	for _, k := range rules.Kinds {
		v := set.Versions[k]
		ver := fmt.Sprint(v)
		if v == 0 {
			ver = "default"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\n", k, ver, set.Count(k))
	}
	return tw.Flush()
}

func printRulesJSON(e *env, set rules.Set) error {
	type kind struct {
		Kind    string          `json:"kind"`
		Version int             `json:"version"` // 0: the shipped default
		Rules   json.RawMessage `json:"rules"`
	}
	enc := json.NewEncoder(e.stdout)
	for _, k := range rules.Kinds {
		b, _ := set.Part(k)
		if err := enc.Encode(kind{k, set.Versions[k], b}); err != nil {
			return err
		}
	}
	return nil
}

func setRules(ctx context.Context, e *env, store *sqldb.DB, set rules.Set, kind, file string) error {
	body, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	reg, err := store.Registry(ctx)
	if err != nil {
		return err
	}
	canon, err := rules.Validate(set, kind, body, reg.Fields())
	if err != nil {
		return fmt.Errorf("%s: refused, nothing saved: %w", file, err)
	}
	v, err := store.SaveRulePart(ctx, kind, canon, cliUser(e))
	if err != nil {
		return err
	}
	if err := store.RecordAudit(ctx, &dossier.AuditEntry{User: cliUser(e), Action: dossier.AuditRulesSave,
		Entity: "rules", EntityID: int64(v), Detail: kind + " from " + file}); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "saved %s rules version %d; run dossier score to apply them\n", kind, v)
	return nil
}

func printVars(e *env, vars []rules.Variable) error {
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tTYPE\tDOC")
	for _, v := range vars {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", v.Name, v.Type, v.Doc)
	}
	return tw.Flush()
}
