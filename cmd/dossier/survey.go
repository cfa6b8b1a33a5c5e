package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/dossier/dossier"
)

// runSurvey makes questionnaire links (survey link) and custom
// questionnaires (survey add), and lists them (survey list).
func runSurvey(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usagef("use 'dossier survey link CUSTOMER_ID', 'survey add NAME --title T --fields a,b' or 'survey show [NAME]'")
	}
	switch args[0] {
	case "link":
		return runSurveyLink(ctx, e, args[1:])
	case "add":
		return runSurveyAdd(ctx, e, args[1:])
	case "show":
		return runSurveyShow(ctx, e, args[1:])
	}
	return usagef("unknown survey command %q: use link, add or show", args[0])
}

func runSurveyLink(ctx context.Context, e *env, args []string) error {
	fs := newFlags("survey")
	db := dbFlag(fs, e)
	name := fs.String("questionnaire", dossier.DefaultQuestionnaire, "questionnaire name")
	days := fs.Int("days", 14, "days the link stays valid (1-90)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("survey link needs one CUSTOMER_ID")
	}
	id, err := strconv.ParseInt(pos[0], 10, 64)
	if err != nil || id <= 0 {
		return usagef("survey link %q: a customer id is a number", pos[0])
	}
	if err := dossier.ValidSurveyDays(*days); err != nil {
		return usagef("--days: %s", dossier.ErrorMessage(err))
	}
	store, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	token, l, err := store.CreateSurveyLink(ctx, id, *name, *days, cliUser(e))
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, dossier.SurveyPath(token))
	fmt.Fprintf(e.stderr, "valid until %s; answerable once; prefix the server's address (e.g. http://127.0.0.1:8080)\n", l.ExpiresAt.Format("2006-01-02 15:04 MST"))
	return nil
}

func runSurveyAdd(ctx context.Context, e *env, args []string) error {
	fs := newFlags("survey")
	db := dbFlag(fs, e)
	title := fs.String("title", "", "Chinese title (required)")
	titleEN := fs.String("title-en", "", "English title")
	fields := fs.String("fields", "", "comma-separated field keys; each question is the field's label unless --questions gives it")
	questions := fs.String("questions", "", "the questions, separated by |, in --fields order")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *title == "" || *fields == "" {
		return usagef("survey add needs NAME, --title and --fields")
	}
	store, reg, err := openRegistry(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	q := dossier.Questionnaire{Name: pos[0], TitleZH: *title, TitleEN: *titleEN}
	var texts []string
	if *questions != "" {
		texts = strings.Split(*questions, "|")
	}
	for i, k := range strings.Split(*fields, ",") {
		k = strings.TrimSpace(k)
		qu := dossier.Question{Field: k}
		if f, ok := reg.Lookup(k); ok {
			qu.Field, qu.ZH, qu.EN = f.Key, f.LabelZH, f.LabelEN
		}
		if i < len(texts) && strings.TrimSpace(texts[i]) != "" {
			qu.ZH, qu.EN = strings.TrimSpace(texts[i]), ""
		}
		q.Questions = append(q.Questions, qu)
	}
	if err := store.SaveQuestionnaire(ctx, q); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "questionnaire %s saved: %d questions\n", q.Name, len(q.Questions))
	return nil
}

func runSurveyShow(ctx context.Context, e *env, args []string) error {
	fs := newFlags("survey")
	db := dbFlag(fs, e)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return usagef("survey show takes at most one NAME")
	}
	name := ""
	if len(pos) == 1 {
		name = pos[0]
	}
	store, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	q, err := store.Questionnaire(ctx, name)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(q)
}
