package clearance

import (
	"fmt"
	"slices"
	"strings"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/authz"
)

// Screenings: sanctions and AIS screenings are point-in-time evidence with an outcome. A
// match (potential or confirmed) is a compliance hold on the room that only compliance lifts,
// and is never approved as clearing evidence (docs/domain.md, "Screenings and holds").

// Outcome is what a screening found.
type Outcome string

// The outcomes of a screening.
const (
	OutcomeClear          Outcome = "clear"
	OutcomePotentialMatch Outcome = "potential_match"
	OutcomeConfirmedMatch Outcome = "confirmed_match"
)

// Outcomes lists the outcomes, from clean to worst: the one list (API enum, validation,
// upload form).
func Outcomes() []Outcome {
	return []Outcome{OutcomeClear, OutcomePotentialMatch, OutcomeConfirmedMatch}
}

// IsMatch reports whether the outcome is a red flag: a potential or a confirmed match.
func (o Outcome) IsMatch() bool { return o == OutcomePotentialMatch || o == OutcomeConfirmedMatch }

// Text is the outcome in words.
func (o Outcome) Text() string { return strings.ReplaceAll(string(o), "_", " ") }

// ParseOutcome reads an outcome, or says what it must be.
func ParseOutcome(s string) (Outcome, error) {
	o := Outcome(strings.TrimSpace(s))
	if !slices.Contains(Outcomes(), o) {
		return "", fmt.Errorf("must be %s", apperr.OneOf(Outcomes()))
	}
	return o, nil
}

// screeningRules are the catalogue types that are screenings, and whether each screens the
// operation's counterparties (the cargo and charter parties and the other ships of the
// transfer) as well as the vessel and its owner and manager. A sanctions screening does; an
// AIS history report is about the ship's own track.
var screeningRules = map[string]struct{ screensCounterparties bool }{
	"SANCTIONS": {screensCounterparties: true},
	"AIS":       {screensCounterparties: false},
}

// IsScreening reports whether documents of the catalogue type code are screenings, which
// carry an outcome.
func IsScreening(code string) bool {
	_, ok := screeningRules[code]
	return ok
}

// ScreeningCodes lists the screening types' codes, sorted.
func ScreeningCodes() []string {
	out := make([]string, 0, len(screeningRules))
	for c := range screeningRules {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// CounterpartyRoles are the room roles whose companies a sanctions screening covers as the
// operation's counterparties: who charters, sells and buys the cargo. (The ships' owners and
// managers are screened as the vessel's registered owner and manager.)
func CounterpartyRoles() []authz.Role {
	return []authz.Role{authz.Charterer, authz.Seller, authz.Buyer}
}

// ScreenedShip is a ship a screening covered.
type ScreenedShip struct {
	Name string `json:"name"`
	IMO  string `json:"imo"`
}

// ScreenedCompany is a company a screening covered, by name and, where known, its IMO
// company number.
type ScreenedCompany struct {
	Name string `json:"name"`
	IMO  string `json:"imo,omitempty"`
}

// ScreeningSubjects is what a screening covered. The upload says what it can; the rest
// defaults from the room (DefaultSubjects).
type ScreeningSubjects struct {
	Vessel          ScreenedShip    `json:"vessel"`
	RegisteredOwner ScreenedCompany `json:"registered_owner"`
	Manager         ScreenedCompany `json:"manager" doc:"the DOC company"`
	// Counterparties are the names of the counterparty companies screened.
	Counterparties []string `json:"counterparties"`
	// CounterpartyShips are the other ships of the transfer screened.
	CounterpartyShips []ScreenedShip `json:"counterparty_ships"`
}

// ScreeningParty is a party of the room as the screening rules see it.
type ScreeningParty struct {
	Role authz.Role
	Name string // the company's name; its e-mail when it has none
}

// ScreeningRoom is what a screening of one vessel is judged against: the vessel, the
// other ships of the transfer and the room's active parties.
type ScreeningRoom struct {
	Vessel  VesselParticulars
	Others  []VesselParticulars
	Parties []ScreeningParty
}

// counterparties are the names of the room's parties in counterparty roles, in order,
// without repeats.
func (r ScreeningRoom) counterparties() []string {
	var out []string
	for _, p := range r.Parties {
		if slices.Contains(CounterpartyRoles(), p.Role) && !containsFold(out, p.Name) {
			out = append(out, p.Name)
		}
	}
	return out
}

// DefaultSubjects fills what the upload did not say from the room: the vessel always (a
// screening of a vessel's slot screens that vessel), its registered owner and manager from
// its particulars, and, for a type that screens counterparties, the counterparty parties
// and the other ships. What the upload named is kept as named.
func DefaultSubjects(code string, given ScreeningSubjects, r ScreeningRoom) ScreeningSubjects {
	s := given
	s.Vessel = ScreenedShip{Name: r.Vessel.Name, IMO: r.Vessel.IMO}
	if s.RegisteredOwner.Name == "" && s.RegisteredOwner.IMO == "" {
		s.RegisteredOwner = ScreenedCompany{Name: r.Vessel.RegisteredOwner, IMO: r.Vessel.RegisteredOwnerIMO}
	}
	if s.Manager.Name == "" && s.Manager.IMO == "" {
		s.Manager = ScreenedCompany{Name: r.Vessel.DOCCompany, IMO: r.Vessel.DOCCompanyIMO}
	}
	if screeningRules[code].screensCounterparties {
		if len(s.Counterparties) == 0 {
			s.Counterparties = r.counterparties()
		}
		if len(s.CounterpartyShips) == 0 {
			for _, o := range r.Others {
				s.CounterpartyShips = append(s.CounterpartyShips, ScreenedShip{Name: o.Name, IMO: o.IMO})
			}
		}
		// A ship named by its IMO number alone takes its name from the room, where it is one
		// of its ships (a copy: the caller's list is left as it was).
		s.CounterpartyShips = slices.Clone(s.CounterpartyShips)
		for i, c := range s.CounterpartyShips {
			if j := slices.IndexFunc(r.Others, func(o VesselParticulars) bool { return o.IMO == c.IMO }); c.Name == "" && j >= 0 {
				s.CounterpartyShips[i].Name = r.Others[j].Name
			}
		}
	}
	if s.Counterparties == nil {
		s.Counterparties = []string{}
	}
	if s.CounterpartyShips == nil {
		s.CounterpartyShips = []ScreenedShip{}
	}
	return s
}

// Uncovered says, in words, what of the room a screening of type code with subjects s does
// not cover — its vessel under another IMO number than the one screened, or, for a type
// that screens counterparties, a counterparty or a ship of the transfer added since it was
// run — or "" when it covers everything it should.
func Uncovered(code string, s ScreeningSubjects, r ScreeningRoom) string {
	var missing []string
	if r.Vessel.IMO != "" && s.Vessel.IMO != r.Vessel.IMO {
		missing = append(missing, fmt.Sprintf("%s (IMO %s)", r.Vessel.Name, r.Vessel.IMO))
	}
	if !screeningRules[code].screensCounterparties {
		return notScreened(missing)
	}
	for _, p := range r.Parties {
		if slices.Contains(CounterpartyRoles(), p.Role) && !containsFold(s.Counterparties, p.Name) {
			missing = append(missing, fmt.Sprintf("%s (%s)", p.Name, p.Role))
		}
	}
	for _, o := range r.Others {
		if !slices.ContainsFunc(s.CounterpartyShips, func(c ScreenedShip) bool { return c.IMO == o.IMO }) {
			missing = append(missing, fmt.Sprintf("%s (IMO %s)", o.Name, o.IMO))
		}
	}
	return notScreened(missing)
}

func notScreened(missing []string) string {
	if len(missing) == 0 {
		return ""
	}
	return "not screened against " + strings.Join(missing, ", ")
}

func containsFold(list []string, s string) bool {
	return slices.ContainsFunc(list, func(x string) bool { return strings.EqualFold(strings.TrimSpace(x), strings.TrimSpace(s)) })
}

// ScreeningState is what the clearance rules read of a screening document: the outcome of
// its latest version and, when a party change left it behind, why it must be re-run. Zero
// for any other document.
type ScreeningState struct {
	Outcome     Outcome
	RerunReason string
}

// ScreeningProblem says why a screening blocks whatever its review status: a match, or a
// party change it must be re-run for. "" when neither.
func ScreeningProblem(s ScreeningState) string {
	switch {
	case s.Outcome.IsMatch():
		return "the screening is a " + s.Outcome.Text() + ": the room is on compliance hold until a clear screening replaces it"
	case s.RerunReason != "":
		return "the screening must be re-run (" + s.RerunReason + "): upload a new version"
	}
	return ""
}

// MayApproveScreening refuses (apperr.ErrConflict, in words) to approve a screening that is
// a match or must be re-run, or whose outcome was never recorded (a version uploaded before
// screenings had outcomes): none of them is clearing evidence.
func MayApproveScreening(s ScreeningState) error {
	if s.Outcome == "" {
		return fmt.Errorf("this screening has no outcome recorded: upload a new version with its outcome: %w", apperr.ErrConflict)
	}
	if p := ScreeningProblem(s); p != "" {
		return fmt.Errorf("this screening cannot be approved as clearing evidence: %s: %w", p, apperr.ErrConflict)
	}
	return nil
}
