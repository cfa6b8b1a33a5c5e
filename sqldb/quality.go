package sqldb

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/dossier/dossier"
)

// Cross-verification (R7), gaps (R8) and invalid values (R6) read whole
// customer groups: a customer with the observations of every customer
// merged into it. groups pages through them in id order so that memory
// holds one batch, not the store.

var (
	_ dossier.DedupeService  = (*DB)(nil)
	_ dossier.QualityService = (*DB)(nil)
)

// QualitySettingsKey is the settings key of dossier.QualitySettings.
const QualitySettingsKey = "quality"

// QualitySettings implements dossier.QualityService.
func (db *DB) QualitySettings(ctx context.Context) (dossier.QualitySettings, error) {
	s := dossier.DefaultQualitySettings()
	_, err := db.Setting(ctx, QualitySettingsKey, &s)
	return s, err
}

// group is one active customer with the facts of its whole group.
type group struct {
	c          *dossier.Customer
	obs        []dossier.Observation
	contacts   []dossier.Contact
	facts      []dossier.Fact
	won        map[string]dossier.Fact
	hasContact bool
}

const groupBatch = 500

// groups calls fn for every active customer in the filter's owner and team,
// in id order, with its group's observations and contacts.
func (db *DB) groups(ctx context.Context, f dossier.QualityFilter, fn func(g *group) error) error {
	children, err := db.activeMerges(ctx)
	if err != nil {
		return err
	}
	where, args, err := db.customerWhere(ctx, dossier.CustomerFilter{Owner: f.Owner, SharedTeam: f.SharedTeam, Team: f.Team})
	if err != nil {
		return err
	}
	var after int64
	for {
		rows, err := db.r.QueryContext(ctx, db.q("SELECT "+customerColumns+" FROM customers c"+where+
			" AND c.id > ? ORDER BY c.id LIMIT ?"), append(slices.Clone(args), after, groupBatch)...)
		if err != nil {
			return fmt.Errorf("quality scan: %w", err)
		}
		var batch []*dossier.Customer
		for rows.Next() {
			c, err := scanCustomer(rows)
			if err != nil {
				rows.Close()
				return err
			}
			batch = append(batch, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(batch) == 0 {
			return nil
		}
		if err := db.groupBatch(ctx, batch, children, fn); err != nil {
			return err
		}
		after = batch[len(batch)-1].ID
	}
}

// activeMerges maps each survivor to the customers merged into it.
func (db *DB) activeMerges(ctx context.Context) (map[int64][]int64, error) {
	rows, err := db.r.QueryContext(ctx, "SELECT survivor, absorbed FROM merges WHERE undone_at IS NULL")
	if err != nil {
		return nil, fmt.Errorf("merges: %w", err)
	}
	defer rows.Close()
	out := map[int64][]int64{}
	for rows.Next() {
		var s, a int64
		if err := rows.Scan(&s, &a); err != nil {
			return nil, err
		}
		out[s] = append(out[s], a)
	}
	return out, rows.Err()
}

func (db *DB) groupBatch(ctx context.Context, batch []*dossier.Customer, children map[int64][]int64, fn func(g *group) error) error {
	root := map[int64]int64{}
	var members, ids []any
	for _, c := range batch {
		ids = append(ids, c.ID)
		stack := []int64{c.ID}
		for len(stack) > 0 {
			m := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			root[m] = c.ID
			members = append(members, m)
			stack = append(stack, children[m]...)
		}
	}
	obs, err := observationsOf(ctx, db.r, db.q, members)
	if err != nil {
		return err
	}
	groups := map[int64]*group{}
	for _, c := range batch {
		groups[c.ID] = &group{c: c}
	}
	for _, o := range obs {
		g := groups[root[o.CustomerID]]
		g.obs = append(g.obs, o)
	}
	if err := batchContacts(ctx, db.r, db.q, ids, groups); err != nil {
		return err
	}
	for _, c := range batch {
		g := groups[c.ID]
		g.facts = flatten(g.obs)
		g.won = db.policy.Resolve(g.facts)
		g.hasContact = len(g.contacts) > 0
		if err := fn(g); err != nil {
			return err
		}
	}
	return nil
}

// observationsOf reads the observations of many customers, in chunks that
// stay under both engines' limits on bind parameters (a survivor may hold
// thousands of merged customers).
func observationsOf(ctx context.Context, qr querier, q func(string) string, ids []any) ([]dossier.Observation, error) {
	var out []dossier.Observation
	for start := 0; start < len(ids); start += 1000 {
		part := ids[start:min(start+1000, len(ids))]
		rows, err := qr.QueryContext(ctx, q("SELECT "+observationColumns+" FROM observations WHERE customer_id IN ("+
			placeholders(len(part))+") AND "+liveImport("")), part...)
		if err != nil {
			return nil, fmt.Errorf("quality scan: %w", err)
		}
		obs, err := scanObservations(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, obs...)
	}
	return out, nil
}

func batchContacts(ctx context.Context, qr querier, q func(string) string, ids []any, groups map[int64]*group) error {
	rows, err := qr.QueryContext(ctx, q(`SELECT id, customer_id, name, role, phone, email, src_channel, src_detail, collected_at, created_at
		FROM contacts WHERE merged_into IS NULL AND `+liveImport("")+` AND customer_id IN (`+placeholders(len(ids))+") ORDER BY id"), ids...)
	if err != nil {
		return fmt.Errorf("quality scan contacts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			c                           dossier.Contact
			channel, collected, created string
		)
		if err := rows.Scan(&c.ID, &c.CustomerID, &c.Name, &c.Role, &c.Phone, &c.Email, &channel, &c.Source.Detail, &collected, &created); err != nil {
			return err
		}
		c.Source.Channel, c.Source.CollectedAt, c.CreatedAt = dossier.Channel(channel), parseTS(collected), parseTS(created)
		if g := groups[c.CustomerID]; g != nil {
			g.contacts = append(g.contacts, c)
		}
	}
	return rows.Err()
}

// flatten is dossier.Facts without its sort: resolution and verification
// do not depend on the order, and scans flatten every customer.
func flatten(obs []dossier.Observation) []dossier.Fact {
	n := 0
	for _, o := range obs {
		n += len(o.Values)
	}
	fs := make([]dossier.Fact, 0, n)
	for _, o := range obs {
		for k, v := range o.Values {
			fs = append(fs, dossier.Fact{ObservationID: o.ID, CustomerID: o.CustomerID, Field: k, Value: v,
				Remark: o.Remarks[k], Source: o.Source, RecordedAt: o.RecordedAt})
		}
	}
	return fs
}

// page slices one page out of a computed list. A negative limit means all
// (in-process callers such as the command line; HTTP always pages).
func page[T any](items []T, offset, limit int) []T {
	offset = min(max(offset, 0), len(items))
	if limit < 0 {
		return items[offset:]
	}
	if limit == 0 || limit > MaxLimit {
		limit = 50
	}
	return items[offset:min(offset+limit, len(items))]
}

// Verification implements dossier.QualityService.
func (db *DB) Verification(ctx context.Context, customerID int64) ([]dossier.FieldVerification, error) {
	obs, err := db.Observations(ctx, customerID)
	if err != nil {
		return nil, err
	}
	reg, err := db.Registry(ctx)
	if err != nil {
		return nil, err
	}
	s, err := db.QualitySettings(ctx)
	if err != nil {
		return nil, err
	}
	cs, err := db.Contacts(ctx, customerID)
	if err != nil {
		return nil, err
	}
	return append(dossier.Verify(reg, dossier.Facts(obs), db.policy, s.Tolerance), dossier.VerifyDecisionMaker(cs)), nil
}

// scanConflicts is FindConflicts by a scan of every customer: the
// reference the quality tables are tested against.
func (db *DB) scanConflicts(ctx context.Context, f dossier.QualityFilter) ([]dossier.Conflict, int, error) {
	reg, err := db.Registry(ctx)
	if err != nil {
		return nil, 0, err
	}
	s, err := db.QualitySettings(ctx)
	if err != nil {
		return nil, 0, err
	}
	out := []dossier.Conflict{}
	err = db.groups(ctx, f, func(g *group) error {
		seq := 0 // as the tables number a customer's conflicts
		for _, v := range append(dossier.Verify(reg, g.facts, db.policy, s.Tolerance), dossier.VerifyDecisionMaker(g.contacts)) {
			if v.State != dossier.StateConflict {
				continue
			}
			if f.Field == "" || f.Field == v.Field {
				out = append(out, dossier.Conflict{CustomerID: g.c.ID, CustomerName: g.c.Name, Owner: g.c.Owner, Verification: v, Seq: seq})
			}
			seq++
		}
		return nil
	})
	return page(out, f.Offset, f.Limit), len(out), err
}

// SettleConflict implements dossier.QualityService.
func (db *DB) SettleConflict(ctx context.Context, st dossier.Settlement) (*dossier.Customer, error) {
	err := db.inTx(ctx, func(tx *Tx) error {
		reg, err := tx.registry(ctx)
		if err != nil {
			return err
		}
		f, ok := reg.Field(st.Field)
		if st.Field == dossier.DecisionMakerField {
			return dossier.FieldError("field", "the decision maker is settled in the contacts: give the right person the decision-maker role")
		}
		if !ok || !f.KeyFact || f.Entity != dossier.EntityCustomer {
			return dossier.FieldError("field", "%q is not a key fact of a customer", st.Field)
		}
		v, _, err := f.Canonical(st.Value)
		if err != nil {
			return err
		}
		if v == "" {
			return dossier.FieldError(st.Field, "settling a conflict needs the value that is right")
		}
		if _, _, err := tx.activeCustomer(ctx, st.CustomerID); err != nil {
			return err
		}
		src := dossier.Source{Channel: dossier.ChannelInternal, Detail: "settled conflict", CollectedAt: tx.now, CollectedBy: st.By.Name}
		if err := tx.insertObservation(ctx, st.CustomerID, map[string]string{f.Key: v},
			map[string]dossier.Remark{f.Key: dossier.RemarkConfirmed}, src); err != nil {
			return err
		}
		if err := tx.resolve(ctx, st.CustomerID); err != nil {
			return err
		}
		if err := tx.audit(ctx, &dossier.AuditEntry{User: st.By.Name, Action: dossier.AuditCustomerUpdate, Entity: "customer",
			EntityID: st.CustomerID, Detail: "settled conflict: " + f.Key, RemoteAddr: st.By.RemoteAddr}); err != nil {
			return err
		}
		return tx.announce(ctx, dossier.EventCustomerChanged, customerEvent{CustomerID: st.CustomerID, Settled: f.Key})
	})
	if err != nil {
		return nil, err
	}
	return db.FindCustomerByID(ctx, st.CustomerID)
}

// Completeness implements dossier.QualityService.
func (db *DB) Completeness(ctx context.Context, customerID int64) (*dossier.Completeness, error) {
	c, err := db.FindCustomerByID(ctx, customerID)
	if err != nil {
		return nil, err
	}
	obs, err := db.Observations(ctx, customerID)
	if err != nil {
		return nil, err
	}
	cs, err := db.Contacts(ctx, customerID)
	if err != nil {
		return nil, err
	}
	reg, err := db.Registry(ctx)
	if err != nil {
		return nil, err
	}
	out := dossier.AssessCompleteness(reg, db.policy.Resolve(dossier.Facts(obs)), len(cs) > 0)
	out.CustomerID, out.CustomerName, out.Owner = c.ID, c.Name, c.Owner
	return &out, nil
}

// scanGaps is FindGaps by a scan of every customer (the reference).
func (db *DB) scanGaps(ctx context.Context, f dossier.QualityFilter) ([]dossier.Completeness, int, error) {
	reg, err := db.Registry(ctx)
	if err != nil {
		return nil, 0, err
	}
	out := []dossier.Completeness{}
	err = db.groups(ctx, f, func(g *group) error {
		c := dossier.AssessCompleteness(reg, g.won, g.hasContact)
		if len(c.Missing) == 0 || (f.Field != "" && !slices.ContainsFunc(c.Missing, func(x dossier.Gap) bool { return x.Field == f.Field })) {
			return nil
		}
		c.CustomerID, c.CustomerName, c.Owner = g.c.ID, g.c.Name, g.c.Owner
		out = append(out, c)
		return nil
	})
	slices.SortStableFunc(out, func(a, b dossier.Completeness) int { return cmp.Compare(a.Score, b.Score) })
	return page(out, f.Offset, f.Limit), len(out), err
}
