package sqldb

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/dossier/dossier"
)

// Questionnaire implements dossier.SurveyService: the built-in needs survey,
// or a saved one.
func (db *DB) Questionnaire(ctx context.Context, name string) (*dossier.Questionnaire, error) {
	if name == "" || name == dossier.DefaultQuestionnaire {
		q := dossier.NeedsSurvey()
		return &q, nil
	}
	q := dossier.Questionnaire{Name: name}
	var questions string
	err := db.r.QueryRowContext(ctx, db.q("SELECT title_zh, title_en, questions FROM questionnaires WHERE name = ?"), name).
		Scan(&q.TitleZH, &q.TitleEN, &questions)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, dossier.Errorf(dossier.ENOTFOUND, "no questionnaire %q", name)
	}
	if err != nil {
		return nil, fmt.Errorf("questionnaire %q: %w", name, err)
	}
	if err := json.Unmarshal([]byte(questions), &q.Questions); err != nil {
		return nil, fmt.Errorf("questionnaire %q: %w", name, err)
	}
	return &q, nil
}

// SaveQuestionnaire implements dossier.SurveyService.
func (db *DB) SaveQuestionnaire(ctx context.Context, q dossier.Questionnaire) error {
	if q.Name == dossier.DefaultQuestionnaire {
		return dossier.FieldError("name", "%q is the built-in needs survey: choose another name", q.Name)
	}
	reg, err := db.Registry(ctx)
	if err != nil {
		return err
	}
	if err := q.Validate(reg); err != nil {
		return err
	}
	b, _ := json.Marshal(q.Questions)
	return db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO questionnaires (name, title_zh, title_en, questions, created_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET title_zh = excluded.title_zh, title_en = excluded.title_en, questions = excluded.questions`,
			q.Name, q.TitleZH, q.TitleEN, string(b), ts(tx.now))
		return err
	})
}

func surveyTokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CreateSurveyLink implements dossier.SurveyService. The token is 32 random
// bytes; only its SHA-256 is stored, like session tokens.
func (db *DB) CreateSurveyLink(ctx context.Context, customerID int64, questionnaire string, days int, by string) (string, *dossier.SurveyLink, error) {
	if err := dossier.ValidSurveyDays(days); err != nil {
		return "", nil, err
	}
	q, err := db.Questionnaire(ctx, questionnaire)
	if err != nil {
		return "", nil, err
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	token := base64.RawURLEncoding.EncodeToString(b)
	l := &dossier.SurveyLink{CustomerID: customerID, Questionnaire: q.Name, CreatedBy: by}
	err = db.inTx(ctx, func(tx *Tx) error {
		if err := tx.customerExists(ctx, customerID); err != nil {
			return err
		}
		l.CreatedAt, l.ExpiresAt = tx.now, tx.now.AddDate(0, 0, days)
		l.ID, err = tx.insert(ctx, `INSERT INTO survey_links (token_hash, customer_id, questionnaire, created_by, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?)`, surveyTokenHash(token), customerID, q.Name, by, ts(l.CreatedAt), ts(l.ExpiresAt))
		if err != nil {
			return fmt.Errorf("create survey link: %w", err)
		}
		return tx.audit(ctx, &dossier.AuditEntry{User: by, Action: dossier.AuditSurveyLink, Entity: "customer", EntityID: customerID,
			Detail: fmt.Sprintf("link %d, %s, %d days", l.ID, q.Name, days)})
	})
	if err != nil {
		return "", nil, err
	}
	return token, l, nil
}

// OpenSurvey implements dossier.SurveyService.
func (db *DB) OpenSurvey(ctx context.Context, token string) (*dossier.SurveyLink, *dossier.Questionnaire, error) {
	l, err := scanSurveyLink(db.r.QueryRowContext(ctx, db.q(surveyLinkQuery), surveyTokenHash(token)))
	if err != nil {
		return nil, nil, err
	}
	if err := dossier.SurveyClosed(l, db.now()); err != nil {
		return l, nil, err
	}
	q, err := db.Questionnaire(ctx, l.Questionnaire)
	return l, q, err
}

const surveyLinkQuery = `SELECT id, customer_id, questionnaire, created_by, created_at, expires_at, COALESCE(answered_at, '')
	FROM survey_links WHERE token_hash = ?`

func scanSurveyLink(row scanner) (*dossier.SurveyLink, error) {
	var (
		l                          dossier.SurveyLink
		created, expires, answered string
	)
	err := row.Scan(&l.ID, &l.CustomerID, &l.Questionnaire, &l.CreatedBy, &created, &expires, &answered)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, dossier.Errorf(dossier.ENOTFOUND, "no such survey link")
	}
	if err != nil {
		return nil, fmt.Errorf("survey link: %w", err)
	}
	l.CreatedAt, l.ExpiresAt = parseTS(created), parseTS(expires)
	if answered != "" {
		l.AnsweredAt = parseTS(answered)
	}
	return &l, nil
}

// AnswerSurvey implements dossier.SurveyService: the link is re-read and
// spent in the same transaction as the observation, so one link gives one
// set of answers even when two are sent at once.
func (db *DB) AnswerSurvey(ctx context.Context, token string, answers map[string]string) error {
	return db.inTx(ctx, func(tx *Tx) error {
		l, err := scanSurveyLink(tx.queryRow(ctx, surveyLinkQuery, surveyTokenHash(token)))
		if err != nil {
			return err
		}
		if err := dossier.SurveyClosed(l, tx.now); err != nil {
			return err
		}
		q, err := db.Questionnaire(ctx, l.Questionnaire)
		if err != nil {
			return err
		}
		vals, remarks := map[string]string{}, map[string]dossier.Remark{}
		for _, qu := range q.Questions {
			if v := dossier.CleanText(answers[qu.Field]); v != "" {
				vals[qu.Field], remarks[qu.Field] = v, dossier.RemarkPending
			}
		}
		if len(vals) == 0 {
			return dossier.FieldError("answers", "please answer at least one question")
		}
		e, err := tx.normalize(ctx, vals, remarks)
		if err != nil {
			return err
		}
		for k := range e.Customer {
			e.Remarks[k] = dossier.RemarkPending // every answer waits for verification
		}
		r, err := tx.exec(ctx, "UPDATE survey_links SET answered_at = ? WHERE id = ? AND answered_at IS NULL", ts(tx.now), l.ID)
		if err != nil {
			return fmt.Errorf("answer survey: %w", err)
		}
		if n, _ := r.RowsAffected(); n != 1 {
			return dossier.Errorf(dossier.ECONFLICT, "this survey was already answered: thank you")
		}
		src := dossier.Source{Channel: dossier.ChannelCustomer, Detail: q.SourceDetail(), CollectedAt: tx.now,
			CollectedBy: fmt.Sprintf("survey link %d", l.ID)}
		if err := tx.observe(ctx, l.CustomerID, e, src); err != nil {
			return err
		}
		return tx.audit(ctx, &dossier.AuditEntry{Action: dossier.AuditSurveyAnswer, Entity: "customer", EntityID: l.CustomerID,
			Detail: fmt.Sprintf("link %d, %d answers", l.ID, len(e.Customer))})
	})
}
