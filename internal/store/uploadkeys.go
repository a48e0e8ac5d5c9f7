package store

import (
	"context"
	"fmt"
	"time"
)

// UploadKey is an Idempotency-Key a user sent with an upload, and the version it created.
type UploadKey struct {
	UserID, Key, Fingerprint      string
	RoomID, DocumentID, VersionID string
	CreatedAt                     time.Time
}

// FindUploadKey returns the user's key if it was saved after since; apperr.ErrNotFound
// otherwise.
func (q Q) FindUploadKey(ctx context.Context, userID, key string, since time.Time) (UploadKey, error) {
	k := UploadKey{UserID: userID, Key: key}
	err := q.queryRow(ctx, `SELECT fingerprint, room_id, document_id, version_id, created_at FROM upload_keys
		WHERE user_id = ? AND idem_key = ? AND created_at > ?`, userID, key, since).
		Scan(&k.Fingerprint, &k.RoomID, &k.DocumentID, &k.VersionID, &k.CreatedAt)
	if err != nil {
		return UploadKey{}, notFoundOr("upload key", err)
	}
	k.CreatedAt = k.CreatedAt.UTC()
	return k, nil
}

// SaveUploadKey records k in the transaction of its version, replacing an older use of the
// same key by the same user (one FindUploadKey no longer returns). A key saved meanwhile by
// a concurrent upload is apperr.ErrConflict.
func (q Q) SaveUploadKey(ctx context.Context, k UploadKey) error {
	if _, err := q.exec(ctx, `DELETE FROM upload_keys WHERE user_id = ? AND idem_key = ?`, k.UserID, k.Key); err != nil {
		return fmt.Errorf("save upload key: %w", err)
	}
	if _, err := q.exec(ctx, `INSERT INTO upload_keys (user_id, idem_key, fingerprint, room_id, document_id, version_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, k.UserID, k.Key, k.Fingerprint, k.RoomID, k.DocumentID, k.VersionID, k.CreatedAt); err != nil {
		return fmt.Errorf("save upload key: %w", q.d.classify(err))
	}
	return nil
}

// PurgeUploadKeys deletes the keys saved before before, and says how many.
func (q Q) PurgeUploadKeys(ctx context.Context, before time.Time) (int64, error) {
	res, err := q.exec(ctx, `DELETE FROM upload_keys WHERE created_at <= ?`, before)
	if err != nil {
		return 0, fmt.Errorf("purge upload keys: %w", err)
	}
	return res.RowsAffected()
}
