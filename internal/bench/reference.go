package bench

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/clearance"
)

// The reference: what this machine does for the same requests with nothing but net/http,
// database/sql and encoding/json, on the same connection pools as the product. Its SQL
// lives here rather than in the store on purpose: it is the yardstick the product is
// measured against, not part of the product.
//
//   - GET  /rooms/{room_id}/documents: look the bearer token's SHA-256 up in sessions,
//     check membership, select the room's documents joined with their types, and their
//     versions (so that the body is about the size of the product's), encode JSON.
//   - POST /rooms/{room_id}/documents/{document_id}/review: the writes of an approval in
//     one transaction: move the document from under review to approved with its review
//     columns and append a sealed entry to the room's audit chain (read and lock the head,
//     insert the entry, move the head).
//   - POST /rooms/{room_id}/approvals: the writes of a sign-off: supersede the party's
//     current decision, read what it covers (the room's required documents with their
//     latest versions, and the chain head), insert the new decision and its coverage rows
//     (one statement), append the audit entry carrying the coverage's digest.
//   - POST /rooms/{room_id}/documents: an upload: check membership, read the multipart
//     form and store the file (receiveUpload), then in one transaction add the version,
//     put the room's document of that type back under review and append the audit entry.
//
// The write paths check the session and membership first and, on PostgreSQL, lock the
// room's row, as the product does. Every statement is prepared once, as a careful bare
// database/sql program would (and as the product's store does on SQLite): without it
// SQLite parses and plans each statement on every call.
type reference struct {
	read, write *sql.DB
	postgres    bool
	blobs       string // the file store's folder (root/ab/abcd…, root/tmp): its uploads are real blobs
}

// sql returns query in the engine's placeholder syntax.
func (r *reference) sql(query string) string {
	if !r.postgres {
		return query
	}
	var b strings.Builder
	n := 0
	for _, c := range query {
		if c == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

// handler prepares the reference's statements and returns its routes.
func (r *reference) handler(ctx context.Context) (http.Handler, error) {
	var prepErr error
	prepare := func(pool *sql.DB, query string) *sql.Stmt {
		st, err := pool.PrepareContext(ctx, r.sql(query))
		if err != nil && prepErr == nil {
			prepErr = fmt.Errorf("reference: prepare: %w", err)
		}
		return st
	}
	sessionStmt := prepare(r.read, `SELECT u.id, u.email FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ?`)
	const memberSQL = `SELECT p.id, p.role FROM parties p JOIN rooms r ON r.id = p.room_id
		WHERE p.room_id = ? AND p.user_id = ? AND p.removed_at IS NULL AND r.deleted_at IS NULL`
	memberStmt, memberTxStmt := prepare(r.read, memberSQL), prepare(r.write, memberSQL)
	docsStmt := prepare(r.read, `SELECT d.id, d.type_code, d.vessel_id, d.status, d.criticality, d.required, d.notes, d.version_count,
		d.expires_on, d.performed_at, d.reviewer_email, d.reviewed_at, d.review_reason, d.updated_at,
		t.name, t.scope, t.expiry
		FROM documents d JOIN document_types t ON t.code = d.type_code WHERE d.room_id = ? ORDER BY d.type_code, d.vessel_id, d.id`)
	versionsStmt := prepare(r.read, `SELECT id, document_id, number, sha256, size, content_type, filename, expires_on, performed_at, notes,
		uploaded_by, uploader_email, uploaded_at FROM document_versions WHERE room_id = ? ORDER BY document_id, number DESC`)
	reviewStmt := prepare(r.write, `UPDATE documents SET status = 'approved', review_reason = '', reviewed_by = ?, reviewer_email = ?,
		reviewed_at = ?, updated_at = ? WHERE room_id = ? AND id = ? AND status = 'under_review'`)
	supersedeStmt := prepare(r.write, `UPDATE approvals SET superseded_at = ? WHERE party_id = ? AND superseded_at IS NULL`)
	approvalStmt := prepare(r.write, `INSERT INTO approvals (id, room_id, party_id, user_id, email, role, status, notes, decided_at, superseded_at,
		coverage_recorded, chain_seq, chain_hash, coverage_digest) VALUES (?, ?, ?, ?, ?, ?, 'approved', '', ?, NULL, TRUE, ?, ?, ?)`)
	coveredStmt := prepare(r.write, `SELECT d.id, d.type_code, COALESCE(d.vessel_id, ''), d.status, d.criticality, d.version_count,
		COALESCE(dv.id, ''), COALESCE(dv.sha256, '') FROM documents d
		LEFT JOIN document_versions dv ON dv.document_id = d.id AND dv.number = d.version_count WHERE d.room_id = ? AND d.required`)
	coverHeadStmt := prepare(r.write, `SELECT seq, hash FROM audit_heads WHERE scope = ?`)
	lock := ""
	if r.postgres {
		lock = " FOR UPDATE"
	}
	headInitStmt := prepare(r.write, `INSERT INTO audit_heads (scope, seq, hash) VALUES (?, 0, '') ON CONFLICT (scope) DO NOTHING`)
	headStmt := prepare(r.write, `SELECT seq, hash FROM audit_heads WHERE scope = ?`+lock)
	entryStmt := prepare(r.write, `INSERT INTO audit_entries (id, scope, seq, ts, actor_id, actor_email, action, target_type, target_id, meta,
		request_id, ip, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	moveHeadStmt := prepare(r.write, `UPDATE audit_heads SET seq = ?, hash = ? WHERE scope = ?`)
	findDocStmt := prepare(r.write, `SELECT id, version_count, status FROM documents WHERE room_id = ? AND type_code = ? AND vessel_id IS NULL`)
	addVersionStmt := prepare(r.write, `INSERT INTO document_versions (id, document_id, room_id, number, sha256, size, content_type,
		filename, expires_on, performed_at, notes, uploaded_by, uploader_email, uploaded_at)
		VALUES (?, ?, ?, ?, ?, ?, 'application/pdf', ?, NULL, NULL, ?, ?, ?, ?)`)
	uploadedStmt := prepare(r.write, `UPDATE documents SET status = 'under_review', version_count = ?, expires_on = NULL, performed_at = NULL,
		review_reason = '', reviewed_by = '', reviewer_email = '', reviewed_at = NULL, notes = ?, updated_at = ? WHERE room_id = ? AND id = ?`)
	// On PostgreSQL a write locks its room first, as the product's (store.LockRoom) do: two
	// sign-offs of one party would otherwise both supersede the same row and both insert.
	var lockRoomStmt *sql.Stmt
	if r.postgres {
		lockRoomStmt = prepare(r.write, `SELECT id FROM rooms WHERE id = ? FOR UPDATE`)
	}
	// The cockpit, doing the product's work: the caller's rooms, newest first, each with its
	// required documents and those approved that cannot have lapsed (no performed-at date, and
	// no expiry date or one after now and the widest time-of-day lead) counted in the same
	// statement; then the approved ones with a date that may have lapsed, of all the caller's
	// rooms, judged by the clearance rules (a P&I entry ends at 12:00 GMT on its date, a SIRE
	// report at 180 days), as a bare program that gets the progress right must.
	roomsStmt := prepare(r.read, `SELECT r.id, r.title, r.location, r.sts_eta, r.description, r.cargo_type, r.cargo_quantity, r.status,
		r.status_reason, r.created_by, r.created_at, r.updated_at, r.cargo_class, r.operation_minutes, r.coastal_area, p.role,
		(SELECT COUNT(*) FROM documents d WHERE d.room_id = r.id AND d.required),
		(SELECT COUNT(*) FROM documents d WHERE d.room_id = r.id AND d.required AND d.status = 'approved'
			AND d.performed_at IS NULL AND (d.expires_on IS NULL OR d.expires_on > ?))
		FROM parties p JOIN rooms r ON r.id = p.room_id
		WHERE p.user_id = ? AND p.removed_at IS NULL AND r.deleted_at IS NULL AND r.archived_at IS NULL
		ORDER BY r.id DESC LIMIT ?`)
	datedStmt := prepare(r.read, `SELECT d.room_id, d.type_code, d.expires_on, d.performed_at FROM documents d
		JOIN parties p ON p.room_id = d.room_id AND p.user_id = ? AND p.removed_at IS NULL
		WHERE d.status = 'approved' AND d.required AND (d.performed_at IS NOT NULL OR (d.expires_on IS NOT NULL AND d.expires_on <= ?))`)
	types, err := refTypes(ctx, r.read)
	if err != nil {
		return nil, err
	}
	if prepErr != nil {
		return nil, prepErr
	}

	type caller struct{ id, email string }
	authenticate := func(req *http.Request) (caller, bool) {
		token, _ := strings.CutPrefix(req.Header.Get("Authorization"), "Bearer ")
		sum := sha256.Sum256([]byte(token))
		var c caller
		err := sessionStmt.QueryRowContext(req.Context(), hex.EncodeToString(sum[:]), time.Now().UTC()).Scan(&c.id, &c.email)
		return c, err == nil
	}
	fail := func(w http.ResponseWriter, status int, err error) {
		if errors.Is(err, sql.ErrNoRows) {
			status = http.StatusNotFound
		}
		http.Error(w, http.StatusText(status), status)
	}
	// appendAudit reads the head first and creates it only for a scope's first entry.
	appendAudit := func(ctx context.Context, tx *sql.Tx, e audit.Entry) error {
		var head audit.Head
		err := tx.StmtContext(ctx, headStmt).QueryRowContext(ctx, e.Scope).Scan(&head.Seq, &head.Hash)
		if errors.Is(err, sql.ErrNoRows) {
			if _, err := tx.StmtContext(ctx, headInitStmt).ExecContext(ctx, e.Scope); err != nil {
				return err
			}
			err = tx.StmtContext(ctx, headStmt).QueryRowContext(ctx, e.Scope).Scan(&head.Seq, &head.Hash)
		}
		if err != nil {
			return err
		}
		audit.Seal(&e, head)
		if _, err := tx.StmtContext(ctx, entryStmt).ExecContext(ctx, e.ID, e.Scope, e.Seq, e.TS, e.ActorID, e.ActorEmail, e.Action, e.TargetType,
			e.TargetID, string(e.Meta), e.RequestID, e.IP, e.PrevHash, e.Hash); err != nil {
			return err
		}
		_, err = tx.StmtContext(ctx, moveHeadStmt).ExecContext(ctx, e.Seq, e.Hash, e.Scope)
		return err
	}
	// writeAs runs fn in a transaction on the writer pool after checking the caller's membership in it.
	writeAs := func(w http.ResponseWriter, req *http.Request, c caller, status int, fn func(ctx context.Context, tx *sql.Tx, c caller, partyID, role string, now time.Time) (any, error)) {
		ctx := req.Context()
		tx, err := r.write.BeginTx(ctx, nil)
		if err != nil {
			fail(w, http.StatusInternalServerError, err)
			return
		}
		defer tx.Rollback() //nolint:errcheck
		var partyID, role string
		if err := tx.StmtContext(ctx, memberTxStmt).QueryRowContext(ctx, req.PathValue("room_id"), c.id).Scan(&partyID, &role); err != nil {
			fail(w, http.StatusInternalServerError, err)
			return
		}
		if r.postgres {
			var id string
			if err := tx.StmtContext(ctx, lockRoomStmt).QueryRowContext(ctx, req.PathValue("room_id")).Scan(&id); err != nil {
				fail(w, http.StatusInternalServerError, err)
				return
			}
		}
		out, err := fn(ctx, tx, c, partyID, role, time.Now().UTC().Truncate(time.Microsecond))
		if err == nil {
			err = tx.Commit()
		}
		if err != nil {
			fail(w, http.StatusInternalServerError, err)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(out)
	}
	write := func(w http.ResponseWriter, req *http.Request, status int, fn func(ctx context.Context, tx *sql.Tx, c caller, partyID, role string, now time.Time) (any, error)) {
		c, ok := authenticate(req)
		if !ok {
			fail(w, http.StatusUnauthorized, nil)
			return
		}
		writeAs(w, req, c, status, fn)
	}

	mux := http.NewServeMux()
	// member authenticates the caller and checks their membership of the room, on the
	// reader pool; false: it has answered.
	member := func(w http.ResponseWriter, req *http.Request) (caller, bool) {
		c, ok := authenticate(req)
		if !ok {
			fail(w, http.StatusUnauthorized, nil)
			return c, false
		}
		var partyID, role string
		if err := memberStmt.QueryRowContext(req.Context(), req.PathValue("room_id"), c.id).Scan(&partyID, &role); err != nil {
			fail(w, http.StatusInternalServerError, err)
			return c, false
		}
		return c, true
	}

	mux.HandleFunc("GET /rooms", func(w http.ResponseWriter, req *http.Request) {
		c, ok := authenticate(req)
		if !ok {
			fail(w, http.StatusUnauthorized, nil)
			return
		}
		limit, err := strconv.Atoi(req.URL.Query().Get("limit"))
		if err != nil || limit < 1 || limit > 100 {
			limit = 20
		}
		rooms, err := refRooms(req.Context(), roomsStmt, datedStmt, types, c.id, time.Now().UTC(), limit)
		if err != nil {
			fail(w, http.StatusInternalServerError, err)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"items": rooms})
	})
	mux.HandleFunc("GET /rooms/{room_id}/documents", func(w http.ResponseWriter, req *http.Request) {
		ctx, roomID := req.Context(), req.PathValue("room_id")
		if _, ok := member(w, req); !ok {
			return
		}
		docs, err := documents(ctx, docsStmt, versionsStmt, roomID)
		if err != nil {
			fail(w, http.StatusInternalServerError, err)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"items": docs})
	})
	mux.HandleFunc("POST /rooms/{room_id}/documents/{document_id}/review", func(w http.ResponseWriter, req *http.Request) {
		write(w, req, http.StatusOK, func(ctx context.Context, tx *sql.Tx, c caller, _, _ string, now time.Time) (any, error) {
			roomID, docID := req.PathValue("room_id"), req.PathValue("document_id")
			res, err := tx.StmtContext(ctx, reviewStmt).ExecContext(ctx, c.id, c.email, now, now, roomID, docID)
			if err != nil {
				return nil, err
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return nil, sql.ErrNoRows
			}
			meta, err := audit.CanonicalJSON(map[string]any{"type": "reference", "version": 1, "previous_status": "under_review", "reason": ""})
			if err != nil {
				return nil, err
			}
			err = appendAudit(ctx, tx, audit.Entry{ID: newID(), Scope: roomID, TS: now, ActorID: c.id, ActorEmail: c.email,
				Action: audit.ActionDocumentApproved, TargetType: "document", TargetID: docID, Meta: meta, RequestID: "reference", IP: "127.0.0.1"})
			return map[string]any{"id": docID, "reviewed_at": now}, err
		})
	})
	mux.HandleFunc("POST /rooms/{room_id}/approvals", func(w http.ResponseWriter, req *http.Request) {
		write(w, req, http.StatusCreated, func(ctx context.Context, tx *sql.Tx, c caller, partyID, role string, now time.Time) (any, error) {
			roomID := req.PathValue("room_id")
			if _, err := tx.StmtContext(ctx, supersedeStmt).ExecContext(ctx, now, partyID); err != nil {
				return nil, err
			}
			id := newID()
			var seq int64
			var hash string
			if err := tx.StmtContext(ctx, coverHeadStmt).QueryRowContext(ctx, roomID).Scan(&seq, &hash); err != nil && !errors.Is(err, sql.ErrNoRows) {
				return nil, err
			}
			rows, err := tx.StmtContext(ctx, coveredStmt).QueryContext(ctx, roomID)
			if err != nil {
				return nil, err
			}
			var covered []any
			var values []string
			for rows.Next() {
				var doc, code, vessel, status, crit, version, sha string
				var number int
				if err := rows.Scan(&doc, &code, &vessel, &status, &crit, &number, &version, &sha); err != nil {
					rows.Close()
					return nil, err
				}
				covered = append(covered, id, roomID, doc, code, code, vessel, "", version, number, sha, status, crit)
				values = append(values, "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
			}
			if err := rows.Close(); err != nil {
				return nil, err
			}
			body, err := json.Marshal(covered)
			if err != nil {
				return nil, err
			}
			sum := sha256.Sum256(body)
			digest := hex.EncodeToString(sum[:])
			if _, err := tx.StmtContext(ctx, approvalStmt).ExecContext(ctx, id, roomID, partyID, c.id, c.email, role, now, seq, hash, digest); err != nil {
				return nil, err
			}
			if len(values) > 0 {
				if _, err := tx.ExecContext(ctx, r.sql(`INSERT INTO approval_coverage (approval_id, room_id, document_id, type_code, type_name,
					vessel_id, vessel_name, version_id, version_number, sha256, status, criticality) VALUES `+strings.Join(values, ", ")), covered...); err != nil {
					return nil, err
				}
			}
			meta, err := audit.CanonicalJSON(map[string]any{"status": "approved", "role": role, "notes": "", "chain_seq": seq, "chain_hash": hash,
				"coverage_digest": digest, "covered_documents": len(values)})
			if err != nil {
				return nil, err
			}
			err = appendAudit(ctx, tx, audit.Entry{ID: newID(), Scope: roomID, TS: now, ActorID: c.id, ActorEmail: c.email,
				Action: audit.ActionApprovalRecorded, TargetType: "party", TargetID: partyID, Meta: meta, RequestID: "reference", IP: "127.0.0.1"})
			return map[string]any{"id": id, "status": "approved", "decided_at": now}, err
		})
	})
	mux.HandleFunc("POST /rooms/{room_id}/documents", func(w http.ResponseWriter, req *http.Request) {
		roomID := req.PathValue("room_id")
		c, ok := member(w, req)
		if !ok {
			return
		}
		up, err := r.receiveUpload(req, 2*uploadSize)
		if err != nil {
			fail(w, http.StatusBadRequest, err)
			return
		}
		writeAs(w, req, c, http.StatusCreated, func(ctx context.Context, tx *sql.Tx, c caller, _, _ string, now time.Time) (any, error) {
			var docID, previous string
			var count int
			if err := tx.StmtContext(ctx, findDocStmt).QueryRowContext(ctx, roomID, up.typeCode).Scan(&docID, &count, &previous); err != nil {
				return nil, err
			}
			versionID, number := newID(), count+1
			if _, err := tx.StmtContext(ctx, addVersionStmt).ExecContext(ctx, versionID, docID, roomID, number, up.sha256, up.size,
				up.filename, up.notes, c.id, c.email, now); err != nil {
				return nil, err
			}
			if _, err := tx.StmtContext(ctx, uploadedStmt).ExecContext(ctx, number, up.notes, now, roomID, docID); err != nil {
				return nil, err
			}
			meta, err := audit.CanonicalJSON(map[string]any{"type": up.typeCode, "vessel_id": "", "version": number, "version_id": versionID,
				"sha256": up.sha256, "size": up.size, "content_type": "application/pdf", "filename": up.filename, "expires_on": "",
				"previous_status": previous})
			if err != nil {
				return nil, err
			}
			err = appendAudit(ctx, tx, audit.Entry{ID: newID(), Scope: roomID, TS: now, ActorID: c.id, ActorEmail: c.email,
				Action: audit.ActionDocumentUploaded, TargetType: "document", TargetID: docID, Meta: meta, RequestID: "reference", IP: "127.0.0.1"})
			return map[string]any{"id": docID, "status": "under_review", "version": map[string]any{"id": versionID, "number": number,
				"sha256": up.sha256, "size": up.size}}, err
		})
	})
	return mux, nil
}

type refVersion struct {
	ID          string     `json:"id"`
	Number      int        `json:"number"`
	SHA256      string     `json:"sha256"`
	Size        int64      `json:"size"`
	ContentType string     `json:"content_type"`
	Filename    string     `json:"filename"`
	ExpiresOn   *time.Time `json:"expires_on"`
	PerformedAt *time.Time `json:"performed_at"`
	Notes       string     `json:"notes"`
	UploadedBy  string     `json:"uploaded_by"`
	Uploader    string     `json:"uploaded_by_email"`
	UploadedAt  time.Time  `json:"uploaded_at"`
}

type refDocument struct {
	ID           string       `json:"id"`
	TypeCode     string       `json:"type_code"`
	TypeName     string       `json:"type_name"`
	Scope        string       `json:"scope"`
	Expiry       string       `json:"expiry"`
	VesselID     *string      `json:"vessel_id"`
	Status       string       `json:"status"`
	Criticality  string       `json:"criticality"`
	Required     bool         `json:"required"`
	Notes        string       `json:"notes"`
	VersionCount int          `json:"version_count"`
	ExpiresOn    *time.Time   `json:"expires_on"`
	PerformedAt  *time.Time   `json:"performed_at"`
	Reviewer     string       `json:"reviewer_email"`
	ReviewedAt   *time.Time   `json:"reviewed_at"`
	ReviewReason string       `json:"review_reason"`
	UpdatedAt    time.Time    `json:"updated_at"`
	Versions     []refVersion `json:"versions"`
}

func documents(ctx context.Context, docsStmt, versionsStmt *sql.Stmt, roomID string) ([]refDocument, error) {
	rows, err := docsStmt.QueryContext(ctx, roomID)
	if err != nil {
		return nil, err
	}
	var docs []refDocument
	index := map[string]int{}
	for rows.Next() {
		var d refDocument
		var vessel sql.NullString
		var expires, performed, reviewed sql.NullTime
		if err := rows.Scan(&d.ID, &d.TypeCode, &vessel, &d.Status, &d.Criticality, &d.Required, &d.Notes, &d.VersionCount,
			&expires, &performed, &d.Reviewer, &reviewed, &d.ReviewReason, &d.UpdatedAt, &d.TypeName, &d.Scope, &d.Expiry); err != nil {
			rows.Close()
			return nil, err
		}
		if vessel.Valid {
			d.VesselID = &vessel.String
		}
		d.ExpiresOn, d.PerformedAt, d.ReviewedAt = timePtr(expires), timePtr(performed), timePtr(reviewed)
		d.Versions = []refVersion{}
		index[d.ID] = len(docs)
		docs = append(docs, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = versionsStmt.QueryContext(ctx, roomID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var v refVersion
		var docID string
		var expires, performed sql.NullTime
		if err := rows.Scan(&v.ID, &docID, &v.Number, &v.SHA256, &v.Size, &v.ContentType, &v.Filename, &expires, &performed, &v.Notes,
			&v.UploadedBy, &v.Uploader, &v.UploadedAt); err != nil {
			return nil, err
		}
		v.ExpiresOn, v.PerformedAt = timePtr(expires), timePtr(performed)
		if i, ok := index[docID]; ok {
			docs[i].Versions = append(docs[i].Versions, v)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("versions: %w", err)
	}
	return docs, nil
}

func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	return &t.Time
}

// refRoom is a room of the reference's cockpit, with its progress.
type refRoom struct {
	ID            string    `json:"id"`
	Title         string    `json:"title"`
	Location      string    `json:"location"`
	STSETA        time.Time `json:"sts_eta"`
	STSEnd        time.Time `json:"sts_end"`
	Description   string    `json:"description"`
	CargoType     string    `json:"cargo_type"`
	CargoQuantity *float64  `json:"cargo_quantity"`
	Status        string    `json:"status"`
	StatusReason  string    `json:"status_reason"`
	CreatedBy     string    `json:"created_by"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
	CargoClass    string    `json:"cargo_class"`
	CoastalArea   string    `json:"coastal_area"`
	MyRole        string    `json:"my_role"`
	Progress      struct {
		Required int `json:"required"`
		Approved int `json:"approved"`
	} `json:"progress"`
}

// refTypes reads the validity rules of the catalogue's types once, as a bare program would
// keep them (the product caches them too).
func refTypes(ctx context.Context, pool *sql.DB) (map[string]clearance.DocumentType, error) {
	rows, err := pool.QueryContext(ctx, `SELECT code, expiry, expiry_time, expiry_zone, max_age_days FROM document_types`)
	if err != nil {
		return nil, fmt.Errorf("reference: types: %w", err)
	}
	defer rows.Close()
	types := map[string]clearance.DocumentType{}
	for rows.Next() {
		var t clearance.DocumentType
		if err := rows.Scan(&t.Code, &t.Expiry, &t.ExpiryTime, &t.ExpiryZone, &t.MaxAgeDays); err != nil {
			return nil, fmt.Errorf("reference: types: %w", err)
		}
		types[t.Code] = t
	}
	return types, rows.Err()
}

// refRooms reads the caller's rooms with their progress: the counts in the rooms' statement,
// and the approved documents whose date may have ended their validity judged one by one.
func refRooms(ctx context.Context, roomsStmt, datedStmt *sql.Stmt, types map[string]clearance.DocumentType, userID string, now time.Time,
	limit int) ([]refRoom, error) {
	settled := now.Add(clearance.ExpiryLead)
	rows, err := roomsStmt.QueryContext(ctx, settled, userID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]refRoom, 0, limit)
	index := map[string]int{}
	for rows.Next() {
		var r refRoom
		var qty sql.NullFloat64
		var minutes int64
		if err := rows.Scan(&r.ID, &r.Title, &r.Location, &r.STSETA, &r.Description, &r.CargoType, &qty, &r.Status, &r.StatusReason,
			&r.CreatedBy, &r.CreatedAt, &r.UpdatedAt, &r.CargoClass, &minutes, &r.CoastalArea, &r.MyRole,
			&r.Progress.Required, &r.Progress.Approved); err != nil {
			return nil, err
		}
		if qty.Valid {
			r.CargoQuantity = &qty.Float64
		}
		r.STSEnd = r.STSETA.Add(time.Duration(minutes) * time.Minute)
		index[r.ID] = len(out)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	dated, err := datedStmt.QueryContext(ctx, userID, settled)
	if err != nil {
		return nil, err
	}
	defer dated.Close()
	for dated.Next() {
		var roomID, typeCode string
		var expires, performed sql.NullTime
		if err := dated.Scan(&roomID, &typeCode, &expires, &performed); err != nil {
			return nil, err
		}
		i, ok := index[roomID]
		if !ok {
			continue
		}
		t := types[typeCode]
		v := clearance.Validity{Kind: t.Expiry, ExpiresOn: timePtr(expires), EndsAt: t.ValidityEnd(), PerformedAt: timePtr(performed), MaxAgeDays: t.MaxAgeDays}
		if clearance.EffectiveStatus(clearance.DocApproved, v, now) == clearance.DocApproved {
			out[i].Progress.Approved++
		}
	}
	return out, dated.Err()
}
