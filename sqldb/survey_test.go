package sqldb_test

import (
	"sync"
	"testing"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
)

func TestSurvey(t *testing.T) {
	for _, s := range dbtest.Stores(t) {
		t.Run(s.Name, func(t *testing.T) {
			now := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
			var mu sync.Mutex
			opt := dbtest.Options()
			opt.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
			db := s.Open(t, opt)
			c, err := db.CreateCustomer(ctx, dossier.NewCustomer{Values: map[string]string{"name": "华信科技", "budget": "10-20万"},
				Source: dossier.Source{Channel: dossier.ChannelInternal, Detail: "crm", CollectedAt: now}})
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := db.CreateSurveyLink(ctx, c.ID, "", 0, "admin"); dossier.ErrorCode(err) != dossier.EINVALID {
				t.Errorf("0 days: %v", err)
			}
			if _, _, err := db.CreateSurveyLink(ctx, c.ID, "nope", 14, "admin"); dossier.ErrorCode(err) != dossier.ENOTFOUND {
				t.Errorf("unknown questionnaire: %v", err)
			}
			if _, _, err := db.CreateSurveyLink(ctx, 999, "", 14, "admin"); dossier.ErrorCode(err) != dossier.ENOTFOUND {
				t.Errorf("unknown customer: %v", err)
			}
			token, link, err := db.CreateSurveyLink(ctx, c.ID, "", 14, "admin")
			if err != nil || len(token) < 40 || link.ExpiresAt != now.AddDate(0, 0, 14) {
				t.Fatalf("link %q %+v, %v", token, link, err)
			}
			if _, _, err := db.OpenSurvey(ctx, token+"x"); dossier.ErrorCode(err) != dossier.ENOTFOUND {
				t.Errorf("wrong token: %v", err)
			}
			_, q, err := db.OpenSurvey(ctx, token)
			if err != nil || q.Name != dossier.DefaultQuestionnaire || len(q.Questions) < 5 {
				t.Fatalf("open: %+v, %v", q, err)
			}
			// A bad answer stores nothing and keeps the link open.
			err = db.AnswerSurvey(ctx, token, map[string]string{"budget": "很多钱", "pain_points": "分拣效率低"})
			if dossier.ErrorCode(err) != dossier.EINVALID {
				t.Errorf("bad budget: %v", err)
			}
			if err := db.AnswerSurvey(ctx, token, map[string]string{"credit_code": "x"}); dossier.ErrorCode(err) != dossier.EINVALID {
				t.Errorf("a field the survey does not ask for: %v", err)
			}
			answers := map[string]string{"budget": "50-80万", "pain_points": "分拣效率低,错发率高", "name": "改名公司", "purchase_timeline": "2026年Q3"}
			if err := db.AnswerSurvey(ctx, token, answers); err != nil {
				t.Fatal(err)
			}
			got, _ := db.FindCustomerByID(ctx, c.ID)
			if got.Name != "华信科技" || got.Value("pain_points") != "分拣效率低,错发率高" || got.Value("purchase_timeline") == "" {
				t.Errorf("profile after the survey: %v", got.Values)
			}
			hist, won, err := db.FieldHistory(ctx, c.ID, "pain_points")
			if err != nil || len(hist) != 1 || won == nil {
				t.Fatalf("history %+v, %v", hist, err)
			}
			f := hist[0]
			if f.Source.Channel != dossier.ChannelCustomer || f.Source.Detail != "needs survey 需求调研表" || f.Remark != dossier.RemarkPending {
				t.Errorf("fact %+v", f)
			}
			// The internal budget is confirmed; the customer's answer waits.
			if bh, _, _ := db.FieldHistory(ctx, c.ID, "budget"); len(bh) != 2 || got.Value("budget") != "100000-200000" {
				t.Errorf("budget %q, history %+v", got.Value("budget"), bh)
			}
			if err := db.AnswerSurvey(ctx, token, answers); dossier.ErrorCode(err) != dossier.ECONFLICT {
				t.Errorf("second answer: %v", err)
			}
			if _, _, err := db.OpenSurvey(ctx, token); dossier.ErrorCode(err) != dossier.ECONFLICT {
				t.Errorf("open after answering: %v", err)
			}
			late, _, _ := db.CreateSurveyLink(ctx, c.ID, "", 1, "admin")
			mu.Lock()
			now = now.AddDate(0, 0, 2)
			mu.Unlock()
			if _, _, err := db.OpenSurvey(ctx, late); dossier.ErrorCode(err) != dossier.ECONFLICT {
				t.Errorf("expired link: %v", err)
			}
			if err := db.AnswerSurvey(ctx, late, answers); dossier.ErrorCode(err) != dossier.ECONFLICT {
				t.Errorf("answer to an expired link: %v", err)
			}
			audit, _, _ := db.FindAudit(ctx, dossier.AuditFilter{Action: dossier.AuditSurveyAnswer})
			if len(audit) != 1 || audit[0].EntityID != c.ID {
				t.Errorf("audit %+v", audit)
			}
		})
	}
}

func TestSaveQuestionnaire(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		q := dossier.Questionnaire{Name: "budget", TitleZH: "预算问卷", Questions: []dossier.Question{{Field: "budget", ZH: "预算?"}}}
		if err := db.SaveQuestionnaire(ctx, q); err != nil {
			t.Fatal(err)
		}
		got, err := db.Questionnaire(ctx, "budget")
		if err != nil || got.TitleZH != "预算问卷" || len(got.Questions) != 1 || got.Questions[0].ZH != "预算?" {
			t.Errorf("%+v, %v", got, err)
		}
		bad := dossier.Questionnaire{Name: "x", TitleZH: "x", Questions: []dossier.Question{{Field: "contact_phone", ZH: "?"}}}
		if err := db.SaveQuestionnaire(ctx, bad); dossier.ErrorCode(err) != dossier.EINVALID {
			t.Errorf("a contact field in a questionnaire: %v", err)
		}
		if err := db.SaveQuestionnaire(ctx, dossier.Questionnaire{Name: "needs", TitleZH: "x", Questions: q.Questions}); err == nil {
			t.Error("the built-in survey was replaced")
		}
	})
}
