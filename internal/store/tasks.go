package store

import (
	"context"
	"database/sql"
	"fmt"
)

// What a user's task list reads (service.Tasks): its parties in the rooms it works in, and
// the documents of those rooms that may ask something of it, each in one statement for
// any number of rooms.

// PartyOfUser is one of a user's active parties, in a room that is neither archived nor
// deleted, with the party's current sign-off decision ("" when it has none).
type PartyOfUser struct {
	Membership
	Decision string
}

// PartiesOfUser returns userID's active parties in rooms that are neither archived nor
// deleted, newest room first, at most limit rooms; roomID, when not "", keeps only that
// room's. One statement: a row per vessel binding.
func (q Q) PartiesOfUser(ctx context.Context, userID, roomID string, limit int) ([]PartyOfUser, error) {
	query := `SELECT ` + roomColumns + `, p.id, p.role, p.email, COALESCE(a.status, ''), pv.vessel_id
		FROM parties p JOIN rooms r ON r.id = p.room_id AND r.deleted_at IS NULL AND r.archived_at IS NULL
		LEFT JOIN approvals a ON a.party_id = p.id AND a.superseded_at IS NULL
		LEFT JOIN party_vessels pv ON pv.party_id = p.id
		WHERE p.user_id = ? AND p.removed_at IS NULL`
	args := []any{userID}
	if roomID != "" {
		query += ` AND p.room_id = ?`
		args = append(args, roomID)
	}
	rows, err := q.query(ctx, query+` ORDER BY r.id DESC, pv.bound_at, pv.vessel_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("parties of user: %w", err)
	}
	defer rows.Close()
	var p PartyOfUser
	var vessel sql.NullString
	scan := roomRow(&p.PartyID, &p.Role, &p.Email, &p.Decision, &vessel)
	var out []PartyOfUser
	for rows.Next() {
		room, err := scan.scan(rows)
		if err != nil {
			return nil, fmt.Errorf("parties of user: %w", err)
		}
		if n := len(out); n == 0 || out[n-1].Room.ID != room.ID {
			if n == limit {
				break
			}
			out = append(out, PartyOfUser{Membership: Membership{PartyID: p.PartyID, UserID: userID, Role: p.Role, Email: p.Email, Room: room},
				Decision: p.Decision})
		}
		if vessel.Valid {
			last := &out[len(out)-1]
			last.VesselIDs = append(last.VesselIDs, vessel.String)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("parties of user: %w", err)
	}
	return out, nil
}

// TaskDocument is a document that may ask something of a party, with its vessel's name and
// who uploaded its latest version ("" when none was).
type TaskDocument struct {
	Document
	VesselName string
	UploadedBy string
}

// TaskDocuments returns the documents of the rooms roomIDs that may ask something of
// someone: all but those approved with no date that can lapse. One statement.
func (q Q) TaskDocuments(ctx context.Context, roomIDs []string) ([]TaskDocument, error) {
	if len(roomIDs) == 0 {
		return nil, nil
	}
	in, args := inList(roomIDs)
	rows, err := q.query(ctx, `SELECT `+prefixed("d.", documentColumns)+`, COALESCE(v.name, ''), COALESCE(dv.uploaded_by, '')
		FROM documents d LEFT JOIN vessels v ON v.id = d.vessel_id
		LEFT JOIN document_versions dv ON dv.document_id = d.id AND dv.number = d.version_count
		WHERE d.room_id IN `+in+` AND (d.status <> 'approved' OR d.expires_on IS NOT NULL OR d.performed_at IS NOT NULL)
		ORDER BY d.room_id, d.type_code, d.vessel_id, d.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("task documents: %w", err)
	}
	var t TaskDocument
	doc := documentRow()
	return collect(rows, "task documents", row[TaskDocument]{
		dest: append(doc.dest, &t.VesselName, &t.UploadedBy),
		value: func() TaskDocument {
			return TaskDocument{Document: doc.value(), VesselName: t.VesselName, UploadedBy: t.UploadedBy}
		},
	})
}
