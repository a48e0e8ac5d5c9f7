package web

import (
	"slices"

	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/service"
)

// caller is who looks at a room page: its user, role, party and the vessels that party is
// bound to (service.RoomActions). Its methods ask the same pure rules the service applies
// (service.permit), so that a page offers no control the service would refuse: per-vessel
// controls only for the vessels a vessel-bound role acts for, uploads only of the types
// the role supplies, no review of one's own upload, and roles only within the grant
// ceiling. The service still decides every request.
type caller struct {
	ActorID string
	Role    authz.Role
	PartyID string
	Bound   []string // the vessels the caller's party is bound to
}

func callerOf(actor service.Actor, perms service.Permissions) caller {
	return caller{ActorID: actor.UserID, Role: perms.Role, PartyID: perms.PartyID, Bound: perms.VesselIDs}
}

// ActsFor reports whether the caller may do action to vessel vesselID as far as its
// binding goes (authz.MayActForVessel); a room-wide thing ("") needs no binding.
func (c caller) ActsFor(vesselID, action string) bool {
	if vesselID == "" {
		return true
	}
	return authz.MayActForVessel(c.Role, authz.Action(action), slices.Contains(c.Bound, vesselID)) == nil
}

// SignsSide reports whether the caller's party signs checklists for side: the STS provider
// the POAC's, an owner the side of a ship it is bound to (clearance.SideRole).
func (c caller) SignsSide(side string) bool {
	if c.Role != clearance.SideRole(side) {
		return false
	}
	return side == clearance.POACSide || c.ActsFor(side, string(authz.SignChecklist))
}

// MayUpload reports whether the caller's binding and role let it upload doc: it must act
// for the document's vessel and supply its type (clearance.MaySupply). The role's right to
// upload at all is Can.upload_document.
func (c caller) MayUpload(doc service.DocumentView) bool {
	if !c.ActsFor(deref(doc.VesselID), string(authz.UploadDocument)) {
		return false
	}
	_, err := clearance.MaySupply(doc.Type, c.Role)
	return err == nil
}

// OnBehalfOf is the supplier's role the caller would upload a document of type t for (""
// when the caller supplies it itself or may not upload it).
func (c caller) OnBehalfOf(t clearance.DocumentType) authz.Role {
	r, _ := clearance.MaySupply(t, c.Role)
	return r
}

// OwnUpload reports whether the caller uploaded the version of doc under review, which
// four eyes keep it from approving or rejecting (clearance.MayReview).
func (c caller) OwnUpload(doc service.DocumentView) bool {
	return len(doc.Versions) > 0 && clearance.MayReview(doc.Versions[0].UploadedBy, c.ActorID) != nil
}

// MayGrant reports whether the caller may give a party the role, or change or remove a
// party holding it (authz.MayGrant, the grant ceiling).
func (c caller) MayGrant(role string) bool { return authz.MayGrant(c.Role, authz.Role(role)) == nil }

// MayChangeRole reports whether the caller may change party p's role: within the grant
// ceiling, and never its own.
func (c caller) MayChangeRole(p clearance.Party) bool { return p.ID != c.PartyID && c.MayGrant(p.Role) }

// GrantRoles are the roles the caller may give, in the order of authz.Roles.
func (c caller) GrantRoles() []authz.Role {
	var out []authz.Role
	for _, r := range authz.Roles() {
		if c.MayGrant(string(r)) {
			out = append(out, r)
		}
	}
	return out
}

// BindsVessels reports whether a party of role acts only for the vessels it is bound to.
func BindsVessels(role string) bool { return authz.ActsForVessels(authz.Role(role)) }

// vesselNames are the names of the vessels ids, in the order given; an id the list does
// not hold is left out.
func vesselNames(vessels []clearance.Vessel, ids []string) []string {
	var out []string
	for _, id := range ids {
		if i := slices.IndexFunc(vessels, func(v clearance.Vessel) bool { return v.ID == id }); i >= 0 {
			out = append(out, vessels[i].Name)
		}
	}
	return out
}

// bindableParties are the active parties whose role acts for vessels (owner, STS provider).
func bindableParties(parties []clearance.Party) []clearance.Party {
	var out []clearance.Party
	for _, p := range parties {
		if p.RemovedAt == nil && BindsVessels(p.Role) {
			out = append(out, p)
		}
	}
	return out
}
