package clearance

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/stshub/stshub/internal/apperr"
)

// RoomStatus is where a clearance room stands in its lifecycle (see docs/domain.md, "Lifecycle
// of a room"). Which transitions between statuses are allowed is decided elsewhere.
type RoomStatus string

// The room statuses.
const (
	// StatusDraft: being set up; nothing requested yet.
	StatusDraft RoomStatus = "draft"
	// StatusClearing: documents are being collected and reviewed.
	StatusClearing RoomStatus = "clearing"
	// StatusCleared: every required document approved and valid through the operation window,
	// every required party signed off. The gate can be lost again.
	StatusCleared RoomStatus = "cleared"
	// StatusInOperation: the transfer is under way.
	StatusInOperation RoomStatus = "in_operation"
	// StatusCompleted: the transfer is over; final.
	StatusCompleted RoomStatus = "completed"
	// StatusCancelled: abandoned before completion; final.
	StatusCancelled RoomStatus = "cancelled"
	// StatusOnHold: stopped by a compliance hold.
	StatusOnHold RoomStatus = "on_hold"
)

var errRoomStatus = errors.New("must be " + apperr.OneOf(RoomStatuses()))

// ParseRoomStatus returns the status named by s (surrounding space ignored, case significant).
func ParseRoomStatus(s string) (RoomStatus, error) {
	if st := RoomStatus(strings.TrimSpace(s)); slices.Contains(RoomStatuses(), st) {
		return st, nil
	}
	return "", errRoomStatus
}

// Limits of a room's fields.
const (
	maxDescription   = 5000
	maxCargoType     = 100
	maxCargoQuantity = 10_000_000
	// minETAYear and maxETAYear bound an ETA: a year outside is a typing slip (0000, 20266),
	// never an operation.
	minETAYear = 2000
	maxETAYear = 2100
)

// RoomFields are the fields of a room that its creator sets and may edit. The JSON names are
// the field names used in validation errors.
type RoomFields struct {
	Title         string    `json:"title"`
	Location      string    `json:"location"`
	STSETA        time.Time `json:"sts_eta"` // expected time of the ships' meeting
	Description   string    `json:"description,omitempty"`
	CargoType     string    `json:"cargo_type,omitempty"`
	CargoQuantity *float64  `json:"cargo_quantity,omitempty"`
	// CargoClass decides which documents and rules apply; "" is oil.
	CargoClass CargoClass `json:"cargo_class"`
	// CoastalArea is the code of the coastal-state entry whose rule applies ("" for none
	// named yet); that the entry exists is checked against the table by the caller.
	CoastalArea string `json:"coastal_area,omitempty"`
	// OperationLength is how long the operation lasts from the ETA (see OperationLength);
	// zero is the default.
	OperationLength time.Duration `json:"-"`
}

// Normalize trims the strings in place and checks every field. It returns nil or an
// *apperr.ValidationError that lists each invalid field by its JSON name, in field order.
func (f *RoomFields) Normalize() error {
	var c apperr.Collector

	f.Title = strings.TrimSpace(f.Title)
	checkRequired(&c, "title", f.Title, maxShortText)
	f.Location = strings.TrimSpace(f.Location)
	checkRequired(&c, "location", f.Location, maxShortText)
	if f.STSETA.IsZero() {
		c.Add("sts_eta", "is required")
	} else if y := f.STSETA.UTC().Year(); y < minETAYear || y > maxETAYear {
		c.Add("sts_eta", "must fall between the years "+strconv.Itoa(minETAYear)+" and "+strconv.Itoa(maxETAYear))
	}
	f.Description = strings.TrimSpace(f.Description)
	checkMaxLen(&c, "description", f.Description, maxDescription)
	f.CargoType = strings.TrimSpace(f.CargoType)
	checkMaxLen(&c, "cargo_type", f.CargoType, maxCargoType)
	if class, err := ParseCargoClass(string(f.CargoClass)); err != nil {
		c.Add("cargo_class", err.Error())
	} else {
		f.CargoClass = class
	}
	f.CoastalArea = strings.ToUpper(strings.TrimSpace(f.CoastalArea))
	if f.CoastalArea != "" && !areaCode.MatchString(f.CoastalArea) {
		c.Add("coastal_area", "is not a coastal state or area of the table")
	}
	f.OperationLength = EffectiveLength(f.OperationLength)
	// The negated range check also refuses NaN and infinities.
	if q := f.CargoQuantity; q != nil && !(*q >= 0 && *q <= maxCargoQuantity) {
		c.Add("cargo_quantity", "must be between 0 and 10000000")
	}

	return c.Err()
}
