package http

import (
	"encoding/base64"
	"math"
	nethttp "net/http"
	"strconv"
	"strings"

	"github.com/dossier/dossier"
)

// Cursors are opaque to clients: base64url of "kind:id", so that a client
// cannot mistake one for an offset, and a cursor of one list given to
// another is refused instead of silently paging from the wrong place.

func encodeCursor(kind string, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(kind + ":" + strconv.FormatInt(id, 10)))
}

// parseCursor reads the cursor query parameter of a list of kind: 0 when
// there is none (the first page).
func parseCursor(r *nethttp.Request, kind string) (int64, error) {
	v := r.URL.Query().Get("cursor")
	if v == "" {
		return 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(v)
	rest, ok := strings.CutPrefix(string(b), kind+":")
	id, perr := strconv.ParseInt(rest, 10, 64)
	if err != nil || !ok || perr != nil || id <= 0 {
		return 0, dossier.FieldError("cursor", "invalid cursor: pass next_cursor from the previous page unchanged")
	}
	return id, nil
}

// nextCursor is the cursor of the page after one that ended at lastID, or
// "" when the page was not full (it was the last).
func nextCursor(kind string, n, limit int, lastID int64) string {
	if n < limit || n == 0 {
		return ""
	}
	return encodeCursor(kind, lastID)
}

// Customer cursors under a sort other than id also carry the sort, the
// last customer's sort key and whether it had one (keyset paging, see
// dossier.CustomerFilter.After): "customers:ID:SORT:v:KEY" or
// "customers:ID:SORT:n:". A cursor read under one sort is refused under
// another.

func isIDSort(sort string) bool { return sort == "" || sort == "id" || sort == "-id" }

// customerCursor is the next_cursor of a customer page that ended at c, or
// "" when the page was not full.
func customerCursor(sort string, n, limit int, c *dossier.Customer) string {
	if n < limit || n == 0 || c == nil {
		return ""
	}
	if isIDSort(sort) {
		return encodeCursor("customers", c.ID)
	}
	key, null := c.SortKey(sort)
	flag := "v"
	if null {
		flag, key = "n", ""
	}
	return base64.RawURLEncoding.EncodeToString([]byte("customers:" + strconv.FormatInt(c.ID, 10) + ":" + sort + ":" + flag + ":" + key))
}

// parseCustomerCursor reads a customer list's cursor into f (whose Sort is
// set): After, and for other sorts than id AfterKey and AfterNull.
func parseCustomerCursor(r *nethttp.Request, f *dossier.CustomerFilter) error {
	v := r.URL.Query().Get("cursor")
	if v == "" {
		return nil
	}
	bad := dossier.FieldError("cursor", "invalid cursor: pass next_cursor from the previous page unchanged, with the same sort")
	b, err := base64.RawURLEncoding.DecodeString(v)
	rest, ok := strings.CutPrefix(string(b), "customers:")
	if err != nil || !ok {
		return bad
	}
	parts := strings.SplitN(rest, ":", 4)
	id, err := strconv.ParseInt(parts[0], 10, 64)
	if err != nil || id <= 0 {
		return bad
	}
	switch {
	case len(parts) == 1 && isIDSort(f.Sort):
	case len(parts) == 4 && parts[1] == f.Sort && !isIDSort(f.Sort) && (parts[2] == "v" || parts[2] == "n"):
		f.AfterKey, f.AfterNull = parts[3], parts[2] == "n"
	default:
		return bad
	}
	f.After = id
	return nil
}

// Task cursors carry the last task's due date beside its id (keyset on
// due, id): "tasks:ID:DUE". Pair cursors carry its probability and weight
// (keyset on probability desc, weight desc, id): "pairs:ID:P:W", the
// floats in the shortest form that reads back to the same value.

// taskCursor is the next_cursor of a task page that ended at t, or "" when
// the page was not full.
func taskCursor(n, limit int, t dossier.Task) string {
	if n < limit || n == 0 {
		return ""
	}
	return base64.RawURLEncoding.EncodeToString([]byte("tasks:" + strconv.FormatInt(t.ID, 10) + ":" + t.Due))
}

// parseTaskCursor reads a task list's cursor into f.After and f.AfterDue.
func parseTaskCursor(r *nethttp.Request, f *dossier.TaskFilter) error {
	parts, err := cursorParts(r, "tasks", 2)
	if err != nil || parts == nil {
		return err
	}
	id, perr := strconv.ParseInt(parts[0], 10, 64)
	if perr != nil || id <= 0 || parts[1] == "" {
		return badCursor()
	}
	f.After, f.AfterDue = id, parts[1]
	return nil
}

// pairCursor is the next_cursor of a page of pairs that ended at p, or ""
// when the page was not full.
func pairCursor(n, limit int, p dossier.CandidatePair) string {
	if n < limit || n == 0 {
		return ""
	}
	return base64.RawURLEncoding.EncodeToString([]byte("pairs:" + strconv.FormatInt(p.ID, 10) + ":" +
		strconv.FormatFloat(p.Probability, 'g', -1, 64) + ":" + strconv.FormatFloat(p.Weight, 'g', -1, 64)))
}

// parsePairCursor reads a pair list's cursor into f's After fields.
func parsePairCursor(r *nethttp.Request, f *dossier.PairFilter) error {
	parts, err := cursorParts(r, "pairs", 3)
	if err != nil || parts == nil {
		return err
	}
	id, ierr := strconv.ParseInt(parts[0], 10, 64)
	prob, perr := strconv.ParseFloat(parts[1], 64)
	weight, werr := strconv.ParseFloat(parts[2], 64)
	if ierr != nil || perr != nil || werr != nil || id <= 0 ||
		math.IsNaN(prob) || math.IsInf(prob, 0) || math.IsNaN(weight) || math.IsInf(weight, 0) {
		return badCursor()
	}
	f.After, f.AfterProbability, f.AfterWeight = id, prob, weight
	return nil
}

func badCursor() error {
	return dossier.FieldError("cursor", "invalid cursor: pass next_cursor from the previous page unchanged")
}

// cursorParts decodes the cursor query parameter of a list of kind into
// its n colon-separated fields: nil when there is none (the first page).
func cursorParts(r *nethttp.Request, kind string, n int) ([]string, error) {
	v := r.URL.Query().Get("cursor")
	if v == "" {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(v)
	rest, ok := strings.CutPrefix(string(b), kind+":")
	parts := strings.SplitN(rest, ":", n)
	if err != nil || !ok || len(parts) != n {
		return nil, badCursor()
	}
	return parts, nil
}
