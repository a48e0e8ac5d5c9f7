package clearance

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apperr"
)

var (
	allDocStatuses = []DocStatus{DocMissing, DocUnderReview, DocApproved, DocRejected, DocExpired}
	allDocEvents   = []DocEvent{EventUpload, EventApprove, EventReject, EventExpire}
)

// transitionTable is the whole document status machine: every status × every event, with the
// status it leads to, or ok=false when the event is refused as a conflict.
var transitionTable = []struct {
	from  DocStatus
	event DocEvent
	to    DocStatus
	ok    bool
}{
	{DocMissing, EventUpload, DocUnderReview, true},
	{DocMissing, EventApprove, "", false},
	{DocMissing, EventReject, "", false},
	{DocMissing, EventExpire, "", false},

	{DocUnderReview, EventUpload, DocUnderReview, true}, // a replacement goes back to review
	{DocUnderReview, EventApprove, DocApproved, true},
	{DocUnderReview, EventReject, DocRejected, true},
	{DocUnderReview, EventExpire, "", false},

	{DocApproved, EventUpload, DocUnderReview, true},
	{DocApproved, EventApprove, "", false},
	{DocApproved, EventReject, DocRejected, true}, // approval withdrawn
	{DocApproved, EventExpire, DocExpired, true},

	{DocRejected, EventUpload, DocUnderReview, true},
	{DocRejected, EventApprove, "", false}, // needs a new upload
	{DocRejected, EventReject, "", false},
	{DocRejected, EventExpire, "", false},

	{DocExpired, EventUpload, DocUnderReview, true},
	{DocExpired, EventApprove, "", false}, // an expired document is not approved again
	{DocExpired, EventReject, DocRejected, true},
	{DocExpired, EventExpire, "", false},
}

func TestTransition(t *testing.T) {
	type pair struct {
		from  DocStatus
		event DocEvent
	}
	seen := make(map[pair]bool)
	for _, tt := range transitionTable {
		p := pair{tt.from, tt.event}
		if seen[p] {
			t.Errorf("table lists %s × %s twice", tt.from, tt.event)
		}
		seen[p] = true

		got, err := Transition(tt.from, tt.event)
		if tt.ok {
			if err != nil || got != tt.to {
				t.Errorf("Transition(%s, %s) = %q, %v; want %q", tt.from, tt.event, got, err, tt.to)
			}
			continue
		}
		if !errors.Is(err, apperr.ErrConflict) {
			t.Errorf("Transition(%s, %s) = %q, %v; want a conflict", tt.from, tt.event, got, err)
			continue
		}
		if got != tt.from {
			t.Errorf("refused Transition(%s, %s) returned %q, want the unchanged status", tt.from, tt.event, got)
		}
	}

	// The table must be complete: every status × every event.
	for _, s := range allDocStatuses {
		for _, e := range allDocEvents {
			if !seen[pair{s, e}] {
				t.Errorf("table does not cover %s × %s", s, e)
			}
		}
	}
	if want := len(allDocStatuses) * len(allDocEvents); len(transitionTable) != want {
		t.Errorf("table has %d rows, want %d", len(transitionTable), want)
	}

	// And the machine must hold nothing the table does not: a new status, event or transition
	// fails here until the table is updated.
	known := func(s DocStatus) bool {
		for _, k := range allDocStatuses {
			if k == s {
				return true
			}
		}
		return false
	}
	allowed := 0
	for from, events := range docTransitions {
		if !known(from) {
			t.Errorf("the machine has an unknown status %q", from)
		}
		for e, to := range events {
			allowed++
			if !known(to) {
				t.Errorf("the machine leads %s × %s to an unknown status %q", from, e, to)
			}
			found := false
			for _, tt := range transitionTable {
				if tt.from == from && tt.event == e {
					found = true
					if !tt.ok || tt.to != to {
						t.Errorf("the machine has %s × %s → %s, the table says %q (allowed %v)", from, e, to, tt.to, tt.ok)
					}
				}
			}
			if !found {
				t.Errorf("the machine has %s × %s → %s, missing from the table", from, e, to)
			}
		}
	}
	wantAllowed := 0
	for _, tt := range transitionTable {
		if tt.ok {
			wantAllowed++
		}
	}
	if allowed != wantAllowed {
		t.Errorf("the machine allows %d transitions, the table %d", allowed, wantAllowed)
	}
}

func TestTransitionUnknown(t *testing.T) {
	tests := []struct {
		from  DocStatus
		event DocEvent
	}{
		{"", EventUpload},
		{"archived", EventUpload},
		{DocApproved, ""},
		{DocUnderReview, "withdraw"},
		{"APPROVED", EventReject},
	}
	for _, tt := range tests {
		got, err := Transition(tt.from, tt.event)
		if !errors.Is(err, apperr.ErrConflict) || got != tt.from {
			t.Errorf("Transition(%q, %q) = %q, %v; want %q and a conflict", tt.from, tt.event, got, err, tt.from)
		}
	}
}

func TestTransitionMessage(t *testing.T) {
	tests := []struct {
		from  DocStatus
		event DocEvent
		want  string
	}{
		{DocMissing, EventApprove, "a document that is missing cannot be approved"},
		{DocRejected, EventReject, "a document that is rejected cannot be rejected"},
		{DocUnderReview, EventExpire, "a document that is under_review cannot be expired"},
		{DocExpired, EventApprove, "a document that is expired cannot be approved"},
		{"archived", EventUpload, "a document that is archived cannot be uploaded"},
	}
	for _, tt := range tests {
		_, err := Transition(tt.from, tt.event)
		if err == nil || !strings.HasPrefix(err.Error(), tt.want+": ") {
			t.Errorf("Transition(%s, %s) error = %v, want %q…", tt.from, tt.event, err, tt.want)
		}
	}
}

func utc(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, time.UTC)
}

func timep(t time.Time) *time.Time { return &t }

func TestValidUntil(t *testing.T) {
	plus2 := time.FixedZone("+02:00", 2*60*60)
	minus5 := time.FixedZone("-05:00", -5*60*60)
	tests := []struct {
		name string
		v    Validity
		want *time.Time
	}{
		{name: "expiry date: valid through that day", v: Validity{Kind: ExpiryDate, ExpiresOn: timep(utc(2026, 2, 20, 0, 0))},
			want: timep(utc(2026, 2, 21, 0, 0))},
		{name: "expiry date with a time of day keeps the day", v: Validity{Kind: ExpiryDate, ExpiresOn: timep(utc(2026, 2, 20, 12, 0))},
			want: timep(utc(2026, 2, 21, 0, 0))},
		{name: "expiry date at the last instant of the day", v: Validity{Kind: ExpiryDate, ExpiresOn: timep(utc(2026, 2, 20, 23, 59).Add(59*time.Second + 999*time.Millisecond))},
			want: timep(utc(2026, 2, 21, 0, 0))},
		{name: "expiry at year end", v: Validity{Kind: ExpiryDate, ExpiresOn: timep(utc(2026, 12, 31, 0, 0))},
			want: timep(utc(2027, 1, 1, 0, 0))},
		{name: "expiry on a leap day", v: Validity{Kind: ExpiryDate, ExpiresOn: timep(utc(2028, 2, 29, 0, 0))},
			want: timep(utc(2028, 3, 1, 0, 0))},
		{name: "expiry date in another zone uses its UTC date", v: Validity{Kind: ExpiryDate, ExpiresOn: timep(time.Date(2026, 2, 20, 1, 0, 0, 0, plus2))},
			want: timep(utc(2026, 2, 20, 0, 0))}, // 2026-02-19T23:00Z
		{name: "expiry date west of UTC", v: Validity{Kind: ExpiryDate, ExpiresOn: timep(time.Date(2026, 2, 20, 22, 0, 0, 0, minus5))},
			want: timep(utc(2026, 2, 22, 0, 0))}, // 2026-02-21T03:00Z
		{name: "expiry date unknown", v: Validity{Kind: ExpiryDate}},
		{name: "expiry date ignores max age", v: Validity{Kind: ExpiryDate, ExpiresOn: timep(utc(2026, 2, 20, 0, 0)), PerformedAt: timep(utc(2020, 1, 1, 0, 0)), MaxAgeDays: 7},
			want: timep(utc(2026, 2, 21, 0, 0))},

		{name: "SIRE: 180 days after the inspection", v: Validity{Kind: ExpiryPointInTime, PerformedAt: timep(utc(2026, 1, 1, 10, 30)), MaxAgeDays: 180},
			want: timep(utc(2026, 6, 30, 10, 30))},
		{name: "screening: 7 days to the instant", v: Validity{Kind: ExpiryPointInTime, PerformedAt: timep(utc(2026, 2, 27, 8, 0)), MaxAgeDays: 7},
			want: timep(utc(2026, 3, 6, 8, 0))},
		{name: "point in time in another zone", v: Validity{Kind: ExpiryPointInTime, PerformedAt: timep(time.Date(2026, 3, 1, 1, 0, 0, 0, plus2)), MaxAgeDays: 1},
			want: timep(utc(2026, 3, 1, 23, 0))},
		{name: "point in time without an age limit", v: Validity{Kind: ExpiryPointInTime, PerformedAt: timep(utc(2016, 1, 1, 0, 0)), MaxAgeDays: 0}},
		{name: "point in time with a negative age", v: Validity{Kind: ExpiryPointInTime, PerformedAt: timep(utc(2016, 1, 1, 0, 0)), MaxAgeDays: -1}},
		{name: "point in time not yet performed", v: Validity{Kind: ExpiryPointInTime, MaxAgeDays: 7}},
		{name: "point in time ignores an expiry date", v: Validity{Kind: ExpiryPointInTime, ExpiresOn: timep(utc(2026, 2, 20, 0, 0))}},

		{name: "no expiry", v: Validity{Kind: ExpiryNone}},
		{name: "no expiry ignores the dates", v: Validity{Kind: ExpiryNone, ExpiresOn: timep(utc(2020, 1, 1, 0, 0)), PerformedAt: timep(utc(2020, 1, 1, 0, 0)), MaxAgeDays: 1}},
		{name: "unknown kind", v: Validity{Kind: "", ExpiresOn: timep(utc(2020, 1, 1, 0, 0))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.v.ValidUntil()
			switch {
			case tt.want == nil && got != nil:
				t.Fatalf("ValidUntil = %v, want nil", *got)
			case tt.want == nil:
			case got == nil:
				t.Fatalf("ValidUntil = nil, want %v", *tt.want)
			case !got.Equal(*tt.want) || got.Location() != time.UTC:
				t.Fatalf("ValidUntil = %v, want %v (UTC)", *got, *tt.want)
			}
		})
	}
}

func TestValidUntilDoesNotModifyItsInput(t *testing.T) {
	on := utc(2026, 2, 20, 15, 0)
	v := Validity{Kind: ExpiryDate, ExpiresOn: &on}
	v.ValidUntil()
	if !on.Equal(utc(2026, 2, 20, 15, 0)) {
		t.Fatalf("ExpiresOn changed to %v", on)
	}
}

func TestEffectiveStatus(t *testing.T) {
	piExpiry := Validity{Kind: ExpiryDate, ExpiresOn: timep(utc(2026, 2, 20, 0, 0))}
	sire := func(performed time.Time) Validity {
		return Validity{Kind: ExpiryPointInTime, PerformedAt: &performed, MaxAgeDays: 180}
	}
	now := utc(2026, 3, 14, 6, 0)
	tests := []struct {
		name   string
		stored DocStatus
		v      Validity
		now    time.Time
		want   DocStatus
	}{
		{name: "certificate on its expiry day, first instant", stored: DocApproved, v: piExpiry, now: utc(2026, 2, 20, 0, 0), want: DocApproved},
		{name: "certificate on its expiry day, noon", stored: DocApproved, v: piExpiry, now: utc(2026, 2, 20, 12, 0), want: DocApproved},
		{name: "certificate on its expiry day, last instant", stored: DocApproved, v: piExpiry, now: utc(2026, 2, 21, 0, 0).Add(-time.Nanosecond), want: DocApproved},
		{name: "certificate from the next midnight UTC", stored: DocApproved, v: piExpiry, now: utc(2026, 2, 21, 0, 0), want: DocExpired},
		{name: "certificate, next midnight in local time is still the expiry day in UTC", stored: DocApproved, v: piExpiry,
			now: time.Date(2026, 2, 21, 1, 0, 0, 0, time.FixedZone("+02:00", 2*60*60)), want: DocApproved},
		{name: "certificate, a week later", stored: DocApproved, v: piExpiry, now: utc(2026, 2, 27, 0, 0), want: DocExpired},
		{name: "certificate without a date never expires", stored: DocApproved, v: Validity{Kind: ExpiryDate}, now: now, want: DocApproved},

		{name: "SIRE 200 days old", stored: DocApproved, v: sire(now.AddDate(0, 0, -200)), now: now, want: DocExpired},
		{name: "SIRE 179 days old", stored: DocApproved, v: sire(now.AddDate(0, 0, -179)), now: now, want: DocApproved},
		{name: "SIRE 180 days old to the instant", stored: DocApproved, v: sire(now.AddDate(0, 0, -180)), now: now, want: DocExpired},
		{name: "SIRE a second short of 180 days", stored: DocApproved, v: sire(now.AddDate(0, 0, -180).Add(time.Second)), now: now, want: DocApproved},
		{name: "point in time with no age limit", stored: DocApproved,
			v: Validity{Kind: ExpiryPointInTime, PerformedAt: timep(now.AddDate(-10, 0, 0)), MaxAgeDays: 0}, now: now, want: DocApproved},
		{name: "sanctions screening 8 days old", stored: DocApproved,
			v: Validity{Kind: ExpiryPointInTime, PerformedAt: timep(now.AddDate(0, 0, -8)), MaxAgeDays: 7}, now: now, want: DocExpired},
		{name: "sanctions screening 6 days old", stored: DocApproved,
			v: Validity{Kind: ExpiryPointInTime, PerformedAt: timep(now.AddDate(0, 0, -6)), MaxAgeDays: 7}, now: now, want: DocApproved},

		{name: "no expiry, far future", stored: DocApproved, v: Validity{Kind: ExpiryNone}, now: utc(2126, 1, 1, 0, 0), want: DocApproved},
		{name: "no expiry ignores a past date", stored: DocApproved,
			v: Validity{Kind: ExpiryNone, ExpiresOn: timep(utc(2020, 1, 1, 0, 0))}, now: now, want: DocApproved},

		{name: "missing passes through", stored: DocMissing, v: piExpiry, now: now, want: DocMissing},
		{name: "under review passes through though past validity", stored: DocUnderReview, v: piExpiry, now: now, want: DocUnderReview},
		{name: "rejected passes through though past validity", stored: DocRejected, v: piExpiry, now: now, want: DocRejected},
		{name: "expired stays expired while still in validity", stored: DocExpired, v: piExpiry, now: utc(2026, 2, 1, 0, 0), want: DocExpired},
		{name: "expired stays expired with no expiry", stored: DocExpired, v: Validity{Kind: ExpiryNone}, now: now, want: DocExpired},
		{name: "unknown status passes through", stored: "archived", v: piExpiry, now: now, want: "archived"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := EffectiveStatus(tt.stored, tt.v, tt.now); got != tt.want {
				t.Fatalf("EffectiveStatus(%s, …, %v) = %s, want %s", tt.stored, tt.now, got, tt.want)
			}
		})
	}
}

func TestExpiresBefore(t *testing.T) {
	pi := Validity{Kind: ExpiryDate, ExpiresOn: timep(utc(2026, 2, 20, 0, 0))} // valid until 2026-02-21T00:00Z
	tests := []struct {
		name string
		v    Validity
		t    time.Time
		want bool
	}{
		{name: "window ends after the last valid day", v: pi, t: utc(2026, 2, 21, 6, 0), want: true},
		{name: "window ends a nanosecond after validity", v: pi, t: utc(2026, 2, 21, 0, 0).Add(time.Nanosecond), want: true},
		{name: "window ends exactly when validity does", v: pi, t: utc(2026, 2, 21, 0, 0), want: false},
		{name: "window ends on the expiry day", v: pi, t: utc(2026, 2, 20, 18, 0), want: false},
		{name: "same instant in another zone", v: pi, t: time.Date(2026, 2, 21, 2, 0, 0, 0, time.FixedZone("+02:00", 2*60*60)), want: false},
		{name: "point in time expiring inside the window", v: Validity{Kind: ExpiryPointInTime, PerformedAt: timep(utc(2026, 2, 12, 6, 0)), MaxAgeDays: 7},
			t: utc(2026, 2, 21, 6, 0), want: true},
		{name: "point in time without a limit", v: Validity{Kind: ExpiryPointInTime, PerformedAt: timep(utc(2016, 1, 1, 0, 0))},
			t: utc(2026, 2, 21, 6, 0), want: false},
		{name: "no expiry", v: Validity{Kind: ExpiryNone}, t: utc(2126, 1, 1, 0, 0), want: false},
		{name: "no date", v: Validity{Kind: ExpiryDate}, t: utc(2126, 1, 1, 0, 0), want: false},
	}
	for _, tt := range tests {
		if got := tt.v.ExpiresBefore(tt.t); got != tt.want {
			t.Errorf("%s: ExpiresBefore(%v) = %v, want %v", tt.name, tt.t, got, tt.want)
		}
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Time
		wantErr bool
	}{
		{in: "2026-02-20", want: utc(2026, 2, 20, 0, 0)},
		{in: "2028-02-29", want: utc(2028, 2, 29, 0, 0)},
		{in: "2026-02-20T23:30:00+02:00", want: utc(2026, 2, 20, 0, 0)},
		{in: "2026-02-20T01:30:00+02:00", want: utc(2026, 2, 19, 0, 0)}, // 2026-02-19T23:30Z
		{in: "2026-02-20T22:00:00-05:00", want: utc(2026, 2, 21, 0, 0)}, // 2026-02-21T03:00Z
		{in: "2026-02-20T12:00:00Z", want: utc(2026, 2, 20, 0, 0)},
		{in: "2026-02-20T23:59:59.999Z", want: utc(2026, 2, 20, 0, 0)},
		{in: "", wantErr: true},
		{in: "garbage", wantErr: true},
		{in: "20/02/2026", wantErr: true},
		{in: "2026-2-20", wantErr: true},
		{in: "2026-02-30", wantErr: true},
		{in: "2027-02-29", wantErr: true},
		{in: "2026-13-01", wantErr: true},
		{in: "2026-02-20T12:00:00", wantErr: true}, // no zone
		{in: "2026-02-20 12:00:00Z", wantErr: true},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if tt.wantErr {
			if err == nil {
				t.Errorf("ParseDate(%q) = %v, want an error", tt.in, got)
			} else if !got.IsZero() {
				t.Errorf("ParseDate(%q) = %v with an error, want the zero time", tt.in, got)
			} else if err.Error() != "must be a date YYYY-MM-DD" {
				t.Errorf("ParseDate(%q) error = %q", tt.in, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseDate(%q): %v", tt.in, err)
			continue
		}
		if !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("ParseDate(%q) = %v, want %v (UTC)", tt.in, got, tt.want)
		}
	}
}

// A parsed expiry date feeds ValidUntil: valid through that UTC day.
func TestParseDateThroughValidUntil(t *testing.T) {
	d, err := ParseDate("2026-02-20T23:30:00+02:00")
	if err != nil {
		t.Fatal(err)
	}
	until := Validity{Kind: ExpiryDate, ExpiresOn: &d}.ValidUntil()
	if until == nil || !until.Equal(utc(2026, 2, 21, 0, 0)) {
		t.Fatalf("ValidUntil = %v, want 2026-02-21T00:00Z", until)
	}
}
