package sqldb

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/dossier/dossier"
)

// Passwords are stored as bcrypt hashes; session and API tokens as SHA-256
// of 32 random bytes, which is enough since tokens are not guessable.

// CreateUser implements dossier.UserService.
func (db *DB) CreateUser(ctx context.Context, u *dossier.User, password string) error {
	if !dossier.ValidRole(u.Role) {
		return dossier.InvalidReason("role", "user_role", "unknown role %q; roles are admin, manager, sales, service, marketing, analyst", u.Role)
	}
	if dossier.CleanText(u.Name) == "" {
		return dossier.InvalidReason("name", "user_no_name", "a user needs a name")
	}
	if len(password) < 8 {
		return dossier.InvalidReason("password", "user_password_short", "a password needs at least 8 characters")
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), db.cost)
	if err != nil {
		return dossier.FieldError("password", "%v", err)
	}
	return db.inTx(ctx, func(tx *Tx) error {
		u.CreatedAt = tx.now
		id, err := tx.insert(ctx, `INSERT INTO users (name, role, team, password_hash, created_at) VALUES (?, ?, ?, ?, ?)`,
			u.Name, u.Role, u.Team, string(hash), ts(tx.now))
		if db.dialect.IsUniqueViolation(err) {
			return dossier.ReasonErrorf(dossier.ECONFLICT, "", "user_exists", "user %q already exists", u.Name)
		} else if err != nil {
			return fmt.Errorf("create user: %w", err)
		}
		u.ID = id
		return nil
	})
}

const userCols = "u.id, u.name, u.role, u.team, u.created_at, u.deactivated"

func scanUser(row scanner) (*dossier.User, error) {
	var (
		u           dossier.User
		created     string
		deactivated int
	)
	if err := row.Scan(&u.ID, &u.Name, &u.Role, &u.Team, &created, &deactivated); err != nil {
		return nil, err
	}
	u.CreatedAt, u.Deactivated = parseTS(created), deactivated != 0
	return &u, nil
}

// FindUserByName implements dossier.UserService.
func (db *DB) FindUserByName(ctx context.Context, name string) (*dossier.User, error) {
	u, err := scanUser(db.r.QueryRowContext(ctx, db.q("SELECT "+userCols+" FROM users u WHERE u.name = ?"), name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, dossier.Errorf(dossier.ENOTFOUND, "user %q not found", name)
	}
	return u, err
}

// CountUsers implements dossier.UserService.
func (db *DB) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := db.r.QueryRowContext(ctx, "SELECT COUNT(*) FROM users").Scan(&n)
	return n, err
}

// ListUsers implements dossier.UserService.
func (db *DB) ListUsers(ctx context.Context) ([]dossier.User, error) {
	rows, err := db.r.QueryContext(ctx, "SELECT "+userCols+" FROM users u ORDER BY u.name")
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var out []dossier.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *u)
	}
	return out, rows.Err()
}

// Authenticate implements dossier.UserService.
func (db *DB) Authenticate(ctx context.Context, name, password string) (*dossier.User, error) {
	var hash string
	row := db.r.QueryRowContext(ctx, db.q("SELECT "+userCols+", u.password_hash FROM users u WHERE u.name = ?"), name)
	var (
		u           dossier.User
		created     string
		deactivated int
	)
	err := row.Scan(&u.ID, &u.Name, &u.Role, &u.Team, &created, &deactivated, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		// Spend the same time as a real check, so names cannot be probed.
		_ = bcrypt.CompareHashAndPassword(db.dummyHash(), []byte(password))
		return nil, dossier.Errorf(dossier.EUNAUTHORIZED, "wrong user name or password")
	} else if err != nil {
		return nil, fmt.Errorf("authenticate: %w", err)
	}
	// A deactivated user gets the same answer as a wrong password, after
	// the same work.
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil || deactivated != 0 {
		return nil, dossier.Errorf(dossier.EUNAUTHORIZED, "wrong user name or password")
	}
	u.CreatedAt = parseTS(created)
	return &u, nil
}

// dummyHash is a hash at the store's cost, made once.
func (db *DB) dummyHash() []byte {
	db.dummyOnce.Do(func() {
		db.dummy, _ = bcrypt.GenerateFromPassword([]byte("dossier-dummy-password"), db.cost)
	})
	return db.dummy
}

func newToken() (token, hash string) {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, hashToken(token)
}

func hashToken(t string) string {
	h := sha256.Sum256([]byte(t))
	return hex.EncodeToString(h[:])
}

// CreateSession implements dossier.UserService.
func (db *DB) CreateSession(ctx context.Context, userID int64, expires time.Time) (string, error) {
	token, hash := newToken()
	err := db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, "INSERT INTO sessions (token_hash, user_id, expires_at, created_at) VALUES (?, ?, ?, ?)",
			hash, userID, ts(expires), ts(tx.now))
		return err
	})
	if err != nil {
		return "", fmt.Errorf("create session: %w", err)
	}
	return token, nil
}

// UserBySession implements dossier.UserService.
func (db *DB) UserBySession(ctx context.Context, token string) (*dossier.User, error) {
	return db.userBy(ctx, `SELECT `+userCols+` FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = ? AND s.expires_at > ? AND u.deactivated = 0`, hashToken(token), ts(db.now()))
}

// DeleteSession implements dossier.UserService.
func (db *DB) DeleteSession(ctx context.Context, token string) error {
	return db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, "DELETE FROM sessions WHERE token_hash = ? OR expires_at < ?", hashToken(token), ts(tx.now))
		return err
	})
}

// CreateToken implements dossier.UserService.
func (db *DB) CreateToken(ctx context.Context, userID int64) (string, error) {
	token, hash := newToken()
	err := db.inTx(ctx, func(tx *Tx) error {
		var name string
		if err := tx.queryRow(ctx, "SELECT name FROM users WHERE id = ?", userID).Scan(&name); err != nil {
			return dossier.Errorf(dossier.ENOTFOUND, "user %d not found", userID)
		}
		if _, err := tx.exec(ctx, "INSERT INTO api_tokens (token_hash, user_id, created_at) VALUES (?, ?, ?)", hash, userID, ts(tx.now)); err != nil {
			return err
		}
		// Every token is audited here, whoever asks for it (CLI or UI): a
		// token is a standing credential.
		return tx.audit(ctx, &dossier.AuditEntry{User: name, Action: dossier.AuditTokenCreate, Entity: "user", EntityID: userID})
	})
	if err != nil {
		return "", fmt.Errorf("create token: %w", err)
	}
	return "dos_" + token, nil
}

// UserByToken implements dossier.UserService.
func (db *DB) UserByToken(ctx context.Context, token string) (*dossier.User, error) {
	raw, ok := cutPrefix(token, "dos_")
	if !ok {
		return nil, dossier.Errorf(dossier.EUNAUTHORIZED, "invalid API token")
	}
	return db.userBy(ctx, `SELECT `+userCols+` FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ? AND u.deactivated = 0`, hashToken(raw))
}

func cutPrefix(s, p string) (string, bool) {
	if len(s) <= len(p) || s[:len(p)] != p {
		return "", false
	}
	return s[len(p):], true
}

func (db *DB) userBy(ctx context.Context, q string, args ...any) (*dossier.User, error) {
	u, err := scanUser(db.r.QueryRowContext(ctx, db.q(q), args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, dossier.Errorf(dossier.EUNAUTHORIZED, "not signed in or session expired")
	}
	return u, err
}

// UpdateUser implements dossier.UserService.
func (db *DB) UpdateUser(ctx context.Context, u *dossier.User) error {
	if !dossier.ValidRole(u.Role) {
		return dossier.InvalidReason("role", "user_role", "unknown role %q; roles are admin, manager, sales, service, marketing, analyst", u.Role)
	}
	return db.inTx(ctx, func(tx *Tx) error {
		var role string
		var off int
		if err := tx.queryRow(ctx, "SELECT role, deactivated FROM users WHERE id = ?", u.ID).Scan(&role, &off); err != nil {
			if isNoRows(err) {
				return dossier.Errorf(dossier.ENOTFOUND, "user %d not found", u.ID)
			}
			return err
		}
		if role == dossier.RoleAdmin && off == 0 && (u.Role != dossier.RoleAdmin || u.Deactivated) {
			var admins int
			if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM users WHERE role = ? AND deactivated = 0", dossier.RoleAdmin).Scan(&admins); err != nil {
				return err
			}
			if admins <= 1 {
				return dossier.InvalidReason("role", "last_admin", "the last active admin keeps the admin role: make another user admin first")
			}
		}
		if _, err := tx.exec(ctx, "UPDATE users SET role = ?, team = ?, deactivated = ? WHERE id = ?",
			u.Role, u.Team, b2i(u.Deactivated), u.ID); err != nil {
			return fmt.Errorf("update user: %w", err)
		}
		if !u.Deactivated {
			return nil
		}
		if _, err := tx.exec(ctx, "DELETE FROM sessions WHERE user_id = ?", u.ID); err != nil {
			return err
		}
		_, err := tx.exec(ctx, "DELETE FROM api_tokens WHERE user_id = ?", u.ID)
		return err
	})
}
