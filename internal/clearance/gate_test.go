package clearance

import (
	"strings"
	"testing"
	"time"
)

// The Malta operation of docs/domain.md, with both ships, the charterer and the owner signed.
var (
	maltaETA   = utc(2026, 3, 14, 8, 0)
	maltaNow   = utc(2026, 3, 10, 12, 0)
	bothShips  = []VesselRole{VesselDischarging, VesselReceiving}
	maltaSigns = []SignOffState{
		{PartyID: "p1", Email: "vetting@mediterra.test", Role: "charterer", Status: SignOffApproved},
		{PartyID: "p2", Email: "ops@aegean.test", Role: "owner", Status: SignOffApproved},
	}
)

func approvedDoc(code string, crit Criticality, v Validity) DocumentState {
	return DocumentState{ID: "d-" + code, TypeCode: code, TypeName: code, Criticality: crit, Required: true, Status: DocApproved,
		Validity: v, SuppliedBy: "owner"}
}

// clearedInput is a Malta room that passes both gates; each case changes one thing.
func clearedInput() GateInput {
	return GateInput{
		Docs:     []DocumentState{approvedDoc("Q88", CriticalityHigh, Validity{Kind: ExpiryNone})},
		SignOffs: maltaSigns, Vessels: bothShips, Now: maltaNow, WindowEnd: OperationWindowEnd(maltaETA, 0),
		Coastal: CoastalRule{Area: &CoastalArea{Regime: RegimeNone}, Cargo: CargoOil, ETA: maltaETA},
	}
}

func TestGate(t *testing.T) {
	cases := []struct {
		name        string
		change      func(*GateInput)
		cleared     bool
		mayCommence bool
		reasons     []string // in order; each must appear in its blocker's reason
		gates       []GateName
	}{
		{name: "all approved and signed", change: func(*GateInput) {}, cleared: true, mayCommence: true},
		{name: "no vessel", change: func(in *GateInput) { in.Vessels = nil },
			reasons: []string{"no discharging vessel", "no receiving vessel"}, gates: []GateName{GateClearance, GateClearance}},
		{name: "one vessel only", change: func(in *GateInput) { in.Vessels = []VesselRole{VesselDischarging} },
			reasons: []string{"no receiving vessel"}, gates: []GateName{GateClearance}},
		{name: "two discharging vessels, no receiving one", change: func(in *GateInput) {
			in.Vessels = []VesselRole{VesselDischarging, VesselDischarging}
		}, reasons: []string{"no receiving vessel"}, gates: []GateName{GateClearance}},
		{name: "a missing high document blocks clearance", change: func(in *GateInput) {
			in.Docs = append(in.Docs, DocumentState{TypeCode: "SIRE", TypeName: "SIRE", Criticality: CriticalityHigh, Required: true, Status: DocMissing})
		}, reasons: []string{"SIRE: missing"}, gates: []GateName{GateClearance}},
		{name: "a missing medium document blocks commencement only", change: func(in *GateInput) {
			in.Docs = append(in.Docs, DocumentState{TypeCode: "ISSC", TypeName: "ISSC", Criticality: CriticalityMedium, Required: true, Status: DocMissing})
		}, cleared: true, reasons: []string{"ISSC: missing"}, gates: []GateName{GateCommencement}},
		{name: "a missing low document blocks nothing", change: func(in *GateInput) {
			in.Docs = append(in.Docs, DocumentState{TypeCode: "X", TypeName: "X", Criticality: CriticalityLow, Required: true, Status: DocMissing})
		}, cleared: true, mayCommence: true},
		{name: "a sign-off awaited", change: func(in *GateInput) {
			in.SignOffs = []SignOffState{maltaSigns[0], {PartyID: "p2", Email: "ops@aegean.test", Role: "owner"}}
		}, reasons: []string{"ops@aegean.test (owner): awaited"}, gates: []GateName{GateClearance}},
		{name: "a sign-off rejected", change: func(in *GateInput) {
			in.SignOffs = []SignOffState{maltaSigns[0], {PartyID: "p2", Email: "ops@aegean.test", Role: "owner", Status: SignOffRejected}}
		}, reasons: []string{"rejected"}, gates: []GateName{GateClearance}},
		{name: "nobody to sign off", change: func(in *GateInput) { in.SignOffs = nil },
			reasons: []string{"no party that signs off"}, gates: []GateName{GateClearance}},
		{name: "waived documents do not block", change: func(in *GateInput) {
			in.Docs = append(in.Docs, DocumentState{Required: false, Status: DocMissing, Criticality: CriticalityHigh})
		}, cleared: true, mayCommence: true},
		{name: "an unsigned pre-operation checklist blocks commencement", change: func(in *GateInput) {
			c := Checklist{Phase: 2, VesselName: "MT AEGEAN SERENITY"}
			in.Checklists = []Blocker{ChecklistBlocker(IncompleteChecklist{Checklist: c, State: StateOf(c, SignatureSides(nil))})}
		}, cleared: true, reasons: []string{"checklist 2 (Before operations commence) of MT AEGEAN SERENITY: awaits the signature of the POAC"}, gates: []GateName{GateCommencement}},
		{name: "clearance blockers come before commencement ones", change: func(in *GateInput) {
			in.Docs = append(in.Docs,
				DocumentState{TypeCode: "ISSC", TypeName: "ISSC", Criticality: CriticalityMedium, Required: true, Status: DocMissing},
				DocumentState{TypeCode: "SIRE", TypeName: "SIRE", Criticality: CriticalityHigh, Required: true, Status: DocMissing})
		}, reasons: []string{"SIRE: missing", "ISSC: missing"}, gates: []GateName{GateClearance, GateCommencement}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := clearedInput()
			c.change(&in)
			got := Gate(in)
			if got.Cleared != c.cleared || got.MayCommence != c.mayCommence || len(got.Blockers) != len(c.reasons) {
				t.Fatalf("Gate = %+v, want cleared %v, may commence %v, %d blockers", got, c.cleared, c.mayCommence, len(c.reasons))
			}
			for i, r := range c.reasons {
				if b := got.Blockers[i]; !strings.Contains(b.Reason, r) || b.Gate != c.gates[i] || len(b.ActBy) == 0 {
					t.Errorf("blocker %d = %+v, want gate %s, someone to act and a reason mentioning %q", i, b, c.gates[i], r)
				}
			}
		})
	}
}

func TestGateNotesInformativeDocuments(t *testing.T) {
	in := clearedInput()
	in.Docs = append(in.Docs, DocumentState{TypeCode: "X", TypeName: "Terminal letter", Criticality: CriticalityLow, Required: true, Status: DocMissing})
	got := Gate(in)
	if len(got.Notes) != 1 || !strings.Contains(got.Notes[0].Reason, "Terminal letter: missing (informative") || got.Notes[0].Gate != "" {
		t.Fatalf("notes = %+v, want the informative document named", got.Notes)
	}
}

// A 7-day screening done on 10 March for a Malta ETA of 14 March 08:00 clears the room; the
// same screening for an ETA of 18 March ages out during the window: the room is cleared (the
// evidence is valid now) but may not commence until it is re-run.
func TestGatePointInTimeEvidence(t *testing.T) {
	screening := approvedDoc("SANCTIONS", CriticalityHigh, Validity{Kind: ExpiryPointInTime, PerformedAt: timep(utc(2026, 3, 10, 9, 0)), MaxAgeDays: 7})
	tests := []struct {
		name                 string
		eta                  time.Time
		now                  time.Time
		cleared, mayCommence bool
	}{
		{name: "valid through the window", eta: maltaETA, now: maltaNow, cleared: true, mayCommence: true},
		{name: "ages out during the window: re-run before commencement", eta: utc(2026, 3, 16, 8, 0), now: maltaNow, cleared: true},
		{name: "aged out: blocks clearance", eta: utc(2026, 3, 18, 8, 0), now: utc(2026, 3, 17, 9, 0)},
		{name: "one minute before it ages out", eta: utc(2026, 3, 17, 0, 0), now: utc(2026, 3, 17, 8, 59), cleared: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := clearedInput()
			in.Docs, in.Now, in.WindowEnd = []DocumentState{screening}, tt.now, OperationWindowEnd(tt.eta, 0)
			got := Gate(in)
			if got.Cleared != tt.cleared || got.MayCommence != tt.mayCommence {
				t.Fatalf("Gate = %+v, want cleared %v, may commence %v", got, tt.cleared, tt.mayCommence)
			}
			if !tt.mayCommence && tt.cleared && !strings.Contains(got.Blockers[0].Reason, "re-run it before commencement") {
				t.Errorf("reason = %q, want it to say the screening is to be re-run", got.Blockers[0].Reason)
			}
		})
	}
}

// The operation window: certificates are judged through its end, 48 h after the ETA unless
// the room states another length.
func TestGateOperationWindow(t *testing.T) {
	eta := utc(2026, 2, 19, 6, 0)
	hm := approvedDoc("CLASS", CriticalityHigh, Validity{Kind: ExpiryDate, ExpiresOn: timep(utc(2026, 2, 21, 0, 0))}) // valid through 21 Feb
	tests := []struct {
		name    string
		length  time.Duration
		cleared bool
	}{
		{name: "default 48 h: ends 21 Feb 06:00, within the certificate", length: 0, cleared: true},
		{name: "66 h: ends 21 Feb 24:00, the last instant of the certificate", length: 66 * time.Hour, cleared: true},
		{name: "66 h 1 min: ends a minute after the certificate", length: 66*time.Hour + time.Minute},
		{name: "a four-day lightering", length: 96 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := clearedInput()
			in.Docs, in.Now, in.WindowEnd = []DocumentState{hm}, utc(2026, 2, 17, 9, 0), OperationWindowEnd(eta, tt.length)
			if got := Gate(in); got.Cleared != tt.cleared {
				t.Fatalf("Gate = %+v, want cleared %v", got, tt.cleared)
			}
		})
	}
}

func TestOperationWindowEnd(t *testing.T) {
	eta := utc(2026, 2, 19, 6, 0)
	plus2 := time.FixedZone("+02:00", 2*60*60)
	tests := []struct {
		name   string
		eta    time.Time
		length time.Duration
		want   time.Time
	}{
		{name: "no length: 48 h after the ETA", eta: eta, want: utc(2026, 2, 21, 6, 0)},
		{name: "a stated length", eta: eta, length: 36 * time.Hour, want: utc(2026, 2, 20, 18, 0)},
		{name: "four days", eta: eta, length: 96 * time.Hour, want: utc(2026, 2, 23, 6, 0)},
		{name: "a negative length is the default", eta: eta, length: -time.Hour, want: utc(2026, 2, 21, 6, 0)},
		{name: "ETA in another zone", eta: time.Date(2026, 2, 19, 8, 0, 0, 0, plus2), want: utc(2026, 2, 21, 6, 0)},
	}
	for _, tt := range tests {
		got := OperationWindowEnd(tt.eta, tt.length)
		if !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("%s: OperationWindowEnd = %v, want %v (UTC)", tt.name, got, tt.want)
		}
	}
	if DefaultOperationLength != 48*time.Hour {
		t.Errorf("DefaultOperationLength = %v, want 48h", DefaultOperationLength)
	}
}

func TestOperationLength(t *testing.T) {
	eta := utc(2026, 3, 14, 8, 0)
	hours := func(h float64) *float64 { return &h }
	tests := []struct {
		name    string
		end     *time.Time
		hours   *float64
		current time.Duration
		want    time.Duration
		field   string // the field named when invalid
	}{
		{name: "neither: keeps the current length", current: 72 * time.Hour, want: 72 * time.Hour},
		{name: "an end", end: timep(utc(2026, 3, 18, 8, 0)), current: 48 * time.Hour, want: 96 * time.Hour},
		{name: "hours", hours: hours(36.5), current: 48 * time.Hour, want: 36*time.Hour + 30*time.Minute},
		{name: "both, agreeing", end: timep(utc(2026, 3, 16, 8, 0)), hours: hours(48), want: 48 * time.Hour},
		{name: "both, disagreeing", end: timep(utc(2026, 3, 16, 8, 0)), hours: hours(47), field: "sts_end"},
		{name: "an end before the ETA", end: timep(utc(2026, 3, 14, 7, 0)), field: "sts_end"},
		{name: "an end 59 minutes after the ETA", end: timep(utc(2026, 3, 14, 8, 59)), field: "sts_end"},
		{name: "an end 1 h after the ETA", end: timep(utc(2026, 3, 14, 9, 0)), want: time.Hour},
		{name: "60 days", hours: hours(1440), want: 1440 * time.Hour},
		{name: "more than 60 days", hours: hours(1440.5), field: "duration_hours"},
		{name: "zero hours", hours: hours(0), field: "duration_hours"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := OperationLength(eta, tt.end, tt.hours, tt.current)
			if tt.field != "" {
				if err == nil || !strings.Contains(err.Error(), tt.field) {
					t.Fatalf("OperationLength = %v, %v; want an error naming %s", got, err, tt.field)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("OperationLength = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

func TestEffectiveLength(t *testing.T) {
	for in, want := range map[time.Duration]time.Duration{
		0: DefaultOperationLength, -time.Minute: DefaultOperationLength, time.Minute: time.Minute, 96 * time.Hour: 96 * time.Hour,
	} {
		if got := EffectiveLength(in); got != want {
			t.Errorf("EffectiveLength(%v) = %v, want %v", in, got, want)
		}
	}
}
