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
// (an IMO ship number) and Role; everything else is optional. RegisteredOwnerIMO and
// DOCCompanyIMO are IMO company numbers (NormalizeCompanyIMO), never ship numbers. The JSON
// names are the field names used in validation errors.
type VesselParticulars struct {
	Name               string     `json:"name"`
	IMO                string     `json:"imo"`
	Role               VesselRole `json:"role"`
	Flag               string     `json:"flag,omitempty"`
	MMSI               string     `json:"mmsi,omitempty"`
	CallSign           string     `json:"call_sign,omitempty"`
	VesselType         string     `json:"vessel_type,omitempty"`
	DWT                *int       `json:"dwt,omitempty"`  // deadweight, tonnes
	LOA                *float64   `json:"loa,omitempty"`  // length overall, metres
	Beam               *float64   `json:"beam,omitempty"` // metres
	BuiltYear          *int       `json:"built_year,omitempty"`
	ClassSociety       string     `json:"class_society,omitempty"`
	PIClub             string     `json:"pi_club,omitempty"`
	RegisteredOwner    string     `json:"registered_owner,omitempty"`
	RegisteredOwnerIMO string     `json:"registered_owner_imo,omitempty"` // IMO company number
	DOCCompany         string     `json:"doc_company,omitempty"`          // holder of the ISM Document of Compliance
	DOCCompanyIMO      string     `json:"doc_company_imo,omitempty"`      // IMO company number
}

// Normalize trims every string in place (case is kept), rewrites the IMO numbers and the MMSI
// in their bare digit form, and checks every field. It returns nil or an *apperr.ValidationError that lists
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

	normalizeOptional(&c, "mmsi", &p.MMSI, NormalizeMMSI)

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
	normalizeOptional(&c, "registered_owner_imo", &p.RegisteredOwnerIMO, NormalizeCompanyIMO)
	p.DOCCompany = strings.TrimSpace(p.DOCCompany)
	checkMaxLen(&c, "doc_company", p.DOCCompany, maxShortText)
	normalizeOptional(&c, "doc_company_imo", &p.DOCCompanyIMO, NormalizeCompanyIMO)

	return c.Err()
}

// normalizeOptional trims *v and, when it is not empty, rewrites it with normalize or records
// field as invalid with normalize's message (keeping the trimmed input).
func normalizeOptional(c *apperr.Collector, field string, v *string, normalize func(string) (string, error)) {
	*v = strings.TrimSpace(*v)
	if *v == "" {
		return
	}
	if n, err := normalize(*v); err != nil {
		c.Add(field, err.Error())
	} else {
		*v = n
	}
}

// checkMetres records field as invalid when v is set and not between 1 and max metres
// (which includes NaN and infinities).
func checkMetres(c *apperr.Collector, field string, v *float64, max float64) {
	if v != nil && !(*v >= 1 && *v <= max) {
		c.Add(field, "must be between 1 and "+strconv.FormatFloat(max, 'f', -1, 64)+" metres")
	}
}
