package clearance

import (
	"testing"
	"time"
)

// TestWindowBrief: JudgeWindow's few words, for the snapshots' table, at the window's boundaries: a document
// valid until the instant the operation ends is valid throughout; one that ends a minute
// earlier lapses during it; at the start, it lapses before; at now, it has expired.
func TestWindowBrief(t *testing.T) {
	start := time.Date(2026, 3, 14, 6, 0, 0, 0, time.UTC)
	end := time.Date(2026, 3, 15, 18, 0, 0, 0, time.UTC)
	now := time.Date(2026, 3, 12, 9, 30, 0, 0, time.UTC)
	day := func(s string) *time.Time { d, _ := time.Parse(time.DateOnly, s); return &d }
	at := func(v time.Time) *time.Time { return &v }
	dated := func(s string) Validity { return Validity{Kind: ExpiryDate, ExpiresOn: day(s)} }
	evidence := func(p time.Time) Validity { return Validity{Kind: ExpiryPointInTime, PerformedAt: &p, MaxAgeDays: 1} }
	for _, c := range []struct {
		name     string
		v        Validity
		uploaded bool
		want     string
	}{
		{"no expiry kind", Validity{Kind: ExpiryNone}, true, "no expiry: valid for this operation"},
		{"date not recorded", Validity{Kind: ExpiryDate}, true, "no expiry date recorded"},
		{"performed-at not recorded", Validity{Kind: ExpiryPointInTime, MaxAgeDays: 7}, true, "no performed-at time recorded"},
		{"evidence without age limit", Validity{Kind: ExpiryPointInTime, PerformedAt: at(now)}, true, "valid throughout"},
		{"expired in 2020", dated("2020-05-31"), true, "expired on 2020-05-31"},
		{"expires at now", evidence(now.AddDate(0, 0, -1)), true, "expired on 2026-03-12 09:30 UTC"},
		{"ends at the start", evidence(start.AddDate(0, 0, -1)), true, "lapses on 2026-03-14 06:00 UTC, before the operation starts"},
		{"ends a minute into it", evidence(start.AddDate(0, 0, -1).Add(time.Minute)), true, "lapses during the operation on 2026-03-14 06:01 UTC"},
		{"valid through the first day", dated("2026-03-14"), true, "lapses during the operation on 2026-03-14"},
		{"ends a minute before the end", evidence(end.AddDate(0, 0, -1).Add(-time.Minute)), true, "lapses during the operation on 2026-03-15 17:59 UTC"},
		{"ends at the end", evidence(end.AddDate(0, 0, -1)), true, "valid throughout"},
		{"valid through the last day", dated("2026-03-15"), true, "valid throughout"},
		{"P&I noon on the last day", Validity{Kind: ExpiryDate, ExpiresOn: day("2026-03-15"), EndsAt: &TimeOfDay{Minutes: 12 * 60}}, true,
			"lapses during the operation on 2026-03-15 at 12:00 UTC"},
	} {
		if got := JudgeWindow(c.v, now, start, end).Brief; got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
