package authz

import (
	"fmt"
	"slices"
	"strings"
)

// The rules below narrow the matrix: the matrix says what a role may do in a room at all;
// these say for which vessel, to whom, and with what. Each is a pure function the service
// calls from its one permission decision (service.permit).

// vesselActions are, for each role that acts for particular vessels, the actions it does
// to one vessel and which need its party bound to that vessel. An owner is the shipowner
// or technical manager of its ship: it supplies that ship's documents, edits or removes it,
// records its coastal-state notices and works its checklists. An STS provider serves the
// whole operation (its POAC works both ships' checklists), but supplies a vessel's own
// documents only for the ships it is bound to.
var vesselActions = map[Role][]Action{
	Owner:       {ManageVessels, UploadDocument, RecordNotice, CheckChecklistItem, SignChecklist},
	STSProvider: {UploadDocument},
}

// ActsForVessels reports whether a party of role acts only for the vessels it is bound to.
func ActsForVessels(r Role) bool { return len(vesselActions[r]) > 0 }

// VesselBoundRoles lists the roles that act only for the vessels they are bound to, in the
// order of Roles.
func VesselBoundRoles() []Role {
	var out []Role
	for _, r := range roles {
		if ActsForVessels(r) {
			out = append(out, r)
		}
	}
	return out
}

// NeedsBinding reports whether a party of role must be bound to a vessel to do action to
// it. Broker and charterer coordinate the whole operation and need none.
func NeedsBinding(r Role, a Action) bool { return slices.Contains(vesselActions[r], a) }

// MayActForVessel decides a per-vessel action: a vessel-bound role must be bound to the
// vessel. bound is whether the caller's party is bound to it.
func MayActForVessel(r Role, a Action, bound bool) error {
	if !NeedsBinding(r, a) || bound {
		return nil
	}
	return fmt.Errorf("%s acts only for the vessels its party is bound to, and this party is not bound to this vessel: "+
		"a party manager (%s) can bind it to the vessel", r.WithArticle(), Labels(RolesThatCan(ManageParties), " or "))
}

// testimonyActions are what a party states in its own name: its uploads, its sign-off, its
// checklist answers and signature, the notices it gave, the milestones it reported, its
// messages. Granting a role these gives no power over the room or over others, so the grant
// ceiling leaves them out.
var testimonyActions = []Action{UploadDocument, SignOff, CheckChecklistItem, SignChecklist, RecordNotice, RecordMilestone, AskQuestion}

// Powers lists what role may do to the room and to others: its allowed actions without
// the testimony ones, in the order of Actions.
func Powers(r Role) []Action {
	var out []Action
	for _, a := range Allowed(r) {
		if !slices.Contains(testimonyActions, a) {
			out = append(out, a)
		}
	}
	return out
}

// MayGrant decides whether a party of role granter may give a party role target, or
// change or remove a party that holds target: the target's powers must be a subset of
// the granter's. (Testimony is left out: a broker adds the owners and the charterer,
// whose sign-offs it cannot give itself.) The error says which powers are beyond it.
func MayGrant(granter, target Role) error {
	own := Powers(granter)
	var beyond []string
	for _, a := range Powers(target) {
		if !slices.Contains(own, a) {
			beyond = append(beyond, strings.ReplaceAll(string(a), "_", " "))
		}
	}
	if len(beyond) == 0 {
		return nil
	}
	return fmt.Errorf("%s may not give or change the role %s: %s may %s, which %s may not",
		granter.WithArticle(), target, target.WithArticle(), strings.Join(beyond, ", "), granter.WithArticle())
}

// onBehalfRoles are the coordinators who may upload a document on its supplier's behalf,
// where the catalogue allows it for the type (DocumentType.OnBehalf).
var onBehalfRoles = []Role{Broker, Charterer}

// MayUploadOnBehalf reports whether role may upload on another party's behalf at all.
func MayUploadOnBehalf(r Role) bool { return slices.Contains(onBehalfRoles, r) }

// Labels writes roles in words (Role.Label), joined by sep.
func Labels(roles []Role, sep string) string {
	out := make([]string, len(roles))
	for i, r := range roles {
		out[i] = r.Label()
	}
	return strings.Join(out, sep)
}
