// Command dossier is the Dossier program: the web application and API
// (serve), and the admin commands that import, score and report in bulk.
// All wiring happens here: flags, environment, stores and logging.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
)

// command is one subcommand.
type command struct {
	name    string
	usage   string // one line: arguments and flags
	summary string
	run     func(ctx context.Context, env *env, args []string) error
}

var commands []command

func init() {
	commands = []command{
		{"serve", "serve [--addr 127.0.0.1:8080] [--db DB] [--demo] [--log-format text|json] [--metrics-token T] [--recompute-every 24h] [--snapshot-check 1h] [--webhook-every 5s] [--sqlite-memory MiB]", "run the web application and the JSON API", runServe},
		{"demo", "demo [--customers N] [--seed S] [--db DB]", "fill the store with a realistic synthetic data set", runDemo},
		{"score", "score [--as-of DATE] [--json] [--db DB]", "recompute the priority score (R14) and the analysis (value, risks, tags, ICP, tier, tasks) of every customer", runScore},
		{"rules", "rules [--json] | rules show KIND | rules set KIND FILE | rules vars [--db DB]", "show the analysis rules (value, risks, tags, ICP, tiers, strategies) or save a new version of one kind", runRules},
		{"tasks", "tasks [--owner NAME] [--overdue] [--status S] [--as-of DATE] [--json] [--db DB]", "list follow-up and action-list tasks", runTasks},
		{"task", "task add CUSTOMER_ID TITLE --due DATE [--owner O] | task rm ID [--db DB]", "make a task by hand (a follow-up of a customer) or remove one", runTask},
		{"customer", "customer rm ID [--db DB]", "remove a customer: hidden from every list and count, its facts kept for the audit trail (an import naming it brings it back)", runCustomer},
		{"report", "report ID --out FILE.html|FILE.xlsx [--lang zh|en] [--as-of DATE] | report --segment NAME|--filter EXPR --out FILE [--db DB]", "write a customer's analysis report (R33), or a segment's, as printable HTML or as XLSX with charts", runReport},
		{"fields", "fields [--json] | fields add KEY --label-zh L --type T [...] | fields set KEY [...] | fields retire KEY | fields restore KEY", "show or change the field registry", runFields},
		{"facts", "facts ID [--field KEY] [--db DB]", "show a customer's facts with their sources", runFacts},
		{"import", "import FILE | import undo ID | import restore ID [--kind customers|contacts|interactions|projects] [--source CHANNEL] [--source-detail TEXT] [--sheet S] [--dry-run] [--errors OUT.csv|OUT.xlsx] [--strict] [--db DB]", "import customers, contacts, interactions or projects from a CSV or XLSX file; 'import undo ID' reverts a run, 'import restore ID' puts it back", runImport},
		{"imports", "imports [--limit N] [--json] [--db DB]", "list recorded import runs with their counts and state", runImports},
		{"export", "export FILE.csv|FILE.xlsx [--filter EXPR] [--segment NAME] [--db DB]", "export customers to a CSV or XLSX file that re-imports unchanged", runExport},
		{"dedupe", "dedupe FILE [--id-column COL] [--threshold P] [--explain] [--sheet S] | dedupe [--apply] [--threshold P] [--db DB]", "find duplicate records in a CSV or XLSX file, or in the store (pairs go to the review queue; --apply merges clusters); prints record_id,cluster_id for each", runDedupe},
		{"segment", "segment add NAME EXPR [--owner O] [--shared] | segment list [--json] | segment show NAME [--json] | segment rm NAME [--db DB]", "save, list, show and remove segments: named customer filters", runSegment},
		{"snapshot", "snapshot take [--label L] [--filter EXPR|--segment NAME] | snapshot list [--json] | snapshot compare [--from REF] [--to REF] [--filter EXPR|--segment NAME] [--customer ID] [--json] [--db DB]", "keep the customers' key values (score, tier, grade, value) at a moment and compare two moments (R32); REF is a snapshot number, a date or now", runSnapshot},
		{"analysis", "analysis create NAME [--goal G] [--segment S|--filter EXPR] [--owner O] [--roles r1,r2] | analysis list [--json] | analysis run NAME | analysis compare NAME [--from RUN] [--to RUN] [--json] [--db DB]", "analyses with a goal, a scope and roles (R1); each run keeps its results to compare with later runs", runAnalysis},
		{"pivot", "pivot --rows FIELD [--cols FIELD|EXPR] [--measure count|share|sum:FIELD|avg:FIELD] [--report NAME] [--filter EXPR] [--segment NAME] [--json|--csv|--xlsx FILE [--chart bar|line|pie]] [--db DB]", "a pivot table of customers, grouped by the database", runPivot},
		{"relation", "relation --rows FEATURE --cols NEED|EXPR [--filter EXPR] [--json|--csv] [--db DB]", "a contingency table with chi-square, p-value, Cramér's V and lift", runRelation},
		{"trend", "trend [--source needs|interactions] [--period month|quarter] [--by KEY] [--measure count|share] [--window N] [--filter EXPR] [--json|--csv|--xlsx FILE] [--db DB]", "needs or interactions per period, and their change over a window", runTrend},
		{"clusters", "clusters [--source needs|interactions] [--by FIELD] [--k N] [--filter EXPR] [--json|--csv] [--db DB]", "need clusters: need descriptions or interaction summaries grouped by their words (Chinese word segmentation, TF-IDF, k-means) per industry", runClusters},
		{"overview", "overview [--filter EXPR] [--json] [--db DB]", "the management view: industries, regional concentration, stage funnel, growth", runOverview},
		{"churn", "churn [--filter EXPR] [--segment NAME] [--json|--csv] [--db DB]", "churned customers per churn reason, with their shares (R27)", runChurn},
		{"winloss", "winloss [--filter EXPR] [--segment NAME] [--json|--csv] [--db DB]", "customers lost to and won from each competitor, with shares and the reasons of those lost", runWinLoss},
		{"market", marketUsage, "list and add market records, policy and technology notes, competitor profiles and market shares, each with its source (R26)", runMarket},
		{"template", "template FILE.xlsx [--db DB]", "write the collection template: the form with drop-downs, an instruction sheet and an example row", runTemplate},
		{"survey", "survey link CUSTOMER_ID [--questionnaire NAME] [--days 14] | survey add NAME --title T --fields a,b [--questions \"q1|q2\"] | survey show [NAME]", "make a questionnaire link a customer answers without an account (prints its path), or define questionnaires", runSurvey},
		{"merge", "merge SURVIVOR_ID ABSORBED_ID [--reason TEXT] [--db DB]", "merge a duplicate customer into another, keeping every fact (undo with unmerge)", runMerge},
		{"unmerge", "unmerge MERGE_ID [--db DB]", "undo a merge: both customers and their contacts as they were", runUnmerge},
		{"conflicts", "conflicts [--json] [--field KEY] [--owner NAME] [--db DB]", "list key facts on which two channels disagree (R7)", runConflicts},
		{"verify", "verify ID [--json] [--db DB]", "show whether each key fact of a customer is verified, unverified or in conflict", runVerify},
		{"gaps", "gaps [--owner NAME] [--field KEY] [--json] [--db DB]", "list missing required and key facts per customer, least complete first (R8)", runGaps},
		{"invalid", "invalid [--csv] [--field KEY] [--db DB]", "report every stored value that fails its field's validation", runInvalid},
		{"quality", "quality [--rebuild] [--json] [--db DB]", "show the state of the quality tables behind conflicts, gaps and invalid; --rebuild computes them again", runQuality},
		{"user", "user add NAME --role ROLE [--team TEAM] [--password P]", "add a user", runUser},
		{"webhook", "webhook add URL --events E1,E2 [--secret S] | list | remove ID [--db DB]", "manage webhook subscriptions (events: customer.created, customer.changed, customer.merged, task.due, import.finished)", runWebhook},
		{"share", "share ID [--off] [--db DB]", "share a customer with its owner's team, so the team's sales see and edit it (--off stops sharing)", runShare},
		{"token", "token NAME [--db DB]", "print a new API token for a user", runToken},
		{"backup", "backup FILE [--db DB]", "copy the store to a file (SQLite online backup while it runs; pg_dump for PostgreSQL)", runBackup},
		{"restore", "restore FILE [--force] [--db DB]", "put a backup back into an empty store (--force replaces one with data)", runRestore},
		{"copy", "copy --to postgres://… [--db DB]", "copy the whole store into an empty PostgreSQL database (grow from SQLite onto a server)", runCopy},
		{"version", "version", "print the version", runVersion},
	}
}

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// env is what commands share: where to write and how to reach the store.
type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, &env{stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}, os.Args[1:])
	stop()
	os.Exit(code)
}

// run executes one command line and returns the exit code: 0 success, 1
// failure, 2 wrong usage.
func run(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		return help(e, args)
	}
	i := slices.IndexFunc(commands, func(c command) bool { return c.name == args[0] })
	if i < 0 {
		fmt.Fprintf(e.stderr, "dossier: unknown command %q; run 'dossier help' for the list\n", args[0])
		return 2
	}
	c := commands[i]
	err := c.run(ctx, e, args[1:])
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		printUsage(e.stdout, c)
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(e.stderr, "dossier %s: %v (see 'dossier help %s')\n", c.name, ue.error, c.name)
		return 2
	}
	fmt.Fprintf(e.stderr, "dossier %s: %s\n", c.name, oneLine(err))
	return 1
}

func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}

func help(e *env, args []string) int {
	if len(args) > 1 {
		for _, c := range commands {
			if c.name == args[1] {
				printUsage(e.stdout, c)
				return 0
			}
		}
		fmt.Fprintf(e.stderr, "dossier: unknown command %q\n", args[1])
		return 2
	}
	fmt.Fprintln(e.stdout, "Dossier keeps what a B2B team knows about its customers, with the source of every fact.")
	fmt.Fprintln(e.stdout, "\nUsage: dossier COMMAND [arguments]\n\nCommands:")
	for _, c := range commands {
		fmt.Fprintf(e.stdout, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(e.stdout, "\nDB is a SQLite file (default dossier.db) or a postgres:// URL; DOSSIER_DB sets the default.")
	fmt.Fprintln(e.stdout, "Run 'dossier help COMMAND' for a command's flags.")
	return 0
}

func printUsage(w io.Writer, c command) {
	fmt.Fprintf(w, "Usage: dossier %s\n\n%s.\n", c.usage, strings.ToUpper(c.summary[:1])+c.summary[1:])
	if fs := flagSets[c.name]; fs != nil {
		fmt.Fprintln(w, "\nFlags:")
		fs.SetOutput(w)
		fs.PrintDefaults()
	}
}

// flagSets holds each command's flag set for help output.
var flagSets = map[string]*flag.FlagSet{}

// usageError marks a mistake in the command line (exit code 2).
type usageError struct{ error }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// newFlags returns a flag set that reports errors instead of printing them.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	flagSets[name] = fs
	return fs
}

// parse parses flags that may stand before or after positional arguments, as
// in "dossier report 12 --out r.html", and returns the positional ones.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError{err}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// parseNoArgs parses the flags of a command that takes no positional
// arguments and refuses any.
func parseNoArgs(fs *flag.FlagSet, args []string) error {
	pos, err := parse(fs, args)
	if err == nil && len(pos) > 0 {
		err = usagef("unexpected argument %q", pos[0])
	}
	return err
}

func runVersion(_ context.Context, e *env, args []string) error {
	if err := parseNoArgs(newFlags("version"), args); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "dossier", version)
	return nil
}
