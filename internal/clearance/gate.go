package clearance

import (
	"slices"
	"sort"
	"time"

	"github.com/stshub/stshub/internal/authz"
)

// GateName names one of a room's two gates.
type GateName string

// The gates (docs/domain.md, "Two gates"). Commencement needs everything clearance needs.
const (
	// GateClearance: the room is cleared. Both sides of the transfer are present, every
	// high-criticality requirement is approved and valid through the operation window (point-
	// in-time evidence: valid now), and every party that signs off has approved.
	GateClearance GateName = "clearance"
	// GateCommencement: the operation may start (in_operation). Additionally every
	// medium-criticality requirement is in, point-in-time evidence holds through the window,
	// the coastal state's conditions are met and the pre-operation checklists are complete.
	GateCommencement GateName = "commencement"
)

// GateNames lists the gates in the order a room passes them: the one list (API enum).
func GateNames() []GateName { return []GateName{GateClearance, GateCommencement} }

// SignOffStatus is one party's decision on the operation.
type SignOffStatus string

// The sign-off decisions; withdrawn takes a party's decision back (its state is then
// "", as if it had not decided).
const (
	SignOffApproved  SignOffStatus = "approved"
	SignOffRejected  SignOffStatus = "rejected"
	SignOffWithdrawn SignOffStatus = "withdrawn"
)

// SignOffStatuses lists the decisions a party may record: the one list (API enum,
// validation, database CHECK test).
func SignOffStatuses() []SignOffStatus {
	return []SignOffStatus{SignOffApproved, SignOffRejected, SignOffWithdrawn}
}

// SignOffState is one active party that must sign off, with its current decision
// ("" when it has not decided or has withdrawn).
type SignOffState struct {
	PartyID string
	Email   string
	Role    string
	Status  SignOffStatus
	// Changes are what changed since an approval (SignOffChanges); any makes it stale, and
	// a stale approval does not count.
	Changes []SignOffChange
}

// GateInput is everything the two gates judge.
type GateInput struct {
	Docs     []DocumentState
	SignOffs []SignOffState
	// Vessels are the roles of the room's vessels (discharging, receiving).
	Vessels []VesselRole
	// VesselNames maps the room's vessels' IDs to their names, for the coastal conditions.
	VesselNames map[string]string
	Coastal     CoastalRule
	Notices     []CoastalNotice
	// Checklists are the pre-operation checklists still to complete, as commencement
	// blockers (service: preOperationChecklists, the hook of the phase checklists).
	Checklists []Blocker
	Now        time.Time
	WindowEnd  time.Time
}

// GateResult says whether a room passes each gate and, if not, exactly why.
type GateResult struct {
	Cleared     bool // no blocker of the clearance gate
	MayCommence bool // no blocker at all
	// Blockers are the clearance gate's first, then the commencement gate's; within a gate the
	// most critical first.
	Blockers []Blocker
	// Notes say what informative (low-criticality) requirements lack; they block nothing
	// (their Gate is empty).
	Notes []Blocker
	// Coastal is the coastal-state rule the commencement gate judged by.
	Coastal CoastalRule
}

// Of returns the blockers of one gate.
func (r GateResult) Of(g GateName) []Blocker { return BlockersOf(r.Blockers, g) }

// BlockersOf picks the blockers of gate g from all, in their order.
func BlockersOf(all []Blocker, g GateName) []Blocker {
	var out []Blocker
	for _, b := range all {
		if b.Gate == g {
			out = append(out, b)
		}
	}
	return out
}

// Gate decides both gates from data. It is computed, never stored: the room's cleared status
// follows the clearance gate, and the move to in_operation is refused while the
// commencement gate has blockers.
func Gate(in GateInput) GateResult {
	docs, notes := DocumentBlockers(in.Docs, in.Now, in.WindowEnd)
	blockers := append(VesselBlockers(in.Vessels), docs...)
	blockers = append(blockers, SignOffBlockers(in.SignOffs)...)
	blockers = append(blockers, NoticeBlockers(in.Coastal, in.VesselNames, in.Notices)...)
	blockers = append(blockers, in.Checklists...)
	sortBlockers(blockers)
	cleared := true
	for _, b := range blockers {
		if b.Gate == GateClearance {
			cleared = false
		}
	}
	return GateResult{Cleared: cleared, MayCommence: len(blockers) == 0, Blockers: blockers, Notes: notes, Coastal: in.Coastal}
}

// sortBlockers orders blockers by gate (clearance first), then urgency (urgency.go), then
// criticality, keeping the order in which each rule listed them otherwise (stable).
func sortBlockers(b []Blocker) {
	gateRank := func(g GateName) int {
		if g == GateClearance {
			return 0
		}
		return 1
	}
	sort.SliceStable(b, func(i, j int) bool {
		if gi, gj := gateRank(b[i].Gate), gateRank(b[j].Gate); gi != gj {
			return gi < gj
		}
		if ui, uj := urgencyOf(b[i]), urgencyOf(b[j]); ui != uj {
			return ui < uj
		}
		return b[i].Criticality.Rank() < b[j].Criticality.Rank()
	})
}

// VesselBlockers says which side of the transfer is missing: a room is cleared only with at
// least one discharging and one receiving vessel.
func VesselBlockers(vessels []VesselRole) []Blocker {
	var out []Blocker
	for _, role := range VesselRoles() {
		if !slices.Contains(vessels, role) {
			out = append(out, Blocker{Kind: BlockerVessel, Gate: GateClearance, Criticality: CriticalityHigh,
				Reason: "no " + string(role) + " vessel in the room: a transfer needs both sides",
				ActBy:  authz.RolesThatCan(authz.ManageVessels)})
		}
	}
	return out
}

// SignOffBlockers lists the parties whose sign-off is missing, a rejection or stale (an
// approval given before a change to what it covered), in order of role and e-mail. A room
// with no party that signs off cannot be cleared either.
func SignOffBlockers(signOffs []SignOffState) []Blocker {
	if len(signOffs) == 0 {
		return []Blocker{{Kind: BlockerSignOff, Gate: GateClearance, Criticality: CriticalityHigh,
			Reason: "no party that signs off (charterer, owner, seller, buyer, STS provider) is in the room",
			ActBy:  authz.RolesThatCan(authz.ManageParties)}}
	}
	sorted := append([]SignOffState(nil), signOffs...)
	sort.Slice(sorted, func(i, j int) bool {
		if sorted[i].Role != sorted[j].Role {
			return sorted[i].Role < sorted[j].Role
		}
		return sorted[i].Email < sorted[j].Email
	})
	var out []Blocker
	for _, s := range sorted {
		state := "awaited"
		switch s.Status {
		case SignOffApproved:
			if len(s.Changes) == 0 {
				continue
			}
			out = append(out, staleBlocker(s))
			continue
		case SignOffRejected:
			state = "rejected"
		}
		out = append(out, Blocker{Kind: BlockerSignOff, Gate: GateClearance, PartyID: s.PartyID, Criticality: CriticalityHigh,
			Reason: "sign-off of " + s.Email + " (" + s.Role + "): " + state, ActBy: []authz.Role{authz.Role(s.Role)}})
	}
	return out
}

// FollowGate is the automatic move of a room's status as its gate is won or lost: a
// clearing room whose gate passes becomes cleared, a cleared room whose gate fails goes
// back to clearing. Any other status stays where it is (ok false).
func FollowGate(current RoomStatus, cleared bool) (next RoomStatus, ok bool) {
	switch {
	case current == StatusClearing && cleared:
		return StatusCleared, true
	case current == StatusCleared && !cleared:
		return StatusClearing, true
	}
	return current, false
}
