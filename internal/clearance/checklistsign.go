package clearance

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/authz"
)

// How a phase checklist is completed (docs/domain.md, "Phase checklists"): every item is
// answered yes, no or not applicable, with a remark where it helps; a "no" on a required item
// means the operation may not proceed, so the checklist cannot be signed until the answer
// changes. The checklist is then signed by the master's side of every ship of the operation
// and by the POAC (the STS provider), as the STS Transfer Guide's checklists are, and it is
// complete only when every one of those signatures is in. Once anyone has signed, the
// answers are fixed: a signature vouches for the answers it saw.

// ChecklistAnswer is the answer to one checklist item; "" while unanswered.
type ChecklistAnswer string

// The answers to a checklist item.
const (
	AnswerYes           ChecklistAnswer = "yes"
	AnswerNo            ChecklistAnswer = "no"
	AnswerNotApplicable ChecklistAnswer = "not_applicable"
)

// MaxChecklistRemark is the longest remark on a checklist answer, in characters.
const MaxChecklistRemark = 1000

// ChecklistAnswers lists the answers in the order forms offer them.
func ChecklistAnswers() []ChecklistAnswer {
	return []ChecklistAnswer{AnswerYes, AnswerNo, AnswerNotApplicable}
}

var errAnswer = errors.New("must be " + apperr.OneOf(ChecklistAnswers()) + ", or null to clear the answer")

// ParseChecklistAnswer accepts one of the answers, or "" (no answer: clear it).
func ParseChecklistAnswer(s string) (ChecklistAnswer, error) {
	a := ChecklistAnswer(strings.TrimSpace(s))
	if a == "" || slices.Contains(ChecklistAnswers(), a) {
		return a, nil
	}
	return "", errAnswer
}

// Label is the answer for people: "yes", "no", "not applicable", or "" when unanswered.
func (a ChecklistAnswer) Label() string {
	return strings.ReplaceAll(string(a), "_", " ")
}

// POACSide is the signature side of the person in overall advisory control (the STS
// provider's mooring master); every other side is a ship's, named by its vessel id.
const POACSide = "poac"

// SignatureSide is one signature a checklist needs: a ship's master's side, or the POAC's.
type SignatureSide struct {
	// Side is the vessel id of the ship whose side signs, or POACSide.
	Side string
	// Name is the ship's name, or "the POAC".
	Name string
}

// POAC reports whether this is the POAC's signature.
func (s SignatureSide) POAC() bool { return s.Side == POACSide }

// Label names the side for people: "MT AEGEAN SERENITY's side" or "the POAC".
func (s SignatureSide) Label() string {
	if s.POAC() {
		return s.Name
	}
	return s.Name + "'s side"
}

// SignatureSides are the signatures every checklist of a room needs: the side of each of the
// room's ships, in the order given, then the POAC.
func SignatureSides(vessels []Vessel) []SignatureSide {
	out := make([]SignatureSide, 0, len(vessels)+1)
	for _, v := range vessels {
		out = append(out, SignatureSide{Side: v.ID, Name: v.Name})
	}
	return append(out, SignatureSide{Side: POACSide, Name: "the POAC"})
}

// SideRole is the room role that signs a side: an owner party bound to the ship for a ship's
// side (the master's company), the STS provider for the POAC's.
func SideRole(side string) authz.Role {
	if side == POACSide {
		return authz.STSProvider
	}
	return authz.Owner
}

// ChecklistSignature is one side's signature of a checklist. Name is the signer's name,
// read from the account.
type ChecklistSignature struct {
	ID          string
	ChecklistID string
	RoomID      string
	Side        string
	PartyID     string
	SignedBy    string
	SignerEmail string
	SignerName  string
	SignedAt    time.Time
}

// SignatureOf returns the checklist's signature for side, if it has one.
func (c Checklist) SignatureOf(side string) (ChecklistSignature, bool) {
	for _, s := range c.Signatures {
		if s.Side == side {
			return s, true
		}
	}
	return ChecklistSignature{}, false
}

// ChecklistState is how far a checklist is: its answers, what they refuse, and the
// signatures it still lacks.
type ChecklistState struct {
	Unanswered int
	// Refused are the required items answered "no", by position.
	Refused []ChecklistItem
	// Missing are the sides that have not signed, in SignatureSides order.
	Missing []SignatureSide
}

// Answered reports whether every item has an answer.
func (st ChecklistState) Answered() bool { return st.Unanswered == 0 }

// Signable reports whether the answers let the checklist be signed: every item answered and
// no required item answered "no".
func (st ChecklistState) Signable() bool { return st.Unanswered == 0 && len(st.Refused) == 0 }

// Complete reports whether the checklist is done: signable and signed by every side.
func (st ChecklistState) Complete() bool { return st.Signable() && len(st.Missing) == 0 }

// StateOf works out a checklist's state against the sides that must sign it.
func StateOf(c Checklist, sides []SignatureSide) ChecklistState {
	var st ChecklistState
	for _, it := range c.Items {
		switch {
		case it.Answer == "":
			st.Unanswered++
		case it.Answer == AnswerNo && it.Required:
			st.Refused = append(st.Refused, it)
		}
	}
	for _, s := range sides {
		if _, ok := c.SignatureOf(s.Side); !ok {
			st.Missing = append(st.Missing, s)
		}
	}
	return st
}

// Lacks says in words what keeps a checklist from being complete: "3 of 19 items are not
// answered; item 4 is answered no; awaits the signatures of MT X's side and the POAC". It is
// "" for a complete checklist.
func (st ChecklistState) Lacks(items int) string {
	var parts []string
	if st.Unanswered > 0 {
		parts = append(parts, fmt.Sprintf("%d of %d items not answered", st.Unanswered, items))
	}
	if len(st.Refused) > 0 {
		pos := make([]string, len(st.Refused))
		for i, it := range st.Refused {
			pos[i] = fmt.Sprint(it.Position)
		}
		noun := "item"
		if len(pos) > 1 {
			noun = "items"
		}
		parts = append(parts, fmt.Sprintf("required %s %s answered no", noun, strings.Join(pos, ", ")))
	}
	if len(st.Missing) > 0 {
		names := make([]string, len(st.Missing))
		for i, s := range st.Missing {
			names[i] = s.Label()
		}
		noun := "signature"
		if len(names) > 1 {
			noun = "signatures"
		}
		parts = append(parts, "awaits the "+noun+" of "+joinAnd(names))
	}
	return strings.Join(parts, "; ")
}

// ChecklistBlocker is the commencement blocker of a pre-operation checklist that is not
// complete: it names what the checklist lacks; the ships' sides and the POAC act on it.
func ChecklistBlocker(ic IncompleteChecklist) Blocker {
	return Blocker{Kind: BlockerChecklist, Gate: GateCommencement, VesselID: ic.VesselID, Criticality: CriticalityHigh,
		Reason: ic.Reason(), ActBy: authz.RolesThatCan(authz.SignChecklist)}
}

// CheckAnswerChange refuses changing an answer of a checklist someone has signed: the
// signatures vouch for the answers as they were.
func CheckAnswerChange(c Checklist) error {
	if len(c.Signatures) == 0 {
		return nil
	}
	s := c.Signatures[0]
	return fmt.Errorf("%s of %s was signed by %s on %s; its answers can no longer change: %w",
		ChecklistName(c.Phase), c.VesselName, s.SignerEmail, s.SignedAt.UTC().Format(minuteLayout), apperr.ErrConflict)
}

// CheckSignature decides whether side may sign checklist c now: a side of the operation
// that has not signed yet, on answers that let the checklist be signed.
func CheckSignature(c Checklist, sides []SignatureSide, side string) error {
	name := ChecklistName(c.Phase) + " of " + c.VesselName
	sd, err := FindSide(sides, side)
	if err != nil {
		return err
	}
	if s, ok := c.SignatureOf(side); ok {
		return fmt.Errorf("%s is already signed for %s by %s: %w", name, sd.Label(), s.SignerEmail, apperr.ErrConflict)
	}
	st := StateOf(c, sides)
	if !st.Signable() {
		return fmt.Errorf("%s cannot be signed yet: %s: %w", name, st.Lacks(len(c.Items)), apperr.ErrConflict)
	}
	return nil
}

// FindSide returns the side named side among sides; another is a validation error of the
// field "side" listing the choices.
func FindSide(sides []SignatureSide, side string) (SignatureSide, error) {
	if i := slices.IndexFunc(sides, func(s SignatureSide) bool { return s.Side == side }); i >= 0 {
		return sides[i], nil
	}
	return SignatureSide{}, apperr.Invalid("side", "must be "+sideChoices(sides))
}

// sideChoices lists the sides for a validation message: "the id of MT A (…) or MT B (…), or poac".
func sideChoices(sides []SignatureSide) string {
	var ships []string
	for _, s := range sides {
		if !s.POAC() {
			ships = append(ships, s.Name+" ("+s.Side+")")
		}
	}
	if len(ships) == 0 {
		return "poac"
	}
	return "the vessel id of " + apperr.OneOf(ships) + ", or poac"
}

// joinAnd joins names for a sentence: "A", "A and B", "A, B and C".
func joinAnd(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
