package clearance

import (
	"regexp"
	"slices"
	"strings"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/authz"
)

// Criticality says what a missing or invalid document blocks.
type Criticality string

// The criticalities (docs/domain.md, "The catalogue").
const (
	// CriticalityHigh blocks clearance.
	CriticalityHigh Criticality = "high"
	// CriticalityMedium is needed before the operation commences.
	CriticalityMedium Criticality = "medium"
	// CriticalityLow is informative.
	CriticalityLow Criticality = "low"
)

// Criticalities lists the criticalities, most critical first (the order of Rank): the one
// list, from which the API's enum and validation are derived and against which the
// database CHECK is tested.
func Criticalities() []Criticality {
	return []Criticality{CriticalityHigh, CriticalityMedium, CriticalityLow}
}

// Rank orders criticalities, most critical first (0).
func (c Criticality) Rank() int {
	switch c {
	case CriticalityHigh:
		return 0
	case CriticalityMedium:
		return 1
	}
	return 2
}

// DocScope says whether a document type is supplied once per vessel or once per room.
type DocScope string

// The scopes.
const (
	ScopeVessel DocScope = "vessel"
	ScopeRoom   DocScope = "room"
)

// DocScopes lists the scopes: the one list (API enum, validation, database CHECK test).
func DocScopes() []DocScope { return []DocScope{ScopeVessel, ScopeRoom} }

// ExpiryKind says how a document type stops being valid.
type ExpiryKind string

// The kinds of validity.
const (
	// ExpiryDate: a certificate with a calendar expiry date (expires_on).
	ExpiryDate ExpiryKind = "expires"
	// ExpiryPointInTime: evidence as of a moment (performed_at), acceptable for MaxAgeDays.
	ExpiryPointInTime ExpiryKind = "point_in_time"
	// ExpiryNone: valid for this operation, no calendar expiry.
	ExpiryNone ExpiryKind = "none"
)

// ExpiryKinds lists the kinds of validity: the one list (API enum, validation, database
// CHECK test).
func ExpiryKinds() []ExpiryKind { return []ExpiryKind{ExpiryDate, ExpiryPointInTime, ExpiryNone} }

// DocumentType is one entry of the document catalogue.
type DocumentType struct {
	Code        string `json:"code"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Category    string `json:"category"`
	SuppliedBy  string `json:"supplied_by"` // the room role that normally supplies it (authz.SupplierRoles)
	// AlsoSuppliedBy are further roles that supply it themselves (see MaySupply).
	AlsoSuppliedBy []authz.Role `json:"also_supplied_by"`
	// OnBehalf lets the coordinators (authz.MayUploadOnBehalf) upload it for its supplier.
	OnBehalf bool `json:"on_behalf"`
	// VisibleTo are the roles that see every document of the type; its suppliers see what
	// they supply (see MaySee).
	VisibleTo []authz.Role `json:"visible_to"`
	// CargoClasses are the operations the type is asked for in; empty means every one
	// (see AppliesTo).
	CargoClasses []CargoClass `json:"cargo_classes"`
	Scope        DocScope     `json:"scope"`
	Criticality  Criticality  `json:"criticality"`
	Expiry       ExpiryKind   `json:"expiry"`
	// ExpiryTime and ExpiryZone, for ExpiryDate types, say when on its expiry date a
	// document stops being valid: "HH:MM" in an IANA zone (DefaultExpiryZone when none is
	// named). "" is the end of the day, UTC. See ValidityEnd.
	ExpiryTime        string `json:"expiry_time"`
	ExpiryZone        string `json:"expiry_zone"`
	MaxAgeDays        int    `json:"max_age_days"` // for ExpiryPointInTime; 0 means no limit
	RequiredByDefault bool   `json:"required_by_default"`
	Active            bool   `json:"active"`
}

var docCode = regexp.MustCompile(`^[A-Z][A-Z0-9_]{1,31}$`)

// Normalize trims and checks a catalogue entry, naming every invalid field.
func (t *DocumentType) Normalize() error {
	var c apperr.Collector
	t.Code = strings.ToUpper(strings.TrimSpace(t.Code))
	t.Name = strings.TrimSpace(t.Name)
	t.Description = strings.TrimSpace(t.Description)
	t.Category = strings.TrimSpace(t.Category)
	t.SuppliedBy = strings.TrimSpace(t.SuppliedBy)
	if !docCode.MatchString(t.Code) {
		c.Add("code", "must be 2-32 characters: capital letters, digits and _, starting with a letter")
	}
	if t.Name == "" || len([]rune(t.Name)) > 200 {
		c.Add("name", "is required and at most 200 characters")
	}
	if len([]rune(t.Description)) > 2000 {
		c.Add("description", "must be at most 2000 characters")
	}
	if len([]rune(t.Category)) > 100 {
		c.Add("category", "must be at most 100 characters")
	}
	if !slices.Contains(authz.SupplierRoles(), authz.Role(t.SuppliedBy)) {
		c.Add("supplied_by", "must be a room role that supplies documents")
	}
	t.AlsoSuppliedBy = dedup(t.AlsoSuppliedBy)
	for _, r := range t.AlsoSuppliedBy {
		if !slices.Contains(authz.SupplierRoles(), r) || string(r) == t.SuppliedBy {
			c.Add("also_supplied_by", "must be room roles that supply documents, other than supplied_by")
			break
		}
	}
	if t.VisibleTo == nil {
		t.VisibleTo = authz.Roles()
	}
	t.VisibleTo = dedup(t.VisibleTo)
	if err := checkVisibleTo(t.VisibleTo); err != nil {
		c.Add("visible_to", err.Error())
	}
	t.CargoClasses = checkCargoClasses(&c, t.CargoClasses)
	if !slices.Contains(DocScopes(), t.Scope) {
		c.Add("scope", "must be "+apperr.OneOf(DocScopes()))
	}
	if !slices.Contains(Criticalities(), t.Criticality) {
		c.Add("criticality", "must be "+apperr.OneOf(Criticalities()))
	}
	switch t.Expiry {
	case ExpiryDate, ExpiryNone:
		if t.MaxAgeDays != 0 {
			c.Add("max_age_days", "applies only to point_in_time documents")
		}
	case ExpiryPointInTime:
		if t.MaxAgeDays < 0 || t.MaxAgeDays > 3650 {
			c.Add("max_age_days", "must be between 0 and 3650")
		}
	default:
		c.Add("expiry", "must be "+apperr.OneOf(ExpiryKinds()))
	}
	t.normalizeExpiryTime(&c)
	return c.Err()
}

// normalizeExpiryTime checks the time of day a dated type's validity ends at, and its zone.
func (t *DocumentType) normalizeExpiryTime(c *apperr.Collector) {
	t.ExpiryTime, t.ExpiryZone = strings.TrimSpace(t.ExpiryTime), strings.TrimSpace(t.ExpiryZone)
	switch {
	case t.ExpiryTime == "" && t.ExpiryZone != "":
		c.Add("expiry_zone", "applies only with an expiry_time")
	case t.ExpiryTime == "":
	case t.Expiry != ExpiryDate:
		c.Add("expiry_time", "applies only to "+string(ExpiryDate)+" documents")
		if t.ExpiryZone != "" {
			c.Add("expiry_zone", "applies only to "+string(ExpiryDate)+" documents")
		}
	default:
		if _, err := parseExpiryTime(t.ExpiryTime); err != nil {
			c.Add("expiry_time", err.Error())
		}
		if t.ExpiryZone == "" {
			t.ExpiryZone = DefaultExpiryZone
		}
		if _, err := loadExpiryZone(t.ExpiryZone); err != nil {
			c.Add("expiry_zone", err.Error())
		}
	}
}

// DefaultCatalogue is the seed catalogue from the domain reference (docs/domain.md). Ages of
// point-in-time evidence are defaults that admins change per installation: a charterer
// sets the acceptable SIRE age, screenings are re-run before commencement.
func DefaultCatalogue() []DocumentType {
	t := func(code, name, category, by string, scope DocScope, crit Criticality, exp ExpiryKind, maxAge int, desc string) DocumentType {
		return DocumentType{Code: code, Name: name, Description: desc, Category: category, SuppliedBy: by, Scope: scope,
			Criticality: crit, Expiry: exp, MaxAgeDays: maxAge, RequiredByDefault: true, Active: true, VisibleTo: authz.Roles(),
			AlsoSuppliedBy: []authz.Role{}, CargoClasses: []CargoClass{}}
	}
	const (
		v, r          = ScopeVessel, ScopeRoom
		hi, med       = CriticalityHigh, CriticalityMedium
		date, pit, no = ExpiryDate, ExpiryPointInTime, ExpiryNone
	)
	cat := []DocumentType{
		t("Q88", "Q88 tanker questionnaire", "vessel particulars", "owner", v, hi, no, 0, "Vessel particulars questionnaire; no fixed expiry, carries a date updated."),
		t("SIRE", "SIRE 2.0 inspection report", "vetting", "owner", v, hi, pit, 180, "OCIMF SIRE 2.0 report; acceptable age is set by the charterer (often 6 months)."),
		t("VETTING", "Vetting acceptance", "vetting", "charterer", v, hi, pit, 0, "Charterer's vetting acceptance for this operation, time-stamped."),
		t("CLASS", "Class certificate / class status", "statutory", "owner", v, hi, date, 0, "Class certificate and status with no overdue conditions; 5-year cycle with annual surveys."),
		t("IOPP", "IOPP certificate + Supplement Form B", "statutory", "owner", v, hi, date, 0, "International Oil Pollution Prevention certificate, up to 5 years."),
		t("ISM_DOC", "ISM Document of Compliance", "statutory", "owner", v, hi, date, 0, "Company DOC, up to 5 years with annual verification."),
		t("ISM_SMC", "ISM Safety Management Certificate", "statutory", "owner", v, hi, date, 0, "Ship SMC, up to 5 years."),
		t("ISSC", "ISPS International Ship Security Certificate", "statutory", "owner", v, med, date, 0, "ISSC, up to 5 years."),
		t("PI_COE", "P&I certificate of entry", "insurance", "owner", v, hi, date, 0, "P&I year ends 20 February 12:00 GMT."),
		t("CLC", "CLC certificate (oil pollution liability)", "insurance", "owner", v, hi, date, 0, "Follows the P&I year."),
		t("BUNKER", "Bunker Convention certificate", "insurance", "owner", v, med, date, 0, "Follows the P&I year."),
		t("HM", "Hull & machinery insurance evidence", "insurance", "owner", v, med, date, 0, "Annual."),
		t("STS_PLAN", "STS Operations Plan (flag-approved)", "operations", "owner", v, hi, no, 0, "MARPOL Annex I ch. 8 STS operations plan; no expiry."),
		t("MOORING", "Mooring arrangement / line management plan", "compatibility", "owner", v, hi, date, 0, "OCIMF MEG4 mooring arrangement; line certificates are dated."),
		t("FENDER", "Fender certificates (ISO 17357-1)", "equipment", "sts_provider", r, hi, date, 0, "Primary and secondary fender test certificates."),
		t("HOSE", "Cargo hose test certificates", "equipment", "sts_provider", r, hi, date, 0, "Hose pressure test certificates."),
		t("POAC", "POAC / mooring master credentials", "operations", "sts_provider", r, med, no, 0, "Person in overall advisory control for this operation."),
		t("JPO", "Joint Plan of Operation (incl. mooring plan)", "operations", "sts_provider", r, hi, no, 0, "Per operation."),
		t("RISK", "Operation risk assessment", "operations", "sts_provider", r, hi, no, 0, "Per operation."),
		// Medium, where the domain table has high: the notice is given 48 h before the ETA, long
		// after a room may clear, and the coastal state's conditions are the commencement gate's.
		t("COASTAL", "Coastal-state notification / permission evidence", "regulatory", "owner", v, med, no, 0, "Notice at least 48 h before; redo if the ETA moves more than 6 h."),
		t("MSDS", "Safety data sheet of cargo (and previous cargo)", "cargo", "seller", r, med, no, 0, "Per cargo."),
		t("CREW", "Officer matrix / crew list", "vessel particulars", "owner", v, med, no, 0, "Changes with the crew."),
		t("SANCTIONS", "Sanctions screening", "compliance", "charterer", v, hi, pit, 7, "Vessel, owner, manager and counterparties; evidence as of its time, re-run before commencement."),
		t("AIS", "AIS history / dark-activity report", "compliance", "charterer", v, hi, pit, 7, "Point-in-time report, e.g. a 90-day window."),
		t("PRICE_CAP", "Price-cap attestation / cargo origin evidence", "compliance", "seller", r, med, no, 0, "Per voyage, where applicable."),
		t("COF_IGC", "International Certificate of Fitness for the Carriage of Liquefied Gases in Bulk (IGC Code)", "statutory", "owner", v, hi, date, 0,
			"Flag-state certificate that a gas carrier meets the IGC Code for the cargoes it lists; up to 5 years with annual surveys."),
		t("GAS_COMPAT", "Gas STS compatibility study (manifolds, vapour return, ESD link)", "compatibility", "sts_provider", r, hi, no, 0,
			"Per operation: manifold arrangement, vapour return and the emergency shut-down link between the two gas carriers."),
		t("COF_IBC", "International Certificate of Fitness for the Carriage of Dangerous Chemicals in Bulk (IBC Code)", "statutory", "owner", v, hi, date, 0,
			"Flag-state certificate that a chemical tanker meets the IBC Code for the products it lists; up to 5 years with annual surveys."),
	}
	for i := range cat {
		d := &cat[i]
		if slices.Contains(confidentialByDefault, d.Code) {
			d.VisibleTo = []authz.Role{authz.Broker, authz.Charterer}
		}
		d.OnBehalf = slices.Contains(onBehalfByDefault, d.Code)
		d.RequiredByDefault = !slices.Contains(optionalByDefault, d.Code)
		if slices.Contains(pIYearByDefault, d.Code) {
			d.ExpiryTime, d.ExpiryZone = pIYearEnd, pIYearZone
		}
		for _, class := range CargoClasses() {
			if slices.Contains(cargoClassesByDefault[class], d.Code) {
				d.CargoClasses = append(d.CargoClasses, class)
			}
		}
	}
	return cat
}

// pIYearByDefault are the seed types that follow the P&I year: cover ends at 12:00 GMT on
// the expiry date (20 February), not at its midnight (Gard Rule 4, Swedish Club Rule 20);
// CLC and Bunker Convention certificates follow the entry.
var pIYearByDefault = []string{"PI_COE", "CLC", "BUNKER"}

// The time of day, and its zone, the P&I year ends at.
const pIYearEnd, pIYearZone = "12:00", "GMT"

// cargoClassesByDefault are the seed types asked for only in operations of some cargo
// classes: MARPOL Annex I (the IOPP certificate and its Supplement Form B for oil tankers,
// CLC cover for persistent oil) is for oil; gas and chemical carriers have their own
// certificates of fitness, and a gas transfer its own compatibility study. Every other
// type applies to every class.
var cargoClassesByDefault = map[CargoClass][]string{
	CargoOil:      {"IOPP", "CLC"},
	CargoChemical: {"COF_IBC"},
	CargoGas:      {"COF_IGC", "GAS_COMPAT"},
}

// optionalByDefault are the seed types a room is not given unless someone requires them:
// the price-cap attestation, only where applicable. (The gas and chemical types are required
// by default: a room is given only the types of its cargo class.)
var optionalByDefault = []string{"PRICE_CAP"}

// confidentialByDefault are the seed types only the coordinators (and the vessel's own
// party, which supplies them) see: vetting findings and compliance screenings are the
// charterer's and the owner's business, not the cargo parties' or observers'.
var confidentialByDefault = []string{"SIRE", "VETTING", "SANCTIONS", "AIS"}

// onBehalfByDefault are the seed types a broker or charterer may upload for their supplier:
// per-operation papers that often reach the coordinators first. Vessel certificates and
// equipment certificates are off: they come from the ship or the provider themselves.
var onBehalfByDefault = []string{"POAC", "JPO", "RISK", "MSDS", "PRICE_CAP"}
