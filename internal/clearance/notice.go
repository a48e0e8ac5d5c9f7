package clearance

import (
	"fmt"
	"sort"
	"time"
)

// Coastal-state notice rules (MARPOL Annex I ch. 8, docs/domain.md): notify at least 48 h before
// the operation, and again when the ETA moves by more than 6 h. Some states require
// written permission instead; the notice records what was sent.
const (
	NoticeLeadTime  = 48 * time.Hour
	NoticeETAChange = 6 * time.Hour
)

// CoastalNotice is the latest notice given for one vessel.
type CoastalNotice struct {
	VesselID    string
	VesselName  string
	NotifiedAt  time.Time
	Reference   string
	ETAAtNotice time.Time
}

// NoticeWarnings says what is wrong with the notices of a room whose STS ETA is eta: a
// vessel without a notice, a notice given less than 48 h before the ETA, and an ETA moved
// by more than 6 h since the notice (a re-notice is required).
func NoticeWarnings(eta time.Time, vessels map[string]string, notices []CoastalNotice) []string {
	byVessel := map[string]CoastalNotice{}
	for _, n := range notices {
		byVessel[n.VesselID] = n
	}
	var out []string
	for _, id := range sortedKeys(vessels) {
		name := vessels[id]
		n, ok := byVessel[id]
		if !ok {
			out = append(out, fmt.Sprintf("%s: no coastal-state notice recorded", name))
			continue
		}
		if lead := eta.Sub(n.NotifiedAt); lead < NoticeLeadTime {
			out = append(out, fmt.Sprintf("%s: notice %s given %s before the ETA, less than the 48 h required", name, n.Reference, roundHours(lead)))
		}
		if moved := absDuration(eta.Sub(n.ETAAtNotice)); moved > NoticeETAChange {
			out = append(out, fmt.Sprintf("%s: the ETA moved %s since notice %s; a new notice is required", name, roundHours(moved), n.Reference))
		}
	}
	return out
}

func absDuration(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

func roundHours(d time.Duration) string {
	return fmt.Sprintf("%.1f h", d.Hours())
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
