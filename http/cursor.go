package http

import (
	"cmp"
	"encoding/base64"
	"math"
	nethttp "net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

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

// Cursors of the lists paged later carry the last row's whole sort key,
// each field query-escaped so that none holds a colon:
// "kind:FIELD:FIELD:…" (keyCursor, readCursor).

// keyCursor is the next_cursor of a page of n rows whose last row has the
// sort key key, or "" when the page was not full (it was the last).
func keyCursor(kind string, n, limit int, key ...string) string {
	if n < limit || n == 0 {
		return ""
	}
	parts := make([]string, len(key))
	for i, k := range key {
		parts[i] = url.QueryEscape(k)
	}
	return base64.RawURLEncoding.EncodeToString([]byte(kind + ":" + strings.Join(parts, ":")))
}

// cursorKey is the sort key a cursor carries, read field by field; a field
// that does not parse makes err a 400 naming the cursor.
type cursorKey struct {
	parts []string
	bad   bool
}

// readCursor reads the cursor of a list of kind, whose key has n fields:
// nil when there is none (the first page).
func readCursor(r *nethttp.Request, kind string, n int) (*cursorKey, error) {
	v := r.URL.Query().Get("cursor")
	if v == "" {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(v)
	rest, ok := strings.CutPrefix(string(b), kind+":")
	parts := strings.Split(rest, ":")
	if err != nil || !ok || len(parts) != n {
		return nil, badCursor()
	}
	for i, p := range parts {
		if parts[i], err = url.QueryUnescape(p); err != nil {
			return nil, badCursor()
		}
	}
	return &cursorKey{parts: parts}, nil
}

func (k *cursorKey) str(i int) string { return k.parts[i] }

// id reads a positive row id.
func (k *cursorKey) id(i int) int64 {
	n, err := strconv.ParseInt(k.parts[i], 10, 64)
	k.bad = k.bad || err != nil || n <= 0
	return n
}

func (k *cursorKey) int(i int) int {
	n, err := strconv.Atoi(k.parts[i])
	k.bad = k.bad || err != nil
	return n
}

func (k *cursorKey) time(i int) time.Time {
	t, err := time.Parse(time.RFC3339Nano, k.parts[i])
	k.bad = k.bad || err != nil
	return t
}

func (k *cursorKey) err() error {
	if k.bad {
		return badCursor()
	}
	return nil
}

func itoa(n int64) string      { return strconv.FormatInt(n, 10) }
func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// page is the body of a list paged by cursor: pass next_cursor back as
// ?cursor= (with the same filters and sort) for the next page; it is
// absent on the last.
type page[T any] struct {
	Items      []T    `json:"items"`
	Limit      int    `json:"limit"`
	NextCursor string `json:"next_cursor,omitempty"`
}

// newPage is the page of items with its next cursor: key gives the last
// row's sort key.
func newPage[T any](kind string, items []T, limit int, key func(T) []string) page[T] {
	if items == nil {
		items = []T{}
	}
	p := page[T]{Items: items, Limit: limit}
	if n := len(items); n > 0 {
		p.NextCursor = keyCursor(kind, n, limit, key(items[n-1])...)
	}
	return p
}

// pageAfter pages a list the store returns whole, already in its order:
// the first limit items for which after is true (all of them without a
// cursor). For short lists, such as one customer's facts or the saved
// segments, where a query per page would gain nothing.
func pageAfter[T any](all []T, after func(T) bool, limit int) []T {
	i := slices.IndexFunc(all, after)
	if i < 0 {
		return []T{}
	}
	return all[i:min(len(all), i+limit)]
}

// namedPage is a page of a short list of named things (segments,
// analyses) that the store returns whole: in name then id order, sorted
// here so that the cursor compares as the sort did on either store.
func namedPage[T any](r *nethttp.Request, kind string, all []T, name func(T) string, id func(T) int64) (page[T], error) {
	limit, err := apiLimit(r)
	var k *cursorKey
	if err == nil {
		k, err = readCursor(r, kind, 2)
	}
	if err != nil {
		return page[T]{}, err
	}
	key := func(v T) (string, int64) { return name(v), id(v) }
	slices.SortFunc(all, func(a, b T) int {
		an, ai := key(a)
		bn, bi := key(b)
		return cmp.Or(strings.Compare(an, bn), cmp.Compare(ai, bi))
	})
	after := func(T) bool { return true }
	if k != nil {
		kn, ki := k.str(1), k.id(0)
		if err := k.err(); err != nil {
			return page[T]{}, err
		}
		after = func(v T) bool {
			n, i := key(v)
			return cmp.Or(strings.Compare(n, kn), cmp.Compare(i, ki)) > 0
		}
	}
	return newPage(kind, pageAfter(all, after, limit), limit, func(v T) []string {
		n, i := key(v)
		return []string{itoa(i), n}
	}), nil
}
