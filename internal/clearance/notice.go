package clearance

import (
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/stshub/stshub/internal/authz"
)

// CoastalNotice is one recorded notice to, or permission from, the coastal state for one
// vessel. A vessel's latest recorded notice is the one in force: it states what the coastal
// state knows as of its recording.
type CoastalNotice struct {
	VesselID    string
	VesselName  string
	Kind        NoticeKind
	NotifiedAt  time.Time
	Reference   string
	ETAAtNotice time.Time
	RecordedAt  time.Time
}

// CoastalRule is what the coastal-state conditions of one room are judged on: its area
// (nil when the room names none), its cargo and its ETA.
type CoastalRule struct {
	Area  *CoastalArea
	Cargo CargoClass
	ETA   time.Time
}

// NoticeBlockers lists what stops a room's operation under its coastal state's rule
// (docs/domain.md, "Coastal states"), per vessel in the order of their IDs (vessels maps ID
// to name): a room that names no area; under a notice regime, no notice, one given later
// than the lead time before the ETA; under a permission regime, no written permission; and
// under both, an ETA moved by more than the threshold since the latest record (a new notice
// is needed). An area whose rule does not apply to the room's cargo asks nothing.
func NoticeBlockers(rule CoastalRule, vessels map[string]string, notices []CoastalNotice) []Blocker {
	if len(vessels) == 0 {
		return nil
	}
	if rule.Area == nil {
		return []Blocker{noticeBlocker("", "the room names no coastal state or area: name it (or \"outside any territorial sea or EEZ\") "+
			"so that its notice rules can be checked", authz.RolesThatCan(authz.UpdateRoom))}
	}
	area := *rule.Area
	if !area.AppliesTo(rule.Cargo) {
		return nil
	}
	latest, permitted := latestNotices(notices)
	var out []Blocker
	for _, id := range sortedKeys(vessels) {
		name := vessels[id]
		n, ok := latest[id]
		if area.Regime == RegimePermission {
			p, has := permitted[id]
			if !has {
				reason := name + ": written permission of " + area.Name + " is required before the operation; none is recorded"
				if ok {
					reason += " (only notice " + n.Reference + ")"
				}
				out = append(out, noticeBlocker(id, reason, nil))
				continue
			}
			if !ok {
				n = p
			}
		} else if !ok {
			out = append(out, noticeBlocker(id, fmt.Sprintf("%s: no notice to %s recorded (due %d h before the ETA)", name, area.Name, area.LeadHours), nil))
			continue
		}
		if lead := rule.ETA.Sub(n.NotifiedAt); area.Regime == RegimeNotice && lead < hours(area.LeadHours) {
			out = append(out, noticeBlocker(id, fmt.Sprintf("%s: notice %s was given %s before the ETA; %s requires %d h",
				name, n.Reference, roundHours(lead), area.Name, area.LeadHours), nil))
		}
		if moved := absDuration(rule.ETA.Sub(n.ETAAtNotice)); moved > hours(area.RenoticeHours) {
			out = append(out, noticeBlocker(id, fmt.Sprintf("%s: the ETA moved %s since %s %s, more than the %d h allowed: a new notice is required",
				name, roundHours(moved), n.Kind, n.Reference, area.RenoticeHours), nil))
		}
	}
	return out
}

// noticeBlocker is a commencement blocker about coastal-state notices; by default the parties
// that record notices act on it.
func noticeBlocker(vesselID, reason string, actBy []authz.Role) Blocker {
	if actBy == nil {
		actBy = authz.RolesThatCan(authz.RecordNotice)
	}
	return Blocker{Kind: BlockerNotice, Gate: GateCommencement, VesselID: vesselID, Criticality: CriticalityHigh, Reason: reason, ActBy: actBy}
}

// latestNotices finds, per vessel, the latest recorded record of any kind and the latest
// permission; of records recorded at the same instant, the first in the list (the store
// lists the latest first).
func latestNotices(notices []CoastalNotice) (latest, permitted map[string]CoastalNotice) {
	latest, permitted = map[string]CoastalNotice{}, map[string]CoastalNotice{}
	later := func(m map[string]CoastalNotice, n CoastalNotice) {
		if cur, ok := m[n.VesselID]; !ok || n.RecordedAt.After(cur.RecordedAt) {
			m[n.VesselID] = n
		}
	}
	for _, n := range notices {
		later(latest, n)
		if n.Kind == KindPermission {
			later(permitted, n)
		}
	}
	return latest, permitted
}

func hours(h int) time.Duration { return time.Duration(h) * time.Hour }

func absDuration(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

func roundHours(d time.Duration) string {
	return strconv.FormatFloat(d.Hours(), 'f', 1, 64) + " h"
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
