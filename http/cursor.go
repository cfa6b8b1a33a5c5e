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
