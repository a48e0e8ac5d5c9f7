package web

import (
	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
)

// The room summary shows a room's two gates apart (docs/domain.md, "Two gates"): what
// blocks clearance, and what else blocks the start of the operation. The service lists
// the blockers clearance first, most critical first within each gate; the lists keep
// that order.

// shownBlockers is how many blockers of a gate the summary lists before "Show N more".
const shownBlockers = 6

// gateList is one gate's blockers: the first few, shown at once, and the rest, behind a
// disclosure.
type gateList struct {
	All  []clearance.Blocker
	Top  []clearance.Blocker
	More []clearance.Blocker
}

// gateListOf picks the blockers of gate from all, in their order.
func gateListOf(all []clearance.Blocker, gate clearance.GateName) gateList {
	l := gateList{All: clearance.BlockersOf(all, gate)}
	l.Top = l.All[:min(len(l.All), shownBlockers)]
	l.More = l.All[len(l.Top):]
	return l
}

// actBy says who can remove a blocker, from the roles the rule names: "Owner to act",
// "Broker or charterer to act", "Broker, charterer or owner to act"; "" when it names none.
func actBy(roles []authz.Role) string {
	n := len(roles)
	if n == 0 {
		return ""
	}
	who := roles[n-1].Label()
	if n > 1 {
		who = authz.Labels(roles[:n-1], ", ") + " or " + who
	}
	return capital(who) + " to act"
}
