package clearance

import (
	"slices"
	"testing"
	"time"
)

func TestCheckPreference(t *testing.T) {
	for _, c := range []struct {
		kind NotificationKind
		d    Delivery
		ok   bool
	}{
		{NotifyRejected, DeliverImmediate, true},
		{NotifyRejected, DeliverDigest, true},
		{NotifyRejected, DeliverOff, true},
		{NotifyLapsing, DeliverDigest, true},
		{NotifyLapsing, DeliverOff, true},
		{NotifyLapsing, DeliverImmediate, false}, // found once a day: digest or nothing
		{"no_such_kind", DeliverOff, false},
		{NotifyRejected, "weekly", false},
		{NotifyRejected, "", false},
	} {
		if err := CheckPreference(c.kind, c.d); (err == nil) != c.ok {
			t.Errorf("CheckPreference(%s, %q) = %v, want ok %v", c.kind, c.d, err, c.ok)
		}
	}
}

func TestDeliveryFor(t *testing.T) {
	chosen := map[NotificationKind]Delivery{NotifyRejected: DeliverOff, NotifyLapsing: DeliverImmediate}
	for _, c := range []struct {
		kind NotificationKind
		want Delivery
	}{
		{NotifyRejected, DeliverOff},      // the choice
		{NotifyCleared, DeliverImmediate}, // the default of an urgent kind
		{NotifyLapsing, DeliverDigest},    // a choice the kind does not allow falls back to the default
		{"gone", DeliverOff},              // a kind that is not one is never e-mailed
	} {
		if got := DeliveryFor(c.kind, chosen); got != c.want {
			t.Errorf("DeliveryFor(%s) = %s, want %s", c.kind, got, c.want)
		}
	}
	for _, k := range NotificationKinds() {
		if !slices.Contains(k.Allowed, k.Default) {
			t.Errorf("%s: default %s is not allowed", k.Kind, k.Default)
		}
	}
}

func TestDigestDay(t *testing.T) {
	for _, c := range []struct {
		now string
		day string
		due bool
	}{
		{"2026-12-03T05:59:59Z", "", false},
		{"2026-12-03T06:00:00Z", "2026-12-03", true},
		{"2026-12-03T23:59:59Z", "2026-12-03", true},
		{"2026-12-04T01:00:00+02:00", "2026-12-03", true}, // 23:00 UTC on the 3rd
		{"2026-12-04T07:00:00+02:00", "", false},          // 05:00 UTC on the 4th
	} {
		now, err := time.Parse(time.RFC3339, c.now)
		if err != nil {
			t.Fatal(err)
		}
		if day, due := DigestDay(now); day != c.day || due != c.due {
			t.Errorf("DigestDay(%s) = %q, %v; want %q, %v", c.now, day, due, c.day, c.due)
		}
	}
}
