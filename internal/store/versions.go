package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// DocumentVersion is one uploaded file of a document; immutable once written.
type DocumentVersion struct {
	ID            string
	DocumentID    string
	RoomID        string
	Number        int
	SHA256        string
	Size          int64
	ContentType   string
	Filename      string
	ExpiresOn     *time.Time
	PerformedAt   *time.Time
	Notes         string
	UploadedBy    string
	UploaderEmail string
	UploadedAt    time.Time
}

const versionColumns = `id, document_id, room_id, number, sha256, size, content_type, filename, expires_on, performed_at, notes,
	uploaded_by, uploader_email, uploaded_at`

func scanVersion(s scanner) (DocumentVersion, error) {
	var v DocumentVersion
	var expires, performed sql.NullTime
	err := s.Scan(&v.ID, &v.DocumentID, &v.RoomID, &v.Number, &v.SHA256, &v.Size, &v.ContentType, &v.Filename,
		&expires, &performed, &v.Notes, &v.UploadedBy, &v.UploaderEmail, &v.UploadedAt)
	if err != nil {
		return DocumentVersion{}, err
	}
	v.ExpiresOn, v.PerformedAt = nullTime(expires), nullTime(performed)
	v.UploadedAt = v.UploadedAt.UTC()
	return v, nil
}

// AddVersion inserts a version. There is no update or delete of versions.
func (q Q) AddVersion(ctx context.Context, v DocumentVersion) error {
	_, err := q.exec(ctx, `INSERT INTO document_versions (`+versionColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		v.ID, v.DocumentID, v.RoomID, v.Number, v.SHA256, v.Size, v.ContentType, v.Filename, v.ExpiresOn, v.PerformedAt,
		v.Notes, v.UploadedBy, v.UploaderEmail, v.UploadedAt)
	if err != nil {
		return fmt.Errorf("add version: %w", q.d.classify(err))
	}
	return nil
}

// ListRoomVersions returns every version in a room, newest first within each document.
func (q Q) ListRoomVersions(ctx context.Context, roomID string) ([]DocumentVersion, error) {
	rows, err := q.query(ctx, `SELECT `+versionColumns+` FROM document_versions WHERE room_id = ? ORDER BY document_id, number DESC`, roomID)
	if err != nil {
		return nil, fmt.Errorf("list versions: %w", err)
	}
	return collect(rows, "list versions", scanVersion)
}

// ListVersions returns one document's versions, newest first.
func (q Q) ListVersions(ctx context.Context, roomID, documentID string) ([]DocumentVersion, error) {
	rows, err := q.query(ctx, `SELECT `+versionColumns+` FROM document_versions WHERE room_id = ? AND document_id = ? ORDER BY number DESC`, roomID, documentID)
	if err != nil {
		return nil, fmt.Errorf("list versions: %w", err)
	}
	return collect(rows, "list versions", scanVersion)
}

// VersionByID returns one version of a document; versionID "" means the latest.
func (q Q) VersionByID(ctx context.Context, roomID, documentID, versionID string) (DocumentVersion, error) {
	query := `SELECT ` + versionColumns + ` FROM document_versions WHERE room_id = ? AND document_id = ?`
	args := []any{roomID, documentID}
	if versionID != "" {
		query += ` AND id = ?`
		args = append(args, versionID)
	} else {
		query += ` ORDER BY number DESC LIMIT 1`
	}
	v, err := scanVersion(q.queryRow(ctx, query, args...))
	if err != nil {
		return DocumentVersion{}, notFoundOr("document version", err)
	}
	return v, nil
}

// BlobInUse reports whether any version refers to the blob.
func (q Q) BlobInUse(ctx context.Context, sha256 string) (bool, error) {
	var n int
	if err := q.queryRow(ctx, `SELECT COUNT(*) FROM document_versions WHERE sha256 = ?`, sha256).Scan(&n); err != nil {
		return false, fmt.Errorf("blob in use: %w", err)
	}
	return n > 0, nil
}
