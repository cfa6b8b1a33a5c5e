package dossier

import (
	"context"
	"time"
)

// A questionnaire (SPEC R28) asks a customer directly: each question fills
// one registry field, and the answers become facts with channel "customer",
// the questionnaire as their detail, and the remark "pending verification"
// (what a customer says of itself is checked before it is confirmed).

// Question asks for one registry field.
type Question struct {
	Field string `json:"field"`
	ZH    string `json:"question_zh"`
	EN    string `json:"question_en"`
}

// Text is the question in lang ("zh" or "en"), Chinese when no English.
func (q Question) Text(lang string) string {
	if lang == "en" && q.EN != "" {
		return q.EN
	}
	return q.ZH
}

// Questionnaire is a named set of questions.
type Questionnaire struct {
	Name      string     `json:"name"`
	TitleZH   string     `json:"title_zh"`
	TitleEN   string     `json:"title_en"`
	Questions []Question `json:"questions"`
}

// Title is the questionnaire's title in lang.
func (q Questionnaire) Title(lang string) string {
	if lang == "en" && q.TitleEN != "" {
		return q.TitleEN
	}
	return q.TitleZH
}

// SourceDetail is the detail of the facts its answers become.
func (q Questionnaire) SourceDetail() string { return "needs survey " + q.TitleZH }

// Validate checks that every question names an active customer field of reg,
// once.
func (q Questionnaire) Validate(reg *Registry) error {
	if CleanText(q.Name) == "" || CleanText(q.TitleZH) == "" {
		return FieldError("name", "a questionnaire needs a name and a Chinese title")
	}
	if len(q.Questions) == 0 {
		return FieldError("questions", "questionnaire %q has no questions", q.Name)
	}
	seen := map[string]bool{}
	for _, qu := range q.Questions {
		f, ok := reg.Field(qu.Field)
		if !ok || f.Retired || f.Entity != EntityCustomer {
			return FieldError("questions", "questionnaire %q: %q is not an active customer field", q.Name, qu.Field)
		}
		if seen[qu.Field] {
			return FieldError("questions", "questionnaire %q asks for %q twice", q.Name, qu.Field)
		}
		seen[qu.Field] = true
	}
	return nil
}

// DefaultQuestionnaire is the name of the built-in needs survey.
const DefaultQuestionnaire = "needs"

// NeedsSurvey is the built-in needs survey, after the seed's 客户调研表 /
// 需求调研表: explicit needs (function, quantity, delivery, budget), pain
// points ("当前仓储管理中的最大挑战"), decision process and factors, goals.
func NeedsSurvey() Questionnaire {
	return Questionnaire{Name: DefaultQuestionnaire, TitleZH: "需求调研表", TitleEN: "Needs survey", Questions: []Question{
		{"need_type", "贵司目前最需要哪一类产品或服务?", "Which kind of product or service do you need most?"},
		{"need_description", "请具体描述您的需求(功能、数量、交付时间等)。", "Please describe your needs (functions, quantities, delivery time)."},
		{"pain_points", "当前业务中最大的挑战或痛点是什么?(如仓储效率低、人工成本高)", "What is the biggest challenge in your business today (e.g. slow warehousing, high labour cost)?"},
		{"budget", "本次采购的预算范围大约是多少?(如 30-50万)", "What is the budget range for this purchase (e.g. 30-50万)?"},
		{"purchase_timeline", "计划什么时候采购?(如 2026年Q3)", "When do you plan to buy (e.g. 2026年Q3)?"},
		{"decision_process", "采购需要经过哪些审批环节和部门?", "Which approvals and departments does the purchase go through?"},
		{"decision_factors", "选择供应商时最看重哪些因素?(价格、质量、服务…,用顿号或逗号分隔)", "What matters most when you choose a supplier (price, quality, service, …)?"},
		{"strategic_goals", "未来1-3年贵司的发展目标是什么?", "What are your goals for the next one to three years?"},
	}}
}

// SurveyLink is a link a customer opens without an account. Only the
// token's hash is stored; the token itself is shown once, when made.
type SurveyLink struct {
	ID            int64
	CustomerID    int64
	Questionnaire string
	CreatedBy     string
	CreatedAt     time.Time
	ExpiresAt     time.Time
	AnsweredAt    time.Time // zero until answered; a link is answered once
}

// SurveyPath is the public path of a link's page.
func SurveyPath(token string) string { return "/q/" + token }

// MaxSurveyDays bounds a link's life.
const MaxSurveyDays = 90

// ValidSurveyDays checks a link's life in days.
func ValidSurveyDays(days int) error {
	if days < 1 || days > MaxSurveyDays {
		return FieldError("days", "a survey link lives 1 to %d days, not %d", MaxSurveyDays, days)
	}
	return nil
}

// SurveyService makes survey links and takes their answers.
type SurveyService interface {
	// Questionnaire returns a questionnaire by name ("" is the default).
	Questionnaire(ctx context.Context, name string) (*Questionnaire, error)
	// SaveQuestionnaire adds or replaces a custom questionnaire.
	SaveQuestionnaire(ctx context.Context, q Questionnaire) error
	// CreateSurveyLink makes a link for a customer that expires after days;
	// it returns the token, which is not stored.
	CreateSurveyLink(ctx context.Context, customerID int64, questionnaire string, days int, by string) (string, *SurveyLink, error)
	// OpenSurvey returns the link and questionnaire of a token: ENOTFOUND
	// for an unknown token, ECONFLICT for an expired or answered one.
	OpenSurvey(ctx context.Context, token string) (*SurveyLink, *Questionnaire, error)
	// AnswerSurvey stores the answers (field key → raw text) as one
	// observation and spends the link, atomically. Invalid answers are an
	// EINVALID error naming the field, and nothing is stored.
	AnswerSurvey(ctx context.Context, token string, answers map[string]string) error
}

// SurveyClosed is the message of a link that can no longer be answered.
func SurveyClosed(l *SurveyLink, now time.Time) error {
	switch {
	case !l.AnsweredAt.IsZero():
		return Errorf(ECONFLICT, "this survey was already answered on %s: thank you", l.AnsweredAt.Format(DateLayout))
	case !now.Before(l.ExpiresAt):
		return Errorf(ECONFLICT, "this survey link expired on %s: ask your contact for a new one", l.ExpiresAt.Format(DateLayout))
	}
	return nil
}
