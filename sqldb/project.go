package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/dossier/dossier"
)

const projectCols = `p.id, p.customer_id, p.name, p.status, p.start_date, p.end_date, p.amount, p.satisfaction,
	p.src_channel, p.src_detail, p.collected_at, p.collected_by, p.import_id, p.version`

// liveProjects is the FROM and WHERE of every project read through the API:
// of a listed customer, not from an undone import.
const liveProjects = ` FROM projects p JOIN customers c ON c.id = p.customer_id
	WHERE c.hidden = 0 AND c.merged_into IS NULL AND ` +
	"(p.import_id IS NULL OR p.import_id NOT IN (SELECT id FROM imports WHERE reverted_at IS NOT NULL))"

func scanProject(sc scanner) (*dossier.Project, error) {
	var (
		p                  dossier.Project
		amount, sat, imp   sql.NullInt64
		channel, collected string
	)
	if err := sc.Scan(&p.ID, &p.CustomerID, &p.Name, &p.Status, &p.Start, &p.End, &amount, &sat,
		&channel, &p.Source.Detail, &collected, &p.Source.CollectedBy, &imp, &p.Version); err != nil {
		return nil, err
	}
	p.Amount, p.Satisfaction = amount.Int64, int(sat.Int64)
	scanSource(&p.Source, channel, collected, imp)
	return &p, nil
}

// projectTable is the projects table for the reads records share.
var projectTable = recordTable[dossier.Project]{what: "project", alias: "p", cols: projectCols, live: liveProjects,
	scan: scanProject, version: func(p *dossier.Project) int64 { return p.Version }}

// FindProjects implements dossier.ProjectStore: one keyset page in id order.
func (db *DB) FindProjects(ctx context.Context, f dossier.ProjectFilter) ([]dossier.Project, error) {
	return projectTable.page(ctx, db, f.RecordPage, cond{"p.status = ?", f.Status, f.Status != ""})
}

// FindProject implements dossier.ProjectStore.
func (db *DB) FindProject(ctx context.Context, id int64) (*dossier.Project, error) {
	return projectTable.one(ctx, db.r, db.q, id)
}

// normalizeProject checks a project's values and writes canonical ones back.
func normalizeProject(p *dossier.Project) error {
	p.Name = dossier.CleanText(p.Name)
	if p.Name == "" {
		return dossier.FieldError("name", "a project needs a name")
	}
	if p.Status != "" {
		o, ok := (dossier.Field{Options: dossier.ProjectStatusOptions}).Option(p.Status)
		if !ok {
			return dossier.FieldError("status", "unknown project status %q: use 洽谈中, 进行中, 已完成, 暂停 or 已终止", p.Status)
		}
		p.Status = o.Value
	}
	for _, d := range []struct {
		field string
		v     *string
	}{{"start", &p.Start}, {"end", &p.End}} {
		if *d.v == "" {
			continue
		}
		t, err := dossier.ParseDate(*d.v)
		if err != nil {
			return dossier.FieldError(d.field, "%v", err)
		}
		*d.v = dossier.FormatDate(t)
	}
	if p.Start != "" && p.End != "" && p.End < p.Start {
		return dossier.FieldError("end", "the project ends (%s) before it starts (%s)", p.End, p.Start)
	}
	if p.Amount < 0 {
		return dossier.FieldError("amount", "the amount cannot be negative")
	}
	if p.Satisfaction < 0 || p.Satisfaction > 5 {
		return dossier.FieldError("satisfaction", "satisfaction is 1 to 5 (0: unknown)")
	}
	return nil
}

// CreateProject implements dossier.ProjectStore.
func (db *DB) CreateProject(ctx context.Context, p *dossier.Project) error {
	if err := p.Source.Validate(); err != nil {
		return err
	}
	if err := normalizeProject(p); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		if err := tx.customerExists(ctx, p.CustomerID); err != nil {
			return err
		}
		tx.touch(p.CustomerID)
		if err := tx.insertProject(ctx, p); err != nil {
			return err
		}
		return tx.announce(ctx, dossier.EventCustomerChanged, customerEvent{CustomerID: p.CustomerID})
	})
}

// UpdateProject implements dossier.ProjectStore.
func (db *DB) UpdateProject(ctx context.Context, id int64, upd dossier.ProjectUpdate) (*dossier.Project, error) {
	err := db.inTx(ctx, func(tx *Tx) error {
		p, err := projectTable.versioned(ctx, tx, id, upd.Version)
		if err != nil {
			return err
		}
		for _, f := range []struct{ dst, src *string }{{&p.Name, upd.Name}, {&p.Status, upd.Status}, {&p.Start, upd.Start}, {&p.End, upd.End}} {
			if f.src != nil {
				*f.dst = strings.TrimSpace(*f.src)
			}
		}
		if upd.Amount != nil {
			p.Amount = *upd.Amount
		}
		if upd.Satisfaction != nil {
			p.Satisfaction = *upd.Satisfaction
		}
		if err := normalizeProject(p); err != nil {
			return err
		}
		var sat any
		if p.Satisfaction > 0 {
			sat = p.Satisfaction
		}
		tx.touch(p.CustomerID)
		if _, err := tx.exec(ctx, `UPDATE projects SET name = ?, status = ?, start_date = ?, end_date = ?, amount = ?, satisfaction = ?,
			version = version + 1 WHERE id = ?`, p.Name, p.Status, p.Start, p.End, nullInt(p.Amount), sat, id); err != nil {
			return fmt.Errorf("update project %d: %w", id, err)
		}
		return tx.announce(ctx, dossier.EventCustomerChanged, customerEvent{CustomerID: p.CustomerID})
	})
	if err != nil {
		return nil, err
	}
	return db.FindProject(ctx, id)
}

// DeleteProject implements dossier.ProjectStore.
func (db *DB) DeleteProject(ctx context.Context, id, version int64) error {
	return db.inTx(ctx, func(tx *Tx) error {
		p, err := projectTable.versioned(ctx, tx, id, version)
		if err != nil {
			return err
		}
		tx.touch(p.CustomerID)
		if _, err := tx.exec(ctx, `DELETE FROM projects WHERE id = ?`, id); err != nil {
			return fmt.Errorf("delete project %d: %w", id, err)
		}
		return tx.announce(ctx, dossier.EventCustomerChanged, customerEvent{CustomerID: p.CustomerID})
	})
}
