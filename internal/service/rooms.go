package service

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/store"
)

// RoomView is a room as one party sees it.
type RoomView struct {
	store.Room
	Role     authz.Role
	Progress Progress
	Hold     *clearance.Hold // the current hold of a room on hold; nil otherwise (and in room lists)
	// HoldOwnerAbsent: the room has no active party of the role the hold belongs to, so any
	// role that moves the status may lift it (clearance.CheckLift).
	HoldOwnerAbsent bool
}

// Progress counts a room's required documents and how many of them are approved.
type Progress struct {
	Required int
	Approved int
}

// NewRoom is the input of CreateRoom.
type NewRoom struct {
	clearance.RoomFields
	// End (sts_end) or DurationHours state how long the operation lasts
	// (clearance.OperationLength); neither is the default.
	End           *time.Time
	DurationHours *float64
	// Role is the creator's role in the room (default broker).
	Role string
}

// CreateRoom opens a room in draft with the caller as its first party.
func (s *Service) CreateRoom(ctx context.Context, actor Actor, in NewRoom) (RoomView, error) {
	length, lengthErr := clearance.OperationLength(in.STSETA, in.End, in.DurationHours, clearance.DefaultOperationLength)
	in.OperationLength = length
	c := collectorOf(in.Normalize(), lengthErr)
	if err := checkCoastalArea(ctx, s.db.Read(), &c, in.CoastalArea, ""); err != nil {
		return RoomView{}, err
	}
	if in.Role == "" {
		in.Role = string(authz.Broker)
	}
	role, err := authz.ParseRole(in.Role)
	switch {
	case err != nil:
		c.Add("role", err.Error())
	case !authz.Can(role, authz.ManageParties):
		// A room whose only party cannot add others would be a dead end.
		c.Add("role", "the creator must be able to manage parties ("+apperr.OneOf(authz.CreatorRoles())+")")
	}
	if err := c.Err(); err != nil {
		return RoomView{}, err
	}
	now := s.now()
	room := store.Room{ID: newID(), Title: in.Title, Location: in.Location, STSETA: in.STSETA.UTC(),
		Description: in.Description, CargoType: in.CargoType, CargoQuantity: in.CargoQuantity,
		CargoClass: in.CargoClass, OperationLength: in.OperationLength, CoastalArea: in.CoastalArea,
		Status: string(clearance.StatusDraft), CreatedBy: actor.UserID, CreatedAt: now, UpdatedAt: now}
	party := clearance.Party{ID: newID(), RoomID: room.ID, UserID: &actor.UserID, Email: actor.Email, Name: actor.Name,
		Role: string(role), AddedBy: actor.UserID, AddedAt: now}
	err = s.db.InTx(ctx, func(tx store.Q) error {
		if err := tx.CreateRoom(ctx, room); err != nil {
			return err
		}
		if err := tx.AddParty(ctx, party); err != nil {
			return err
		}
		if err := s.record(ctx, tx, actor, event{scope: room.ID, action: audit.ActionRoomCreated, targetType: "room",
			targetID: room.ID, meta: roomFields(room)}); err != nil {
			return err
		}
		if err := s.record(ctx, tx, actor, event{scope: room.ID, action: audit.ActionPartyAdded, targetType: "party",
			targetID: party.ID, meta: map[string]any{"email": party.Email, "role": party.Role}}); err != nil {
			return err
		}
		return s.addDefaultRequirements(ctx, tx, actor, room, "")
	})
	if err != nil {
		return RoomView{}, err
	}
	return s.viewWithProgress(ctx, RoomView{Room: room, Role: role})
}

// viewWithProgress fills in one room's progress: its counts, less what has lapsed.
func (s *Service) viewWithProgress(ctx context.Context, v RoomView) (RoomView, error) {
	q := s.db.Read()
	l, err := s.lapseRead(ctx, q)
	if err != nil {
		return v, err
	}
	c, candidates, err := q.RoomProgress(ctx, v.ID, l.ahead, l.cutoffs)
	if err != nil {
		return v, err
	}
	views := []RoomView{v}
	views[0].Progress = Progress{Required: c.Required, Approved: c.Approved}
	l.discount(views, candidates)
	return withHold(ctx, q, views[0])
}

// collectorOf starts a collector with the fields of validation errors (none for nil).
func collectorOf(errs ...error) apperr.Collector {
	var c apperr.Collector
	for _, err := range errs {
		var ve *apperr.ValidationError
		if errors.As(err, &ve) {
			for _, f := range ve.Fields {
				c.Add(f.Field, f.Message)
			}
		}
	}
	return c
}

// roomFields are the audited fields of a room.
func roomFields(r store.Room) map[string]any {
	m := map[string]any{"title": r.Title, "location": r.Location, "sts_eta": r.STSETA.Format(time.RFC3339),
		"sts_end": r.WindowEnd().Format(time.RFC3339), "duration_hours": r.Length().Hours(),
		"description": r.Description, "cargo_type": r.CargoType, "cargo_quantity": nil,
		"cargo_class": string(r.CargoClass), "coastal_area": r.CoastalArea}
	if r.CargoQuantity != nil {
		m["cargo_quantity"] = *r.CargoQuantity
	}
	return m
}

// GetRoom returns one room to a party of it.
func (s *Service) GetRoom(ctx context.Context, actor Actor, roomID string) (RoomView, error) {
	q := s.db.Read()
	role, err := authorizeRoom(ctx, q, actor, roomID, authz.ViewRoom)
	if err != nil {
		return RoomView{}, err
	}
	room, err := q.RoomByID(ctx, roomID)
	if err != nil {
		return RoomView{}, err
	}
	return s.viewWithProgress(ctx, RoomView{Room: room, Role: role})
}

// ListRooms returns one page of the rooms the caller is an active party of, newest first,
// archived ones aside (ListArchivedRooms).
func (s *Service) ListRooms(ctx context.Context, actor Actor, page PageRequest) ([]RoomView, string, error) {
	return s.listRooms(ctx, actor, false, page)
}

// ListArchivedRooms is ListRooms of the archived rooms only.
func (s *Service) ListArchivedRooms(ctx context.Context, actor Actor, page PageRequest) ([]RoomView, string, error) {
	return s.listRooms(ctx, actor, true, page)
}

func (s *Service) listRooms(ctx context.Context, actor Actor, archived bool, page PageRequest) ([]RoomView, string, error) {
	before, err := page.cursorValue()
	if err != nil {
		return nil, "", err
	}
	limit := page.limit()
	// SECURITY: the membership rule of authorizeRoom, applied in SQL.
	q := s.db.Read()
	rooms, err := q.ListRoomsForUser(ctx, actor.UserID, archived, before, limit+1)
	if err != nil {
		return nil, "", err
	}
	rooms, next := onePage(rooms, limit, func(r store.RoomWithRole) string { return r.ID })
	out := make([]RoomView, len(rooms))
	for i, r := range rooms {
		out[i] = RoomView{Room: r.Room, Role: authz.Role(r.Role), Progress: Progress{Required: r.Counts.Required, Approved: r.Counts.Approved}}
	}
	if len(out) == 0 {
		return out, next, nil
	}
	// The counts are of stored statuses; take out what has lapsed since the expiry scan ran.
	l, err := s.lapseRead(ctx, q)
	if err != nil {
		return nil, "", err
	}
	candidates, err := q.LapseCandidates(ctx, actor.UserID, l.ahead, l.cutoffs)
	if err != nil {
		return nil, "", err
	}
	l.discount(out, candidates)
	return out, next, nil
}

// RoomPatch holds the fields of a room to change; nil leaves a field as it is.
type RoomPatch struct {
	Title, Location, Description, CargoType, CargoClass, CoastalArea *string
	STSETA, End                                                      *time.Time
	CargoQuantity, DurationHours                                     *float64
}

// UpdateRoom changes a room's details and records what changed.
func (s *Service) UpdateRoom(ctx context.Context, actor Actor, roomID string, p RoomPatch) (RoomView, error) {
	var view RoomView
	err := s.db.InTx(ctx, func(tx store.Q) error {
		role, err := authorizeRoom(ctx, tx, actor, roomID, authz.UpdateRoom)
		if err != nil {
			return err
		}
		room, err := tx.RoomByID(ctx, roomID)
		if err != nil {
			return err
		}
		f := clearance.RoomFields{Title: room.Title, Location: room.Location, STSETA: room.STSETA,
			Description: room.Description, CargoType: room.CargoType, CargoQuantity: room.CargoQuantity,
			CargoClass: room.CargoClass, CoastalArea: room.CoastalArea}
		setIf(&f.Title, p.Title)
		setIf(&f.Location, p.Location)
		setIf(&f.Description, p.Description)
		setIf(&f.CargoType, p.CargoType)
		setIf(&f.CoastalArea, p.CoastalArea)
		if p.CargoClass != nil {
			f.CargoClass = clearance.CargoClass(*p.CargoClass)
		}
		if p.STSETA != nil {
			f.STSETA = p.STSETA.UTC()
		}
		if p.CargoQuantity != nil {
			f.CargoQuantity = p.CargoQuantity
		}
		// Moving the ETA moves the whole window: the length stays unless restated.
		length, lengthErr := clearance.OperationLength(f.STSETA, p.End, p.DurationHours, room.OperationLength)
		f.OperationLength = length
		c := collectorOf(f.Normalize(), lengthErr)
		if err := checkCoastalArea(ctx, tx, &c, f.CoastalArea, room.CoastalArea); err != nil {
			return err
		}
		if err := c.Err(); err != nil {
			return err
		}
		before := roomFields(room)
		classBefore := room.CargoClass
		room.Title, room.Location, room.STSETA = f.Title, f.Location, f.STSETA
		room.Description, room.CargoType, room.CargoQuantity = f.Description, f.CargoType, f.CargoQuantity
		room.CargoClass, room.CoastalArea, room.OperationLength = f.CargoClass, f.CoastalArea, f.OperationLength
		changes := audit.Changes(before, roomFields(room))
		view = RoomView{Room: room, Role: role}
		if len(changes) == 0 {
			return nil
		}
		room.UpdatedAt = s.now()
		view.Room = room
		if err := tx.UpdateRoom(ctx, room); err != nil {
			return err
		}
		if err := s.record(ctx, tx, actor, event{scope: roomID, action: audit.ActionRoomUpdated, targetType: "room",
			targetID: roomID, meta: map[string]any{"changes": changes}}); err != nil {
			return err
		}
		if room.CargoClass != classBefore {
			if err := s.followCargoClass(ctx, tx, actor, room); err != nil {
				return err
			}
		}
		// A new ETA or length moves the operation window: documents may now lapse inside it.
		if err := s.followGate(ctx, tx, actor, roomID); err != nil {
			return err
		}
		updated, err := tx.RoomByID(ctx, roomID)
		view.Room = updated
		return err
	})
	if err != nil {
		return RoomView{}, err
	}
	return s.viewWithProgress(ctx, view)
}

func setIf(dst *string, v *string) {
	if v != nil {
		*dst = strings.TrimSpace(*v)
	}
}

// DeleteRoom closes a draft room for everyone (a room that has left draft is archived
// instead: clearance.CheckRetention, through permit). Its records stay in the database; it
// disappears from every listing and lookup but the platform admins' (ListKeptRooms).
func (s *Service) DeleteRoom(ctx context.Context, actor Actor, roomID string) error {
	return s.db.InTx(ctx, func(tx store.Q) error {
		if _, err := authorizeRoom(ctx, tx, actor, roomID, authz.DeleteRoom); err != nil {
			return err
		}
		room, err := tx.RoomByID(ctx, roomID)
		if err != nil {
			return err
		}
		if err := tx.DeleteRoom(ctx, roomID, s.now()); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, event{scope: roomID, action: audit.ActionRoomDeleted, targetType: "room",
			targetID: roomID, meta: map[string]any{"title": room.Title}})
	})
}

// AdminAccess lets a platform admin into a room as a viewer, with a reason that is
// recorded in the room's trail and the platform trail: the only way an admin sees a room,
// a deleted or archived one included (it stays read-only).
func (s *Service) AdminAccess(ctx context.Context, actor Actor, roomID, reason string) (clearance.Party, error) {
	// SECURITY: admin access is explicit, justified and audited twice.
	if !actor.IsAdmin() {
		return clearance.Party{}, fmt.Errorf("room: %w", apperr.ErrNotFound)
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return clearance.Party{}, apperr.Invalid("reason", "is required")
	}
	now := s.now()
	party := clearance.Party{ID: newID(), RoomID: roomID, UserID: &actor.UserID, Email: actor.Email, Name: actor.Name,
		Role: string(authz.Viewer), AddedBy: actor.UserID, AddedAt: now}
	err := s.db.InTx(ctx, func(tx store.Q) error {
		if _, err := tx.RoomByID(ctx, roomID); err != nil {
			return err
		}
		if err := tx.AddParty(ctx, party); err != nil {
			if errors.Is(err, apperr.ErrConflict) {
				return fmt.Errorf("already a party of this room: %w", apperr.ErrConflict)
			}
			return err
		}
		meta := map[string]any{"email": actor.Email, "reason": reason, "room_id": roomID}
		if err := s.record(ctx, tx, actor, event{scope: audit.PlatformScope, action: audit.ActionAdminRoomAccess, targetType: "room", targetID: roomID, meta: meta}); err != nil {
			return err
		}
		if err := s.record(ctx, tx, actor, event{scope: roomID, action: audit.ActionAdminRoomAccess, targetType: "party", targetID: party.ID, meta: meta}); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, event{scope: roomID, action: audit.ActionPartyAdded, targetType: "party",
			targetID: party.ID, meta: map[string]any{"email": party.Email, "role": party.Role}})
	})
	return party, err
}
