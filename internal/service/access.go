package service

import (
	"context"
	"errors"
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
	return authorizeRequest(ctx, q, actor, roomID, on(action))
}

// authorizeRequest is authorizeMember for a request about one thing in the room (a vessel,
// a document type, a party, a version's uploader).
func authorizeRequest(ctx context.Context, q store.Q, actor Actor, roomID string, r request) (store.Membership, error) {
	m, err := membershipOf(ctx, q, actor, roomID)
	if err != nil {
		return store.Membership{}, err
	}
	return m, permit(m, r)
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
		return readMembership(ctx, q, actor, roomID)
	}
	if m, ok := scope.recall(roomID, actor.UserID); ok {
		return m, nil
	}
	m, err := readMembership(ctx, q, actor, roomID)
	if err != nil {
		return store.Membership{}, err
	}
	scope.remember(roomID, actor.UserID, m)
	return m, nil
}

// readMembership reads the caller's party in a room; a deleted room only a platform admin
// reaches (reachDeleted).
func readMembership(ctx context.Context, q store.Q, actor Actor, roomID string) (store.Membership, error) {
	m, err := q.MembershipOf(ctx, roomID, actor.UserID)
	if err == nil {
		err = reachDeleted(actor, m)
	}
	if err != nil {
		return store.Membership{}, err
	}
	return m, nil
}

// request is one permission question: an action and, where the action is done to one
// thing, that thing. The zero value of each field means "not about one".
type request struct {
	action   authz.Action
	vesselID string                  // the vessel a per-vessel action is done to, or a document's vessel
	docType  *clearance.DocumentType // the type of the document uploaded, reviewed or read
	// uploadedBy is the user who uploaded the version a review decides (four eyes).
	uploadedBy string
	party      *clearance.Party // the party a party change touches
	grant      authz.Role       // the role a party change gives
}

// on is the request for a room-wide action.
func on(a authz.Action) request { return request{action: a} }

// permit decides from one membership alone whether its party may do r now. It reads
// nothing, so RoomActions decides every action on the one membership it read. Each rule is
// a pure function of package authz or clearance; this is the one place they are applied:
//   - the role must allow the action (authz.Can; apperr.ErrForbidden);
//   - a completed or cancelled room's record is closed to the actions that change it
//     (apperr.ErrConflict);
//   - a document the party may not see does not exist for it (clearance.MaySee;
//     apperr.ErrNotFound);
//   - a vessel-bound party acts only for its vessels (authz.MayActForVessel), uploads only
//     what its role supplies (clearance.MaySupply), gives or changes only roles within its
//     own powers and never its own (authz.MayGrant) — apperr.ErrForbidden;
//   - nobody reviews their own upload (clearance.MayReview; apperr.ErrConflict).
func permit(m store.Membership, r request) error {
	role := authz.Role(m.Role)
	if !authz.Can(role, r.action) {
		return fmt.Errorf("a %s may not %s: %w", role, r.action, apperr.ErrForbidden)
	}
	// Records stay: archived and deleted rooms are read-only, rooms past draft are not deleted.
	if err := clearance.CheckRetention(recordOf(m.Room), r.action); err != nil {
		return err
	}
	if clearance.IsFinal(clearance.RoomStatus(m.Room.Status)) && authz.ChangesOperation(r.action) {
		return fmt.Errorf("the room is %s: its record is closed to %s: %w", m.Room.Status, r.action, apperr.ErrConflict)
	}
	if r.docType != nil && !clearance.MaySee(*r.docType, role, m.BoundTo(r.vesselID)) {
		return fmt.Errorf("document: %w", apperr.ErrNotFound)
	}
	if r.vesselID != "" {
		if err := authz.MayActForVessel(role, r.action, m.BoundTo(r.vesselID)); err != nil {
			return fmt.Errorf("%w: %w", err, apperr.ErrForbidden)
		}
	}
	if r.docType != nil && r.action == authz.UploadDocument {
		if _, err := clearance.MaySupply(*r.docType, role); err != nil {
			return fmt.Errorf("%w: %w", err, apperr.ErrForbidden)
		}
	}
	if err := permitPartyChange(m, r); err != nil {
		return fmt.Errorf("%w: %w", err, apperr.ErrForbidden)
	}
	if r.action == authz.ReviewDocument {
		if err := clearance.MayReview(r.uploadedBy, m.UserID); err != nil {
			return fmt.Errorf("%w: %w", err, apperr.ErrConflict)
		}
	}
	return nil
}

// errOwnRole refuses a party changing its own role: a role is given by another manager.
var errOwnRole = errors.New("no one changes their own role: another party manager must")

// permitPartyChange applies the grant ceiling to a party change: the party touched and the
// role given must be within the caller's powers, and a party's own role is not its to change.
func permitPartyChange(m store.Membership, r request) error {
	role := authz.Role(m.Role)
	if r.party != nil {
		if r.party.ID == m.PartyID && r.grant != "" {
			return errOwnRole
		}
		if err := authz.MayGrant(role, authz.Role(r.party.Role)); err != nil {
			return err
		}
	}
	if r.grant != "" {
		return authz.MayGrant(role, r.grant)
	}
	return nil
}

// Permissions is what the caller may do in one room.
type Permissions struct {
	RoomID  string
	Role    authz.Role
	Actions []authz.Action
	// PartyID is the caller's party; VesselIDs are the vessels it is bound to (for a role
	// that acts for its vessels only, authz.ActsForVessels), so a UI can leave out the
	// per-vessel controls authz.MayActForVessel would refuse.
	PartyID   string
	VesselIDs []string
}

// RoomPermissions tells a party what it may do in a room (the UI shows actions from it).
func (s *Service) RoomPermissions(ctx context.Context, actor Actor, roomID string) (Permissions, error) {
	role, err := authorizeRoom(ctx, s.db.Read(), actor, roomID, authz.ViewRoom)
	if err != nil {
		return Permissions{}, err
	}
	return Permissions{RoomID: roomID, Role: role, Actions: authz.Allowed(role)}, nil
}
