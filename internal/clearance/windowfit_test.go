package clearance

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestJudgeWindow(t *testing.T) {
	now := utc(2026, 12, 3, 15, 0)
	start := utc(2026, 12, 13, 8, 0) // the ships meet
	end := start.Add(36 * time.Hour) // 14 Dec 20:00
	noon := &TimeOfDay{Minutes: 12 * 60}
	day := func(y int, m time.Month, d int) *time.Time { return timep(utc(y, m, d, 0, 0)) }
	// evidence performed at p with a 7-day age limit: it ages out at p + 7 days.
	evidence := func(p time.Time) Validity {
		return Validity{Kind: ExpiryPointInTime, PerformedAt: &p, MaxAgeDays: 7}
	}
	tests := []struct {
		name  string
		v     Validity
		now   time.Time
		fit   WindowFit
		words []string // in the text
	}{
		{name: "a certificate valid for years", v: Validity{Kind: ExpiryDate, ExpiresOn: day(2028, 5, 1)},
			fit: FitThroughout, words: []string{"Valid throughout the operation", "expires on 2028-05-01 (end of day, UTC)", "13 Dec 2026 08:00 UTC to 14 Dec 2026 20:00 UTC"}},
		{name: "valid until the window's end exactly: throughout", v: Validity{Kind: ExpiryDate, ExpiresOn: day(2026, 12, 14), EndsAt: &TimeOfDay{Minutes: 20 * 60}},
			fit: FitThroughout, words: []string{"expires on 2026-12-14 at 20:00 UTC"}},
		{name: "a minute before the window's end: lapses during it", v: Validity{Kind: ExpiryDate, ExpiresOn: day(2026, 12, 14), EndsAt: &TimeOfDay{Minutes: 20*60 - 1}},
			fit: FitLapses, words: []string{"Lapses during the operation", "expires on 2026-12-14 at 19:59 UTC"}},
		{name: "a P&I entry ending at noon on the second day", v: Validity{Kind: ExpiryDate, ExpiresOn: day(2026, 12, 14), EndsAt: noon},
			fit: FitLapses, words: []string{"Lapses during the operation", "12:00 UTC"}},
		// Valid until the meeting exactly is valid for none of the operation.
		{name: "lapsing at the ships' meeting exactly: before it starts", v: Validity{Kind: ExpiryDate, ExpiresOn: day(2026, 12, 13), EndsAt: &TimeOfDay{Minutes: 8 * 60}},
			fit: FitLapses, words: []string{"Lapses before the operation starts", "08:00"}},
		{name: "a minute after the meeting: during", v: Validity{Kind: ExpiryDate, ExpiresOn: day(2026, 12, 13), EndsAt: &TimeOfDay{Minutes: 8*60 + 1}},
			fit: FitLapses, words: []string{"Lapses during the operation", "08:01"}},
		{name: "a minute before the meeting: before it starts", v: Validity{Kind: ExpiryDate, ExpiresOn: day(2026, 12, 13), EndsAt: &TimeOfDay{Minutes: 8*60 - 1}},
			fit: FitLapses, words: []string{"Lapses before the operation starts", "07:59"}},
		{name: "valid through today only", v: Validity{Kind: ExpiryDate, ExpiresOn: day(2026, 12, 3)},
			fit: FitLapses, words: []string{"Lapses before the operation starts", "2026-12-03"}},
		{name: "expired at this instant", v: Validity{Kind: ExpiryDate, ExpiresOn: day(2026, 12, 3), EndsAt: &TimeOfDay{Minutes: 15 * 60}},
			fit: FitExpired, words: []string{"Already expired", "2026-12-03 at 15:00 UTC"}},
		{name: "expired in 2020", v: Validity{Kind: ExpiryDate, ExpiresOn: day(2020, 5, 1)},
			fit: FitExpired, words: []string{"Already expired: its expiry date was 2020-05-01."}},
		{name: "the operation under way, lapsing before it ends", v: Validity{Kind: ExpiryDate, ExpiresOn: day(2026, 12, 13)},
			now: start.Add(2 * time.Hour), fit: FitLapses, words: []string{"Lapses during the operation"}},
		{name: "a certificate with no date recorded", v: Validity{Kind: ExpiryDate},
			fit: FitUndated, words: []string{"No expiry date is recorded"}},

		{name: "a screening that holds through the window", v: evidence(end.AddDate(0, 0, -7)),
			fit: FitThroughout, words: []string{"ages out at 14 Dec 2026 20:00 UTC"}},
		{name: "a screening ageing out during the operation", v: evidence(end.AddDate(0, 0, -7).Add(-time.Minute)),
			fit: FitLapses, words: []string{"Lapses during the operation", "ages out at 14 Dec 2026 19:59 UTC", "Re-run it before commencement."}},
		{name: "a screening aged out", v: evidence(now.AddDate(0, 0, -7)),
			fit: FitExpired, words: []string{"Already aged out at 3 Dec 2026 15:00 UTC"}},
		{name: "evidence without an age limit", v: Validity{Kind: ExpiryPointInTime, PerformedAt: timep(utc(2020, 1, 1, 0, 0))},
			fit: FitNoExpiry, words: []string{"Evidence as of 1 Jan 2020 00:00 UTC, with no age limit"}},
		{name: "evidence with no performed-at time", v: Validity{Kind: ExpiryPointInTime, MaxAgeDays: 7},
			fit: FitUndated, words: []string{"No performed-at time is recorded"}},

		{name: "no calendar expiry", v: Validity{Kind: ExpiryNone, ExpiresOn: day(2020, 1, 1)},
			fit: FitNoExpiry, words: []string{"No expiry: valid for this operation."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at := now
			if !tt.now.IsZero() {
				at = tt.now
			}
			got := JudgeWindow(tt.v, at, start, end)
			if got.Fit != tt.fit {
				t.Fatalf("fit %q, want %q (%s)", got.Fit, tt.fit, got.Text)
			}
			for _, w := range tt.words {
				if !strings.Contains(got.Text, w) {
					t.Errorf("text %q lacks %q", got.Text, w)
				}
			}
			if want := tt.v.ValidUntil(); (want == nil) != (got.Until == nil) || (want != nil && !want.Equal(*got.Until)) {
				t.Errorf("until %v, want %v", got.Until, want)
			}
			if got.NeedsAcknowledgement() != (tt.fit == FitLapses && tt.v.Kind == ExpiryDate) {
				t.Errorf("needs acknowledgement %v for %q", got.NeedsAcknowledgement(), got.Fit)
			}
			if !slices.Contains(WindowFits(), got.Fit) {
				t.Errorf("fit %q is not in WindowFits", got.Fit)
			}
		})
	}
}

// A document judged lapsing is exactly one the gate calls lapsing before the window ends
// while it is still valid: the review's warning and the blockers agree.
func TestJudgeWindowAgreesWithExpiresBefore(t *testing.T) {
	now := utc(2026, 12, 3, 15, 0)
	start, end := utc(2026, 12, 13, 8, 0), utc(2026, 12, 15, 8, 0)
	for d := -2; d <= 14; d++ {
		for _, minutes := range []int{0, 8*60 - 1, 8 * 60, 15 * 60} {
			v := Validity{Kind: ExpiryDate, ExpiresOn: timep(utc(2026, 12, 3+d, 0, 0)), EndsAt: &TimeOfDay{Minutes: minutes}}
			lapsing := EffectiveStatus(DocApproved, v, now) == DocApproved && v.ExpiresBefore(end)
			if got := JudgeWindow(v, now, start, end); got.NeedsAcknowledgement() != lapsing {
				t.Errorf("%s: judged %q, the gate says lapsing %v", v.ExpiryText(), got.Fit, lapsing)
			}
		}
	}
}

func TestFirstDateValidAt(t *testing.T) {
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Skip("no tz database:", err)
	}
	tests := []struct {
		name   string
		endsAt *TimeOfDay
		at     time.Time
		want   time.Time
	}{
		{"end of day: today is still valid", nil, utc(2026, 12, 3, 15, 0), utc(2026, 12, 3, 0, 0)},
		{"end of day: at midnight, yesterday has lapsed", nil, utc(2026, 12, 3, 0, 0), utc(2026, 12, 3, 0, 0)},
		{"end of day: the last instant of a day", nil, utc(2026, 12, 3, 23, 59).Add(59 * time.Second), utc(2026, 12, 3, 0, 0)},
		{"noon UTC: before noon, today", &TimeOfDay{Minutes: 12 * 60}, utc(2026, 12, 3, 11, 59), utc(2026, 12, 3, 0, 0)},
		{"noon UTC: at noon, tomorrow", &TimeOfDay{Minutes: 12 * 60}, utc(2026, 12, 3, 12, 0), utc(2026, 12, 4, 0, 0)},
		{"noon in Tokyo (03:00 UTC): at 02:59 UTC, today", &TimeOfDay{Minutes: 12 * 60, Zone: tokyo}, utc(2026, 12, 3, 2, 59), utc(2026, 12, 3, 0, 0)},
		{"noon in Tokyo: at 03:00 UTC, tomorrow", &TimeOfDay{Minutes: 12 * 60, Zone: tokyo}, utc(2026, 12, 3, 3, 0), utc(2026, 12, 4, 0, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := FirstDateValidAt(tt.endsAt, tt.at)
			if !got.Equal(tt.want) {
				t.Fatalf("FirstDateValidAt = %v, want %v", got, tt.want)
			}
			// The day before has lapsed by then; the answer has not.
			before := got.AddDate(0, 0, -1)
			if (Validity{Kind: ExpiryDate, ExpiresOn: &before, EndsAt: tt.endsAt}).ValidUntil().After(tt.at) {
				t.Errorf("the day before, %v, is still valid at %v", before, tt.at)
			}
		})
	}
}
