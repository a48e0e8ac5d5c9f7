package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/stshub/stshub/internal/clearance"
)

// ChecklistTemplate is the domain's record (clearance.ChecklistTemplate), read and written here.
type ChecklistTemplate = clearance.ChecklistTemplate

const checklistTemplateColumns = `id, phase, position, text, active, updated_at`

func checklistTemplateRow() row[ChecklistTemplate] {
	var t ChecklistTemplate
	return row[ChecklistTemplate]{
		dest: []any{&t.ID, &t.Phase, &t.Position, &t.Text, &t.Active, &t.UpdatedAt},
		value: func() ChecklistTemplate {
			out := t
			out.UpdatedAt = t.UpdatedAt.UTC()
			return out
		},
	}
}

// ListChecklistTemplates returns the templates by phase and position (ties in creation
// order); only active ones when activeOnly.
func (q Q) ListChecklistTemplates(ctx context.Context, activeOnly bool) ([]ChecklistTemplate, error) {
	query := `SELECT ` + checklistTemplateColumns + ` FROM checklist_templates`
	var args []any
	if activeOnly {
		query += ` WHERE active = ?`
		args = append(args, true)
	}
	rows, err := q.query(ctx, query+` ORDER BY phase, position, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list checklist templates: %w", err)
	}
	return collect(rows, "list checklist templates", checklistTemplateRow())
}

// ChecklistTemplateByID returns one template item. Inside a transaction on PostgreSQL the
// row is locked until commit.
func (q Q) ChecklistTemplateByID(ctx context.Context, id string) (ChecklistTemplate, error) {
	lock := ""
	if q.InTx() {
		lock = q.d.forUpdate()
	}
	t, err := checklistTemplateRow().scan(q.queryRow(ctx, `SELECT `+checklistTemplateColumns+` FROM checklist_templates WHERE id = ?`+lock, id))
	if err != nil {
		return ChecklistTemplate{}, notFoundOr("checklist template", err)
	}
	return t, nil
}

// CreateChecklistTemplate inserts a template item.
func (q Q) CreateChecklistTemplate(ctx context.Context, t ChecklistTemplate) error {
	_, err := q.exec(ctx, `INSERT INTO checklist_templates (`+checklistTemplateColumns+`) VALUES (?, ?, ?, ?, ?, ?)`,
		t.ID, t.Phase, t.Position, t.Text, t.Active, t.UpdatedAt)
	if err != nil {
		return fmt.Errorf("create checklist template: %w", q.d.classify(err))
	}
	return nil
}

// UpdateChecklistTemplate stores the text, active flag and position of a template item;
// its phase is fixed.
func (q Q) UpdateChecklistTemplate(ctx context.Context, t ChecklistTemplate) error {
	return q.execOne(ctx, "update checklist template", `UPDATE checklist_templates SET text = ?, active = ?, position = ?,
		updated_at = ? WHERE id = ?`, t.Text, t.Active, t.Position, t.UpdatedAt, t.ID)
}

// CountChecklistTemplates says how many template items exist (active or not).
func (q Q) CountChecklistTemplates(ctx context.Context) (int, error) {
	var n int
	if err := q.queryRow(ctx, `SELECT COUNT(*) FROM checklist_templates`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count checklist templates: %w", err)
	}
	return n, nil
}

// LastChecklistTemplatePosition returns the highest position used in a phase, 0 when the
// phase has no items.
func (q Q) LastChecklistTemplatePosition(ctx context.Context, phase int) (int, error) {
	var n sql.NullInt64
	if err := q.queryRow(ctx, `SELECT MAX(position) FROM checklist_templates WHERE phase = ?`, phase).Scan(&n); err != nil {
		return 0, fmt.Errorf("last checklist template position: %w", err)
	}
	return int(n.Int64), nil
}

// Checklist is the domain's record (clearance.Checklist), read and written here.
type Checklist = clearance.Checklist

// ChecklistItem is the domain's record (clearance.ChecklistItem), read and written here.
type ChecklistItem = clearance.ChecklistItem

// checklistColumns read a checklist with its vessel's name; the name comes from a scalar
// subquery so that a locking read locks the checklist row only.
const checklistColumns = `c.id, c.room_id, c.vessel_id, (SELECT v.name FROM vessels v WHERE v.id = c.vessel_id),
	c.phase, c.signed_by, c.signer_email, c.signed_at, c.created_at`

func checklistRow() row[Checklist] {
	var c Checklist
	var name sql.NullString
	var signed sql.NullTime
	return row[Checklist]{
		dest: []any{&c.ID, &c.RoomID, &c.VesselID, &name, &c.Phase, &c.SignedBy, &c.SignerEmail, &signed, &c.CreatedAt},
		value: func() Checklist {
			out := c
			out.VesselName = name.String
			out.SignedAt = nullTime(signed)
			out.CreatedAt = c.CreatedAt.UTC()
			return out
		},
	}
}

const checklistItemColumns = `id, checklist_id, room_id, position, text, checked_by, checker_email, checked_at`

func checklistItemRow() row[ChecklistItem] {
	var it ChecklistItem
	var checked sql.NullTime
	return row[ChecklistItem]{
		dest: []any{&it.ID, &it.ChecklistID, &it.RoomID, &it.Position, &it.Text, &it.CheckedBy, &it.CheckerEmail, &checked},
		value: func() ChecklistItem {
			out := it
			out.CheckedAt = nullTime(checked)
			return out
		},
	}
}

// InstantiateChecklists creates the checklists of phases for a vessel of a room, each with a
// copy of the active template items of its phase, and returns them. newID names each new row.
// A vessel that already has a checklist of one of the phases is apperr.ErrConflict.
func (q Q) InstantiateChecklists(ctx context.Context, roomID, vesselID string, phases []int, now time.Time, newID func() string) ([]Checklist, error) {
	if len(phases) == 0 {
		return nil, nil
	}
	templates, err := q.ListChecklistTemplates(ctx, true)
	if err != nil {
		return nil, err
	}
	lists := make([]Checklist, len(phases))
	byPhase := map[int]int{}
	listArgs := make([]any, 0, 5*len(phases))
	for i, phase := range phases {
		lists[i] = Checklist{ID: newID(), RoomID: roomID, VesselID: vesselID, Phase: phase, CreatedAt: now}
		byPhase[phase] = i
		listArgs = append(listArgs, lists[i].ID, roomID, vesselID, phase, now)
	}
	var itemArgs []any
	for _, t := range templates {
		i, ok := byPhase[t.Phase]
		if !ok {
			continue
		}
		it := ChecklistItem{ID: newID(), ChecklistID: lists[i].ID, RoomID: roomID, Position: t.Position, Text: t.Text}
		lists[i].Items = append(lists[i].Items, it)
		itemArgs = append(itemArgs, it.ID, it.ChecklistID, roomID, it.Position, it.Text)
	}
	if _, err := q.exec(ctx, `INSERT INTO checklists (id, room_id, vessel_id, phase, created_at) VALUES `+
		valueRows(len(phases), 5), listArgs...); err != nil {
		return nil, fmt.Errorf("create checklists: %w", q.d.classify(err))
	}
	if len(itemArgs) > 0 {
		if _, err := q.exec(ctx, `INSERT INTO checklist_items (id, checklist_id, room_id, position, text) VALUES `+
			valueRows(len(itemArgs)/5, 5), itemArgs...); err != nil {
			return nil, fmt.Errorf("create checklist items: %w", q.d.classify(err))
		}
	}
	return lists, nil
}

// valueRows returns rows placeholder tuples of cols each: "(?, ?), (?, ?)".
func valueRows(rows, cols int) string {
	tuple := "(?" + strings.Repeat(", ?", cols-1) + ")"
	return tuple + strings.Repeat(", "+tuple, rows-1)
}

// ListChecklists returns a room's checklists, by vessel (in the order the vessels were
// added) and phase, each with its items in order: two queries, whatever their number.
func (q Q) ListChecklists(ctx context.Context, roomID string) ([]Checklist, error) {
	rows, err := q.query(ctx, `SELECT `+checklistColumns+` FROM checklists c WHERE c.room_id = ?
		ORDER BY c.created_at, c.vessel_id, c.phase`, roomID)
	if err != nil {
		return nil, fmt.Errorf("list checklists: %w", err)
	}
	lists, err := collect(rows, "list checklists", checklistRow())
	if err != nil || len(lists) == 0 {
		return lists, err
	}
	rows, err = q.query(ctx, `SELECT `+checklistItemColumns+` FROM checklist_items WHERE room_id = ?
		ORDER BY checklist_id, position, id`, roomID)
	if err != nil {
		return nil, fmt.Errorf("list checklist items: %w", err)
	}
	items, err := collect(rows, "list checklist items", checklistItemRow())
	if err != nil {
		return nil, err
	}
	index := make(map[string]int, len(lists))
	for i, c := range lists {
		index[c.ID] = i
	}
	for _, it := range items {
		if i, ok := index[it.ChecklistID]; ok {
			lists[i].Items = append(lists[i].Items, it)
		}
	}
	return lists, nil
}

// ChecklistByID returns one checklist of a room with its items. Inside a transaction on
// PostgreSQL the checklist row is locked until commit, so two changes to one checklist
// (checking an item while another party signs) queue.
func (q Q) ChecklistByID(ctx context.Context, roomID, id string) (Checklist, error) {
	lock := ""
	if q.InTx() {
		lock = q.d.forUpdate()
	}
	c, err := checklistRow().scan(q.queryRow(ctx, `SELECT `+checklistColumns+` FROM checklists c WHERE c.room_id = ? AND c.id = ?`+lock, roomID, id))
	if err != nil {
		return Checklist{}, notFoundOr("checklist", err)
	}
	rows, err := q.query(ctx, `SELECT `+checklistItemColumns+` FROM checklist_items WHERE room_id = ? AND checklist_id = ?
		ORDER BY position, id`, roomID, id)
	if err != nil {
		return Checklist{}, fmt.Errorf("checklist items: %w", err)
	}
	if c.Items, err = collect(rows, "checklist items", checklistItemRow()); err != nil {
		return Checklist{}, err
	}
	return c, nil
}

// SetChecklistItem stores whether an item is checked: by whom and when, or (checkedAt nil)
// that it is not.
func (q Q) SetChecklistItem(ctx context.Context, roomID, checklistID, itemID, checkedBy, checkerEmail string, checkedAt *time.Time) error {
	return q.execOne(ctx, "set checklist item", `UPDATE checklist_items SET checked_by = ?, checker_email = ?, checked_at = ?
		WHERE room_id = ? AND checklist_id = ? AND id = ?`, checkedBy, checkerEmail, checkedAt, roomID, checklistID, itemID)
}

// SignChecklist records the signature of a checklist that is not signed yet; a signed (or
// unknown) one is apperr.ErrNotFound.
func (q Q) SignChecklist(ctx context.Context, roomID, id, signedBy, signerEmail string, at time.Time) error {
	return q.execOne(ctx, "sign checklist", `UPDATE checklists SET signed_by = ?, signer_email = ?, signed_at = ?
		WHERE room_id = ? AND id = ? AND signed_at IS NULL`, signedBy, signerEmail, at, roomID, id)
}

// UnsignedChecklists lists a room's checklists of phases (of every phase when phases is
// empty) that are not signed, by vessel and phase, without their items.
func (q Q) UnsignedChecklists(ctx context.Context, roomID string, phases []int) ([]Checklist, error) {
	query := `SELECT ` + checklistColumns + ` FROM checklists c WHERE c.room_id = ? AND c.signed_at IS NULL`
	args := []any{roomID}
	if len(phases) > 0 {
		in, phaseArgs := inList(phases)
		query += ` AND c.phase IN ` + in
		args = append(args, phaseArgs...)
	}
	rows, err := q.query(ctx, query+` ORDER BY c.created_at, c.vessel_id, c.phase`, args...)
	if err != nil {
		return nil, fmt.Errorf("unsigned checklists: %w", err)
	}
	return collect(rows, "unsigned checklists", checklistRow())
}
