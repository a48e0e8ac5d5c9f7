package clearance

import (
	"slices"
	"testing"
	"time"
)

func TestNoticeWarnings(t *testing.T) {
	eta := time.Date(2026, 3, 14, 8, 0, 0, 0, time.UTC)
	one := map[string]string{"v1": "MT AEGEAN SERENITY"}
	notice := func(vessel, ref string, before time.Duration, etaAtNotice time.Time) CoastalNotice {
		return CoastalNotice{VesselID: vessel, VesselName: one[vessel], NotifiedAt: eta.Add(-before), Reference: ref, ETAAtNotice: etaAtNotice}
	}
	tests := []struct {
		name    string
		eta     time.Time
		vessels map[string]string
		notices []CoastalNotice
		want    []string
	}{
		{name: "no vessels, nothing to notify", eta: eta},
		{name: "notice in time, ETA unchanged", eta: eta, vessels: one,
			notices: []CoastalNotice{notice("v1", "MT-1", 72*time.Hour, eta)}},
		{name: "exactly 48 h before is enough", eta: eta, vessels: one,
			notices: []CoastalNotice{notice("v1", "MT-1", 48*time.Hour, eta)}},
		{name: "a minute short of 48 h", eta: eta, vessels: one,
			notices: []CoastalNotice{notice("v1", "MT-1", 48*time.Hour-time.Minute, eta)},
			want:    []string{"MT AEGEAN SERENITY: notice MT-1 given 48.0 h before the ETA, less than the 48 h required"}},
		{name: "24 h before", eta: eta, vessels: one,
			notices: []CoastalNotice{notice("v1", "MT-1", 24*time.Hour, eta)},
			want:    []string{"MT AEGEAN SERENITY: notice MT-1 given 24.0 h before the ETA, less than the 48 h required"}},
		{name: "given after the ETA", eta: eta, vessels: one,
			notices: []CoastalNotice{notice("v1", "MT-1", -2*time.Hour, eta)},
			want:    []string{"MT AEGEAN SERENITY: notice MT-1 given -2.0 h before the ETA, less than the 48 h required"}},
		{name: "no notice", eta: eta, vessels: one,
			want: []string{"MT AEGEAN SERENITY: no coastal-state notice recorded"}},
		{name: "a notice of another vessel does not count", eta: eta, vessels: one,
			notices: []CoastalNotice{notice("v9", "MT-9", 72*time.Hour, eta)},
			want:    []string{"MT AEGEAN SERENITY: no coastal-state notice recorded"}},
		{name: "ETA moved exactly 6 h later: no new notice", eta: eta.Add(6 * time.Hour), vessels: one,
			notices: []CoastalNotice{notice("v1", "MT-1", 72*time.Hour, eta)}},
		{name: "ETA moved exactly 6 h earlier: no new notice", eta: eta.Add(-6 * time.Hour), vessels: one,
			notices: []CoastalNotice{notice("v1", "MT-1", 72*time.Hour, eta)}},
		{name: "ETA moved 7 h later", eta: eta.Add(7 * time.Hour), vessels: one,
			notices: []CoastalNotice{notice("v1", "MT-1", 72*time.Hour, eta)},
			want:    []string{"MT AEGEAN SERENITY: the ETA moved 7.0 h since notice MT-1; a new notice is required"}},
		{name: "ETA moved 6.5 h earlier", eta: eta.Add(-6*time.Hour - 30*time.Minute), vessels: one,
			notices: []CoastalNotice{notice("v1", "MT-1", 72*time.Hour, eta)},
			want:    []string{"MT AEGEAN SERENITY: the ETA moved 6.5 h since notice MT-1; a new notice is required"}},
		{name: "late and moved: both", eta: eta.Add(-10 * time.Hour), vessels: one,
			notices: []CoastalNotice{notice("v1", "MT-1", 50*time.Hour, eta)},
			want: []string{
				"MT AEGEAN SERENITY: notice MT-1 given 40.0 h before the ETA, less than the 48 h required",
				"MT AEGEAN SERENITY: the ETA moved 10.0 h since notice MT-1; a new notice is required",
			}},
		{name: "several vessels, in the order of their IDs", eta: eta,
			vessels: map[string]string{"v3": "MT CHARLIE", "v1": "MT ALPHA", "v2": "MT BRAVO"},
			notices: []CoastalNotice{
				{VesselID: "v2", NotifiedAt: eta.Add(-12 * time.Hour), Reference: "B-1", ETAAtNotice: eta},
				{VesselID: "v3", NotifiedAt: eta.Add(-72 * time.Hour), Reference: "C-1", ETAAtNotice: eta},
			},
			want: []string{
				"MT ALPHA: no coastal-state notice recorded",
				"MT BRAVO: notice B-1 given 12.0 h before the ETA, less than the 48 h required",
			}},
		{name: "the last notice of a vessel in the list is the one in force", eta: eta, vessels: one,
			notices: []CoastalNotice{
				notice("v1", "MT-1", 24*time.Hour, eta.Add(-12*time.Hour)),
				notice("v1", "MT-2", 60*time.Hour, eta),
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := NoticeWarnings(tt.eta, tt.vessels, tt.notices)
			if !slices.Equal(got, tt.want) {
				t.Errorf("NoticeWarnings:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}
