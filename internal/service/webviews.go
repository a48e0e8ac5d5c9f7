package service

import (
	"context"
	"errors"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/authz"
)

// Read-only helpers for the web UI.

// RoomActions is RoomPermissions narrowed to what the caller may do in the room right now:
// each action of its role is put to authorizeRoom, so an action the room's state refuses
// (a completed or cancelled room's record is closed) is left out and the UI never offers a
// button the service would refuse. A non-party gets apperr.ErrNotFound, as everywhere.
func (s *Service) RoomActions(ctx context.Context, actor Actor, roomID string) (Permissions, error) {
	q := s.db.Read()
	// SECURITY: the one gate, asked once per action; nothing is decided here.
	role, err := authorizeRoom(ctx, q, actor, roomID, authz.ViewRoom)
	if err != nil {
		return Permissions{}, err
	}
	p := Permissions{RoomID: roomID, Role: role}
	for _, a := range authz.Allowed(role) {
		_, err := authorizeRoom(ctx, q, actor, roomID, a)
		switch {
		case err == nil:
			p.Actions = append(p.Actions, a)
		case errors.Is(err, apperr.ErrConflict) || errors.Is(err, apperr.ErrForbidden):
		default:
			return Permissions{}, err
		}
	}
	return p, nil
}
