package http

import (
	"context"
	nethttp "net/http"
	"strconv"
	"strings"

	"github.com/dossier/dossier"
)

// The data-quality API (SPEC R6–R8): the duplicate review queue, merges and
// their undo, conflicts, verification, gaps and invalid values. Everything
// is narrowed to the customers the user may see; a pair or merge touching a
// customer outside that scope is reported as not found.

// pathID reads a positive {id} path value; what names the kind for the
// not-found message.
func pathID(r *nethttp.Request, what string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, dossier.Errorf(dossier.ENOTFOUND, "no %s %q", what, r.PathValue("id"))
	}
	return id, nil
}

// offsetParam reads the offset query parameter.
func offsetParam(r *nethttp.Request) (int, error) {
	v := r.URL.Query().Get("offset")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, dossier.FieldError("offset", "offset must be a whole number ≥ 0")
	}
	return n, nil
}

// qualityFilter reads owner, field and offset, narrowed to the user's scope:
// a sales rep's worklist is always their own.
func qualityFilter(r *nethttp.Request, limit int) (dossier.QualityFilter, error) {
	q := r.URL.Query()
	f := dossier.QualityFilter{Owner: strings.TrimSpace(q.Get("owner")), Field: strings.TrimSpace(q.Get("field")), Limit: limit}
	var err error
	if f.Offset, err = offsetParam(r); err != nil {
		return f, err
	}
	var scope dossier.CustomerFilter
	userOf(r).CustomerScope(&scope)
	if scope.Owner != "" {
		f.Owner, f.SharedTeam = scope.Owner, scope.SharedTeam
	}
	f.Team = scope.Team
	return f, nil
}

// pairFilter reads status and offset, narrowed to the user's scope.
func pairFilter(r *nethttp.Request, limit int) (dossier.PairFilter, error) {
	f := dossier.PairFilter{Status: strings.TrimSpace(r.URL.Query().Get("status")), Limit: limit}
	var err error
	if f.Offset, err = offsetParam(r); err != nil {
		return f, err
	}
	var scope dossier.CustomerFilter
	userOf(r).CustomerScope(&scope)
	f.Owner, f.SharedTeam, f.Team = scope.Owner, scope.SharedTeam, scope.Team
	return f, nil
}

// customersInScope reports whether the user may see every one of the
// customers; a missing one counts as not visible.
func (s *Server) customersInScope(r *nethttp.Request, ids ...int64) bool {
	for _, id := range ids {
		c, err := s.svc.Customers.FindCustomerByID(r.Context(), id)
		if err != nil || !inScope(userOf(r), c) {
			return false
		}
	}
	return true
}

// visiblePair loads the {id} pair when both its customers are in scope.
func (s *Server) visiblePair(r *nethttp.Request) (*dossier.CandidatePair, error) {
	id, err := pathID(r, "candidate pair")
	if err != nil {
		return nil, err
	}
	p, err := s.svc.Dedupe.FindPair(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if !s.customersInScope(r, p.A, p.B) {
		return nil, dossier.Errorf(dossier.ENOTFOUND, "candidate pair %d not found", id)
	}
	return p, nil
}

// visibleMerge loads the {id} merge when both its customers are in scope.
func (s *Server) visibleMerge(r *nethttp.Request) (*dossier.Merge, error) {
	id, err := pathID(r, "merge")
	if err != nil {
		return nil, err
	}
	m, err := s.svc.Dedupe.FindMerge(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if !s.customersInScope(r, m.Survivor, m.Absorbed) {
		return nil, dossier.Errorf(dossier.ENOTFOUND, "merge %d not found", id)
	}
	return m, nil
}

func actorOf(r *nethttp.Request) dossier.Actor {
	return dossier.Actor{Name: userOf(r).Name, RemoteAddr: clientIP(r)}
}

// list is the body of a quality list: offset paging as the pages do, with
// the total of the whole list, or keyset paging with next_cursor, which
// rows added meanwhile cannot upset.
type list[T any] struct {
	Items      []T    `json:"items"`
	Total      int    `json:"total"`
	Offset     int    `json:"offset"`
	Limit      int    `json:"limit"`
	NextCursor string `json:"next_cursor,omitempty"`
}

// qualityPage answers a quality list of kind: find reads a page, key is a
// row's place in the list's order, and show (optional) prepares the rows
// for the user.
func qualityPage[T any](s *Server, kind string, find func(context.Context, dossier.QualityFilter) ([]T, int, error),
	key func(T) dossier.QualityKey, show func(*nethttp.Request, []T) error) nethttp.HandlerFunc {
	return func(w nethttp.ResponseWriter, r *nethttp.Request) {
		limit, err := apiLimit(r)
		var f dossier.QualityFilter
		if err == nil {
			f, err = qualityFilter(r, limit)
		}
		var k *cursorKey
		if err == nil {
			k, err = readCursor(r, kind, 3)
		}
		if k != nil {
			f.After, f.Offset = &dossier.QualityKey{CustomerID: k.id(0), Seq: k.int(1), Score: k.int(2)}, 0
			err = k.err()
		}
		var (
			items []T
			total int
		)
		if err == nil {
			items, total, err = find(r.Context(), f)
		}
		if err == nil && show != nil {
			err = show(r, items)
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		p := newPage(kind, items, limit, func(v T) []string {
			q := key(v)
			return []string{itoa(q.CustomerID), itoa(int64(q.Seq)), itoa(int64(q.Score))}
		})
		writeJSON(w, nethttp.StatusOK, list[T]{Items: p.Items, Total: total, Offset: f.Offset, Limit: limit, NextCursor: p.NextCursor})
	}
}

// pairList is the body of GET /api/v1/dedupe/pairs: offset paging as
// the review page does, or keyset paging with next_cursor (probability and
// weight descending, then id), which pairs added meanwhile cannot upset.
type pairList struct {
	Items      []dossier.CandidatePair `json:"items"`
	Total      int                     `json:"total"`
	Offset     int                     `json:"offset"`
	Limit      int                     `json:"limit"`
	NextCursor string                  `json:"next_cursor,omitempty"`
}

func (s *Server) handleAPIPairs(w nethttp.ResponseWriter, r *nethttp.Request) {
	limit, err := apiLimit(r)
	var f dossier.PairFilter
	if err == nil {
		f, err = pairFilter(r, limit)
	}
	if err == nil {
		err = parsePairCursor(r, &f)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	items, total, err := s.svc.Dedupe.FindPairs(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := pairList{Items: items, Total: total, Offset: f.Offset, Limit: f.Limit}
	if f.After > 0 {
		out.Offset = 0
	}
	if n := len(items); n > 0 {
		out.NextCursor = pairCursor(n, f.Limit, items[n-1])
	}
	writeJSON(w, nethttp.StatusOK, out)
}

// pairIn is one candidate pair sent by a matcher.
type pairIn struct {
	A           int64                  `json:"a"`
	B           int64                  `json:"b"`
	Probability float64                `json:"probability"`
	Weight      float64                `json:"weight"`
	Evidence    []dossier.PairEvidence `json:"evidence"`
}

// pairsWrite is the body of POST /api/v1/dedupe/pairs.
type pairsWrite struct {
	Pairs []pairIn `json:"pairs"`
}

// handleAPISavePairs adds a matcher's candidate pairs to the review queue
// (idempotent, like `dossier dedupe` on the store): the seam for matchers
// that run outside the program.
func (s *Server) handleAPISavePairs(w nethttp.ResponseWriter, r *nethttp.Request) {
	var in pairsWrite
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	pairs := make([]dossier.CandidatePair, 0, len(in.Pairs))
	for i, p := range in.Pairs {
		if p.Probability < 0 || p.Probability > 1 {
			s.fail(w, r, dossier.FieldError("probability", "pair %d: probability %v is not between 0 and 1", i+1, p.Probability))
			return
		}
		pairs = append(pairs, dossier.CandidatePair{A: p.A, B: p.B, Probability: p.Probability, Weight: p.Weight, Evidence: p.Evidence})
	}
	res, err := s.svc.Dedupe.SavePairs(r.Context(), pairs)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, nethttp.StatusOK, res)
}

type mergeBody struct {
	Reason string `json:"reason"`
}

// handleAPIMergePair merges the pair's B into its A; the body, optional,
// may give a reason.
func (s *Server) handleAPIMergePair(w nethttp.ResponseWriter, r *nethttp.Request) {
	p, err := s.visiblePair(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in mergeBody
	if r.ContentLength != 0 {
		if err := decodeJSON(w, r, &in); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	m, err := s.svc.Dedupe.MergePair(r.Context(), p.ID, strings.TrimSpace(in.Reason), actorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, nethttp.StatusOK, m)
}

func (s *Server) handleAPIRejectPair(w nethttp.ResponseWriter, r *nethttp.Request) {
	p, err := s.visiblePair(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if p, err = s.svc.Dedupe.RejectPair(r.Context(), p.ID, actorOf(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, nethttp.StatusOK, p)
}

func (s *Server) handleAPIUndoMerge(w nethttp.ResponseWriter, r *nethttp.Request) {
	m, err := s.visibleMerge(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if m, err = s.svc.Dedupe.UndoMerge(r.Context(), m.ID, actorOf(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, nethttp.StatusOK, m)
}

func (s *Server) handleAPIConflicts(w nethttp.ResponseWriter, r *nethttp.Request) {
	qualityPage(s, "conflicts", s.svc.Quality.FindConflicts, func(c dossier.Conflict) dossier.QualityKey {
		return dossier.QualityKey{CustomerID: c.CustomerID, Seq: c.Seq}
	}, nil)(w, r)
}

func (s *Server) handleAPIVerification(w nethttp.ResponseWriter, r *nethttp.Request) {
	c, err := s.visibleCustomer(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	vs, err := s.svc.Quality.Verification(r.Context(), c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, nethttp.StatusOK, verification{CustomerID: c.ID, Fields: vs})
}

type settleBody struct {
	Field string `json:"field"`
	Value string `json:"value"`
}

// handleAPISettle settles a conflict of the customer: the value becomes a
// confirmed fact.
func (s *Server) handleAPISettle(w nethttp.ResponseWriter, r *nethttp.Request) {
	c, err := s.visibleCustomer(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in settleBody
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	c, err = s.svc.Quality.SettleConflict(r.Context(), dossier.Settlement{CustomerID: c.ID, Field: in.Field, Value: in.Value, By: actorOf(r)})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, nethttp.StatusOK, c)
}

func (s *Server) handleAPIGaps(w nethttp.ResponseWriter, r *nethttp.Request) {
	qualityPage(s, "gaps", s.svc.Quality.FindGaps, func(c dossier.Completeness) dossier.QualityKey {
		return dossier.QualityKey{CustomerID: c.CustomerID, Score: c.Score}
	}, nil)(w, r)
}

// handleAPIEstimate offers (GET) or accepts (POST) a peer estimate of
// ?field= for the customer.
func (s *Server) handleAPIEstimate(w nethttp.ResponseWriter, r *nethttp.Request) {
	c, err := s.visibleCustomer(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	field := r.URL.Query().Get("field")
	if r.Method == nethttp.MethodPost {
		c, err = s.svc.Quality.AcceptEstimate(r.Context(), c.ID, field, actorOf(r))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		writeJSON(w, nethttp.StatusOK, c)
		return
	}
	e, err := s.svc.Quality.PeerEstimate(r.Context(), c.ID, field)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, nethttp.StatusOK, e)
}

// handleAPIInvalid lists invalid values; phone numbers and e-mail
// addresses are masked for roles that may not see them.
func (s *Server) handleAPIInvalid(w nethttp.ResponseWriter, r *nethttp.Request) {
	qualityPage(s, "invalid", s.svc.Quality.FindInvalid, func(iv dossier.InvalidValue) dossier.QualityKey {
		return dossier.QualityKey{CustomerID: iv.CustomerID, Seq: iv.Seq}
	}, func(r *nethttp.Request, items []dossier.InvalidValue) error {
		reg, err := s.svc.Fields.Registry(r.Context())
		if err == nil {
			maskInvalid(items, reg, userOf(r).SeesContactDetails())
		}
		return err
	})(w, r)
}

// maskInvalid masks personal values in place, and in the problem text that
// quotes them.
func maskInvalid(items []dossier.InvalidValue, reg *dossier.Registry, sees bool) {
	if sees {
		return
	}
	for i, iv := range items {
		f, ok := reg.Field(iv.Field)
		if !ok || (f.Type != dossier.TypePhone && f.Type != dossier.TypeEmail) || iv.Value == "" {
			continue
		}
		masked := maskContact(f.Type, iv.Value, false)
		if masked == iv.Value {
			masked = "***"
		}
		items[i].Problem = strings.ReplaceAll(iv.Problem, iv.Value, masked)
		items[i].Value = masked
	}
}
