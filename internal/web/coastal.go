package web

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/service"
)

// What the pages say about a room's cargo class and coastal state, and the choices the
// forms offer for them; the lists come from their one definition in clearance.

// labelIn is v's label in labels, or v in words when it has none.
func labelIn[T ~string](labels map[T]string, v T) string {
	if l, ok := labels[v]; ok {
		return l
	}
	return human(v)
}

// cargoLabels name the cargo classes for people.
var cargoLabels = map[clearance.CargoClass]string{
	clearance.CargoOil:      "Oil (crude, products)",
	clearance.CargoChemical: "Chemicals",
	clearance.CargoGas:      "Liquefied gas (LNG, LPG)",
}

func cargoLabel(c clearance.CargoClass) string { return labelIn(cargoLabels, c) }

// cargoClassesLabel names the classes a rule applies to; none named is every class.
func cargoClassesLabel(classes []clearance.CargoClass) string {
	if len(classes) == 0 {
		return "every cargo"
	}
	names := make([]string, len(classes))
	for i, c := range classes {
		names[i] = string(c)
	}
	return strings.Join(names, ", ")
}

// noticeKindLabels name what a coastal-state record is.
var noticeKindLabels = map[clearance.NoticeKind]string{
	clearance.KindNotice:     "Notice sent",
	clearance.KindPermission: "Written permission received",
}

func noticeKindLabel(k clearance.NoticeKind) string { return labelIn(noticeKindLabels, k) }

// regimeNames name the regimes in the table's form.
var regimeNames = map[clearance.NoticeRegime]string{
	clearance.RegimeNotice:     "a notice",
	clearance.RegimePermission: "written permission",
	clearance.RegimeNone:       "nothing",
}

func regimeName(g clearance.NoticeRegime) string { return labelIn(regimeNames, g) }

// regimeLabel says in words what an area asks before an operation in its waters.
func regimeLabel(a clearance.CoastalArea) string {
	switch a.Regime {
	case clearance.RegimeNotice:
		return fmt.Sprintf("notice at least %d h before the ETA, again if it moves more than %d h", a.LeadHours, a.RenoticeHours)
	case clearance.RegimePermission:
		return fmt.Sprintf("written permission before the operation, again if the ETA moves more than %d h", a.RenoticeHours)
	case clearance.RegimeNone:
		return "no notice asked"
	}
	return human(a.Regime)
}

// areaChoices are the entries a room form offers: the active ones, and the one the room
// names already (keep) even when it is no longer active, which the service lets it keep.
func (h *handler) areaChoices(ctx context.Context, actor service.Actor, keep string) ([]clearance.CoastalArea, error) {
	areas, err := h.svc.ListCoastalAreas(ctx, actor, true)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(areas, func(a clearance.CoastalArea) bool { return !a.Active && a.Code != keep }), nil
}
