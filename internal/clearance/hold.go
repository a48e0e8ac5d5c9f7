package clearance

import (
	"fmt"
	"strings"
	"time"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/authz"
)

// HoldSource says what put a room on hold.
type HoldSource string

// The sources of a hold.
const (
	// HoldScreening: a screening came back a potential or confirmed match.
	HoldScreening HoldSource = "screening"
	// HoldManual: a party with the right put the room on hold, with a reason.
	HoldManual HoldSource = "manual"
)

// HoldSources lists the sources of a hold: the one list (API enum, database CHECK).
func HoldSources() []HoldSource { return []HoldSource{HoldScreening, HoldManual} }

// ComplianceRole is the role a screening hold belongs to: compliance is the charterer's
// (its vetting and compliance department), not the broker's.
const ComplianceRole = authz.Charterer

// Hold is a room's compliance hold: who it belongs to (only that role lifts it), why it was
// placed and, once lifted, by whom and why.
type Hold struct {
	ID     string
	RoomID string
	Source HoldSource
	// Owner is the role that may lift it: ComplianceRole for a screening hold, the placing
	// party's role for a manual one.
	Owner authz.Role
	// DocumentID is the screening that placed a screening hold; "" for a manual one.
	DocumentID    string
	Reason        string
	PlacedBy      string // user ID
	PlacedByEmail string
	PlacedAt      time.Time
	LiftedBy      string
	LiftedByEmail string
	LiftedAt      *time.Time
	LiftReason    string
}

// MayAutoHold reports whether a screening match puts a room of status st on hold at once:
// a room being cleared, cleared or in operation. A draft is not yet an operation (the match
// still blocks its gates, and starting it puts it on hold — see HoldOnStart); a room on hold
// stays on hold; a completed or cancelled one is over.
func MayAutoHold(st RoomStatus) bool {
	return st == StatusClearing || st == StatusCleared || st == StatusInOperation
}

// OwnerOf is the role a hold of source src placed by a party of role placer belongs to.
func OwnerOf(src HoldSource, placer authz.Role) authz.Role {
	if src == HoldScreening {
		return ComplianceRole
	}
	return placer
}

// MatchState is a room's current screening that is a match, as the lifting rule reads it.
type MatchState struct {
	DocumentID string
	Label      string // "SANCTIONS — AEGEAN SERENITY"
	Outcome    Outcome
	Required   bool // false when waived
}

// CheckLift decides whether a party of role may lift hold h (move the room from on_hold
// back to clearing) with reason, given the room's current match screenings:
//   - only the hold's owner lifts it (apperr.ErrForbidden, naming the owner);
//   - a reason is required (a 422 naming reason);
//   - a confirmed match still required blocks the lift (apperr.ErrConflict) until a clear
//     screening replaces it or the requirement is waived; a potential match does not — its
//     owner lifting the hold records it as a false positive (the reason says why), and the
//     screening still cannot be approved, so the room does not clear on it.
//
// A nil hold (a room put on hold before holds had owners), or a hold whose owner has no
// active party in the room (ownerPresent false: a room run without a charterer, or its
// charterer removed), is lifted by any role with the right, with a reason: otherwise
// nobody could.
func CheckLift(h *Hold, role authz.Role, reason string, matches []MatchState, ownerPresent bool) error {
	if h != nil && role != h.Owner && ownerPresent {
		return fmt.Errorf("this %s hold belongs to the %s: only the %s may lift it: %w", h.Source, h.Owner, h.Owner, apperr.ErrForbidden)
	}
	if strings.TrimSpace(reason) == "" {
		return apperr.Invalid("reason", "is required to lift a hold")
	}
	var confirmed []string
	for _, m := range matches {
		if m.Required && m.Outcome == OutcomeConfirmedMatch {
			confirmed = append(confirmed, m.Label)
		}
	}
	if len(confirmed) > 0 {
		return fmt.Errorf("the hold cannot be lifted while a screening is a confirmed match (%s): upload a clear screening or waive the requirement first: %w",
			strings.Join(confirmed, "; "), apperr.ErrConflict)
	}
	return nil
}

// FalsePositives are the labels of the potential matches a lift records as false positives.
func FalsePositives(matches []MatchState) []string {
	out := []string{}
	for _, m := range matches {
		if m.Required && m.Outcome == OutcomePotentialMatch {
			out = append(out, m.Label)
		}
	}
	return out
}

// HoldOnStart says whether a draft being started (moved to clearing) goes on hold at once
// instead, and for which screening: the first of its required screenings that is a match.
func HoldOnStart(matches []MatchState) (MatchState, bool) {
	for _, m := range matches {
		if m.Required && m.Outcome.IsMatch() {
			return m, true
		}
	}
	return MatchState{}, false
}
