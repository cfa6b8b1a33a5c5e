package http

import (
	"encoding/base64"
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
