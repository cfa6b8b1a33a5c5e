package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/dossier/dossier"
)

const interactionCols = `i.id, i.customer_id, i.contact_id, i.date, i.channel, i.summary, i.feedback, i.feedback_text, i.recorded_by,
	i.src_channel, i.src_detail, i.collected_at, i.collected_by, i.import_id, i.created_at, i.version`

func scanInteraction(sc scanner) (*dossier.Interaction, error) {
	var (
		in                          dossier.Interaction
		contact, imp                sql.NullInt64
		channel, collected, created string
	)
	if err := sc.Scan(&in.ID, &in.CustomerID, &contact, &in.Date, &in.Channel, &in.Summary, &in.Feedback, &in.FeedbackText, &in.RecordedBy,
		&channel, &in.Source.Detail, &collected, &in.Source.CollectedBy, &imp, &created, &in.Version); err != nil {
		return nil, err
	}
	in.ContactID = contact.Int64
	scanSource(&in.Source, channel, collected, imp)
	in.CreatedAt = parseTS(created)
	return &in, nil
}

// liveInteractions is the FROM and WHERE of every interaction read: of a
// customer still listed (not hidden, not merged) and not from an undone
// import.
const liveInteractions = ` FROM interactions i JOIN customers c ON c.id = i.customer_id
	WHERE c.hidden = 0 AND c.merged_into IS NULL AND ` + "(i.import_id IS NULL OR i.import_id NOT IN (SELECT id FROM imports WHERE reverted_at IS NOT NULL))"

// interactionTable is the interactions table for the reads records share.
var interactionTable = recordTable[dossier.Interaction]{what: "interaction", alias: "i", cols: interactionCols, live: liveInteractions,
	scan: scanInteraction, version: func(in *dossier.Interaction) int64 { return in.Version }}

// FindInteractions implements dossier.InteractionStore: one keyset page in
// id order.
func (db *DB) FindInteractions(ctx context.Context, f dossier.InteractionFilter) ([]dossier.Interaction, error) {
	return interactionTable.page(ctx, db, f.RecordPage, cond{"i.channel = ?", f.Channel, f.Channel != ""},
		cond{"i.feedback = ?", f.Feedback, f.Feedback != ""}, cond{"i.date >= ?", f.From, f.From != ""}, cond{"i.date <= ?", f.To, f.To != ""})
}

// FindInteraction implements dossier.InteractionStore.
func (db *DB) FindInteraction(ctx context.Context, id int64) (*dossier.Interaction, error) {
	return interactionTable.one(ctx, db.r, db.q, id)
}

// normalizeInteraction checks the date, channel and feedback and writes
// their canonical values back.
func normalizeInteraction(in *dossier.Interaction) error {
	d, err := dossier.ParseDate(in.Date)
	if err != nil {
		return dossier.FieldError("date", "%v", err)
	}
	in.Date = dossier.FormatDate(d)
	if in.Channel != "" {
		o, ok := (dossier.Field{Options: dossier.ChannelOptions}).Option(in.Channel)
		if !ok {
			return dossier.FieldError("channel", "unknown channel %q: use 电话, 面谈, 邮件 or 线上会议", in.Channel)
		}
		in.Channel = o.Value
	}
	if in.Feedback != "" {
		o, ok := (dossier.Field{Options: dossier.FeedbackOptions}).Option(in.Feedback)
		if !ok {
			return dossier.FieldError("feedback", "unknown feedback %q: use 积极, 中性 or 消极", in.Feedback)
		}
		in.Feedback = o.Value
	}
	return nil
}

// UpdateInteraction implements dossier.InteractionStore. The customer's
// last contact date is recomputed, since the date may have moved back.
func (db *DB) UpdateInteraction(ctx context.Context, id int64, upd dossier.InteractionUpdate) (*dossier.Interaction, error) {
	err := db.inTx(ctx, func(tx *Tx) error {
		in, err := interactionTable.versioned(ctx, tx, id, upd.Version)
		if err != nil {
			return err
		}
		for _, f := range []struct {
			dst *string
			src *string
		}{{&in.Date, upd.Date}, {&in.Channel, upd.Channel}, {&in.Summary, upd.Summary}, {&in.Feedback, upd.Feedback}, {&in.FeedbackText, upd.FeedbackText}} {
			if f.src != nil {
				*f.dst = strings.TrimSpace(*f.src)
			}
		}
		if err := normalizeInteraction(in); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE interactions SET date = ?, channel = ?, summary = ?, feedback = ?, feedback_text = ?,
			version = version + 1 WHERE id = ?`, in.Date, in.Channel, in.Summary, in.Feedback, in.FeedbackText, id); err != nil {
			return fmt.Errorf("update interaction %d: %w", id, err)
		}
		return tx.lastContact(ctx, in.CustomerID)
	})
	if err != nil {
		return nil, err
	}
	return db.FindInteraction(ctx, id)
}

// DeleteInteraction implements dossier.InteractionStore.
func (db *DB) DeleteInteraction(ctx context.Context, id, version int64) error {
	return db.inTx(ctx, func(tx *Tx) error {
		in, err := interactionTable.versioned(ctx, tx, id, version)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM interactions WHERE id = ?`, id); err != nil {
			return fmt.Errorf("delete interaction %d: %w", id, err)
		}
		return tx.lastContact(ctx, in.CustomerID)
	})
}

// lastContact recomputes a customer's last contact date from its live
// interactions and bumps its version, so profile readers see the change.
func (tx *Tx) lastContact(ctx context.Context, customerID int64) error {
	tx.touch(customerID)
	_, err := tx.exec(ctx, `UPDATE customers SET last_contact = (SELECT MAX(date) FROM interactions WHERE customer_id = ? AND `+liveImport("")+`),
		version = version + 1, updated_at = ? WHERE id = ?`, customerID, ts(tx.now), customerID)
	if err != nil {
		return fmt.Errorf("last contact of %d: %w", customerID, err)
	}
	return tx.announce(ctx, dossier.EventCustomerChanged, customerEvent{CustomerID: customerID})
}
