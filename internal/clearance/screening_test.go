package clearance

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/authz"
)

func TestParseOutcome(t *testing.T) {
	for _, tc := range []struct {
		in    string
		want  Outcome
		match bool
		err   bool
	}{
		{"clear", OutcomeClear, false, false},
		{" potential_match ", OutcomePotentialMatch, true, false},
		{"confirmed_match", OutcomeConfirmedMatch, true, false},
		{"", "", false, true},
		{"Clear", "", false, true},
		{"match", "", false, true},
	} {
		got, err := ParseOutcome(tc.in)
		if (err != nil) != tc.err || got != tc.want || got.IsMatch() != tc.match {
			t.Errorf("ParseOutcome(%q) = %q, %v (match %v); want %q, error %v, match %v", tc.in, got, err, got.IsMatch(), tc.want, tc.err, tc.match)
		}
	}
	if !IsScreening("SANCTIONS") || !IsScreening("AIS") || IsScreening("SIRE") || IsScreening("Q88") {
		t.Error("the screening types are SANCTIONS and AIS")
	}
}

// maltaScreeningRoom is the demo operation seen from AEGEAN SERENITY's screening.
func maltaScreeningRoom() ScreeningRoom {
	return ScreeningRoom{
		Vessel: VesselParticulars{Name: "MT AEGEAN SERENITY", IMO: "9372145", RegisteredOwner: "Aegean Tankers Inc", RegisteredOwnerIMO: "5354210",
			DOCCompany: "Aegean Ship Management", DOCCompanyIMO: "5812079"},
		Others: []VesselParticulars{{Name: "MT LEVANT PIONEER", IMO: "9455832"}},
		Parties: []ScreeningParty{{authz.Broker, "Valletta Shipbrokers"}, {authz.Charterer, "Mediterra Trading SA"},
			{authz.Seller, "North Africa Crude Marketing"}, {authz.Buyer, "Adriatic Refining"}, {authz.Owner, "Aegean Ship Management"},
			{authz.Viewer, "P&I observer"}},
	}
}

func TestDefaultSubjects(t *testing.T) {
	r := maltaScreeningRoom()
	got := DefaultSubjects("SANCTIONS", ScreeningSubjects{}, r)
	if got.Vessel != (ScreenedShip{"MT AEGEAN SERENITY", "9372145"}) || got.RegisteredOwner != (ScreenedCompany{"Aegean Tankers Inc", "5354210"}) ||
		got.Manager != (ScreenedCompany{"Aegean Ship Management", "5812079"}) {
		t.Errorf("vessel, owner and manager from the particulars: %+v", got)
	}
	if strings.Join(got.Counterparties, "|") != "Mediterra Trading SA|North Africa Crude Marketing|Adriatic Refining" {
		t.Errorf("counterparties are the charterer, seller and buyer (not the broker, owner or viewer): %v", got.Counterparties)
	}
	if len(got.CounterpartyShips) != 1 || got.CounterpartyShips[0].IMO != "9455832" {
		t.Errorf("the other ship: %v", got.CounterpartyShips)
	}
	// What the form names is kept; the vessel is always the slot's.
	named := DefaultSubjects("SANCTIONS", ScreeningSubjects{Vessel: ScreenedShip{IMO: "9074729"}, Manager: ScreenedCompany{Name: "Other Mgmt"},
		Counterparties: []string{"Adriatic Refining"}}, r)
	if named.Vessel.IMO != "9372145" || named.Manager.Name != "Other Mgmt" || len(named.Counterparties) != 1 {
		t.Errorf("named subjects: %+v", named)
	}
	// A ship named by its IMO number takes its name from the room; another keeps none.
	ships := DefaultSubjects("SANCTIONS", ScreeningSubjects{CounterpartyShips: []ScreenedShip{{IMO: "9455832"}, {IMO: "9074729"}}}, r).CounterpartyShips
	if ships[0].Name != "MT LEVANT PIONEER" || ships[1].Name != "" {
		t.Errorf("ships named by IMO number: %+v", ships)
	}
	// An AIS report is the ship's own track: no counterparties.
	if ais := DefaultSubjects("AIS", ScreeningSubjects{}, r); len(ais.Counterparties) != 0 || len(ais.CounterpartyShips) != 0 || ais.Counterparties == nil {
		t.Errorf("AIS subjects: %+v", ais)
	}
}

func TestUncovered(t *testing.T) {
	r := maltaScreeningRoom()
	screened := DefaultSubjects("SANCTIONS", ScreeningSubjects{}, r)
	withBuyer := func(name string) ScreeningRoom {
		c := maltaScreeningRoom()
		c.Parties = append(c.Parties, ScreeningParty{authz.Buyer, name})
		return c
	}
	withShip := maltaScreeningRoom()
	withShip.Others = append(withShip.Others, VesselParticulars{Name: "MT NORDIC STAR", IMO: "9297345"})
	reImo := maltaScreeningRoom()
	reImo.Vessel.IMO = "9074729"
	for _, tc := range []struct {
		name, code string
		room       ScreeningRoom
		want       string
	}{
		{"nothing changed", "SANCTIONS", r, ""},
		{"the same buyer, other case", "SANCTIONS", withBuyer(" adriatic refining "), ""},
		{"a new buyer", "SANCTIONS", withBuyer("Balkan Oil"), "not screened against Balkan Oil (buyer)"},
		{"a new ship", "SANCTIONS", withShip, "not screened against MT NORDIC STAR (IMO 9297345)"},
		{"the vessel's IMO changed", "SANCTIONS", reImo, "not screened against MT AEGEAN SERENITY (IMO 9074729)"},
		{"AIS: a new buyer is not its business", "AIS", withBuyer("Balkan Oil"), ""},
		{"AIS: a new ship neither", "AIS", withShip, ""},
		{"AIS: its vessel's IMO changed", "AIS", reImo, "not screened against MT AEGEAN SERENITY (IMO 9074729)"},
	} {
		if got := Uncovered(tc.code, screened, tc.room); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
	// Subjects never recorded (an upload before outcomes) cover no counterparty.
	if got := Uncovered("SANCTIONS", ScreeningSubjects{Vessel: ScreenedShip{IMO: "9372145"}}, r); !strings.Contains(got, "Mediterra Trading SA (charterer)") {
		t.Errorf("no subjects recorded: %q", got)
	}
}

func TestScreeningRules(t *testing.T) {
	for _, tc := range []struct {
		name      string
		s         ScreeningState
		problem   string // "" for none
		approveOK bool
	}{
		{"clear", ScreeningState{Outcome: OutcomeClear}, "", true},
		{"potential match", ScreeningState{Outcome: OutcomePotentialMatch}, "the screening is a potential match", false},
		{"confirmed match", ScreeningState{Outcome: OutcomeConfirmedMatch}, "the screening is a confirmed match", false},
		{"clear but stale", ScreeningState{Outcome: OutcomeClear, RerunReason: "not screened against X (buyer)"}, "must be re-run (not screened against X (buyer))", false},
		{"no outcome recorded", ScreeningState{}, "", false},
	} {
		got := ScreeningProblem(tc.s)
		if (tc.problem == "") != (got == "") || !strings.Contains(got, tc.problem) {
			t.Errorf("%s: problem %q, want %q", tc.name, got, tc.problem)
		}
		err := MayApproveScreening(tc.s)
		if (err == nil) != tc.approveOK || err != nil && !errors.Is(err, apperr.ErrConflict) {
			t.Errorf("%s: approve: %v, want allowed %v", tc.name, err, tc.approveOK)
		}
	}
}

// TestHoldOwnership: who may lift which hold, when, and with what.
// TestHoldWithoutItsOwner: a screening hold in a room with no charterer party is not stuck:
// a role with the right lifts it, with a reason, unless a confirmed match still stands.
func TestHoldWithoutItsOwner(t *testing.T) {
	screening := &Hold{Source: HoldScreening, Owner: ComplianceRole}
	if err := CheckLift(screening, authz.Broker, "no charterer in this room; compliance cleared it by e-mail", nil, false); err != nil {
		t.Fatalf("the broker lifting an ownerless hold: %v", err)
	}
	confirmed := []MatchState{{Label: "SANCTIONS — MT AEGEAN SERENITY", Outcome: OutcomeConfirmedMatch, Required: true}}
	if err := CheckLift(screening, authz.Broker, "x", confirmed, false); !errors.Is(err, apperr.ErrConflict) {
		t.Fatalf("a confirmed match still stands: %v", err)
	}
	if err := CheckLift(screening, authz.Broker, "x", nil, true); !errors.Is(err, apperr.ErrForbidden) {
		t.Fatalf("with a charterer present the broker may not: %v", err)
	}
}

func TestHoldOwnership(t *testing.T) {
	screening := &Hold{Source: HoldScreening, Owner: OwnerOf(HoldScreening, authz.Broker)}
	brokers := &Hold{Source: HoldManual, Owner: OwnerOf(HoldManual, authz.Broker)}
	charterers := &Hold{Source: HoldManual, Owner: OwnerOf(HoldManual, authz.Charterer)}
	if screening.Owner != authz.Charterer || brokers.Owner != authz.Broker {
		t.Fatalf("owners: a screening hold is compliance's, whoever uploaded it: %v; a manual one its placer's: %v", screening.Owner, brokers.Owner)
	}
	potential := []MatchState{{Label: "SANCTIONS — MT AEGEAN SERENITY", Outcome: OutcomePotentialMatch, Required: true}}
	confirmed := []MatchState{{Label: "SANCTIONS — MT AEGEAN SERENITY", Outcome: OutcomeConfirmedMatch, Required: true}}
	waived := []MatchState{{Label: "AIS — MT AEGEAN SERENITY", Outcome: OutcomeConfirmedMatch, Required: false}}
	for _, tc := range []struct {
		name    string
		hold    *Hold
		role    authz.Role
		reason  string
		matches []MatchState
		want    error // nil: lifted
		says    string
	}{
		{"the charterer lifts a screening hold, no match left", screening, authz.Charterer, "clear re-run", nil, nil, ""},
		{"the broker may not lift a screening hold", screening, authz.Broker, "clear re-run", nil, apperr.ErrForbidden, "only the charterer may lift it"},
		{"nor an owner", screening, authz.Owner, "x", nil, apperr.ErrForbidden, "belongs to the charterer"},
		{"a reason is required", screening, authz.Charterer, "  ", nil, nil, "reason"},
		{"a potential match is lifted as a false positive", screening, authz.Charterer, "false positive", potential, nil, ""},
		{"a confirmed match is not lifted", screening, authz.Charterer, "reviewed", confirmed, apperr.ErrConflict, "confirmed match (SANCTIONS — MT AEGEAN SERENITY)"},
		{"a confirmed match of a waived requirement does not stop it", screening, authz.Charterer, "waived", waived, nil, ""},
		{"the broker lifts its own hold", brokers, authz.Broker, "terminal ready", nil, nil, ""},
		{"the charterer may not lift the broker's", brokers, authz.Charterer, "x", nil, apperr.ErrForbidden, "only the broker may lift it"},
		{"the broker may not lift the charterer's manual hold", charterers, authz.Broker, "x", nil, apperr.ErrForbidden, "only the charterer"},
		{"a hold from before owners: any role with the right", nil, authz.Broker, "released", nil, nil, ""},
	} {
		err := CheckLift(tc.hold, tc.role, tc.reason, tc.matches, true)
		var ve *apperr.ValidationError
		switch {
		case tc.want == nil && tc.says == "reason":
			if !errors.As(err, &ve) || ve.Fields[0].Field != "reason" {
				t.Errorf("%s: %v, want a 422 naming reason", tc.name, err)
			}
		case tc.want == nil && err != nil:
			t.Errorf("%s: refused: %v", tc.name, err)
		case tc.want != nil && (!errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.says)):
			t.Errorf("%s: %v, want %v saying %q", tc.name, err, tc.want, tc.says)
		}
	}
	if fp := FalsePositives(append(potential, confirmed...)); len(fp) != 1 || fp[0] != "SANCTIONS — MT AEGEAN SERENITY" {
		t.Errorf("false positives: %v", fp)
	}
}

func TestWhenAMatchHolds(t *testing.T) {
	want := map[RoomStatus]bool{StatusClearing: true, StatusCleared: true, StatusInOperation: true}
	for _, st := range RoomStatuses() {
		if MayAutoHold(st) != want[st] {
			t.Errorf("MayAutoHold(%s) = %v", st, MayAutoHold(st))
		}
		if MayAutoHold(st) && CheckRoomTransition(st, StatusOnHold) != nil {
			t.Errorf("a %s room cannot go on hold", st)
		}
	}
	if _, ok := HoldOnStart([]MatchState{{Outcome: OutcomeClear, Required: true}, {Outcome: OutcomePotentialMatch, Required: false}}); ok {
		t.Error("a draft holds on a clear screening or a waived match")
	}
	if m, ok := HoldOnStart([]MatchState{{DocumentID: "d", Outcome: OutcomeConfirmedMatch, Required: true}}); !ok || m.DocumentID != "d" {
		t.Error("a draft with a confirmed match starts on hold")
	}
}

// TestScreeningBlockers: a match or a re-run blocks the clearance gate in words, whatever
// the screening's review status, and the supplier acts on it.
func TestScreeningBlockers(t *testing.T) {
	now := time.Date(2026, 3, 12, 9, 0, 0, 0, time.UTC)
	performed := now.Add(-time.Hour)
	sanctions := func(status DocStatus, s ScreeningState) DocumentState {
		return DocumentState{ID: "s", TypeCode: "SANCTIONS", TypeName: "Sanctions screening", VesselName: "MT AEGEAN SERENITY",
			SuppliedBy: authz.Charterer, Criticality: CriticalityHigh, Required: true, Status: status, Screening: s,
			Validity: Validity{Kind: ExpiryPointInTime, PerformedAt: &performed, MaxAgeDays: 7}}
	}
	for _, tc := range []struct {
		name string
		doc  DocumentState
		want string // "" for no blocker
	}{
		{"approved and clear", sanctions(DocApproved, ScreeningState{Outcome: OutcomeClear}), ""},
		{"a potential match under review", sanctions(DocUnderReview, ScreeningState{Outcome: OutcomePotentialMatch}),
			"Sanctions screening — MT AEGEAN SERENITY: the screening is a potential match"},
		{"a rejected confirmed match", sanctions(DocRejected, ScreeningState{Outcome: OutcomeConfirmedMatch}), "confirmed match"},
		{"approved, to re-run", sanctions(DocApproved, ScreeningState{Outcome: OutcomeClear, RerunReason: "not screened against Balkan Oil (buyer)"}),
			"must be re-run (not screened against Balkan Oil (buyer))"},
		{"a waived match", func() DocumentState {
			d := sanctions(DocUnderReview, ScreeningState{Outcome: OutcomeConfirmedMatch})
			d.Required = false
			return d
		}(), ""},
	} {
		blockers, _ := DocumentBlockers([]DocumentState{tc.doc}, now, now.Add(48*time.Hour))
		switch {
		case tc.want == "" && len(blockers) > 0:
			t.Errorf("%s: blocked: %v", tc.name, blockers)
		case tc.want != "" && (len(blockers) != 1 || !strings.Contains(blockers[0].Reason, tc.want)):
			t.Errorf("%s: %v, want %q", tc.name, blockers, tc.want)
		case tc.want != "" && (blockers[0].Gate != GateClearance || len(blockers[0].ActBy) != 1 || blockers[0].ActBy[0] != authz.Charterer):
			t.Errorf("%s: gate %s, act by %v", tc.name, blockers[0].Gate, blockers[0].ActBy)
		}
	}
}
