package clearance

import (
	"slices"
	"testing"
	"time"
)

func TestNoticeBlockers(t *testing.T) {
	eta := time.Date(2026, 3, 14, 8, 0, 0, 0, time.UTC)
	one := map[string]string{"v1": "MT AEGEAN SERENITY"}
	malta := CoastalArea{Name: "Malta — Hurd's Bank", Regime: RegimeNotice, LeadHours: 48, RenoticeHours: 6, CargoClasses: []CargoClass{CargoOil}}
	malaysia := CoastalArea{Name: "Malaysia — Tanjung Linggi", Regime: RegimePermission, LeadHours: 48, RenoticeHours: 6}
	highSeas := CoastalArea{Name: "Outside any territorial sea or EEZ", Regime: RegimeNone}
	recorded := eta.Add(-100 * time.Hour)
	notice := func(vessel, ref string, before time.Duration, etaAtNotice time.Time) CoastalNotice {
		recorded = recorded.Add(time.Minute) // recorded in the order given
		return CoastalNotice{VesselID: vessel, VesselName: one[vessel], Kind: KindNotice, NotifiedAt: eta.Add(-before), Reference: ref,
			ETAAtNotice: etaAtNotice, RecordedAt: recorded}
	}
	permit := func(vessel, ref string, etaAtNotice time.Time) CoastalNotice {
		n := notice(vessel, ref, 24*time.Hour, etaAtNotice)
		n.Kind = KindPermission
		return n
	}
	tests := []struct {
		name    string
		area    *CoastalArea
		cargo   CargoClass
		eta     time.Time
		vessels map[string]string
		notices []CoastalNotice
		want    []string
	}{
		{name: "no vessels, nothing to notify", area: &malta, eta: eta},
		{name: "no area named", eta: eta, vessels: one,
			want: []string{`the room names no coastal state or area: name it (or "outside any territorial sea or EEZ") so that its notice rules can be checked`}},
		{name: "outside any territorial sea: nothing asked", area: &highSeas, eta: eta, vessels: one},
		{name: "notice in time, ETA unchanged", area: &malta, eta: eta, vessels: one,
			notices: []CoastalNotice{notice("v1", "MT-1", 72*time.Hour, eta)}},
		{name: "49 h before", area: &malta, eta: eta, vessels: one,
			notices: []CoastalNotice{notice("v1", "MT-1", 49*time.Hour, eta)}},
		{name: "exactly 48 h before is enough", area: &malta, eta: eta, vessels: one,
			notices: []CoastalNotice{notice("v1", "MT-1", 48*time.Hour, eta)}},
		{name: "47 h before", area: &malta, eta: eta, vessels: one,
			notices: []CoastalNotice{notice("v1", "MT-1", 47*time.Hour, eta)},
			want:    []string{"MT AEGEAN SERENITY: notice MT-1 was given 47.0 h before the ETA; Malta — Hurd's Bank requires 48 h"}},
		{name: "30 h before", area: &malta, eta: eta, vessels: one,
			notices: []CoastalNotice{notice("v1", "MT-1", 30*time.Hour, eta)},
			want:    []string{"MT AEGEAN SERENITY: notice MT-1 was given 30.0 h before the ETA; Malta — Hurd's Bank requires 48 h"}},
		{name: "a 72 h lead time", area: &CoastalArea{Name: "X", Regime: RegimeNotice, LeadHours: 72, RenoticeHours: 6}, eta: eta, vessels: one,
			notices: []CoastalNotice{notice("v1", "X-1", 60*time.Hour, eta)},
			want:    []string{"MT AEGEAN SERENITY: notice X-1 was given 60.0 h before the ETA; X requires 72 h"}},
		{name: "no notice", area: &malta, eta: eta, vessels: one,
			want: []string{"MT AEGEAN SERENITY: no notice to Malta — Hurd's Bank recorded (due 48 h before the ETA)"}},
		{name: "a notice of another vessel does not count", area: &malta, eta: eta, vessels: one,
			notices: []CoastalNotice{notice("v9", "MT-9", 72*time.Hour, eta)},
			want:    []string{"MT AEGEAN SERENITY: no notice to Malta — Hurd's Bank recorded (due 48 h before the ETA)"}},
		{name: "ETA moved 5 h later: no new notice", area: &malta, eta: eta.Add(5 * time.Hour), vessels: one,
			notices: []CoastalNotice{notice("v1", "MT-1", 72*time.Hour, eta)}},
		{name: "ETA moved exactly 6 h earlier: no new notice", area: &malta, eta: eta.Add(-6 * time.Hour), vessels: one,
			notices: []CoastalNotice{notice("v1", "MT-1", 72*time.Hour, eta)}},
		{name: "ETA moved 7 h later", area: &malta, eta: eta.Add(7 * time.Hour), vessels: one,
			notices: []CoastalNotice{notice("v1", "MT-1", 72*time.Hour, eta)},
			want:    []string{"MT AEGEAN SERENITY: the ETA moved 7.0 h since notice MT-1, more than the 6 h allowed: a new notice is required"}},
		{name: "ETA moved 9.5 h after the notice", area: &malta, eta: eta.Add(9*time.Hour + 30*time.Minute), vessels: one,
			notices: []CoastalNotice{notice("v1", "MT-1", 72*time.Hour, eta)},
			want:    []string{"MT AEGEAN SERENITY: the ETA moved 9.5 h since notice MT-1, more than the 6 h allowed: a new notice is required"}},
		{name: "late and moved: both", area: &malta, eta: eta.Add(-10 * time.Hour), vessels: one,
			notices: []CoastalNotice{notice("v1", "MT-1", 40*time.Hour, eta)},
			want: []string{
				"MT AEGEAN SERENITY: notice MT-1 was given 30.0 h before the ETA; Malta — Hurd's Bank requires 48 h",
				"MT AEGEAN SERENITY: the ETA moved 10.0 h since notice MT-1, more than the 6 h allowed: a new notice is required",
			}},
		// A notice in time for the ETA it announced stays in time while the ETA keeps within
		// the threshold, even when the operation comes forward.
		{name: "49 h before, then the ETA 5 h earlier", area: &malta, eta: eta.Add(-5 * time.Hour), vessels: one,
			notices: []CoastalNotice{notice("v1", "MT-1", 49*time.Hour, eta)}},
		{name: "50 h before, the ETA 10 h earlier: a revised ETA is due", area: &malta, eta: eta.Add(-10 * time.Hour), vessels: one,
			notices: []CoastalNotice{notice("v1", "MT-1", 50*time.Hour, eta)},
			want:    []string{"MT AEGEAN SERENITY: the ETA moved 10.0 h since notice MT-1, more than the 6 h allowed: a new notice is required"}},
		{name: "the revised ETA notified: no lead time of its own", area: &malta, eta: eta.Add(-10 * time.Hour), vessels: one,
			notices: []CoastalNotice{notice("v1", "MT-1", 50*time.Hour, eta), notice("v1", "MT-2", 2*time.Hour, eta.Add(-10*time.Hour))}},
		{name: "a late notice cured by postponing the operation", area: &malta, eta: eta.Add(20 * time.Hour), vessels: one,
			notices: []CoastalNotice{notice("v1", "MT-1", 30*time.Hour, eta), notice("v1", "MT-2", 10*time.Hour, eta.Add(20*time.Hour))}},
		{name: "the latest recorded notice is the one in force", area: &malta, eta: eta, vessels: one,
			notices: []CoastalNotice{notice("v1", "MT-1", 24*time.Hour, eta.Add(-12*time.Hour)), notice("v1", "MT-2", 60*time.Hour, eta)}},
		{name: "an oil rule asks nothing of a gas operation", area: &malta, cargo: CargoGas, eta: eta, vessels: one},
		{name: "permission required, none recorded", area: &malaysia, eta: eta, vessels: one,
			want: []string{"MT AEGEAN SERENITY: written permission of Malaysia — Tanjung Linggi is required before the operation; none is recorded"}},
		{name: "permission required, only a notice recorded", area: &malaysia, eta: eta, vessels: one,
			notices: []CoastalNotice{notice("v1", "MY-N", 72*time.Hour, eta)},
			want:    []string{"MT AEGEAN SERENITY: written permission of Malaysia — Tanjung Linggi is required before the operation; none is recorded (only notice MY-N)"}},
		{name: "permission recorded: no lead time asked", area: &malaysia, eta: eta, vessels: one,
			notices: []CoastalNotice{permit("v1", "MD-2026-114", eta)}},
		{name: "permission, then the ETA moved 7 h", area: &malaysia, eta: eta.Add(7 * time.Hour), vessels: one,
			notices: []CoastalNotice{permit("v1", "MD-2026-114", eta)},
			want:    []string{"MT AEGEAN SERENITY: the ETA moved 7.0 h since permission MD-2026-114, more than the 6 h allowed: a new written permission is required"}},
		{name: "permission, then only a notice of the new ETA", area: &malaysia, eta: eta.Add(7 * time.Hour), vessels: one,
			notices: []CoastalNotice{permit("v1", "MD-2026-114", eta), notice("v1", "MD-ETA", 10*time.Hour, eta.Add(7*time.Hour))},
			want:    []string{"MT AEGEAN SERENITY: the ETA moved 7.0 h since permission MD-2026-114, more than the 6 h allowed: a new written permission is required"}},
		{name: "permission renewed for the new ETA", area: &malaysia, eta: eta.Add(7 * time.Hour), vessels: one,
			notices: []CoastalNotice{permit("v1", "MD-2026-114", eta), permit("v1", "MD-2026-120", eta.Add(7*time.Hour))}},
		{name: "a permission satisfies a notice regime", area: &malta, eta: eta, vessels: one,
			notices: []CoastalNotice{permit("v1", "MT-P", eta)},
			want:    []string{"MT AEGEAN SERENITY: notice MT-P was given 24.0 h before the ETA; Malta — Hurd's Bank requires 48 h"}},
		{name: "several vessels, in the order of their IDs", area: &malta, eta: eta,
			vessels: map[string]string{"v3": "MT CHARLIE", "v1": "MT ALPHA", "v2": "MT BRAVO"},
			notices: []CoastalNotice{
				{VesselID: "v2", Kind: KindNotice, NotifiedAt: eta.Add(-12 * time.Hour), Reference: "B-1", ETAAtNotice: eta},
				{VesselID: "v3", Kind: KindNotice, NotifiedAt: eta.Add(-72 * time.Hour), Reference: "C-1", ETAAtNotice: eta},
			},
			want: []string{
				"MT ALPHA: no notice to Malta — Hurd's Bank recorded (due 48 h before the ETA)",
				"MT BRAVO: notice B-1 was given 12.0 h before the ETA; Malta — Hurd's Bank requires 48 h",
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cargo := tt.cargo
			if cargo == "" {
				cargo = CargoOil
			}
			blockers := NoticeBlockers(CoastalRule{Area: tt.area, Cargo: cargo, ETA: tt.eta}, tt.vessels, tt.notices)
			var got []string
			for _, b := range blockers {
				got = append(got, b.Reason)
				if b.Gate != GateCommencement || b.Kind != BlockerNotice || len(b.ActBy) == 0 {
					t.Errorf("blocker %+v: want a commencement notice blocker with someone to act", b)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("NoticeBlockers:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestDefaultCoastalAreas(t *testing.T) {
	seen := map[string]bool{}
	for _, a := range DefaultCoastalAreas() {
		if err := a.Normalize(); err != nil {
			t.Errorf("%s: %v", a.Code, err)
		}
		if seen[a.Code] {
			t.Errorf("%s twice", a.Code)
		}
		seen[a.Code] = true
	}
	for _, code := range []string{"MT-HURDS", "DK-SKAW", "TG-LOME", "OM-SOHAR", "MY-LINGGI", "ID", "GR-LACONIKOS", "EU"} {
		if !seen[code] {
			t.Errorf("the seed lacks %s", code)
		}
	}
	for _, a := range DefaultCoastalAreas() {
		switch a.Code {
		case "MY-LINGGI", "ID":
			if a.Regime != RegimePermission {
				t.Errorf("%s: regime %s, want permission", a.Code, a.Regime)
			}
		case "EU", "MT-HURDS":
			if a.Regime != RegimeNotice || a.LeadHours != 48 || a.RenoticeHours != 6 {
				t.Errorf("%s: %+v, want a 48 h notice with a 6 h re-notice threshold", a.Code, a)
			}
		}
	}
}

func TestCoastalAreaNormalize(t *testing.T) {
	bad := CoastalArea{Code: "x", Regime: "maybe", LeadHours: -1, RenoticeHours: 721, CargoClasses: []CargoClass{"coal"}}
	assertFields(t, bad.Normalize(), []string{"code", "name", "regime", "lead_hours", "renotice_hours", "cargo_classes", "source"})
	good := CoastalArea{Code: " my-linggi ", Name: "Malaysia", Regime: RegimePermission, Source: "Marine Department",
		CargoClasses: []CargoClass{CargoOil, CargoOil, CargoGas}}
	assertFields(t, good.Normalize(), nil)
	if good.Code != "MY-LINGGI" || !slices.Equal(good.CargoClasses, []CargoClass{CargoOil, CargoGas}) {
		t.Errorf("normalized = %+v", good)
	}
}
