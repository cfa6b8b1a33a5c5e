package http

import (
	"fmt"
	nethttp "net/http"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/http/html"
)

// homeRows bounds each list of the home page: it is a to-do list, the
// full lists are one click away.
const homeRows = 10

// handleHome is a person's start page (issue #7, screen 1): the follow-ups
// due and overdue, the key customers, what changed lately, and the facts
// still missing. A rep sees their own customers; managers and admins see
// their scope, without the gap list, which would scan every customer.
func (s *Server) handleHome(w nethttp.ResponseWriter, r *nethttp.Request) {
	ctx, u, lang := r.Context(), userOf(r), langOf(r)
	var scope dossier.CustomerFilter
	u.CustomerScope(&scope)
	mine := personal(u)
	if mine { // a start page of one's own work: shared customers are the teammates'
		scope.Owner, scope.SharedTeam = u.Name, ""
	}
	reg, err := s.svc.Fields.Registry(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page := html.HomePage{Base: s.base(w, r, "home.title", "home"), Personal: mine}
	today := dossier.FormatDate(s.now().UTC())
	tasks, err := s.svc.Analysis.FindTasks(ctx, dossier.TaskFilter{CustomerOwner: scope.Owner, Team: scope.Team,
		Status: dossier.TaskOpen, AsOf: today, Limit: homeRows})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, t := range tasks {
		page.Tasks = append(page.Tasks, html.HomeTask{URL: customerURL(t.CustomerID), Customer: t.CustomerName,
			Title: t.Title, Due: t.Due, Overdue: t.Due < today})
	}
	if page.Key, err = s.homeCustomers(r, reg, lang, withGrade(scope, "key", "-score")); err != nil {
		s.fail(w, r, err)
		return
	}
	if page.Recent, err = s.homeCustomers(r, reg, lang, withGrade(scope, "", "-updated")); err != nil {
		s.fail(w, r, err)
		return
	}
	if mine {
		gaps, _, err := s.svc.Quality.FindGaps(ctx, dossier.QualityFilter{Owner: scope.Owner, Limit: homeRows, NoTotal: true})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, g := range gaps {
			page.Gaps = append(page.Gaps, html.HomeGap{URL: customerURL(g.CustomerID), Customer: g.CustomerName,
				Score: g.Score, Missing: gapLabels(reg, g.Missing, lang)})
		}
	}
	s.render(w, r, nethttp.StatusOK, "home", page)
}

// personal reports whether the home page shows the user's own customers:
// for those who own customers (sales, service), not for those who oversee.
func personal(u *dossier.User) bool {
	return u.Role == dossier.RoleSales || u.Role == dossier.RoleService
}

// withGrade is the scope narrowed to a grade and sorted, one page long.
func withGrade(f dossier.CustomerFilter, grade, sort string) dossier.CustomerFilter {
	f.Grade, f.Sort, f.Limit, f.NoTotal = grade, sort, homeRows, true
	return f
}

// homeCustomers lists customers as rows of the customer list.
func (s *Server) homeCustomers(r *nethttp.Request, reg *dossier.Registry, lang string, f dossier.CustomerFilter) ([]html.CustomerRow, error) {
	items, _, err := s.svc.Customers.FindCustomers(r.Context(), f)
	if err != nil {
		return nil, err
	}
	rows := make([]html.CustomerRow, 0, len(items))
	for _, c := range items {
		rows = append(rows, customerRow(c, reg, lang))
	}
	return rows, nil
}

// gapLabels names the missing fields in the user's language.
func gapLabels(reg *dossier.Registry, gaps []dossier.Gap, lang string) []string {
	out := make([]string, 0, len(gaps))
	for _, g := range gaps {
		label := g.Field
		if f, ok := reg.Field(g.Field); ok {
			label = f.Label(lang)
		}
		out = append(out, label)
	}
	return out
}

func customerURL(id int64) string { return fmt.Sprintf("/customers/%d", id) }
