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

const checklistTemplateColumns = `id, phase, position, text, required, active, updated_at`

func checklistTemplateRow() row[ChecklistTemplate] {
	var t ChecklistTemplate
	return row[ChecklistTemplate]{
		dest: []any{&t.ID, &t.Phase, &t.Position, &t.Text, &t.Required, &t.Active, &t.UpdatedAt},
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
	_, err := q.exec(ctx, `INSERT INTO checklist_templates (`+checklistTemplateColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		t.ID, t.Phase, t.Position, t.Text, t.Required, t.Active, t.UpdatedAt)
	if err != nil {
		return fmt.Errorf("create checklist template: %w", q.d.classify(err))
	}
	return nil
}

// UpdateChecklistTemplate stores the text, required and active flags and position of a
// template item; its phase is fixed.
func (q Q) UpdateChecklistTemplate(ctx context.Context, t ChecklistTemplate) error {
	return q.execOne(ctx, "update checklist template", `UPDATE checklist_templates SET text = ?, required = ?, active = ?, position = ?,
		updated_at = ? WHERE id = ?`, t.Text, t.Required, t.Active, t.Position, t.UpdatedAt, t.ID)
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

// ChecklistSignature is the domain's record (clearance.ChecklistSignature), read and written here.
type ChecklistSignature = clearance.ChecklistSignature

// checklistColumns read a checklist with its vessel's name; the name comes from a scalar
// subquery so that a locking read locks the checklist row only.
const checklistColumns = `c.id, c.room_id, c.vessel_id, (SELECT v.name FROM vessels v WHERE v.id = c.vessel_id),
	c.phase, c.created_at`

func checklistRow() row[Checklist] {
	var c Checklist
	var name sql.NullString
	return row[Checklist]{
		dest: []any{&c.ID, &c.RoomID, &c.VesselID, &name, &c.Phase, &c.CreatedAt},
		value: func() Checklist {
			out := c
			out.VesselName = name.String
			out.CreatedAt = c.CreatedAt.UTC()
			return out
		},
	}
}

const checklistItemColumns = `id, checklist_id, room_id, position, text, required, answer, remark, answered_by, answerer_email, answered_at`

func checklistItemRow() row[ChecklistItem] {
	var it ChecklistItem
	var answered sql.NullTime
	return row[ChecklistItem]{
		dest: []any{&it.ID, &it.ChecklistID, &it.RoomID, &it.Position, &it.Text, &it.Required, &it.Answer, &it.Remark,
			&it.AnsweredBy, &it.AnswererEmail, &answered},
		value: func() ChecklistItem {
			out := it
			out.AnsweredAt = nullTime(answered)
			return out
		},
	}
}

// checklistSignatureColumns read a signature with its signer's name from the account.
const checklistSignatureColumns = `s.id, s.checklist_id, s.room_id, s.side, s.party_id, s.signed_by, s.signer_email,
	COALESCE((SELECT u.name FROM users u WHERE u.id = s.signed_by), ''), s.signed_at`

func checklistSignatureRow() row[ChecklistSignature] {
	var sg ChecklistSignature
	return row[ChecklistSignature]{
		dest: []any{&sg.ID, &sg.ChecklistID, &sg.RoomID, &sg.Side, &sg.PartyID, &sg.SignedBy, &sg.SignerEmail, &sg.SignerName, &sg.SignedAt},
		value: func() ChecklistSignature {
			out := sg
			out.SignedAt = sg.SignedAt.UTC()
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
		it := ChecklistItem{ID: newID(), ChecklistID: lists[i].ID, RoomID: roomID, Position: t.Position, Text: t.Text, Required: t.Required}
		lists[i].Items = append(lists[i].Items, it)
		itemArgs = append(itemArgs, it.ID, it.ChecklistID, roomID, it.Position, it.Text, it.Required)
	}
	if _, err := q.exec(ctx, `INSERT INTO checklists (id, room_id, vessel_id, phase, created_at) VALUES `+
		valueRows(len(phases), 5), listArgs...); err != nil {
		return nil, fmt.Errorf("create checklists: %w", q.d.classify(err))
	}
	if len(itemArgs) > 0 {
		if _, err := q.exec(ctx, `INSERT INTO checklist_items (id, checklist_id, room_id, position, text, required) VALUES `+
			valueRows(len(itemArgs)/6, 6), itemArgs...); err != nil {
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

// ListChecklists returns a room's checklists of phases (every phase when none is given), by
// vessel (in the order the vessels were added) and phase, each with its items in order and
// its signatures: three queries, whatever their number.
func (q Q) ListChecklists(ctx context.Context, roomID string, phases ...int) ([]Checklist, error) {
	where, args := `c.room_id = ?`, []any{roomID}
	if len(phases) > 0 {
		in, phaseArgs := inList(phases)
		where += ` AND c.phase IN ` + in
		args = append(args, phaseArgs...)
	}
	rows, err := q.query(ctx, `SELECT `+checklistColumns+` FROM checklists c WHERE `+where+`
		ORDER BY c.created_at, c.vessel_id, c.phase`, args...)
	if err != nil {
		return nil, fmt.Errorf("list checklists: %w", err)
	}
	lists, err := collect(rows, "list checklists", checklistRow())
	if err != nil || len(lists) == 0 {
		return lists, err
	}
	index := make(map[string]int, len(lists))
	for i, c := range lists {
		index[c.ID] = i
	}
	// The items and signatures of the same checklists: without a phase filter, the room's.
	of := `room_id = ?`
	if len(phases) > 0 {
		of += ` AND checklist_id IN (SELECT c.id FROM checklists c WHERE ` + where + `)`
		args = append([]any{roomID}, args...)
	}
	rows, err = q.query(ctx, `SELECT `+checklistItemColumns+` FROM checklist_items WHERE `+of+`
		ORDER BY checklist_id, position, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list checklist items: %w", err)
	}
	items, err := collect(rows, "list checklist items", checklistItemRow())
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		if i, ok := index[it.ChecklistID]; ok {
			lists[i].Items = append(lists[i].Items, it)
		}
	}
	rows, err = q.query(ctx, `SELECT `+checklistSignatureColumns+` FROM checklist_signatures s WHERE s.`+of+`
		ORDER BY s.signed_at, s.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list checklist signatures: %w", err)
	}
	signatures, err := collect(rows, "list checklist signatures", checklistSignatureRow())
	if err != nil {
		return nil, err
	}
	for _, sg := range signatures {
		if i, ok := index[sg.ChecklistID]; ok {
			lists[i].Signatures = append(lists[i].Signatures, sg)
		}
	}
	return lists, nil
}

// ChecklistByID returns one checklist of a room with its items and signatures. Inside a
// transaction on PostgreSQL the checklist row is locked until commit, so two changes to one
// checklist (answering an item while another side signs) queue.
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
	rows, err = q.query(ctx, `SELECT `+checklistSignatureColumns+` FROM checklist_signatures s WHERE s.room_id = ? AND s.checklist_id = ?
		ORDER BY s.signed_at, s.id`, roomID, id)
	if err != nil {
		return Checklist{}, fmt.Errorf("checklist signatures: %w", err)
	}
	if c.Signatures, err = collect(rows, "checklist signatures", checklistSignatureRow()); err != nil {
		return Checklist{}, err
	}
	return c, nil
}

// SetChecklistItem stores an item's answer and remark, by whom and when; an empty answer
// (with answeredAt nil) clears it.
func (q Q) SetChecklistItem(ctx context.Context, it ChecklistItem) error {
	return q.execOne(ctx, "set checklist item", `UPDATE checklist_items SET answer = ?, remark = ?, answered_by = ?, answerer_email = ?,
		answered_at = ? WHERE room_id = ? AND checklist_id = ? AND id = ?`,
		it.Answer, it.Remark, it.AnsweredBy, it.AnswererEmail, it.AnsweredAt, it.RoomID, it.ChecklistID, it.ID)
}

// SignChecklist records one side's signature of a checklist; a side that has signed already
// is apperr.ErrConflict.
func (q Q) SignChecklist(ctx context.Context, sg ChecklistSignature) error {
	_, err := q.exec(ctx, `INSERT INTO checklist_signatures (id, room_id, checklist_id, side, party_id, signed_by, signer_email, signed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, sg.ID, sg.RoomID, sg.ChecklistID, sg.Side, sg.PartyID, sg.SignedBy, sg.SignerEmail, sg.SignedAt)
	if err != nil {
		return fmt.Errorf("sign checklist: %w", q.d.classify(err))
	}
	return nil
}
