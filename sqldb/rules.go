package sqldb

import (
	"context"
	"fmt"
	"strings"

	"github.com/dossier/dossier"
)

// rulesPrefix is the settings key prefix of the rule kinds ("rules.tags").
const rulesPrefix = "rules."

// RuleParts returns the stored rule kinds; kinds never saved are absent
// (the defaults apply).
func (db *DB) RuleParts(ctx context.Context) (map[string]dossier.RulePart, error) {
	out := map[string]dossier.RulePart{}
	err := db.each(ctx, `SELECT key, value, version FROM settings WHERE key LIKE 'rules.%'`, nil, func(sc scanner) error {
		var (
			key, body string
			v         int
		)
		if err := sc.Scan(&key, &body, &v); err != nil {
			return err
		}
		out[strings.TrimPrefix(key, rulesPrefix)] = dossier.RulePart{Body: []byte(body), Version: v}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read rules: %w", err)
	}
	return out, nil
}

// SaveRulePart stores a new version of one kind of rules (already
// validated by the caller) and keeps the old ones in rule_versions.
func (db *DB) SaveRulePart(ctx context.Context, kind string, body []byte, by string) (int, error) {
	var version int
	err := db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO settings (key, value, version, updated_at) VALUES (?, ?, 1, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value, version = settings.version + 1, updated_at = excluded.updated_at`,
			rulesPrefix+kind, string(body), ts(tx.now))
		if err != nil {
			return err
		}
		if err := tx.queryRow(ctx, `SELECT version FROM settings WHERE key = ?`, rulesPrefix+kind).Scan(&version); err != nil {
			return err
		}
		_, err = tx.exec(ctx, `INSERT INTO rule_versions (kind, version, body, saved_by, saved_at) VALUES (?, ?, ?, ?, ?)`,
			kind, version, string(body), by, ts(tx.now))
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("save %s rules: %w", kind, err)
	}
	return version, nil
}
