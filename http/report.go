package http

import (
	"bytes"
	"fmt"
	nethttp "net/http"
	"strconv"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/i18n"
	"github.com/dossier/dossier/report"
)

// The customer analysis report (R33): the profile page's print button
// opens the HTML report; the workbook downloads. Both are scoped like the
// profile page and mask contact details for roles that may not see them.

// policyOf is the store's resolution policy when the customer service
// states one (the SQL store does), else the default.
func policyOf(cs dossier.CustomerService) dossier.ResolvePolicy {
	if p, ok := cs.(interface{ Policy() dossier.ResolvePolicy }); ok {
		return p.Policy()
	}
	return dossier.DefaultResolvePolicy()
}

// buildReport gathers the report of the customer named by {id} for the
// signed-in user, and audits an unmasked view of contact details.
func (s *Server) buildReport(r *nethttp.Request) (*report.Report, error) {
	c, err := s.visibleCustomer(r)
	if err != nil {
		return nil, err
	}
	ctx, u := r.Context(), userOf(r)
	svc := report.Services{Customers: s.svc.Customers, Records: s.svc.Records, Scores: s.svc.Scores, Fields: s.svc.Fields,
		Quality: s.svc.Quality, Analysis: s.svc.Analysis, Policy: policyOf(s.svc.Customers)}
	now := s.now()
	rep, err := report.BuildFor(ctx, svc, c, report.Options{Lang: langOf(r), SeesContacts: u.SeesContactDetails(), AsOf: now.UTC(), Now: now.Local()})
	if err != nil {
		return nil, err
	}
	if u.SeesContactDetails() {
		reg, err := s.svc.Fields.Registry(ctx)
		if err != nil {
			return nil, err
		}
		contacts, err := s.svc.Records.Contacts(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		if hasPersonalData(c, reg, contacts) {
			if err := s.audit(r, dossier.AuditContactView, "customer", c.ID, "report"); err != nil {
				return nil, err
			}
		}
	}
	return rep, nil
}

func (s *Server) handleReport(w nethttp.ResponseWriter, r *nethttp.Request) {
	rep, err := s.buildReport(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rep.BackURL = fmt.Sprintf("/customers/%d", rep.CustomerID)
	s.sendReportHTML(w, r, func(buf *bytes.Buffer) error { return report.WriteHTML(buf, rep) })
}

// sendReportHTML writes a report document rendered in full first, so a
// failure is an error page, not half a report. The report is a standalone
// document with its own inline stylesheet, allowed by its hash only.
func (s *Server) sendReportHTML(w nethttp.ResponseWriter, r *nethttp.Request, render func(*bytes.Buffer) error) {
	var buf bytes.Buffer
	if err := render(&buf); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Security-Policy", report.ContentSecurityPolicy())
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(nethttp.StatusOK)
	_, _ = buf.WriteTo(w)
}

func (s *Server) handleReportXLSX(w nethttp.ResponseWriter, r *nethttp.Request) {
	rep, err := s.buildReport(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := report.WriteXLSX(&buf, rep); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="customer-%d-report.xlsx"`, rep.CustomerID))
	w.WriteHeader(nethttp.StatusOK)
	_, _ = buf.WriteTo(w)
}

// buildSegmentReport gathers the report of the customers a request names
// (?segment=, ?filter=) within the user's scope. Users who see aggregates
// only get no list of customers.
func (s *Server) buildSegmentReport(r *nethttp.Request) (*report.SegmentReport, error) {
	f, err := s.analysisFilter(r)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	name := q.Get("segment")
	if name == "" {
		name = q.Get("filter")
	}
	if name == "" {
		name = i18n.T(langOf(r), "segments.all")
	}
	return report.BuildSegment(r.Context(), s.svc.Analytics, s.svc.Customers, report.SegmentOptions{
		Name: name, Filter: f, Lang: langOf(r), SeesCustomers: userOf(r).CanSeeCustomers(), Now: s.now().Local()})
}

// handleSegmentReport answers GET /analytics/segment-report: a printable
// HTML document like the customer report.
func (s *Server) handleSegmentReport(w nethttp.ResponseWriter, r *nethttp.Request) {
	rep, err := s.buildSegmentReport(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.sendReportHTML(w, r, func(buf *bytes.Buffer) error { return report.WriteSegmentHTML(buf, rep) })
}

// handleSegmentReportXLSX answers GET /analytics/segment-report.xlsx.
func (s *Server) handleSegmentReportXLSX(w nethttp.ResponseWriter, r *nethttp.Request) {
	rep, err := s.buildSegmentReport(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.sendXLSX(w, r, "segment-report.xlsx", func(buf *bytes.Buffer) error { return report.WriteSegmentXLSX(buf, rep) })
}

// buildMarketReport gathers the market report: market facts (?region=,
// ?industry=, ?year=) and churn and win/loss within the user's scope.
func (s *Server) buildMarketReport(r *nethttp.Request) (*report.MarketReport, error) {
	f, err := s.analysisFilter(r)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	mf := dossier.MarketFilter{Region: q.Get("region"), Industry: q.Get("industry")}
	if y := q.Get("year"); y != "" {
		if mf.Year, err = strconv.Atoi(y); err != nil {
			return nil, dossier.FieldError("year", "year must be a number like 2025")
		}
	}
	return report.BuildMarket(r.Context(), s.svc.Market, s.svc.Analytics, report.MarketOptions{Market: mf, Customers: f, Lang: langOf(r), Now: s.now().Local()})
}

// handleMarketReport answers GET /market/report, printable like the others.
func (s *Server) handleMarketReport(w nethttp.ResponseWriter, r *nethttp.Request) {
	rep, err := s.buildMarketReport(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.sendReportHTML(w, r, func(buf *bytes.Buffer) error { return report.WriteMarketHTML(buf, rep) })
}

// handleMarketReportXLSX answers GET /market/report.xlsx.
func (s *Server) handleMarketReportXLSX(w nethttp.ResponseWriter, r *nethttp.Request) {
	rep, err := s.buildMarketReport(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.sendXLSX(w, r, "market-report.xlsx", func(buf *bytes.Buffer) error { return report.WriteMarketXLSX(buf, rep) })
}
