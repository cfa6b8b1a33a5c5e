package http

import (
	"context"
	nethttp "net/http"
	"strconv"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/i18n"
)

// The customer list shows its rows without waiting for its total when the
// store cannot give the total cheaply (a filter the rollup does not cover,
// on the first load after a write): the page's script then asks
// /customers/total, which counts up to totalCap, as GitHub or Gmail do on
// large lists ("10,000+").

const (
	// totalCap is where the list's count stops unless the exact count is
	// quick: past it the page shows "10,000+".
	totalCap = 10000
	// exactBudget is how long the total may take to count past totalCap:
	// an index-only count (a rep's own customers, a city) ends well within
	// it, a read of every matching customer among 1,000,000 does not.
	exactBudget = 250 * time.Millisecond
)

// knownTotal is a page's total when the store did not have it but the page
// tells it: the last page ends the list (an empty first page means none).
func knownTotal(f dossier.CustomerFilter, n int, more bool, total int) int {
	if total < 0 && !more && (n > 0 || f.Offset == 0) && f.After == 0 {
		return f.Offset + n
	}
	return total
}

// totalURL asks for the total of the list of the request: its filter, not
// its page or sort.
func totalURL(r *nethttp.Request) string {
	return "/customers/total?" + listQuery(r, map[string]string{"offset": "", "cursor": "", "sort": "", "done": ""})
}

// totalBody is the answer of /customers/total: the count and the text the
// page shows for it.
type totalBody struct {
	dossier.Count
	Text string `json:"text"`
}

// handleCustomerTotal counts the customers of a list's filter, in the
// user's scope, up to totalCap.
func (s *Server) handleCustomerTotal(w nethttp.ResponseWriter, r *nethttp.Request) {
	f, err := parseFilter(r, userOf(r), 0)
	if err == nil {
		f.Expr, err = s.withSegment(r, f.Expr)
	}
	var c dossier.Count
	if err == nil {
		c, err = s.countTotal(r.Context(), f, totalCap, exactBudget)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, nethttp.StatusOK, totalBody{Count: c, Text: totalText(langOf(r), c)})
}

// countTotal counts f's customers up to max and, when there are more, tries
// the exact count for up to budget; an exact count is kept for the next
// load of the list (sqldb's result cache), one that ran out of time is not.
func (s *Server) countTotal(ctx context.Context, f dossier.CustomerFilter, max int, budget time.Duration) (dossier.Count, error) {
	c, err := s.svc.Customers.CountMatching(ctx, f, max)
	if err != nil || !c.More {
		return c, err
	}
	exact, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	f.Limit, f.Offset, f.After, f.NoTotal, f.CheapTotal = 1, 0, 0, false, false
	_, n, err := s.svc.Customers.FindCustomers(exact, f)
	switch {
	case err == nil:
		return dossier.Count{N: n}, nil
	case exact.Err() != nil && ctx.Err() == nil:
		return c, nil // out of time: "more than max"
	}
	return c, err
}

// totalText is the list's total in words: "共 1234 个客户", "共 10,000+ 个客户".
func totalText(lang string, c dossier.Count) string {
	switch {
	case c.More:
		return i18n.T(lang, "customers.total_more", thousands(c.N))
	case c.N == 0:
		return i18n.T(lang, "customers.none")
	}
	return i18n.T(lang, "customers.total", c.N)
}

// thousands writes n with a comma between groups of three digits.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
