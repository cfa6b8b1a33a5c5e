package sqldb

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/dossier/dossier"
)

// Registry implements dossier.FieldService.
func (db *DB) Registry(ctx context.Context) (*dossier.Registry, error) {
	return registryFrom(ctx, db.r, db.q)
}

func (tx *Tx) registry(ctx context.Context) (*dossier.Registry, error) {
	return registryFrom(ctx, tx, tx.db.q)
}

func registryFrom(ctx context.Context, qr querier, q func(string) string) (*dossier.Registry, error) {
	rows, err := qr.QueryContext(ctx, q(`SELECT key, label_zh, label_en, category, type, required, key_fact, options, aliases, position, retired, help_zh, help_en
		FROM fields ORDER BY position, key`))
	if err != nil {
		return nil, fmt.Errorf("read fields: %w", err)
	}
	defer rows.Close()
	var custom []dossier.Field
	for rows.Next() {
		var (
			f                        dossier.Field
			cat, typ, opts, aliases  string
			required, keyFact, retir int
		)
		if err := rows.Scan(&f.Key, &f.LabelZH, &f.LabelEN, &cat, &typ, &required, &keyFact, &opts, &aliases, &f.Position, &retir, &f.HelpZH, &f.HelpEN); err != nil {
			return nil, err
		}
		f.Category, f.Type, f.Entity = dossier.Category(cat), dossier.FieldType(typ), dossier.EntityCustomer
		f.Required, f.KeyFact, f.Retired = required != 0, keyFact != 0, retir != 0
		_ = json.Unmarshal([]byte(opts), &f.Options)
		_ = json.Unmarshal([]byte(aliases), &f.Aliases)
		custom = append(custom, f)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return dossier.NewRegistry(custom), nil
}

// SaveField implements dossier.FieldService. The key identifies the field:
// saving an existing key changes its labels, options, position or retired
// flag; values already recorded under the key are untouched, so retiring a
// field hides it without losing data and un-retiring brings it back.
func (db *DB) SaveField(ctx context.Context, f dossier.Field) error {
	_, err := db.EditField(ctx, f, "")
	return err
}

// EditField implements dossier.FieldService: SaveField, recording by as
// the author of the new version in field_versions.
func (db *DB) EditField(ctx context.Context, f dossier.Field, by string) (int, error) {
	var version int
	err := db.inTx(ctx, func(tx *Tx) error {
		reg, err := tx.registry(ctx)
		if err != nil {
			return err
		}
		if err := f.ValidateCustom(reg); err != nil {
			return err
		}
		if f.Position == 0 {
			if old, ok := reg.Field(f.Key); ok {
				f.Position = old.Position
			} else {
				f.Position = (len(reg.Fields()) + 1) * 10
			}
		}
		opts, _ := json.Marshal(f.Options)
		aliases, _ := json.Marshal(f.Aliases)
		_, err = tx.exec(ctx, `INSERT INTO fields (key, label_zh, label_en, category, type, required, key_fact, options, aliases, position, retired, help_zh, help_en, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET label_zh = excluded.label_zh, label_en = excluded.label_en, category = excluded.category,
			required = excluded.required, key_fact = excluded.key_fact, options = excluded.options, aliases = excluded.aliases,
			position = excluded.position, retired = excluded.retired, help_zh = excluded.help_zh, help_en = excluded.help_en,
			updated_at = excluded.updated_at`,
			f.Key, f.LabelZH, f.LabelEN, string(f.Category), string(f.Type), b2i(f.Required), b2i(f.KeyFact), string(opts), string(aliases),
			f.Position, b2i(f.Retired), f.HelpZH, f.HelpEN, ts(tx.now), ts(tx.now))
		if err != nil {
			return fmt.Errorf("save field %s: %w", f.Key, err)
		}
		if err := tx.checkTypeUnchanged(ctx, f); err != nil {
			return err
		}
		if err := tx.queryRow(ctx, "SELECT COALESCE(MAX(version), 0) + 1 FROM field_versions WHERE key = ?", f.Key).Scan(&version); err != nil {
			return err
		}
		f.Builtin = false
		def, _ := json.Marshal(f)
		_, err = tx.exec(ctx, "INSERT INTO field_versions (key, version, definition, saved_by, saved_at) VALUES (?, ?, ?, ?, ?)",
			f.Key, version, string(def), by, ts(tx.now))
		return err
	})
	if err != nil {
		return 0, err
	}
	// Required and key facts decide the quality lists: rebuild them now
	// rather than on the next reader's request.
	_, err = db.ensureQuality(ctx)
	return version, err
}

// FieldVersions implements dossier.FieldService.
func (db *DB) FieldVersions(ctx context.Context, key string) ([]dossier.FieldVersion, error) {
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT version, definition, saved_by, saved_at FROM field_versions
		WHERE key = ? ORDER BY version DESC`), key)
	if err != nil {
		return nil, fmt.Errorf("field versions: %w", err)
	}
	defer rows.Close()
	var out []dossier.FieldVersion
	for rows.Next() {
		v := dossier.FieldVersion{Key: key}
		var def, at string
		if err := rows.Scan(&v.Version, &def, &v.SavedBy, &at); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(def), &v.Field); err != nil {
			return nil, fmt.Errorf("field %s version %d: %w", key, v.Version, err)
		}
		v.SavedAt = parseTS(at)
		out = append(out, v)
	}
	return out, rows.Err()
}

// checkTypeUnchanged refuses to change a custom field's type once saved:
// values recorded under the old type would no longer parse.
func (tx *Tx) checkTypeUnchanged(ctx context.Context, f dossier.Field) error {
	var typ string
	if err := tx.queryRow(ctx, "SELECT type FROM fields WHERE key = ?", f.Key).Scan(&typ); err != nil {
		return err
	}
	if typ != string(f.Type) {
		return dossier.InvalidReason("type", "field_type_fixed", "the type of field %q is %s and cannot change; add a new field instead", f.Key, typ)
	}
	return nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Setting reads a JSON setting into v; found is false when it is not set.
func (db *DB) Setting(ctx context.Context, key string, v any) (found bool, err error) {
	var s string
	err = db.r.QueryRowContext(ctx, db.q("SELECT value FROM settings WHERE key = ?"), key).Scan(&s)
	if err != nil {
		if isNoRows(err) {
			return false, nil
		}
		return false, fmt.Errorf("read setting %s: %w", key, err)
	}
	return true, json.Unmarshal([]byte(s), v)
}

// SaveSetting stores v as JSON under key, bumping its version.
func (db *DB) SaveSetting(ctx context.Context, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	err = db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO settings (key, value, version, updated_at) VALUES (?, ?, 1, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value, version = settings.version + 1, updated_at = excluded.updated_at`,
			key, string(b), ts(tx.now))
		return err
	})
	if err != nil || key != QualitySettingsKey {
		return err
	}
	_, err = db.ensureQuality(ctx) // the tolerance decides the conflicts
	return err
}

// SettingOnce returns the setting under key, storing v first if the key is
// absent. Servers starting together on one database all get the value that
// was stored first, never each their own.
func (db *DB) SettingOnce(ctx context.Context, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	err = db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO settings (key, value, version, updated_at) VALUES (?, ?, 1, ?)
			ON CONFLICT (key) DO NOTHING`, key, string(b), ts(tx.now))
		return err
	})
	if err != nil {
		return fmt.Errorf("store setting %s: %w", key, err)
	}
	var s string
	if err := db.w.QueryRowContext(ctx, db.q("SELECT value FROM settings WHERE key = ?"), key).Scan(&s); err != nil {
		return fmt.Errorf("read setting %s: %w", key, err)
	}
	return json.Unmarshal([]byte(s), v)
}
