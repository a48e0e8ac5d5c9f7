package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/stshub/stshub/internal/clearance"
)

// Notification is one message to one user (docs/notifications.md). Email is the delivery
// the user's preference chose when it was written (off, once a digest withheld it from
// someone who may no longer see what it is about); EmailedAt is when it went out by
// e-mail (at once or in a digest), nil while it has not.
type Notification struct {
	ID         string
	UserID     string
	Kind       string
	RoomID     string // "" for one about no room (the daily list of lapsing documents)
	TargetType string
	TargetID   string
	Title      string
	Body       string
	Link       string // a path on the web UI
	CreatedAt  time.Time
	ReadAt     *time.Time
	Email      string
	EmailedAt  *time.Time
}

const notificationColumns = `id, user_id, kind, room_id, target_type, target_id, title, body, link, created_at, read_at, email, emailed_at`

func notificationRow() row[Notification] {
	var n Notification
	var room sql.NullString
	var read, emailed sql.NullTime
	return row[Notification]{
		dest: []any{&n.ID, &n.UserID, &n.Kind, &room, &n.TargetType, &n.TargetID, &n.Title, &n.Body, &n.Link, &n.CreatedAt,
			&read, &n.Email, &emailed},
		value: func() Notification {
			out := n
			out.RoomID, out.CreatedAt, out.ReadAt, out.EmailedAt = room.String, n.CreatedAt.UTC(), nullTime(read), nullTime(emailed)
			return out
		},
	}
}

// InsertNotifications writes ns in one statement (none for none).
func (q Q) InsertNotifications(ctx context.Context, ns []Notification) error {
	if len(ns) == 0 {
		return nil
	}
	var b strings.Builder
	b.WriteString(`INSERT INTO notifications (` + notificationColumns + `) VALUES `)
	args := make([]any, 0, 13*len(ns))
	for i, n := range ns {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
		var room any
		if n.RoomID != "" {
			room = n.RoomID
		}
		args = append(args, n.ID, n.UserID, n.Kind, room, n.TargetType, n.TargetID, n.Title, n.Body, n.Link, n.CreatedAt,
			n.ReadAt, n.Email, n.EmailedAt)
	}
	if _, err := q.exec(ctx, b.String(), args...); err != nil {
		return fmt.Errorf("insert notifications: %w", q.d.classify(err))
	}
	return nil
}

// ListNotifications returns up to limit of userID's notifications older than beforeID
// ("" for the newest), newest first (IDs are time-ordered).
func (q Q) ListNotifications(ctx context.Context, userID, beforeID string, limit int) ([]Notification, error) {
	query := `SELECT ` + notificationColumns + ` FROM notifications WHERE user_id = ?`
	args := []any{userID}
	if beforeID != "" {
		query += ` AND id < ?`
		args = append(args, beforeID)
	}
	rows, err := q.query(ctx, query+` ORDER BY id DESC LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("list notifications: %w", err)
	}
	return collect(rows, "list notifications", notificationRow())
}

// UnreadNotifications counts userID's unread notifications.
func (q Q) UnreadNotifications(ctx context.Context, userID string) (int, error) {
	var n int
	if err := q.queryRow(ctx, `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL`, userID).Scan(&n); err != nil {
		return 0, fmt.Errorf("unread notifications: %w", err)
	}
	return n, nil
}

// MarkNotificationRead marks one of userID's notifications read (a read one keeps its
// time); apperr.ErrNotFound when userID has no notification id.
func (q Q) MarkNotificationRead(ctx context.Context, userID, id string, now time.Time) error {
	return q.execOne(ctx, "mark notification read",
		`UPDATE notifications SET read_at = COALESCE(read_at, ?) WHERE user_id = ? AND id = ?`, now, userID, id)
}

// MarkAllNotificationsRead marks every unread notification of userID read and returns how many.
func (q Q) MarkAllNotificationsRead(ctx context.Context, userID string, now time.Time) (int, error) {
	res, err := q.exec(ctx, `UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL`, now, userID)
	if err != nil {
		return 0, fmt.Errorf("mark all notifications read: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// NotificationPreferences returns the deliveries chosen by each of userIDs, by user and
// kind (one statement; a user who chose nothing has no entry).
func (q Q) NotificationPreferences(ctx context.Context, userIDs []string) (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	if len(userIDs) == 0 {
		return out, nil
	}
	in, args := inList(userIDs)
	rows, err := q.query(ctx, `SELECT user_id, kind, delivery FROM notification_preferences WHERE user_id IN `+in, args...)
	if err != nil {
		return nil, fmt.Errorf("notification preferences: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var user, kind, delivery string
		if err := rows.Scan(&user, &kind, &delivery); err != nil {
			return nil, fmt.Errorf("notification preferences: %w", err)
		}
		if out[user] == nil {
			out[user] = map[string]string{}
		}
		out[user][kind] = delivery
	}
	return out, rows.Err()
}

// SetNotificationPreference records userID's delivery for kind.
func (q Q) SetNotificationPreference(ctx context.Context, userID, kind, delivery string) error {
	_, err := q.exec(ctx, `INSERT INTO notification_preferences (user_id, kind, delivery) VALUES (?, ?, ?)
		ON CONFLICT (user_id, kind) DO UPDATE SET delivery = excluded.delivery`, userID, kind, delivery)
	if err != nil {
		return fmt.Errorf("set notification preference: %w", q.d.classify(err))
	}
	return nil
}

// DigestRecipients returns the users whose digest of day has not run yet and who may have
// one: those with a notification waiting for a digest, and the active parties of rooms not
// over (their rooms may hold lapsing documents), by ID; never a disabled account.
func (q Q) DigestRecipients(ctx context.Context, day string) ([]string, error) {
	rows, err := q.query(ctx, `SELECT user_id FROM (
			SELECT user_id FROM notifications WHERE email = ? AND emailed_at IS NULL
			UNION SELECT p.user_id FROM parties p JOIN rooms r ON r.id = p.room_id
			WHERE p.user_id IS NOT NULL AND p.removed_at IS NULL AND r.deleted_at IS NULL AND r.status NOT IN (?, ?)
		) due WHERE user_id NOT IN (SELECT user_id FROM notification_digests WHERE day = ?)
		AND user_id NOT IN (SELECT id FROM users WHERE disabled_at IS NOT NULL) ORDER BY user_id`,
		string(clearance.DeliverDigest), string(clearance.StatusCompleted), string(clearance.StatusCancelled), day)
	if err != nil {
		return nil, fmt.Errorf("digest recipients: %w", err)
	}
	var id string
	return collect(rows, "digest recipients", row[string]{dest: []any{&id}, value: func() string { return id }})
}

// ClaimDigest records that userID's digest of day is being sent, and reports false when
// it was already (by this node or another): the primary key admits one per user and day.
// Called in the transaction that queues the digest, so a rollback frees the day again.
func (q Q) ClaimDigest(ctx context.Context, userID, day string, items int, now time.Time) (bool, error) {
	res, err := q.exec(ctx, `INSERT INTO notification_digests (user_id, day, sent_at, items) VALUES (?, ?, ?, ?)
		ON CONFLICT (user_id, day) DO NOTHING`, userID, day, now, items)
	if err != nil {
		return false, fmt.Errorf("claim digest: %w", q.d.classify(err))
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// PendingDigest returns userID's notifications waiting for a digest, oldest first.
func (q Q) PendingDigest(ctx context.Context, userID string) ([]Notification, error) {
	rows, err := q.query(ctx, `SELECT `+notificationColumns+` FROM notifications
		WHERE user_id = ? AND email = ? AND emailed_at IS NULL ORDER BY id`, userID, string(clearance.DeliverDigest))
	if err != nil {
		return nil, fmt.Errorf("pending digest: %w", err)
	}
	return collect(rows, "pending digest", notificationRow())
}

// MarkEmailed records that userID's notifications ids went out by e-mail at now.
func (q Q) MarkEmailed(ctx context.Context, userID string, ids []string, now time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	in, args := inList(ids)
	_, err := q.exec(ctx, `UPDATE notifications SET emailed_at = ? WHERE user_id = ? AND id IN `+in,
		append([]any{now, userID}, args...)...)
	if err != nil {
		return fmt.Errorf("mark emailed: %w", err)
	}
	return nil
}

// WithholdEmail records that userID's notifications ids waiting for a digest will not be
// e-mailed (their delivery becomes off): the user may no longer see what they are about.
// They stay in the in-app list.
func (q Q) WithholdEmail(ctx context.Context, userID string, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	in, args := inList(ids)
	_, err := q.exec(ctx, `UPDATE notifications SET email = ? WHERE user_id = ? AND emailed_at IS NULL AND id IN `+in,
		append([]any{string(clearance.DeliverOff), userID}, args...)...)
	if err != nil {
		return fmt.Errorf("withhold e-mail: %w", err)
	}
	return nil
}

// DisabledAmong returns which of the users' accounts are disabled: a notice is written for
// none of them.
func (q Q) DisabledAmong(ctx context.Context, userIDs []string) (map[string]bool, error) {
	out := map[string]bool{}
	if len(userIDs) == 0 {
		return out, nil
	}
	in, args := inList(userIDs)
	rows, err := q.query(ctx, `SELECT id FROM users WHERE id IN `+in+` AND disabled_at IS NOT NULL`, args...)
	if err != nil {
		return nil, fmt.Errorf("disabled users: %w", err)
	}
	var id string
	ids, err := collect(rows, "disabled users", row[string]{dest: []any{&id}, value: func() string { return id }})
	for _, id := range ids {
		out[id] = true
	}
	return out, err
}
