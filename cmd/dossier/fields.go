package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/dossier/dossier"
)

func runFields(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "add", "set", "retire", "restore":
			return changeField(ctx, e, args[0], args[1:])
		}
	}
	fs := newFlags("fields")
	db := dbFlag(fs, e)
	asJSON := fs.Bool("json", false, "print the registry as JSON")
	all := fs.Bool("all", false, "include retired fields")
	if pos, err := parse(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usagef("unknown fields subcommand %q; use add, set, retire or restore", pos[0])
	}
	store, reg, err := openRegistry(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	list := reg.Active()
	if *all {
		list = reg.Fields()
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(list)
	}
	return printFields(e, list)
}

func printFields(e *env, list []dossier.Field) error {
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "KEY\t标签\tLABEL\tCATEGORY\tTYPE\tREQUIRED\tKEY FACT\tOPTIONS")
	for _, f := range list {
		var opts []string
		for _, o := range f.Options {
			opts = append(opts, o.Value+"="+o.LabelZH)
		}
		key := f.Key
		if f.Retired {
			key += " (retired)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", key, f.LabelZH, f.LabelEN, f.Category, f.Type,
			yes(f.Required), yes(f.KeyFact), strings.Join(opts, ", "))
	}
	return tw.Flush()
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return ""
}

// changeField adds a custom field, changes its labels or place, or retires
// and restores it (R31). Facts recorded under the key are never touched.
func changeField(ctx context.Context, e *env, verb string, args []string) error {
	fs := newFlags("fields")
	db := dbFlag(fs, e)
	zh := fs.String("label-zh", "", "Chinese label")
	en := fs.String("label-en", "", "English label")
	cat := fs.String("category", string(dossier.CatBackground), "category: basic, contact, background, need, history, analysis")
	typ := fs.String("type", string(dossier.TypeText), "type: text, number, money, range, date, timeline, enum, tags, percent, rating, phone, email, credit_code")
	opts := fs.String("options", "", "enumeration options, comma-separated (value=中文标签 or 中文标签)")
	pos := fs.Int("position", 0, "display position (built-in fields are numbered 10, 20, …)")
	helpZH := fs.String("help-zh", "", "Chinese help text shown beside the field's input")
	helpEN := fs.String("help-en", "", "English help text")
	args2, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(args2) != 1 {
		return usagef("fields %s needs one field key", verb)
	}
	store, reg, err := openRegistry(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	f, exists := reg.Field(args2[0])
	switch {
	case verb == "add" && exists:
		return fmt.Errorf("field %q exists already; use 'fields set' to change it", args2[0])
	case verb != "add" && !exists:
		return fmt.Errorf("no field %q; 'dossier fields' lists them", args2[0])
	case verb != "add" && f.Builtin:
		return fmt.Errorf("%q is a built-in field and cannot be changed", f.Key)
	}
	if verb == "add" {
		f = dossier.Field{Key: args2[0], Category: dossier.Category(*cat), Type: dossier.FieldType(*typ), Options: parseOptions(*opts)}
	}
	applyFieldFlags(&f, fs, *zh, *en, *opts, *pos)
	fs.Visit(func(fl *flag.Flag) {
		switch fl.Name {
		case "help-zh":
			f.HelpZH = *helpZH
		case "help-en":
			f.HelpEN = *helpEN
		}
	})
	f.Retired = verb == "retire" || (verb == "set" && f.Retired)
	if err := store.SaveField(ctx, f); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "field %s: %s\n", f.Key, map[string]string{"add": "added", "set": "changed", "retire": "retired (its facts are kept)", "restore": "restored"}[verb])
	return nil
}

func applyFieldFlags(f *dossier.Field, fs *flag.FlagSet, zh, en, opts string, pos int) {
	fs.Visit(func(fl *flag.Flag) {
		switch fl.Name {
		case "label-zh":
			f.LabelZH = zh
		case "label-en":
			f.LabelEN = en
		case "options":
			f.Options = parseOptions(opts)
		case "position":
			f.Position = pos
		}
	})
}

func parseOptions(s string) []dossier.Option {
	var out []dossier.Option
	for _, p := range dossier.SplitTags(s) {
		v, label, ok := strings.Cut(p, "=")
		if !ok {
			label = v
		}
		out = append(out, dossier.Option{Value: v, LabelZH: label, LabelEN: v})
	}
	return out
}
