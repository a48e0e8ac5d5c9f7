package clearance

import (
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/stshub/stshub/internal/apperr"
)

// NoticeRegime is what a coastal state asks before an STS operation in its waters.
type NoticeRegime string

// The regimes.
const (
	// RegimeNotice: a notice given at least the lead time before the operation (MARPOL
	// Annex I reg. 42: 48 h), and a new one when the ETA moves by more than the threshold.
	RegimeNotice NoticeRegime = "notice"
	// RegimePermission: written permission of the authority; a notice is not enough.
	RegimePermission NoticeRegime = "permission"
	// RegimeNone: nothing is asked (outside any territorial sea or EEZ).
	RegimeNone NoticeRegime = "none"
)

// NoticeRegimes lists the regimes: the one list (API enum, validation, database CHECK test).
func NoticeRegimes() []NoticeRegime {
	return []NoticeRegime{RegimeNotice, RegimePermission, RegimeNone}
}

// NoticeKind says what a recorded coastal-state record is: a notice sent, or a written
// permission received.
type NoticeKind string

// The kinds of record.
const (
	KindNotice     NoticeKind = "notice"
	KindPermission NoticeKind = "permission"
)

// NoticeKinds lists the kinds of record: the one list (API enum, validation, database CHECK
// test).
func NoticeKinds() []NoticeKind { return []NoticeKind{KindNotice, KindPermission} }

// The MARPOL Annex I reg. 42 defaults of a notice regime.
const (
	DefaultLeadHours     = 48
	DefaultRenoticeHours = 6
)

// CoastalArea is one entry of the coastal-state table: a state or an STS area and what it
// asks before an operation in its waters. The table is data, seeded from the domain
// reference and edited by platform admins; Source says where an entry comes from and
// Verified whether it was confirmed against that source (unconfirmed entries are marked, not
// presented as law).
type CoastalArea struct {
	Code    string       `json:"code"`
	Name    string       `json:"name"`
	Country string       `json:"country"`
	Regime  NoticeRegime `json:"regime"`
	// LeadHours is how long before the ETA a notice must be given.
	LeadHours int `json:"lead_hours"`
	// RenoticeHours is how far the ETA may move after the last notice or permission before a
	// new one is needed.
	RenoticeHours int `json:"renotice_hours"`
	// CargoClasses are the operations the rule applies to; empty means every one.
	CargoClasses []CargoClass `json:"cargo_classes"`
	Source       string       `json:"source"`
	Verified     bool         `json:"verified"`
	Active       bool         `json:"active"`
	UpdatedAt    time.Time    `json:"updated_at"`
}

// AppliesTo reports whether the area's rule applies to an operation moving cargo of class c.
func (a CoastalArea) AppliesTo(c CargoClass) bool {
	return a.Regime != RegimeNone && (len(a.CargoClasses) == 0 || slices.Contains(a.CargoClasses, c))
}

var areaCode = regexp.MustCompile(`^[A-Z][A-Z0-9_-]{1,31}$`)

// Limits of a coastal area's fields.
const (
	maxAreaSource = 2000
	maxAreaHours  = 24 * 30
)

// Normalize trims and checks an entry, naming every invalid field.
func (a *CoastalArea) Normalize() error {
	var c apperr.Collector
	a.Code = strings.ToUpper(strings.TrimSpace(a.Code))
	if !areaCode.MatchString(a.Code) {
		c.Add("code", "must be 2-32 characters: capital letters, digits, _ and -, starting with a letter")
	}
	a.Name = strings.TrimSpace(a.Name)
	checkRequired(&c, "name", a.Name, maxShortText)
	a.Country = strings.TrimSpace(a.Country)
	checkMaxLen(&c, "country", a.Country, maxShortText)
	if !slices.Contains(NoticeRegimes(), a.Regime) {
		c.Add("regime", "must be "+apperr.OneOf(NoticeRegimes()))
	}
	if a.LeadHours < 0 || a.LeadHours > maxAreaHours {
		c.Add("lead_hours", "must be between 0 and 720")
	}
	if a.RenoticeHours < 0 || a.RenoticeHours > maxAreaHours {
		c.Add("renotice_hours", "must be between 0 and 720")
	}
	a.CargoClasses = checkCargoClasses(&c, a.CargoClasses)
	a.Source = strings.TrimSpace(a.Source)
	checkRequired(&c, "source", a.Source, maxAreaSource)
	return c.Err()
}

// DefaultCoastalAreas is the seed of the coastal-state table, from the domain reference
// (docs/domain.md, "Coastal states"). Only what that reference states as established is
// marked verified; the regimes it asks to verify are seeded as notice regimes with the
// MARPOL defaults and marked unverified, for admins to confirm or correct.
func DefaultCoastalAreas() []CoastalArea {
	const (
		marpol     = "MARPOL Annex I reg. 42: notice at least 48 h before an STS operation in the territorial sea or EEZ, again if the ETA moves by more than 6 h"
		unverified = "; regime as given by the domain reference, to be verified against the national rules"
		euRule     = "; the EU denies port access to ships that did not give a 48 h notice of an STS operation in EU waters"
	)
	oil := []CargoClass{CargoOil}
	notice := func(code, name, country, source string, verified bool, classes []CargoClass) CoastalArea {
		return CoastalArea{Code: code, Name: name, Country: country, Regime: RegimeNotice, LeadHours: DefaultLeadHours,
			RenoticeHours: DefaultRenoticeHours, CargoClasses: classes, Source: source, Verified: verified, Active: true}
	}
	permission := func(code, name, country, source string, verified bool) CoastalArea {
		a := notice(code, name, country, source, verified, []CargoClass{})
		a.Regime = RegimePermission
		return a
	}
	return []CoastalArea{
		notice("MT-HURDS", "Malta — Hurd's Bank", "Malta", marpol+euRule+unverified, false, oil),
		notice("DK-SKAW", "Denmark — Skaw", "Denmark", marpol+euRule+unverified, false, oil),
		notice("GR-LACONIKOS", "Greece — Laconikos Gulf", "Greece", marpol+euRule+unverified, false, oil),
		notice("EU", "EU waters (other member states)", "European Union", marpol+euRule, true, oil),
		notice("TG-LOME", "Togo — Lomé", "Togo", marpol+unverified, false, oil),
		notice("OM-SOHAR", "Oman — Sohar", "Oman", marpol+unverified, false, oil),
		permission("MY-LINGGI", "Malaysia — Tanjung Linggi", "Malaysia",
			"Written permit of the Marine Department Malaysia required; tankers doing STS without one were detained (reported 2018 and 2023)", true),
		permission("ID", "Indonesia", "Indonesia", "Written permission treated as required, like Malaysia"+unverified, false),
		{Code: "HIGH_SEAS", Name: "Outside any territorial sea or EEZ", Regime: RegimeNone, CargoClasses: []CargoClass{},
			Source: "MARPOL Annex I reg. 42 applies in a coastal state's territorial sea and EEZ only", Verified: true, Active: true},
	}
}
