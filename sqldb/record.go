package sqldb

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/dossier/dossier"
)

// Contacts, interactions, needs and projects are records of their own; each
// row carries its source in the src_* columns, so their provenance is kept
// like that of any fact.

const srcCols = "src_channel, src_detail, collected_at, collected_by, import_id"

func srcArgs(s dossier.Source) []any {
	return []any{string(s.Channel), s.Detail, ts(s.CollectedAt), s.CollectedBy, nullInt(s.ImportID)}
}

func scanSource(s *dossier.Source, channel, collected string, imp sql.NullInt64) {
	s.Channel, s.CollectedAt, s.ImportID = dossier.Channel(channel), parseTS(collected), imp.Int64
}

func contactFromEntry(customerID int64, v map[string]string, src dossier.Source) dossier.Contact {
	return dossier.Contact{CustomerID: customerID, Name: v["contact_name"], Title: v["contact_title"], Role: v["contact_role"],
		Phone: v["contact_phone"], Email: v["contact_email"], Source: src}
}

func interactionFromEntry(customerID int64, v map[string]string, src dossier.Source) dossier.Interaction {
	in := dossier.Interaction{CustomerID: customerID, Date: v["last_contact_date"], Channel: v["last_contact_channel"],
		Summary: v["last_contact_summary"], RecordedBy: src.CollectedBy, Source: src}
	fb := dossier.Field{Options: dossier.FeedbackOptions}
	if o, ok := fb.Option(v["feedback"]); ok {
		in.Feedback = o.Value
	} else {
		in.FeedbackText = v["feedback"]
	}
	return in
}

// customerExists refuses a missing customer, and one merged into another:
// what is added to it belongs to its survivor (ECONFLICT names it).
func (tx *Tx) customerExists(ctx context.Context, id int64) error {
	_, _, err := tx.activeCustomer(ctx, id)
	return err
}

// CreateContact implements dossier.RecordService.
func (db *DB) CreateContact(ctx context.Context, c *dossier.Contact) error {
	if err := validateContact(c); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		if err := tx.customerExists(ctx, c.CustomerID); err != nil {
			return err
		}
		return tx.insertContact(ctx, c)
	})
}

func validateContact(c *dossier.Contact) error {
	if err := c.Source.Validate(); err != nil {
		return err
	}
	if dossier.CleanText(c.Name) == "" {
		return dossier.FieldError("contact_name", "a contact needs a name")
	}
	if c.Role != "" {
		if _, ok := (dossier.Field{Options: dossier.ContactRoleOptions}).Option(c.Role); !ok {
			return dossier.FieldError("contact_role", "unknown decision role %q", c.Role)
		}
	}
	return nil
}

func (tx *Tx) insertContact(ctx context.Context, c *dossier.Contact) error {
	tx.touch(c.CustomerID)
	c.CreatedAt, c.Version = tx.now, 1
	args := append([]any{c.CustomerID, c.Name, c.Title, c.Role, c.Phone, c.Email, c.Preferences}, srcArgs(c.Source)...)
	id, err := tx.insert(ctx, `INSERT INTO contacts (customer_id, name, title, role, phone, email, preferences, `+srcCols+`, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, append(args, ts(tx.now))...)
	if err != nil {
		return fmt.Errorf("insert contact: %w", err)
	}
	c.ID = id
	return nil
}

// Contacts implements dossier.RecordService.
func (db *DB) Contacts(ctx context.Context, customerID int64) ([]dossier.Contact, error) {
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT id, customer_id, name, title, role, phone, email, preferences, `+srcCols+`, created_at, version
		FROM contacts WHERE customer_id = ? AND merged_into IS NULL AND `+liveImport("")+` ORDER BY id`), customerID)
	if err != nil {
		return nil, fmt.Errorf("contacts of %d: %w", customerID, err)
	}
	defer rows.Close()
	var out []dossier.Contact
	for rows.Next() {
		var (
			c                           dossier.Contact
			channel, collected, created string
			imp                         sql.NullInt64
		)
		if err := rows.Scan(&c.ID, &c.CustomerID, &c.Name, &c.Title, &c.Role, &c.Phone, &c.Email, &c.Preferences,
			&channel, &c.Source.Detail, &collected, &c.Source.CollectedBy, &imp, &created, &c.Version); err != nil {
			return nil, err
		}
		scanSource(&c.Source, channel, collected, imp)
		c.CreatedAt = parseTS(created)
		out = append(out, c)
	}
	return out, rows.Err()
}

// CreateInteraction implements dossier.RecordService; the customer's last
// contact date follows.
func (db *DB) CreateInteraction(ctx context.Context, in *dossier.Interaction) error {
	if err := in.Source.Validate(); err != nil {
		return err
	}
	if err := normalizeInteraction(in); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		if err := tx.customerExists(ctx, in.CustomerID); err != nil {
			return err
		}
		if err := tx.insertInteraction(ctx, in); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `UPDATE customers SET last_contact = ? WHERE id = ? AND (last_contact IS NULL OR last_contact < ?)`,
			in.Date, in.CustomerID, in.Date)
		return err
	})
}

func (tx *Tx) insertInteraction(ctx context.Context, in *dossier.Interaction) error {
	in.CreatedAt, in.Version = tx.now, 1
	args := append([]any{in.CustomerID, nullInt(in.ContactID), in.Date, in.Channel, in.Summary, in.Feedback, in.FeedbackText, in.RecordedBy},
		srcArgs(in.Source)...)
	id, err := tx.insert(ctx, `INSERT INTO interactions (customer_id, contact_id, date, channel, summary, feedback, feedback_text, recorded_by, `+srcCols+`, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, append(args, ts(tx.now))...)
	if err != nil {
		return fmt.Errorf("insert interaction: %w", err)
	}
	in.ID = id
	return nil
}

// Interactions implements dossier.RecordService: newest first.
func (db *DB) Interactions(ctx context.Context, customerID int64) ([]dossier.Interaction, error) {
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT id, customer_id, contact_id, date, channel, summary, feedback, feedback_text, recorded_by, `+srcCols+`, created_at, version
		FROM interactions WHERE customer_id = ? AND `+liveImport("")+` ORDER BY date DESC, id DESC`), customerID)
	if err != nil {
		return nil, fmt.Errorf("interactions of %d: %w", customerID, err)
	}
	defer rows.Close()
	var out []dossier.Interaction
	for rows.Next() {
		var (
			in                          dossier.Interaction
			contact, imp                sql.NullInt64
			channel, collected, created string
		)
		if err := rows.Scan(&in.ID, &in.CustomerID, &contact, &in.Date, &in.Channel, &in.Summary, &in.Feedback, &in.FeedbackText, &in.RecordedBy,
			&channel, &in.Source.Detail, &collected, &in.Source.CollectedBy, &imp, &created, &in.Version); err != nil {
			return nil, err
		}
		in.ContactID = contact.Int64
		scanSource(&in.Source, channel, collected, imp)
		in.CreatedAt = parseTS(created)
		out = append(out, in)
	}
	return out, rows.Err()
}

// Needs implements dossier.RecordService: most urgent and important first.
func (db *DB) Needs(ctx context.Context, customerID int64) ([]dossier.Need, error) {
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT id, customer_id, type, description, explicit, budget, timeline, expected_amount,
		urgency, importance, `+srcCols+` FROM needs WHERE customer_id = ? ORDER BY urgency * importance DESC, id`), customerID)
	if err != nil {
		return nil, fmt.Errorf("needs of %d: %w", customerID, err)
	}
	defer rows.Close()
	var out []dossier.Need
	for rows.Next() {
		var (
			n                  dossier.Need
			explicit           int
			amount, imp        sql.NullInt64
			channel, collected string
		)
		if err := rows.Scan(&n.ID, &n.CustomerID, &n.Type, &n.Description, &explicit, &n.Budget, &n.Timeline, &amount,
			&n.Urgency, &n.Importance, &channel, &n.Source.Detail, &collected, &n.Source.CollectedBy, &imp); err != nil {
			return nil, err
		}
		n.Explicit, n.ExpectedAmount = explicit != 0, amount.Int64
		scanSource(&n.Source, channel, collected, imp)
		out = append(out, n)
	}
	return out, rows.Err()
}

// Projects implements dossier.RecordService: newest first.
func (db *DB) Projects(ctx context.Context, customerID int64) ([]dossier.Project, error) {
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT id, customer_id, name, status, start_date, end_date, amount, satisfaction, `+srcCols+`, version
		FROM projects WHERE customer_id = ? AND `+liveImport("")+` ORDER BY start_date DESC, id DESC`), customerID)
	if err != nil {
		return nil, fmt.Errorf("projects of %d: %w", customerID, err)
	}
	defer rows.Close()
	var out []dossier.Project
	for rows.Next() {
		var (
			p                  dossier.Project
			amount, sat, imp   sql.NullInt64
			channel, collected string
		)
		if err := rows.Scan(&p.ID, &p.CustomerID, &p.Name, &p.Status, &p.Start, &p.End, &amount, &sat,
			&channel, &p.Source.Detail, &collected, &p.Source.CollectedBy, &imp, &p.Version); err != nil {
			return nil, err
		}
		p.Amount, p.Satisfaction = amount.Int64, int(sat.Int64)
		scanSource(&p.Source, channel, collected, imp)
		out = append(out, p)
	}
	return out, rows.Err()
}

func (tx *Tx) insertProject(ctx context.Context, p *dossier.Project) error {
	var sat any
	if p.Satisfaction > 0 {
		sat = p.Satisfaction
	}
	args := append([]any{p.CustomerID, p.Name, p.Status, p.Start, p.End, nullInt(p.Amount), sat}, srcArgs(p.Source)...)
	id, err := tx.insert(ctx, `INSERT INTO projects (customer_id, name, status, start_date, end_date, amount, satisfaction, `+srcCols+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args...)
	if err != nil {
		return fmt.Errorf("insert project: %w", err)
	}
	p.ID, p.Version = id, 1
	return nil
}
