package clearance

import (
	"testing"
	"time"
)

// piYear is the validity of a seeded P&I certificate of entry expiring on day: its type
// ends it at 12:00 GMT.
func piYear(t *testing.T, day string) Validity {
	t.Helper()
	pi := seedType(t, "PI_COE")
	return Validity{Kind: ExpiryDate, ExpiresOn: mustDate(t, day), EndsAt: pi.ValidityEnd()}
}

func seedType(t *testing.T, code string) DocumentType {
	t.Helper()
	for _, d := range DefaultCatalogue() {
		if d.Code == code {
			return d
		}
	}
	t.Fatalf("no seed type %s", code)
	return DocumentType{}
}

// TestPIYearEndsAtNoon: the P&I year ends at 12:00 GMT on 20 February (docs/domain.md); an
// ISSC dated the same day is valid through its last second.
func TestPIYearEndsAtNoon(t *testing.T) {
	issc := Validity{Kind: ExpiryDate, ExpiresOn: mustDate(t, "2026-02-20"), EndsAt: seedType(t, "ISSC").ValidityEnd()}
	tests := []struct {
		name string
		v    Validity
		at   time.Time
		want DocStatus
	}{
		{"P&I at 11:59Z", piYear(t, "2026-02-20"), utc(2026, 2, 20, 11, 59), DocApproved},
		{"P&I at 11:59:59.999Z", piYear(t, "2026-02-20"), utc(2026, 2, 20, 12, 0).Add(-time.Millisecond), DocApproved},
		{"P&I at 12:00Z", piYear(t, "2026-02-20"), utc(2026, 2, 20, 12, 0), DocExpired},
		{"P&I at 12:01Z", piYear(t, "2026-02-20"), utc(2026, 2, 20, 12, 1), DocExpired},
		{"ISSC at 12:01Z", issc, utc(2026, 2, 20, 12, 1), DocApproved},
		{"ISSC at 23:59:59Z", issc, utc(2026, 2, 20, 23, 59).Add(59 * time.Second), DocApproved},
		{"ISSC at midnight", issc, utc(2026, 2, 21, 0, 0), DocExpired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := EffectiveStatus(DocApproved, tt.v, tt.at); got != tt.want {
				t.Errorf("EffectiveStatus at %s = %s, want %s", tt.at.Format(time.RFC3339Nano), got, tt.want)
			}
		})
	}
	if got, want := *piYear(t, "2026-02-20").ValidUntil(), utc(2026, 2, 20, 12, 0); !got.Equal(want) {
		t.Errorf("P&I ValidUntil = %v, want %v", got, want)
	}
	if got, want := *issc.ValidUntil(), utc(2026, 2, 21, 0, 0); !got.Equal(want) {
		t.Errorf("ISSC ValidUntil = %v, want %v", got, want)
	}
}

// TestValidUntilTimeOfDay: the end is the wall-clock time in the type's zone on the expiry
// date, summer time included; the expiry date is read as a UTC date.
func TestValidUntilTimeOfDay(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		on   string
		end  *TimeOfDay
		want time.Time
	}{
		{"no time: next midnight UTC", "2026-02-20", nil, utc(2026, 2, 21, 0, 0)},
		{"noon, nil zone is UTC", "2026-02-20", &TimeOfDay{Minutes: 720}, utc(2026, 2, 20, 12, 0)},
		{"midnight in the zone", "2026-02-20", &TimeOfDay{Minutes: 0, Zone: time.UTC}, utc(2026, 2, 20, 0, 0)},
		{"last minute of the day", "2026-02-20", &TimeOfDay{Minutes: 1439, Zone: time.UTC}, utc(2026, 2, 20, 23, 59)},
		{"London in winter", "2026-02-20", &TimeOfDay{Minutes: 720, Zone: london}, utc(2026, 2, 20, 12, 0)},
		{"London in summer (BST)", "2026-07-20", &TimeOfDay{Minutes: 720, Zone: london}, utc(2026, 7, 20, 11, 0)},
		{"ahead of UTC: ends before the UTC date begins", "2026-02-20", &TimeOfDay{Minutes: 60, Zone: tokyo}, utc(2026, 2, 19, 16, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := Validity{Kind: ExpiryDate, ExpiresOn: mustDate(t, tt.on), EndsAt: tt.end}
			if got := v.ValidUntil(); got == nil || !got.Equal(tt.want) {
				t.Errorf("ValidUntil = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestPIYearBlocksTheSkawWindow: a P&I entry ending at noon on 20 Feb blocks an operation
// window ending 20 Feb 14:00Z, and the blocker gives the time; one ending 20 Feb 11:00Z is
// covered.
func TestPIYearBlocksTheSkawWindow(t *testing.T) {
	doc := piCertificate(t, "2026-02-20")
	doc.Validity = piYear(t, "2026-02-20")
	now := utc(2026, 2, 18, 9, 0)
	got := docBlockers([]DocumentState{doc}, now, utc(2026, 2, 20, 14, 0))
	want := "P&I certificate of entry — MT AEGEAN SERENITY: expires on 2026-02-20 at 12:00 GMT, before the operation ends"
	if len(got) != 1 || got[0].Reason != want {
		t.Fatalf("blockers = %+v, want one with reason %q", got, want)
	}
	if got := docBlockers([]DocumentState{doc}, now, utc(2026, 2, 20, 11, 0)); len(got) != 0 {
		t.Fatalf("a window ending 11:00Z: blockers %+v, want none", got)
	}
	if got := docBlockers([]DocumentState{doc}, utc(2026, 2, 20, 12, 1), utc(2026, 2, 20, 14, 0)); len(got) != 1 || got[0].Reason != doc.TypeName+" — "+doc.VesselName+": expired" {
		t.Fatalf("at 12:01Z: blockers %+v, want one expired", got)
	}
}

func TestValidityEnd(t *testing.T) {
	tests := []struct {
		name             string
		expiry           ExpiryKind
		time, zone, want string // want: TimeOfDay.String(), "" for nil
	}{
		{"end of the day", ExpiryDate, "", "", ""},
		{"noon GMT", ExpiryDate, "12:00", "GMT", "12:00 GMT"},
		{"no zone is UTC", ExpiryDate, "06:30", "", "06:30 UTC"},
		{"a named zone", ExpiryDate, "23:59", "Europe/London", "23:59 Europe/London"},
		{"not a dated type", ExpiryPointInTime, "12:00", "GMT", ""},
		{"a zone that does not load: start of the day, UTC", ExpiryDate, "12:00", "Mars/Olympus", "00:00 UTC"},
		{"a stored time that does not parse: start of the day, UTC", ExpiryDate, "noon", "GMT", "00:00 UTC"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := DocumentType{Expiry: tt.expiry, ExpiryTime: tt.time, ExpiryZone: tt.zone}
			got := ""
			if e := d.ValidityEnd(); e != nil {
				got = e.String()
			}
			if got != tt.want {
				t.Errorf("ValidityEnd = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestExpiryText(t *testing.T) {
	if got := piYear(t, "2026-02-20").ExpiryText(); got != "2026-02-20 at 12:00 GMT" {
		t.Errorf("P&I: %q", got)
	}
	if got := (Validity{Kind: ExpiryDate, ExpiresOn: mustDate(t, "2026-02-20")}).ExpiryText(); got != "2026-02-20" {
		t.Errorf("ISSC: %q", got)
	}
	if got := (Validity{Kind: ExpiryDate}).ExpiryText(); got != "" {
		t.Errorf("no date: %q", got)
	}
}
