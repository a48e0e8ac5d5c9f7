package clearance

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/stshub/stshub/internal/apperr"
)

// The operational milestones of a room in operation (docs/domain.md, "Milestones"): what the
// ships report as the operation proceeds, each recorded once, in order, with the time it
// happened. Each of the STS guide's later checklists stands before one: checklist 3 before
// mooring, 4 before cargo transfer, 5 before unmooring. A room is completed after unmooring,
// with all five checklists complete.

// Milestone names an operational milestone.
type Milestone string

// The milestones, in the order they happen.
const (
	MilestoneMooringStarted    Milestone = "mooring_started"
	MilestoneTransferStarted   Milestone = "transfer_started"
	MilestoneTransferCompleted Milestone = "transfer_completed"
	MilestoneUnmoored          Milestone = "unmoored"
)

// MilestoneSkew is how far in the future a milestone's time may lie: clocks on board and on
// the server differ by a little; a time further ahead is a mistake.
const MilestoneSkew = 10 * time.Minute

// Milestones lists the milestones in order.
func Milestones() []Milestone {
	return []Milestone{MilestoneMooringStarted, MilestoneTransferStarted, MilestoneTransferCompleted, MilestoneUnmoored}
}

var milestoneLabels = map[Milestone]string{
	MilestoneMooringStarted:    "run-in and mooring started",
	MilestoneTransferStarted:   "cargo transfer started",
	MilestoneTransferCompleted: "cargo transfer completed",
	MilestoneUnmoored:          "unmoored",
}

// milestonePhases is the checklist phase each milestone waits for; 0 for none.
var milestonePhases = map[Milestone]int{
	MilestoneMooringStarted:  3,
	MilestoneTransferStarted: 4,
	MilestoneUnmoored:        5,
}

var errMilestone = errors.New("must be " + apperr.OneOf(Milestones()))

// ParseMilestone accepts exactly one of the milestone names.
func ParseMilestone(s string) (Milestone, error) {
	if m := Milestone(s); slices.Contains(Milestones(), m) {
		return m, nil
	}
	return "", errMilestone
}

// Label names the milestone for people: "cargo transfer started".
func (m Milestone) Label() string { return milestoneLabels[m] }

// Phase is the checklist phase complete before the milestone, or 0 when it waits for none.
func (m Milestone) Phase() int { return milestonePhases[m] }

// MilestoneRecord is a milestone as recorded in a room: when it happened (OccurredAt, as the
// ships report it) and who recorded it when.
type MilestoneRecord struct {
	RoomID        string
	Milestone     Milestone
	OccurredAt    time.Time
	RecordedBy    string
	RecorderEmail string
	RecorderName  string
	RecordedAt    time.Time
}

// NextMilestone is the first milestone not recorded yet, given the recorded ones in order;
// false once the ships are unmoored.
func NextMilestone(recorded []MilestoneRecord) (Milestone, bool) {
	all := Milestones()
	if len(recorded) >= len(all) {
		return "", false
	}
	return all[len(recorded)], true
}

// MilestoneInput is what CheckMilestone decides on.
type MilestoneInput struct {
	Status   RoomStatus
	Recorded []MilestoneRecord // in order
	// Lacking says what keeps the milestone's checklists from being complete
	// (IncompleteChecklists' reasons), empty when nothing does.
	Lacking []string
	// Ready is when those checklists became complete on every ship (their last signature,
	// ChecklistsReady); zero for a milestone that waits for none.
	Ready   time.Time
	At, Now time.Time
}

// ChecklistsReady is when the checklists of phase became complete: the last signature
// among them (zero when there is none).
func ChecklistsReady(lists []Checklist, phase int) time.Time {
	var last time.Time
	for _, c := range lists {
		if c.Phase != phase {
			continue
		}
		for _, s := range c.Signatures {
			if s.SignedAt.After(last) {
				last = s.SignedAt
			}
		}
	}
	return last
}

// CheckMilestone decides whether milestone m may be recorded as happening at in.At: the room is
// in operation, m is the next milestone, its time is not before the previous one's nor in the
// future, and the checklist it waits for is complete on every ship — and was, at that time.
func CheckMilestone(m Milestone, in MilestoneInput) error {
	if in.Status != StatusInOperation {
		return fmt.Errorf("milestones are recorded while the operation is under way; the room is %s: %w", in.Status, apperr.ErrConflict)
	}
	if i := slices.IndexFunc(in.Recorded, func(r MilestoneRecord) bool { return r.Milestone == m }); i >= 0 {
		r := in.Recorded[i]
		return fmt.Errorf("%s was already recorded, at %s by %s: %w", m.Label(), r.OccurredAt.UTC().Format(minuteLayout), r.RecorderEmail, apperr.ErrConflict)
	}
	next, _ := NextMilestone(in.Recorded)
	if m != next {
		return fmt.Errorf("%s comes first, then %s: %w", next.Label(), m.Label(), apperr.ErrConflict)
	}
	if in.At.After(in.Now.Add(MilestoneSkew)) {
		return apperr.Invalid("occurred_at", "is in the future; record a milestone when it has happened")
	}
	if n := len(in.Recorded); n > 0 && in.At.Before(in.Recorded[n-1].OccurredAt) {
		prev := in.Recorded[n-1]
		return apperr.Invalid("occurred_at", fmt.Sprintf("is before %s (%s)", prev.Milestone.Label(), prev.OccurredAt.UTC().Format(minuteLayout)))
	}
	if len(in.Lacking) > 0 {
		return fmt.Errorf("%s waits for %s: %s: %w", m.Label(), ChecklistName(m.Phase()), strings.Join(in.Lacking, "; "), apperr.ErrConflict)
	}
	if !in.Ready.IsZero() && in.At.Before(in.Ready) {
		return apperr.Invalid("occurred_at", fmt.Sprintf("is before %s was complete on every ship (%s): it happens after its checklist",
			ChecklistName(m.Phase()), in.Ready.UTC().Format(minuteLayout)))
	}
	return nil
}

// CompletionLacks says what keeps a room in operation from being completed: the ships must
// be unmoored (which needs checklist 5) and every checklist complete (lacking: their reasons).
func CompletionLacks(recorded []MilestoneRecord, lacking []string) []string {
	var out []string
	if !slices.ContainsFunc(recorded, func(r MilestoneRecord) bool { return r.Milestone == MilestoneUnmoored }) {
		out = append(out, "the ships are not recorded as unmoored")
	}
	return append(out, lacking...)
}

// IncompleteChecklist is a checklist that is not complete, with what it lacks.
type IncompleteChecklist struct {
	Checklist
	State ChecklistState
}

// Reason says it in words: "checklist 3 (Before run-in and mooring) of MT X: awaits the
// signature of the POAC".
func (ic IncompleteChecklist) Reason() string {
	return ChecklistName(ic.Phase) + " of " + ic.VesselName + ": " + ic.State.Lacks(len(ic.Items))
}

// IncompleteChecklists lists the checklists of phases (every phase when none is given) that
// are not complete against the sides that must sign them, in the order of lists.
func IncompleteChecklists(lists []Checklist, sides []SignatureSide, phases ...int) []IncompleteChecklist {
	var out []IncompleteChecklist
	for _, c := range lists {
		if len(phases) > 0 && !slices.Contains(phases, c.Phase) {
			continue
		}
		if st := StateOf(c, sides); !st.Complete() {
			out = append(out, IncompleteChecklist{Checklist: c, State: st})
		}
	}
	return out
}

// Reasons lists the reasons of incomplete checklists.
func Reasons(lists []IncompleteChecklist) []string {
	out := make([]string, len(lists))
	for i, ic := range lists {
		out[i] = ic.Reason()
	}
	return out
}

const minuteLayout = "2006-01-02 15:04 UTC"
