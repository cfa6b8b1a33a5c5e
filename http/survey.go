package http

import (
	"fmt"
	nethttp "net/http"
	"strconv"
	"strings"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/http/html"
	"github.com/dossier/dossier/i18n"
)

// surveyRequestsPerIP bounds the requests one address may make to the
// public survey pages in 15 minutes: a real respondent needs a handful, a
// token guesser is stopped long before the 256-bit token space matters.
const surveyRequestsPerIP = 60

// surveyAllowed counts a request to a public survey page and refuses it
// (429) past the limit.
func (s *Server) surveyAllowed(w nethttp.ResponseWriter, r *nethttp.Request) bool {
	ip := clientIP(r)
	if ok, _ := s.surveyLimit.allow(ip); !ok {
		s.renderSurveyMessage(w, r, nethttp.StatusTooManyRequests, "survey.too_many")
		return false
	}
	s.surveyLimit.fail(ip)
	return true
}

// handleSurvey shows a questionnaire to whoever holds its link.
func (s *Server) handleSurvey(w nethttp.ResponseWriter, r *nethttp.Request) {
	if !s.surveyAllowed(w, r) {
		return
	}
	_, q, err := s.svc.Surveys.OpenSurvey(r.Context(), r.PathValue("token"))
	if err != nil {
		s.surveyUnavailable(w, r, err)
		return
	}
	page, err := s.surveyPage(w, r, q, nil, "")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, nethttp.StatusOK, "survey", page)
}

// handleAnswerSurvey stores the answers; invalid ones show the form again
// with what was typed and the reason.
func (s *Server) handleAnswerSurvey(w nethttp.ResponseWriter, r *nethttp.Request) {
	if !s.surveyAllowed(w, r) {
		return
	}
	token := r.PathValue("token")
	_, q, err := s.svc.Surveys.OpenSurvey(r.Context(), token)
	if err != nil {
		s.surveyUnavailable(w, r, err)
		return
	}
	answers := map[string]string{}
	for _, qu := range q.Questions {
		answers[qu.Field] = r.PostFormValue(qu.Field)
	}
	err = s.svc.Surveys.AnswerSurvey(r.Context(), token, answers)
	switch dossier.ErrorCode(err) {
	case "":
		s.renderSurveyDone(w, r, q)
	case dossier.EINVALID:
		page, perr := s.surveyPage(w, r, q, answers, dossier.ErrorMessage(err))
		if perr != nil {
			s.fail(w, r, perr)
			return
		}
		if e, ok := asDomain(err); ok {
			for i := range page.Questions {
				page.Questions[i].Invalid = page.Questions[i].Name == e.Field
			}
		}
		s.render(w, r, nethttp.StatusBadRequest, "survey", page)
	default:
		s.surveyUnavailable(w, r, err)
	}
}

// surveyUnavailable answers an unknown (404), spent or expired (410) link
// with a page that says so and nothing else.
func (s *Server) surveyUnavailable(w nethttp.ResponseWriter, r *nethttp.Request, err error) {
	switch dossier.ErrorCode(err) {
	case dossier.ENOTFOUND:
		s.renderSurveyMessage(w, r, nethttp.StatusNotFound, "survey.not_found")
	case dossier.ECONFLICT:
		key := "survey.expired"
		if strings.Contains(dossier.ErrorMessage(err), "answered") {
			key = "survey.answered"
		}
		s.renderSurveyMessage(w, r, nethttp.StatusGone, key)
	default:
		s.fail(w, r, err)
	}
}

func (s *Server) renderSurveyMessage(w nethttp.ResponseWriter, r *nethttp.Request, status int, key string) {
	page := html.SurveyPage{Base: s.surveyBase(w, r)}
	page.Heading, page.Message = page.Title, i18n.T(langOf(r), key)
	s.render(w, r, status, "survey", page)
}

func (s *Server) renderSurveyDone(w nethttp.ResponseWriter, r *nethttp.Request, q *dossier.Questionnaire) {
	lang := langOf(r)
	page := html.SurveyPage{Base: s.surveyBase(w, r), Heading: q.Title(lang), Message: i18n.T(lang, "survey.thanks"), Done: true}
	s.render(w, r, nethttp.StatusOK, "survey", page)
}

// surveyBase is the page frame without a user: a public page shows no one's
// name or navigation, even to a signed-in colleague testing the link.
func (s *Server) surveyBase(w nethttp.ResponseWriter, r *nethttp.Request) html.Base {
	b := s.base(w, r, "survey.title", "")
	b.User = nil
	return b
}

// surveyPage lays out the questions with inputs by field type.
func (s *Server) surveyPage(w nethttp.ResponseWriter, r *nethttp.Request, q *dossier.Questionnaire, answers map[string]string, errMsg string) (html.SurveyPage, error) {
	lang := langOf(r)
	page := html.SurveyPage{Base: s.surveyBase(w, r), Heading: q.Title(lang), Error: errMsg}
	page.Title = q.Title(lang)
	reg, err := s.svc.Fields.Registry(r.Context())
	if err != nil {
		return page, err
	}
	for _, qu := range q.Questions {
		f, ok := reg.Field(qu.Field)
		if !ok || f.Retired {
			continue
		}
		sq := html.SurveyQuestion{Name: f.Key, Text: qu.Text(lang), Input: "text", Value: answers[f.Key]}
		switch f.Type {
		case dossier.TypeEnum:
			sq.Input = "select"
			for _, o := range f.Options {
				label := o.LabelZH
				if lang == i18n.English && o.LabelEN != "" {
					label = o.LabelEN
				}
				sq.Options = append(sq.Options, html.Choice{Value: o.Value, Label: label, Selected: o.Value == sq.Value})
			}
		case dossier.TypeText, dossier.TypeTags:
			sq.Input = "textarea"
		case dossier.TypeRange, dossier.TypeMoney:
			sq.Hint = i18n.T(lang, "survey.hint_money")
		case dossier.TypeTimeline, dossier.TypeDate:
			sq.Hint = i18n.T(lang, "survey.hint_time")
		}
		page.Questions = append(page.Questions, sq)
	}
	return page, nil
}

// handleNewSurveyLink makes a questionnaire link for a customer the user may
// edit and shows it once.
func (s *Server) handleNewSurveyLink(w nethttp.ResponseWriter, r *nethttp.Request) {
	c, err := s.visibleCustomer(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	days := 14
	if d := strings.TrimSpace(r.PostFormValue("days")); d != "" {
		if days, err = strconv.Atoi(d); err != nil {
			s.fail(w, r, dossier.FieldError("days", "days must be a number, not %q", d))
			return
		}
	}
	token, l, err := s.svc.Surveys.CreateSurveyLink(r.Context(), c.ID, r.PostFormValue("questionnaire"), days, userOf(r).Name)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q, err := s.svc.Surveys.Questionnaire(r.Context(), l.Questionnaire)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	page := html.SurveyLinkPage{Base: s.base(w, r, "survey.link_title", "customers"), CustomerName: c.Name,
		CustomerURL: fmt.Sprintf("/customers/%d", c.ID), URL: scheme + "://" + r.Host + dossier.SurveyPath(token),
		Expires: formatTime(l.ExpiresAt), Questionnaire: q.Title(langOf(r))}
	s.render(w, r, nethttp.StatusOK, "survey_link", page)
}
