package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/stshub/stshub/internal/clearance"
)

// Document is one document a room requires (per vessel for vessel documents), with its
// review state. ExpiresOn and PerformedAt are copied from the latest version.
type Document struct {
	ID            string
	RoomID        string
	TypeCode      string
	VesselID      *string
	Status        string
	Criticality   string
	Required      bool
	WaiveReason   string
	WaivedBy      string
	WaiverEmail   string
	WaivedAt      *time.Time
	Notes         string
	ReviewReason  string
	ReviewedBy    string
	ReviewerEmail string
	ReviewedAt    *time.Time
	VersionCount  int
	ExpiresOn     *time.Time
	PerformedAt   *time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time
	// Outcome is a screening's latest outcome ("" for any other document); RerunReason why
	// a party change left the screening needing a re-run ("" when it does not).
	Outcome     clearance.Outcome
	RerunReason string
}

const documentColumns = `id, room_id, type_code, vessel_id, status, criticality, required, waive_reason, waived_by, waiver_email,
	waived_at, notes, review_reason, reviewed_by, reviewer_email, reviewed_at, version_count, expires_on, performed_at, created_at, updated_at,
	outcome, rerun_reason`

func documentRow() row[Document] {
	var d Document
	var vessel sql.NullString
	var waived, reviewed, expires, performed sql.NullTime
	var outcome sql.NullString
	return row[Document]{
		dest: []any{&d.ID, &d.RoomID, &d.TypeCode, &vessel, &d.Status, &d.Criticality, &d.Required, &d.WaiveReason,
			&d.WaivedBy, &d.WaiverEmail, &waived, &d.Notes, &d.ReviewReason, &d.ReviewedBy, &d.ReviewerEmail, &reviewed,
			&d.VersionCount, &expires, &performed, &d.CreatedAt, &d.UpdatedAt, &outcome, &d.RerunReason},
		value: func() Document {
			out := d
			out.Outcome = clearance.Outcome(outcome.String)
			out.VesselID = nullString(vessel)
			out.WaivedAt, out.ReviewedAt = nullTime(waived), nullTime(reviewed)
			out.ExpiresOn, out.PerformedAt = nullTime(expires), nullTime(performed)
			out.CreatedAt, out.UpdatedAt = d.CreatedAt.UTC(), d.UpdatedAt.UTC()
			return out
		},
	}
}

// CreateDocument inserts a requirement slot; the same type twice for one vessel (or room)
// is apperr.ErrConflict.
func (q Q) CreateDocument(ctx context.Context, d Document) error {
	_, err := q.exec(ctx, `INSERT INTO documents (`+documentColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		d.ID, d.RoomID, d.TypeCode, d.VesselID, d.Status, d.Criticality, d.Required, d.WaiveReason, d.WaivedBy, d.WaiverEmail,
		d.WaivedAt, d.Notes, d.ReviewReason, d.ReviewedBy, d.ReviewerEmail, d.ReviewedAt, d.VersionCount, d.ExpiresOn,
		d.PerformedAt, d.CreatedAt, d.UpdatedAt, outcomeValue(d.Outcome), d.RerunReason)
	if err != nil {
		return fmt.Errorf("create document: %w", q.d.classify(err))
	}
	return nil
}

// SaveDocument stores the mutable state of a document.
func (q Q) SaveDocument(ctx context.Context, d Document) error {
	return q.execOne(ctx, "save document", `UPDATE documents SET status = ?, criticality = ?, required = ?, waive_reason = ?,
		waived_by = ?, waiver_email = ?, waived_at = ?, notes = ?, review_reason = ?, reviewed_by = ?, reviewer_email = ?,
		reviewed_at = ?, version_count = ?, expires_on = ?, performed_at = ?, updated_at = ?, outcome = ?, rerun_reason = ?
		WHERE room_id = ? AND id = ?`,
		d.Status, d.Criticality, d.Required, d.WaiveReason, d.WaivedBy, d.WaiverEmail, d.WaivedAt, d.Notes, d.ReviewReason,
		d.ReviewedBy, d.ReviewerEmail, d.ReviewedAt, d.VersionCount, d.ExpiresOn, d.PerformedAt, d.UpdatedAt,
		outcomeValue(d.Outcome), d.RerunReason, d.RoomID, d.ID)
}

// outcomeValue stores an outcome, NULL for none (the column's CHECK lists the outcomes).
func outcomeValue(o clearance.Outcome) any {
	if o == "" {
		return nil
	}
	return string(o)
}

// SaveReview writes a review decision (status, review columns and updated_at) to d if the
// stored document still has the status and version count of was, and reports whether it
// had. A review reads and judges its document before its transaction; what it judges (the
// status and the latest version's dates) changes only with those two, and it writes no
// other column, so a waiver or a note that came meanwhile stays.
func (q Q) SaveReview(ctx context.Context, d, was Document) (bool, error) {
	res, err := q.exec(ctx, `UPDATE documents SET status = ?, review_reason = ?, reviewed_by = ?, reviewer_email = ?, reviewed_at = ?,
		updated_at = ? WHERE room_id = ? AND id = ? AND status = ? AND version_count = ?`,
		d.Status, d.ReviewReason, d.ReviewedBy, d.ReviewerEmail, d.ReviewedAt, d.UpdatedAt, d.RoomID, d.ID,
		was.Status, was.VersionCount)
	if err != nil {
		return false, fmt.Errorf("save review: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("save review: %w", err)
	}
	return n == 1, nil
}

// DocumentByID returns one document of a room. It takes no row lock: every write to a
// room's documents holds the room's lock first (LockRoom) and queues on that; a review,
// which reads before its transaction, writes with SaveReview.
func (q Q) DocumentByID(ctx context.Context, roomID, id string) (Document, error) {
	d, err := documentRow().scan(q.queryRow(ctx, `SELECT `+documentColumns+` FROM documents WHERE room_id = ? AND id = ?`, roomID, id))
	if err != nil {
		return Document{}, notFoundOr("document", err)
	}
	return d, nil
}

// FindDocument returns the slot of a type for a vessel (vesselID "" for a room document).
func (q Q) FindDocument(ctx context.Context, roomID, typeCode, vesselID string) (Document, error) {
	query := `SELECT ` + documentColumns + ` FROM documents WHERE room_id = ? AND type_code = ? AND `
	args := []any{roomID, typeCode}
	if vesselID == "" {
		query += `vessel_id IS NULL`
	} else {
		query += `vessel_id = ?`
		args = append(args, vesselID)
	}
	d, err := documentRow().scan(q.queryRow(ctx, query, args...))
	if err != nil {
		return Document{}, notFoundOr("document", err)
	}
	return d, nil
}

// ListDocuments returns a room's documents by type code, room documents before vessel ones.
func (q Q) ListDocuments(ctx context.Context, roomID string) ([]Document, error) {
	rows, err := q.query(ctx, `SELECT `+documentColumns+` FROM documents WHERE room_id = ? ORDER BY type_code, vessel_id, id`, roomID)
	if err != nil {
		return nil, fmt.Errorf("list documents: %w", err)
	}
	return collect(rows, "list documents", documentRow())
}

// DocumentProgress is the part of a document that decides a room's progress.
type DocumentProgress struct {
	RoomID      string
	TypeCode    string
	Status      string
	Criticality clearance.Criticality
	Required    bool
	ExpiresOn   *time.Time
	PerformedAt *time.Time
	Screening   clearance.ScreeningState
}

// ListDocumentProgress returns the progress columns of the documents of several rooms:
// only what the clearance gate reads of them, in one query.
func (q Q) ListDocumentProgress(ctx context.Context, roomIDs []string) ([]DocumentProgress, error) {
	if len(roomIDs) == 0 {
		return nil, nil
	}
	in, args := inList(roomIDs)
	rows, err := q.query(ctx, `SELECT room_id, type_code, status, criticality, required, expires_on, performed_at, outcome, rerun_reason
		FROM documents WHERE room_id IN `+in, args...)
	if err != nil {
		return nil, fmt.Errorf("document progress: %w", err)
	}
	return collect(rows, "document progress", documentProgressRow())
}

func documentProgressRow() row[DocumentProgress] {
	var d DocumentProgress
	var expires, performed sql.NullTime
	var outcome sql.NullString
	return row[DocumentProgress]{
		dest: []any{&d.RoomID, &d.TypeCode, &d.Status, &d.Criticality, &d.Required, &expires, &performed, &outcome, &d.Screening.RerunReason},
		value: func() DocumentProgress {
			out := d
			out.Screening.Outcome = clearance.Outcome(outcome.String)
			out.ExpiresOn, out.PerformedAt = nullTime(expires), nullTime(performed)
			return out
		},
	}
}

// RequiredCounts counts a room's required documents and those whose stored status is
// approved. Some of the approved ones may have lapsed since the expiry scan last ran: the
// caller judges those (LapseCandidates) at its own now.
type RequiredCounts struct {
	Required int
	Approved int
}

// requiredCountColumns are a room's RequiredCounts, two correlated counts on the
// documents_room index of the room r of the enclosing statement: as a bare program would
// write them, no grouping (and no sort) of every document of the rooms.
const requiredCountColumns = `(SELECT COUNT(*) FROM documents d WHERE d.room_id = r.id AND d.required),
	(SELECT COUNT(*) FROM documents d WHERE d.room_id = r.id AND d.required AND d.status = 'approved')`

// LapseCandidate is an approved required document whose validity may have ended by the
// caller's now: its dates, for the clearance rules to judge.
type LapseCandidate struct {
	ID, RoomID, TypeCode string
	ExpiresOn            *time.Time
	PerformedAt          *time.Time
}

// LapseCandidates lists the approved required documents of the rooms userID is an active
// party of that may have lapsed by a moment: an expiry date not after expiringBy (the caller
// adds the widest time-of-day lead, clearance.ExpiryLead), or point-in-time evidence
// performed before its type's cutoff. Everything else approved is still valid then. Each
// kind of candidate is read on its partial index of approved documents (by expiry date; by
// type and performed-at date), so the statement reads the few candidates rather than every
// document of the rooms; a document may come twice (eitherOf). In steady state the expiry
// scan has moved the lapsed ones to expired, and few remain. A room list takes them for all
// the user's rooms: a few parameters, however many rooms the page holds.
func (q Q) LapseCandidates(ctx context.Context, userID string, expiringBy time.Time, cutoffs []EvidenceCutoff) ([]LapseCandidate, error) {
	query, args := q.lapseQuery(`d.room_id IN (SELECT p.room_id FROM parties p WHERE p.user_id = ? AND p.removed_at IS NULL)`, userID,
		expiringBy, cutoffs, "")
	rows, err := q.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("lapse candidates: %w", err)
	}
	var c LapseCandidate
	var expires, performed sql.NullTime
	return collect(rows, "lapse candidates", row[LapseCandidate]{
		dest: []any{&c.ID, &c.RoomID, &c.TypeCode, &expires, &performed},
		value: func() LapseCandidate {
			out := c
			out.ExpiresOn, out.PerformedAt = nullTime(expires), nullTime(performed)
			return out
		},
	})
}

// RoomProgress returns one room's RequiredCounts and its LapseCandidates, in one statement:
// the candidates' rows, then one row of the counts.
func (q Q) RoomProgress(ctx context.Context, roomID string, expiringBy time.Time, cutoffs []EvidenceCutoff) (RequiredCounts, []LapseCandidate, error) {
	// The candidates come first: SQLite types a compound select's columns by its first
	// select, and their dates must read as times.
	query, args := q.lapseQuery(`d.room_id = ?`, roomID, expiringBy, cutoffs, ", NULL, NULL")
	query += ` UNION ALL SELECT NULL, r.id, NULL, NULL, NULL, ` + requiredCountColumns + ` FROM rooms r WHERE r.id = ?`
	rows, err := q.query(ctx, query, append(args, roomID)...)
	if err != nil {
		return RequiredCounts{}, nil, fmt.Errorf("room progress: %w", err)
	}
	defer rows.Close()
	var counts RequiredCounts
	var candidates []LapseCandidate
	found := false
	for rows.Next() {
		var id, typeCode sql.NullString
		var c LapseCandidate
		var expires, performed sql.NullTime
		var required, approved sql.NullInt64
		if err := rows.Scan(&id, &c.RoomID, &typeCode, &expires, &performed, &required, &approved); err != nil {
			return RequiredCounts{}, nil, fmt.Errorf("room progress: %w", err)
		}
		if !id.Valid { // the counts
			counts, found = RequiredCounts{Required: int(required.Int64), Approved: int(approved.Int64)}, true
			continue
		}
		c.ID, c.TypeCode = id.String, typeCode.String
		c.ExpiresOn, c.PerformedAt = nullTime(expires), nullTime(performed)
		candidates = append(candidates, c)
	}
	if err := rows.Err(); err != nil {
		return RequiredCounts{}, nil, fmt.Errorf("room progress: %w", err)
	}
	if !found {
		return RequiredCounts{}, nil, fmt.Errorf("room progress: %w", errNotFound)
	}
	return counts, candidates, nil
}

// lapseQuery is the statement of LapseCandidates for the rooms of roomsCond (taking one
// argument), each row ending in extra columns.
func (q Q) lapseQuery(roomsCond string, roomsArg any, expiringBy time.Time, cutoffs []EvidenceCutoff, extra string) (string, []any) {
	kinds := []alternative{{cond: `d.expires_on IS NOT NULL AND d.expires_on <= ?`, args: []any{expiringBy}}}
	for _, c := range cutoffs {
		kinds = append(kinds, alternative{cond: `d.type_code = ? AND d.performed_at IS NOT NULL AND d.performed_at < ?`,
			args: []any{c.TypeCode, c.PerformedBefore}})
	}
	return q.d.eitherOf(`SELECT d.id, d.room_id, d.type_code, d.expires_on, d.performed_at`+extra+` FROM documents d
		WHERE d.status = 'approved' AND d.required AND `+roomsCond, []any{roomsArg}, kinds)
}

// AnyRequiredNotApproved reports whether a room has a required document of criticality c
// whose review status is anything but approved: for the high ones, one such document closes
// the clearance gate whatever its dates, so the gate needs no more of the room's documents
// to say no.
func (q Q) AnyRequiredNotApproved(ctx context.Context, roomID string, c clearance.Criticality) (bool, error) {
	var found bool
	err := q.queryRow(ctx, `SELECT EXISTS (SELECT 1 FROM documents WHERE room_id = ? AND required AND criticality = ? AND status <> 'approved')`,
		roomID, string(c)).Scan(&found)
	if err != nil {
		return false, fmt.Errorf("required documents: %w", err)
	}
	return found, nil
}

// DeleteUnusedVesselDocuments removes a vessel's slots that never received a version nor a
// question (a record, counted by VesselRecords) and says how many slots with versions remain.
func (q Q) DeleteUnusedVesselDocuments(ctx context.Context, roomID, vesselID string) (remaining int, err error) {
	if _, err := q.exec(ctx, `DELETE FROM documents WHERE room_id = ? AND vessel_id = ? AND version_count = 0
		AND NOT EXISTS (SELECT 1 FROM questions qn WHERE qn.room_id = documents.room_id AND qn.document_id = documents.id)`,
		roomID, vesselID); err != nil {
		return 0, fmt.Errorf("delete vessel documents: %w", err)
	}
	if err := q.queryRow(ctx, `SELECT COUNT(*) FROM documents WHERE room_id = ? AND vessel_id = ? AND version_count > 0`, roomID, vesselID).Scan(&remaining); err != nil {
		return 0, fmt.Errorf("count vessel documents: %w", err)
	}
	return remaining, nil
}

// ApprovedExpiringBefore lists approved documents (of rooms that are not deleted) whose
// expiry date falls before t, for the expiry scan, by expiry date and ID; after a document
// of a previous page (nil for the first), only those after it. Not every one has lapsed yet
// (a validity can end later on its date), so the scan pages on instead of stopping.
func (q Q) ApprovedExpiringBefore(ctx context.Context, t time.Time, after *Document, limit int) ([]Document, error) {
	page, args := "", []any{t}
	if after != nil && after.ExpiresOn != nil {
		page = ` AND (d.expires_on > ? OR (d.expires_on = ? AND d.id > ?))`
		args = append(args, *after.ExpiresOn, *after.ExpiresOn, after.ID)
	}
	rows, err := q.query(ctx, `SELECT `+prefixed("d.", documentColumns)+` FROM documents d JOIN rooms r ON r.id = d.room_id
		WHERE d.status = 'approved' AND d.expires_on IS NOT NULL AND d.expires_on < ? AND r.deleted_at IS NULL`+page+`
		ORDER BY d.expires_on, d.id LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("approved expiring: %w", err)
	}
	return collect(rows, "approved expiring", documentRow())
}

// ApprovedPointInTime lists approved documents of one point-in-time type performed before
// a cutoff (in rooms that are not deleted), for the expiry scan.
func (q Q) ApprovedPointInTime(ctx context.Context, typeCode string, performedBefore time.Time, limit int) ([]Document, error) {
	rows, err := q.query(ctx, `SELECT `+prefixed("d.", documentColumns)+` FROM documents d JOIN rooms r ON r.id = d.room_id
		WHERE d.status = 'approved' AND d.performed_at IS NOT NULL AND d.performed_at < ? AND d.type_code = ? AND r.deleted_at IS NULL
		ORDER BY d.performed_at LIMIT ?`, performedBefore, typeCode, limit)
	if err != nil {
		return nil, fmt.Errorf("approved point in time: %w", err)
	}
	return collect(rows, "approved point in time", documentRow())
}

// ExpiringForUser lists approved documents with an expiry date before until, in the rooms
// userID is an active party of (archived ones aside), soonest first.
func (q Q) ExpiringForUser(ctx context.Context, userID string, until time.Time, limit int) ([]Document, error) {
	rows, err := q.query(ctx, `SELECT `+prefixed("d.", documentColumns)+` FROM documents d
		JOIN parties p ON p.room_id = d.room_id AND p.user_id = ? AND p.removed_at IS NULL
		JOIN rooms r ON r.id = d.room_id AND r.deleted_at IS NULL AND r.archived_at IS NULL
		JOIN document_types t ON t.code = d.type_code AND t.expiry = 'expires'
		WHERE d.status = 'approved' AND d.expires_on IS NOT NULL AND d.expires_on < ?
		ORDER BY d.expires_on, d.id LIMIT ?`, userID, until, limit)
	if err != nil {
		return nil, fmt.Errorf("expiring documents: %w", err)
	}
	return collect(rows, "expiring documents", documentRow())
}

// EvidenceCutoff says which evidence of one point-in-time type ages out before a moment: the
// approved documents of TypeCode performed before PerformedBefore.
type EvidenceCutoff struct {
	TypeCode        string
	PerformedBefore time.Time
}

// AgingEvidenceForUser lists approved point-in-time evidence that ages out before its
// type's cutoff, in the rooms userID is an active party of (archived ones aside), the oldest
// first. No cutoffs, no rows.
func (q Q) AgingEvidenceForUser(ctx context.Context, userID string, cutoffs []EvidenceCutoff, limit int) ([]Document, error) {
	if len(cutoffs) == 0 {
		return nil, nil
	}
	args := []any{userID}
	var match []string
	for _, c := range cutoffs {
		match = append(match, `(d.type_code = ? AND d.performed_at < ?)`)
		args = append(args, c.TypeCode, c.PerformedBefore)
	}
	rows, err := q.query(ctx, `SELECT `+prefixed("d.", documentColumns)+` FROM documents d
		JOIN parties p ON p.room_id = d.room_id AND p.user_id = ? AND p.removed_at IS NULL
		JOIN rooms r ON r.id = d.room_id AND r.deleted_at IS NULL AND r.archived_at IS NULL
		WHERE d.status = 'approved' AND d.performed_at IS NOT NULL AND (`+strings.Join(match, " OR ")+`)
		ORDER BY d.performed_at, d.id LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("aging evidence: %w", err)
	}
	return collect(rows, "aging evidence", documentRow())
}

// prefixed qualifies a column list with a table alias.
func prefixed(alias, columns string) string {
	parts := strings.Split(columns, ",")
	for i, p := range parts {
		parts[i] = alias + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}

// RoomsWithTypeInClearance lists the rooms in clearing or cleared that hold a document of
// a type: the rooms whose clearance a catalogue change can move.
func (q Q) RoomsWithTypeInClearance(ctx context.Context, typeCode string) ([]string, error) {
	rows, err := q.query(ctx, `SELECT DISTINCT d.room_id FROM documents d JOIN rooms r ON r.id = d.room_id
		WHERE d.type_code = ? AND r.status IN ('clearing', 'cleared') AND r.deleted_at IS NULL ORDER BY d.room_id`, typeCode)
	if err != nil {
		return nil, fmt.Errorf("rooms with type: %w", err)
	}
	return collect(rows, "rooms with type", stringRow())
}
