package service

import (
	"context"
	"fmt"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/reqinfo"
	"github.com/stshub/stshub/internal/store"
)

// authorizeRoom is the one gate in front of everything inside a room.
//
// SECURITY: a caller who is not an active party of the room (or a room that is deleted or
// never existed) gets apperr.ErrNotFound, so a room's existence never leaks; a party whose
// role may not do action gets apperr.ErrForbidden. Platform admins are not parties by
// virtue of being admins. Run it on the transaction of a write so that the decision and
// the write see the same membership.
func authorizeRoom(ctx context.Context, q store.Q, actor Actor, roomID string, action authz.Action) (authz.Role, error) {
	m, err := authorizeMember(ctx, q, actor, roomID, action)
	return authz.Role(m.Role), err
}

// authorizeMember is authorizeRoom returning the caller's party and the room as well, for
// use cases that act as that party (a sign-off) or read the room anyway. On a refusal by
// role the membership is returned with the error.
func authorizeMember(ctx context.Context, q store.Q, actor Actor, roomID string, action authz.Action) (store.Membership, error) {
	m, err := membershipOf(ctx, q, actor, roomID)
	if err != nil {
		return store.Membership{}, err
	}
	return m, permit(m, action)
}

// membershipOf reads the caller's active party in a room, with the room.
//
// SECURITY: a write holds the room first and always reads afresh, so a removal, a demotion
// or a move to a final status cannot commit between this check and the write it guards. A
// read inside a PageScope reuses the membership an earlier read of the same scope found.
func membershipOf(ctx context.Context, q store.Q, actor Actor, roomID string) (store.Membership, error) {
	reqinfo.From(ctx).RoomID = roomID
	if actor.UserID == "" {
		return store.Membership{}, fmt.Errorf("room: %w", apperr.ErrNotFound)
	}
	scope := pageScopeOf(ctx)
	if q.InTx() {
		scope.forget(roomID)
		if err := q.LockRoom(ctx, roomID); err != nil {
			return store.Membership{}, err
		}
		m, err := q.MembershipOf(ctx, roomID, actor.UserID)
		if err == nil {
			err = reachDeleted(actor, m)
		}
		if err != nil {
			return store.Membership{}, err
		}
		return m, nil
	}
	if m, ok := scope.recall(roomID, actor.UserID); ok {
		return m, nil
	}
	m, err := q.MembershipOf(ctx, roomID, actor.UserID)
	if err == nil {
		err = reachDeleted(actor, m)
	}
	if err != nil {
		return store.Membership{}, err
	}
	scope.remember(roomID, actor.UserID, m)
	return m, nil
}

// permit decides from one membership alone whether its party may do action now: its role
// must allow the action (else apperr.ErrForbidden), and a completed or cancelled room's
// record is closed to the actions that change it (apperr.ErrConflict). It reads nothing,
// so RoomActions decides every action on the one membership it read.
func permit(m store.Membership, action authz.Action) error {
	r := authz.Role(m.Role)
	if !authz.Can(r, action) {
		return fmt.Errorf("a %s may not %s: %w", r, action, apperr.ErrForbidden)
	}
	// Records stay: archived and deleted rooms are read-only, rooms past draft are not deleted.
	if err := clearance.CheckRetention(recordOf(m.Room), action); err != nil {
		return err
	}
	if clearance.IsFinal(clearance.RoomStatus(m.Room.Status)) && authz.ChangesOperation(action) {
		return fmt.Errorf("the room is %s: its record is closed to %s: %w", m.Room.Status, action, apperr.ErrConflict)
	}
	return nil
}

// Permissions is what the caller may do in one room.
type Permissions struct {
	RoomID  string
	Role    authz.Role
	Actions []authz.Action
}

// RoomPermissions tells a party what it may do in a room (the UI shows actions from it).
func (s *Service) RoomPermissions(ctx context.Context, actor Actor, roomID string) (Permissions, error) {
	role, err := authorizeRoom(ctx, s.db.Read(), actor, roomID, authz.ViewRoom)
	if err != nil {
		return Permissions{}, err
	}
	return Permissions{RoomID: roomID, Role: role, Actions: authz.Allowed(role)}, nil
}
