package service

import (
	"context"
	"errors"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/authz"
)

// Read-only helpers for the web UI.

// RoomActions is RoomPermissions narrowed to what the caller may do in the room right now:
// every action of its role is put to permit on the one membership read here, so an action
// the room's state refuses (a completed or cancelled room's record is closed) is left out
// and the UI never offers a button the service would refuse. A non-party gets
// apperr.ErrNotFound, as everywhere.
func (s *Service) RoomActions(ctx context.Context, actor Actor, roomID string) (Permissions, error) {
	// SECURITY: the one gate: one membership read, every action decided by permit.
	m, err := authorizeMember(ctx, s.db.Read(), actor, roomID, authz.ViewRoom)
	if err != nil {
		return Permissions{}, err
	}
	p := Permissions{RoomID: roomID, Role: authz.Role(m.Role), PartyID: m.PartyID, VesselIDs: m.VesselIDs}
	for _, a := range authz.Allowed(p.Role) {
		switch err := permit(m, on(a)); {
		case err == nil:
			p.Actions = append(p.Actions, a)
		case errors.Is(err, apperr.ErrConflict) || errors.Is(err, apperr.ErrForbidden):
		default:
			return Permissions{}, err
		}
	}
	return p, nil
}
