package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/stshub/stshub/internal/clearance"
)

// Vessel is the domain's record (clearance.Vessel), read and written here.
type Vessel = clearance.Vessel

const vesselColumns = `id, room_id, name, imo, role, flag, mmsi, call_sign, vessel_type, dwt, loa, beam, built_year,
	class_society, pi_club, registered_owner, registered_owner_imo, doc_company, doc_company_imo, created_at, updated_at`

func vesselRow() row[Vessel] {
	var v Vessel
	var dwt, built sql.NullInt64
	var loa, beam sql.NullFloat64
	return row[Vessel]{
		dest: []any{&v.ID, &v.RoomID, &v.Name, &v.IMO, &v.Role, &v.Flag, &v.MMSI, &v.CallSign, &v.VesselType,
			&dwt, &loa, &beam, &built, &v.ClassSociety, &v.PIClub, &v.RegisteredOwner, &v.RegisteredOwnerIMO,
			&v.DOCCompany, &v.DOCCompanyIMO, &v.CreatedAt, &v.UpdatedAt},
		value: func() Vessel {
			out := v
			out.DWT, out.BuiltYear = nullInt(dwt), nullInt(built)
			out.LOA, out.Beam = nullFloat(loa), nullFloat(beam)
			out.CreatedAt, out.UpdatedAt = v.CreatedAt.UTC(), v.UpdatedAt.UTC()
			return out
		},
	}
}

func vesselArgs(v Vessel) []any {
	return []any{v.Name, v.IMO, string(v.Role), v.Flag, v.MMSI, v.CallSign, v.VesselType, v.DWT, v.LOA, v.Beam,
		v.BuiltYear, v.ClassSociety, v.PIClub, v.RegisteredOwner, v.RegisteredOwnerIMO, v.DOCCompany, v.DOCCompanyIMO}
}

// AddVessel inserts a vessel; the same IMO twice in one room is apperr.ErrConflict.
func (q Q) AddVessel(ctx context.Context, v Vessel) error {
	args := append([]any{v.ID, v.RoomID}, vesselArgs(v)...)
	args = append(args, v.CreatedAt, v.UpdatedAt)
	_, err := q.exec(ctx, `INSERT INTO vessels (`+vesselColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args...)
	if err != nil {
		return fmt.Errorf("add vessel: %w", q.d.classify(err))
	}
	return nil
}

// UpdateVessel stores every particular of v.
func (q Q) UpdateVessel(ctx context.Context, v Vessel) error {
	args := append(vesselArgs(v), v.UpdatedAt, v.RoomID, v.ID)
	_, err := q.exec(ctx, `UPDATE vessels SET name = ?, imo = ?, role = ?, flag = ?, mmsi = ?, call_sign = ?, vessel_type = ?,
		dwt = ?, loa = ?, beam = ?, built_year = ?, class_society = ?, pi_club = ?, registered_owner = ?,
		registered_owner_imo = ?, doc_company = ?, doc_company_imo = ?, updated_at = ? WHERE room_id = ? AND id = ?`, args...)
	if err != nil {
		return fmt.Errorf("update vessel: %w", q.d.classify(err))
	}
	return nil
}

// RemoveVessel deletes a vessel of a room and the parties' bindings to it.
func (q Q) RemoveVessel(ctx context.Context, roomID, vesselID string) error {
	if _, err := q.exec(ctx, `DELETE FROM party_vessels WHERE room_id = ? AND vessel_id = ?`, roomID, vesselID); err != nil {
		return fmt.Errorf("remove vessel bindings: %w", err)
	}
	return q.execOne(ctx, "remove vessel", `DELETE FROM vessels WHERE room_id = ? AND id = ?`, roomID, vesselID)
}

// VesselByID returns one vessel of a room.
func (q Q) VesselByID(ctx context.Context, roomID, vesselID string) (Vessel, error) {
	v, err := vesselRow().scan(q.queryRow(ctx, `SELECT `+vesselColumns+` FROM vessels WHERE room_id = ? AND id = ?`, roomID, vesselID))
	if err != nil {
		return Vessel{}, notFoundOr("vessel", err)
	}
	return v, nil
}

// ListVessels returns a room's vessels in the order they were added.
func (q Q) ListVessels(ctx context.Context, roomID string) ([]Vessel, error) {
	rows, err := q.query(ctx, `SELECT `+vesselColumns+` FROM vessels WHERE room_id = ? ORDER BY created_at, id`, roomID)
	if err != nil {
		return nil, fmt.Errorf("list vessels: %w", err)
	}
	return collect(rows, "list vessels", vesselRow())
}

// VesselRecords counts what a vessel has on record besides uploads: answered checklist
// items, signatures of its checklists and by its side, coastal-state notices, and questions
// on its documents.
func (q Q) VesselRecords(ctx context.Context, roomID, vesselID string) (int, error) {
	var n int
	err := q.queryRow(ctx, `SELECT
		(SELECT COUNT(*) FROM checklist_items i JOIN checklists c ON c.id = i.checklist_id
			WHERE c.room_id = ? AND c.vessel_id = ? AND i.answered_at IS NOT NULL) +
		(SELECT COUNT(*) FROM checklist_signatures s WHERE s.room_id = ?
			AND (s.side = ? OR s.checklist_id IN (SELECT c.id FROM checklists c WHERE c.room_id = ? AND c.vessel_id = ?))) +
		(SELECT COUNT(*) FROM coastal_notices WHERE room_id = ? AND vessel_id = ?) +
		(SELECT COUNT(*) FROM questions qn JOIN documents d ON d.id = qn.document_id WHERE qn.room_id = ? AND d.vessel_id = ?)`,
		roomID, vesselID, roomID, vesselID, roomID, vesselID, roomID, vesselID, roomID, vesselID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("vessel records: %w", err)
	}
	return n, nil
}
