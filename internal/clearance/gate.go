package clearance

import (
	"sort"
	"time"
)

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
}

// GateResult says whether a room is cleared and, if not, exactly why.
type GateResult struct {
	Cleared  bool
	Blockers []Blocker
}

// Gate decides clearance from data: every required document approved and valid through
// the operation window, and every party that signs off has approved. It is computed, never
// stored: the room's cleared status follows it.
func Gate(docs []DocumentState, signOffs []SignOffState, now, windowEnd time.Time) GateResult {
	blockers := DocumentBlockers(docs, now, windowEnd)
	blockers = append(blockers, SignOffBlockers(signOffs)...)
	sort.SliceStable(blockers, func(i, j int) bool {
		return blockers[i].Criticality.Rank() < blockers[j].Criticality.Rank()
	})
	return GateResult{Cleared: len(blockers) == 0, Blockers: blockers}
}

// SignOffBlockers lists the parties whose sign-off is missing or a rejection, in order of
// role and e-mail. A room with no party that signs off cannot be cleared either.
func SignOffBlockers(signOffs []SignOffState) []Blocker {
	if len(signOffs) == 0 {
		return []Blocker{{Kind: BlockerSignOff, Criticality: CriticalityHigh, Reason: "no party that signs off (charterer, owner, seller, buyer, STS provider) is in the room"}}
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
		switch s.Status {
		case SignOffApproved:
			continue
		case SignOffRejected:
			out = append(out, Blocker{Kind: BlockerSignOff, PartyID: s.PartyID, Criticality: CriticalityHigh,
				Reason: "sign-off of " + s.Email + " (" + s.Role + "): rejected"})
		default:
			out = append(out, Blocker{Kind: BlockerSignOff, PartyID: s.PartyID, Criticality: CriticalityHigh,
				Reason: "sign-off of " + s.Email + " (" + s.Role + "): awaited"})
		}
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
