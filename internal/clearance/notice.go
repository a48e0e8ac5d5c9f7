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
// (docs/domain.md, "Coastal-state notices"), per vessel in the order of their IDs (vessels
// maps ID to name). A room that names no area blocks; an area whose rule does not apply to
// the room's cargo asks nothing. Under a notice regime (MARPOL Annex I reg. 42):
//   - a vessel needs a notice;
//   - its first notice must have been given at least the lead time before the operation: before
//     the ETA it announced, or before the ETA as it now stands (a late notice is cured by
//     postponing the operation);
//   - the ETA may not have moved by more than the threshold since the latest record: a revised
//     ETA must be notified, and the revision needs no lead time of its own.
//
// Under a permission regime a vessel needs written permission, and a new one when the ETA has
// moved beyond the threshold since the latest permission; a notice does not stand in for it.
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
	byVessel := map[string][]CoastalNotice{}
	for _, n := range notices {
		byVessel[n.VesselID] = append(byVessel[n.VesselID], n)
	}
	var out []Blocker
	for _, id := range sortedKeys(vessels) {
		var reasons []string
		if area.Regime == RegimePermission {
			reasons = permissionProblems(area, rule.ETA, vessels[id], byVessel[id])
		} else {
			reasons = noticeProblems(area, rule.ETA, vessels[id], byVessel[id])
		}
		for _, r := range reasons {
			out = append(out, noticeBlocker(id, r, nil))
		}
	}
	return out
}

// noticeProblems says what a notice regime still asks of one vessel's records.
func noticeProblems(area CoastalArea, eta time.Time, name string, records []CoastalNotice) []string {
	if len(records) == 0 {
		return []string{fmt.Sprintf("%s: no notice to %s recorded (due %d h before the ETA)", name, area.Name, area.LeadHours)}
	}
	var out []string
	first, latest := firstNotified(records), latestRecorded(records)
	lead := eta.Sub(first.NotifiedAt)
	if announced := first.ETAAtNotice.Sub(first.NotifiedAt); lead < hours(area.LeadHours) && announced < hours(area.LeadHours) {
		out = append(out, fmt.Sprintf("%s: notice %s was given %s before the ETA; %s requires %d h",
			name, first.Reference, roundHours(lead), area.Name, area.LeadHours))
	}
	if moved := absDuration(eta.Sub(latest.ETAAtNotice)); moved > hours(area.RenoticeHours) {
		out = append(out, fmt.Sprintf("%s: the ETA moved %s since %s %s, more than the %d h allowed: a new notice is required",
			name, roundHours(moved), latest.Kind, latest.Reference, area.RenoticeHours))
	}
	return out
}

// permissionProblems says what a permission regime still asks of one vessel's records.
func permissionProblems(area CoastalArea, eta time.Time, name string, records []CoastalNotice) []string {
	var permits, others []CoastalNotice
	for _, n := range records {
		if n.Kind == KindPermission {
			permits = append(permits, n)
		} else {
			others = append(others, n)
		}
	}
	if len(permits) == 0 {
		reason := name + ": written permission of " + area.Name + " is required before the operation; none is recorded"
		if len(others) > 0 {
			reason += " (only notice " + latestRecorded(others).Reference + ")"
		}
		return []string{reason}
	}
	p := latestRecorded(permits)
	if moved := absDuration(eta.Sub(p.ETAAtNotice)); moved > hours(area.RenoticeHours) {
		return []string{fmt.Sprintf("%s: the ETA moved %s since permission %s, more than the %d h allowed: a new written permission is required",
			name, roundHours(moved), p.Reference, area.RenoticeHours)}
	}
	return nil
}

// noticeBlocker is a commencement blocker about coastal-state notices; by default the parties
// that record notices act on it.
func noticeBlocker(vesselID, reason string, actBy []authz.Role) Blocker {
	if actBy == nil {
		actBy = authz.RolesThatCan(authz.RecordNotice)
	}
	return Blocker{Kind: BlockerNotice, Gate: GateCommencement, VesselID: vesselID, Criticality: CriticalityHigh, Reason: reason, ActBy: actBy}
}

// latestRecorded is the record recorded last (of records recorded at the same instant, the
// first in the list: the store lists the latest first). records is not empty.
func latestRecorded(records []CoastalNotice) CoastalNotice {
	return best(records, func(n, than CoastalNotice) bool { return n.RecordedAt.After(than.RecordedAt) })
}

// firstNotified is the record whose notice was given first. records is not empty.
func firstNotified(records []CoastalNotice) CoastalNotice {
	return best(records, func(n, than CoastalNotice) bool { return n.NotifiedAt.Before(than.NotifiedAt) })
}

// best is the record no later one beats, the first of equals. records is not empty.
func best(records []CoastalNotice, beats func(n, than CoastalNotice) bool) CoastalNotice {
	out := records[0]
	for _, n := range records[1:] {
		if beats(n, out) {
			out = n
		}
	}
	return out
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
