package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
)

// DocumentVersion is the domain's record (clearance.DocumentVersion), read and written here.
type DocumentVersion = clearance.DocumentVersion

const versionColumns = `id, document_id, room_id, number, sha256, size, content_type, filename, expires_on, performed_at, notes,
	uploaded_by, uploader_email, uploaded_at, on_behalf_of, outcome, provider, remark, subjects`

func versionRow() row[DocumentVersion] {
	var v DocumentVersion
	var expires, performed sql.NullTime
	var outcome sql.NullString
	var subjects string
	return row[DocumentVersion]{
		dest: []any{&v.ID, &v.DocumentID, &v.RoomID, &v.Number, &v.SHA256, &v.Size, &v.ContentType, &v.Filename,
			&expires, &performed, &v.Notes, &v.UploadedBy, &v.UploaderEmail, &v.UploadedAt, &v.OnBehalfOf,
			&outcome, &v.Provider, &v.Remark, &subjects},
		value: func() DocumentVersion {
			out := v
			out.ExpiresOn, out.PerformedAt = nullTime(expires), nullTime(performed)
			out.UploadedAt = v.UploadedAt.UTC()
			out.Outcome, out.Subjects = clearance.Outcome(outcome.String), subjectsOf(subjects)
			return out
		},
	}
}

// subjectsText stores what a screening screened as JSON (empty for a version that is not a
// screening's). The struct holds only strings, so encoding it cannot fail.
func subjectsText(s *clearance.ScreeningSubjects) string {
	if s == nil {
		return ""
	}
	b, _ := json.Marshal(s)
	return string(b)
}

// subjectsOf reads stored subjects; nil for none (or, never expected, unreadable JSON: the
// version is still shown, without them).
func subjectsOf(s string) *clearance.ScreeningSubjects {
	if s == "" {
		return nil
	}
	var out clearance.ScreeningSubjects
	if json.Unmarshal([]byte(s), &out) != nil {
		return nil
	}
	return &out
}

// AddVersion inserts a version. There is no update or delete of versions.
func (q Q) AddVersion(ctx context.Context, v DocumentVersion) error {
	_, err := q.exec(ctx, `INSERT INTO document_versions (`+versionColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		v.ID, v.DocumentID, v.RoomID, v.Number, v.SHA256, v.Size, v.ContentType, v.Filename, v.ExpiresOn, v.PerformedAt,
		v.Notes, v.UploadedBy, v.UploaderEmail, v.UploadedAt, v.OnBehalfOf, outcomeValue(v.Outcome), v.Provider, v.Remark, subjectsText(v.Subjects))
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
	return collect(rows, "list versions", versionRow())
}

// DocumentWithVersions returns one document of a room with its vessel's name ("" for a
// room document) and its versions, newest first, in one query: what the answer of a
// review, an upload or GET document shows.
func (q Q) DocumentWithVersions(ctx context.Context, roomID, documentID string) (Document, string, []DocumentVersion, error) {
	rows, err := q.query(ctx, `SELECT `+prefixed("d.", documentColumns)+`, COALESCE(v.name, ''), `+prefixed("dv.", versionColumns)+`
		FROM documents d LEFT JOIN vessels v ON v.room_id = d.room_id AND v.id = d.vessel_id
		LEFT JOIN document_versions dv ON dv.room_id = d.room_id AND dv.document_id = d.id
		WHERE d.room_id = ? AND d.id = ? ORDER BY dv.number DESC`, roomID, documentID)
	if err != nil {
		return Document{}, "", nil, fmt.Errorf("document with versions: %w", err)
	}
	defer rows.Close()
	var d Document
	var vesselName string
	var versions []DocumentVersion
	found := false
	var v optionalVersion
	doc := documentRow()
	dest := slices.Concat(doc.dest, []any{&vesselName}, v.dest())
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return Document{}, "", nil, fmt.Errorf("document with versions: %w", err)
		}
		if !found { // every row repeats the document: read it from the first
			d, found = doc.value(), true
		}
		if version, ok := v.version(); ok {
			versions = append(versions, version)
		}
	}
	if err := rows.Err(); err != nil {
		return Document{}, "", nil, fmt.Errorf("document with versions: %w", err)
	}
	if !found {
		return Document{}, "", nil, fmt.Errorf("document: %w", apperr.ErrNotFound)
	}
	return d, vesselName, versions, nil
}

// optionalVersion scans the version columns of an outer join, which are all NULL for a
// document without versions.
type optionalVersion struct {
	id, documentID, roomID, sha, contentType, filename, notes, uploadedBy, uploaderEmail, onBehalfOf sql.NullString
	outcome, provider, remark, subjects                                                              sql.NullString
	number, size                                                                                     sql.NullInt64
	expires, performed, uploadedAt                                                                   sql.NullTime
}

// dest lists the scan targets in versionColumns order.
func (v *optionalVersion) dest() []any {
	return []any{&v.id, &v.documentID, &v.roomID, &v.number, &v.sha, &v.size, &v.contentType, &v.filename,
		&v.expires, &v.performed, &v.notes, &v.uploadedBy, &v.uploaderEmail, &v.uploadedAt, &v.onBehalfOf,
		&v.outcome, &v.provider, &v.remark, &v.subjects}
}

func (v *optionalVersion) version() (DocumentVersion, bool) {
	if !v.id.Valid {
		return DocumentVersion{}, false
	}
	return DocumentVersion{ID: v.id.String, DocumentID: v.documentID.String, RoomID: v.roomID.String, Number: int(v.number.Int64),
		SHA256: v.sha.String, Size: v.size.Int64, ContentType: v.contentType.String, Filename: v.filename.String,
		ExpiresOn: nullTime(v.expires), PerformedAt: nullTime(v.performed), Notes: v.notes.String, UploadedBy: v.uploadedBy.String,
		UploaderEmail: v.uploaderEmail.String, UploadedAt: v.uploadedAt.Time.UTC(), OnBehalfOf: authz.Role(v.onBehalfOf.String),
		Outcome: clearance.Outcome(v.outcome.String), Provider: v.provider.String, Remark: v.remark.String,
		Subjects: subjectsOf(v.subjects.String)}, true
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
	v, err := versionRow().scan(q.queryRow(ctx, query, args...))
	if err != nil {
		return DocumentVersion{}, notFoundOr("document version", err)
	}
	return v, nil
}
