package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/stshub/stshub/internal/authz"
)

// User is the domain's record (authz.User), read and written here.
type User = authz.User

const userColumns = `id, email, name, role, password_hash, created_at, updated_at, disabled_at`

func userRow() row[User] {
	var u User
	var disabled sql.NullTime
	return row[User]{
		dest: []any{&u.ID, &u.Email, &u.Name, &u.Role, &u.PasswordHash, &u.CreatedAt, &u.UpdatedAt, &disabled},
		value: func() User {
			out := u
			out.CreatedAt, out.UpdatedAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC()
			out.DisabledAt = nullTime(disabled)
			return out
		},
	}
}

// CreateUser inserts u; a taken e-mail is apperr.ErrConflict.
func (q Q) CreateUser(ctx context.Context, u User) error {
	_, err := q.exec(ctx, `INSERT INTO users (`+userColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		u.ID, u.Email, u.Name, u.Role, u.PasswordHash, u.CreatedAt, u.UpdatedAt, u.DisabledAt)
	if err != nil {
		return fmt.Errorf("create user: %w", q.d.classify(err))
	}
	return nil
}

// UpdateUserCredentials sets the name, platform role and password hash of user id.
func (q Q) UpdateUserCredentials(ctx context.Context, id, name, role, passwordHash string, now time.Time) error {
	return q.execOne(ctx, "update user",
		`UPDATE users SET name = ?, role = ?, password_hash = ?, updated_at = ? WHERE id = ?`,
		name, role, passwordHash, now, id)
}

// UserByEmail finds a user by lower-cased e-mail.
func (q Q) UserByEmail(ctx context.Context, email string) (User, error) {
	u, err := userRow().scan(q.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE email = ?`, email))
	if err != nil {
		return User{}, notFoundOr("user by email", err)
	}
	return u, nil
}

// UserByID finds a user by ID.
func (q Q) UserByID(ctx context.Context, id string) (User, error) {
	u, err := userRow().scan(q.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
	if err != nil {
		return User{}, notFoundOr("user by id", err)
	}
	return u, nil
}

// UserNamesByEmail returns the names of the accounts of emails that exist, by lower-cased
// e-mail (one statement; none for no emails).
func (q Q) UserNamesByEmail(ctx context.Context, emails []string) (map[string]string, error) {
	out := map[string]string{}
	if len(emails) == 0 {
		return out, nil
	}
	in, args := inList(emails)
	rows, err := q.query(ctx, `SELECT `+userColumns+` FROM users WHERE email IN `+in, args...)
	if err != nil {
		return nil, fmt.Errorf("user names by email: %w", err)
	}
	users, err := collect(rows, "user names by email", userRow())
	for _, u := range users {
		out[u.Email] = u.Name
	}
	return out, err
}

// ListUsers returns up to limit users whose e-mail sorts after the given one, by e-mail.
func (q Q) ListUsers(ctx context.Context, afterEmail string, limit int) ([]User, error) {
	rows, err := q.query(ctx, `SELECT `+userColumns+` FROM users WHERE email > ? ORDER BY email LIMIT ?`, afterEmail, limit)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return collect(rows, "list users", userRow())
}

// SetUserName sets the display name of user id.
func (q Q) SetUserName(ctx context.Context, id, name string, now time.Time) error {
	return q.execOne(ctx, "set user name", `UPDATE users SET name = ?, updated_at = ? WHERE id = ?`, name, now, id)
}

// SetUserPassword sets the password hash of user id.
func (q Q) SetUserPassword(ctx context.Context, id, passwordHash string, now time.Time) error {
	return q.execOne(ctx, "set user password", `UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?`, passwordHash, now, id)
}

// SetUserRole sets the platform role of user id.
func (q Q) SetUserRole(ctx context.Context, id, role string, now time.Time) error {
	return q.execOne(ctx, "set user role", `UPDATE users SET role = ?, updated_at = ? WHERE id = ?`, role, now, id)
}

// SetUserDisabled disables user id as of disabledAt, or enables it again (nil).
func (q Q) SetUserDisabled(ctx context.Context, id string, disabledAt *time.Time, now time.Time) error {
	return q.execOne(ctx, "set user disabled", `UPDATE users SET disabled_at = ?, updated_at = ? WHERE id = ?`, disabledAt, now, id)
}

// LockEnabledAdmins returns the IDs of the enabled platform admins, by ID; inside a
// transaction on PostgreSQL their rows stay locked until commit, so two admins changing
// each other's accounts at once queue (SQLite's one writer queues them anyway).
func (q Q) LockEnabledAdmins(ctx context.Context) ([]string, error) {
	lock := ""
	if q.InTx() {
		lock = q.d.forUpdate()
	}
	rows, err := q.query(ctx, `SELECT id FROM users WHERE role = 'admin' AND disabled_at IS NULL ORDER BY id`+lock)
	if err != nil {
		return nil, fmt.Errorf("lock admins: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("lock admins: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("lock admins: %w", err)
	}
	return ids, nil
}

// CountActiveAdmins counts the platform admins that are not disabled.
func (q Q) CountActiveAdmins(ctx context.Context) (int, error) {
	var n int
	if err := q.queryRow(ctx, `SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count admins: %w", err)
	}
	return n, nil
}
