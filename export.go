package dossier

import (
	"context"
	"strings"
)

// RowWriter takes the rows of an export; the csv and xlsx writers implement it.
type RowWriter interface {
	Write(rec []string) error
}

// ExportStore is what an export reads from.
type ExportStore interface {
	Registry(ctx context.Context) (*Registry, error)
	// CustomersAfter returns up to limit customers matching f with an id
	// above afterID, in id order.
	CustomersAfter(ctx context.Context, f CustomerFilter, afterID int64, limit int) ([]*Customer, error)
	Contacts(ctx context.Context, customerID int64) ([]Contact, error)
	Interactions(ctx context.Context, customerID int64) ([]Interaction, error)
}

// exportPage is how many customers an export holds in memory at a time.
const exportPage = 200

// Export writes one row per customer matching f: a header of the active
// fields' Chinese labels, then values that Import reads back unchanged
// (canonical values; enumerations as their Chinese labels). The contact
// columns hold the first contact, the interaction columns the latest one.
// It returns the number of customers written.
func Export(ctx context.Context, st ExportStore, w RowWriter, f CustomerFilter) (int, error) {
	reg, err := st.Registry(ctx)
	if err != nil {
		return 0, err
	}
	fields := reg.Active()
	head := make([]string, len(fields))
	for i, fd := range fields {
		head[i] = fd.LabelZH
	}
	if err := w.Write(head); err != nil {
		return 0, err
	}
	n, after := 0, int64(0)
	for {
		page, err := st.CustomersAfter(ctx, f, after, exportPage)
		if err != nil || len(page) == 0 {
			return n, err
		}
		for _, c := range page {
			row, err := exportRow(ctx, st, fields, c)
			if err != nil {
				return n, err
			}
			if err := w.Write(row); err != nil {
				return n, err
			}
			n++
			after = c.ID
		}
	}
}

func exportRow(ctx context.Context, st ExportStore, fields []Field, c *Customer) ([]string, error) {
	vals := map[string]string{}
	for k, v := range c.Values {
		vals[k] = v
	}
	cs, err := st.Contacts(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	if len(cs) > 0 {
		p := cs[0]
		vals["contact_name"], vals["contact_title"], vals["contact_role"] = p.Name, p.Title, p.Role
		vals["contact_phone"], vals["contact_email"] = p.Phone, p.Email
	}
	ins, err := st.Interactions(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	if len(ins) > 0 { // newest first
		in := ins[0]
		vals["last_contact_date"], vals["last_contact_channel"], vals["last_contact_summary"] = in.Date, in.Channel, in.Summary
		vals["feedback"] = strings.TrimSpace(Field{Options: FeedbackOptions}.OptionLabel(in.Feedback, "zh") + " " + in.FeedbackText)
	}
	row := make([]string, len(fields))
	for i, fd := range fields {
		v := vals[fd.Key]
		if fd.Type == TypeEnum {
			v = fd.OptionLabel(v, "zh")
		}
		row[i] = v
	}
	return row, nil
}
