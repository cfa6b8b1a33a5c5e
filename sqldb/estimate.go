package sqldb

import (
	"context"
	"fmt"

	"github.com/dossier/dossier"
)

// PeerEstimate implements dossier.QualityService: the median of the field
// among active customers of the same industry and size band, falling back
// to the industry alone when the band has too few. Customers whose value
// came from an accepted estimate are not peers, so estimates never feed on
// estimates.
func (db *DB) PeerEstimate(ctx context.Context, customerID int64, field string) (*dossier.Estimate, error) {
	c, err := db.FindCustomerByID(ctx, customerID)
	if err != nil {
		return nil, err
	}
	reg, err := db.Registry(ctx)
	if err != nil {
		return nil, err
	}
	f, ok := reg.Field(field)
	if !ok || !dossier.Estimable(f) || !isProfileColumn[f.Key] {
		return nil, dossier.FieldError("field", "%q cannot be estimated from peers: only built-in numeric fields can", field)
	}
	if c.Industry == "" {
		return nil, dossier.FieldError("industry", "customer %d has no industry to find peers in", customerID)
	}
	s, err := db.QualitySettings(ctx)
	if err != nil {
		return nil, err
	}
	band := -1
	if n, ok := c.Int("employees"); ok && f.Key != "employees" {
		band = dossier.SizeBand(float64(n))
	}
	for ; ; band = -1 {
		vals, err := db.peerValues(ctx, c, f, band)
		if err != nil {
			return nil, err
		}
		if len(vals) >= s.MinPeers {
			e := &dossier.Estimate{CustomerID: c.ID, Field: f.Key, Peers: len(vals), Industry: c.Industry,
				Value: dossier.FormatEstimate(f, dossier.Median(vals))}
			if band >= 0 {
				e.Band = dossier.SizeBands[band].Label
			}
			return e, nil
		}
		if band < 0 {
			return nil, dossier.Errorf(dossier.ENOTFOUND, "too few peers in %s with a %s (%d, need %d)", c.Industry, f.Key, len(vals), s.MinPeers)
		}
	}
}

// peerValues reads the field's numbers of the customer's peers; band -1
// means any size. f.Key is a profile column from the registry whitelist.
func (db *DB) peerValues(ctx context.Context, c *dossier.Customer, f dossier.Field, band int) ([]float64, error) {
	q := "SELECT c." + f.Key + " FROM customers c WHERE c.merged_into IS NULL AND c.id <> ? AND c.industry = ? AND c." + f.Key + " IS NOT NULL"
	args := []any{c.ID, c.Industry}
	if band >= 0 {
		b := dossier.SizeBands[band]
		q += " AND c.employees >= ?"
		args = append(args, b.Lo)
		if band < len(dossier.SizeBands)-1 {
			q, args = q+" AND c.employees < ?", append(args, b.Hi)
		}
	}
	q += ` AND NOT EXISTS (SELECT 1 FROM observations o WHERE o.customer_id = c.id AND o.src_detail LIKE ? ESCAPE '\')`
	args = append(args, likeEscape(dossier.EstimateDetailPrefix+": "+f.Key+",")+"%")
	rows, err := db.r.QueryContext(ctx, db.q(q), args...)
	if err != nil {
		return nil, fmt.Errorf("peers: %w", err)
	}
	defer rows.Close()
	var out []float64
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		if n, ok := dossier.NumericValue(f, canonicalColumn(kindOf(f.Type), s)); ok {
			out = append(out, n)
		}
	}
	return out, rows.Err()
}

// AcceptEstimate implements dossier.QualityService. The estimate is stored
// pending verification, so any real value, earlier or later, beats it.
func (db *DB) AcceptEstimate(ctx context.Context, customerID int64, field string, by dossier.Actor) (*dossier.Customer, error) {
	e, err := db.PeerEstimate(ctx, customerID, field)
	if err != nil {
		return nil, err
	}
	err = db.inTx(ctx, func(tx *Tx) error {
		if _, _, err := tx.activeCustomer(ctx, customerID); err != nil {
			return err
		}
		obs, err := tx.observations(ctx, customerID)
		if err != nil {
			return err
		}
		if w, ok := db.policy.Resolve(dossier.Facts(obs))[field]; ok && w.Value != "" && w.Remark != dossier.RemarkPending {
			return dossier.Errorf(dossier.ECONFLICT, "customer %d already has a %s (%s): an estimate never replaces a real value", customerID, field, w.Value)
		}
		src := dossier.Source{Channel: dossier.ChannelInternal, Detail: e.Detail(), CollectedAt: tx.now, CollectedBy: by.Name}
		if err := tx.insertObservation(ctx, customerID, map[string]string{field: e.Value},
			map[string]dossier.Remark{field: dossier.RemarkPending}, src); err != nil {
			return err
		}
		if err := tx.resolve(ctx, customerID); err != nil {
			return err
		}
		return tx.audit(ctx, &dossier.AuditEntry{User: by.Name, Action: dossier.AuditCustomerUpdate, Entity: "customer",
			EntityID: customerID, Detail: e.Detail(), RemoteAddr: by.RemoteAddr})
	})
	if err != nil {
		return nil, err
	}
	return db.FindCustomerByID(ctx, customerID)
}
