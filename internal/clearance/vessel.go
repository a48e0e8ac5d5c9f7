package clearance

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/stshub/stshub/internal/apperr"
)

// VesselRole is the part a vessel plays in a transfer.
type VesselRole string

// The vessel roles.
const (
	// VesselDischarging gives cargo: the "mother" ship, or ship to be lightered.
	VesselDischarging VesselRole = "discharging"
	// VesselReceiving takes cargo: the "daughter" ship.
	VesselReceiving VesselRole = "receiving"
)

// VesselRoles lists the vessel roles: the one list, from which the API's enum and
// validation are derived.
func VesselRoles() []VesselRole { return []VesselRole{VesselDischarging, VesselReceiving} }

var errVesselRole = errors.New("must be " + apperr.OneOf(VesselRoles()))

// ParseVesselRole returns the role named by s (surrounding space ignored, case significant).
func ParseVesselRole(s string) (VesselRole, error) {
	if r := VesselRole(strings.TrimSpace(s)); slices.Contains(VesselRoles(), r) {
		return r, nil
	}
	return "", errVesselRole
}

// Limits of a vessel's particulars.
const (
	maxDWT          = 700_000 // tonnes; the largest tankers ever built were about 565,000 DWT
	maxLOA          = 500.0   // metres
	maxBeam         = 80.0    // metres
	minBuiltYear    = 1900
	builtYearsAhead = 3 // a newbuilding may be entered up to this many years before delivery
)

// VesselParticulars are the facts recorded about one vessel in a room. Required: Name, IMO
// (an IMO ship number) and Role; everything else is optional. The JSON names are the field
// names used in validation errors.
type VesselParticulars struct {
	Name            string     `json:"name"`
	IMO             string     `json:"imo"`
	Role            VesselRole `json:"role"`
	Flag            string     `json:"flag,omitempty"`
	MMSI            string     `json:"mmsi,omitempty"`
	CallSign        string     `json:"call_sign,omitempty"`
	VesselType      string     `json:"vessel_type,omitempty"`
	DWT             *int       `json:"dwt,omitempty"`  // deadweight, tonnes
	LOA             *float64   `json:"loa,omitempty"`  // length overall, metres
	Beam            *float64   `json:"beam,omitempty"` // metres
	BuiltYear       *int       `json:"built_year,omitempty"`
	ClassSociety    string     `json:"class_society,omitempty"`
	PIClub          string     `json:"pi_club,omitempty"`
	RegisteredOwner string     `json:"registered_owner,omitempty"`
	DOCCompany      string     `json:"doc_company,omitempty"`
}

// Normalize trims every string in place (case is kept), rewrites IMO and MMSI in their bare
// digit form, and checks every field. It returns nil or an *apperr.ValidationError that lists
// each invalid field by its JSON name, in field order. now bounds the built year (at most three
// years ahead, for newbuildings). Fields that fail keep their trimmed input.
func (p *VesselParticulars) Normalize(now time.Time) error {
	var c apperr.Collector

	p.Name = strings.TrimSpace(p.Name)
	checkRequired(&c, "name", p.Name, maxShortText)

	p.IMO = strings.TrimSpace(p.IMO)
	if p.IMO == "" {
		c.Add("imo", "is required")
	} else if imo, err := NormalizeShipIMO(p.IMO); err != nil {
		c.Add("imo", err.Error())
	} else {
		p.IMO = imo
	}

	p.Role = VesselRole(strings.TrimSpace(string(p.Role)))
	if p.Role == "" {
		c.Add("role", "is required")
	} else if _, err := ParseVesselRole(string(p.Role)); err != nil {
		c.Add("role", err.Error())
	}

	p.Flag = strings.TrimSpace(p.Flag)
	checkMaxLen(&c, "flag", p.Flag, maxShortText)

	p.MMSI = strings.TrimSpace(p.MMSI)
	if p.MMSI != "" {
		if mmsi, err := NormalizeMMSI(p.MMSI); err != nil {
			c.Add("mmsi", err.Error())
		} else {
			p.MMSI = mmsi
		}
	}

	p.CallSign = strings.TrimSpace(p.CallSign)
	checkMaxLen(&c, "call_sign", p.CallSign, maxCallSign)

	p.VesselType = strings.TrimSpace(p.VesselType)
	checkMaxLen(&c, "vessel_type", p.VesselType, maxShortText)

	if p.DWT != nil && (*p.DWT < 1 || *p.DWT > maxDWT) {
		c.Add("dwt", "must be between 1 and "+strconv.Itoa(maxDWT)+" tonnes")
	}
	checkMetres(&c, "loa", p.LOA, maxLOA)
	checkMetres(&c, "beam", p.Beam, maxBeam)
	if p.BuiltYear != nil {
		last := now.Year() + builtYearsAhead
		if *p.BuiltYear < minBuiltYear || *p.BuiltYear > last {
			c.Add("built_year", "must be between "+strconv.Itoa(minBuiltYear)+" and "+strconv.Itoa(last))
		}
	}

	p.ClassSociety = strings.TrimSpace(p.ClassSociety)
	checkMaxLen(&c, "class_society", p.ClassSociety, maxShortText)
	p.PIClub = strings.TrimSpace(p.PIClub)
	checkMaxLen(&c, "pi_club", p.PIClub, maxShortText)
	p.RegisteredOwner = strings.TrimSpace(p.RegisteredOwner)
	checkMaxLen(&c, "registered_owner", p.RegisteredOwner, maxShortText)
	p.DOCCompany = strings.TrimSpace(p.DOCCompany)
	checkMaxLen(&c, "doc_company", p.DOCCompany, maxShortText)

	return c.Err()
}

// checkMetres records field as invalid when v is set and not between 1 and max metres
// (which includes NaN and infinities).
func checkMetres(c *apperr.Collector, field string, v *float64, max float64) {
	if v != nil && !(*v >= 1 && *v <= max) {
		c.Add(field, "must be between 1 and "+strconv.FormatFloat(max, 'f', -1, 64)+" metres")
	}
}

// SizeClass names the tanker size class of a deadweight in tonnes, per the usual bands:
// MR 25,000–54,999; LR1 55,000–79,999; Aframax 80,000–119,999; Suezmax 120,000–199,999;
// VLCC 200,000–319,999; ULCC 320,000 and above. Each band includes its lower bound. It returns ""
// below 25,000 DWT (small tankers, no class).
func SizeClass(dwt int) string {
	switch {
	case dwt >= 320_000:
		return "ULCC"
	case dwt >= 200_000:
		return "VLCC"
	case dwt >= 120_000:
		return "Suezmax"
	case dwt >= 80_000:
		return "Aframax"
	case dwt >= 55_000:
		return "LR1"
	case dwt >= 25_000:
		return "MR"
	default:
		return ""
	}
}
