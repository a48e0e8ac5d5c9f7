package clearance

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// TimeOfDay is the wall-clock time, in a zone, at which a dated document stops being valid
// on its expiry date: a P&I entry ends at 12:00 GMT on 20 February. It is a plain value (the
// location is immutable), so a Validity that carries one stays pure to evaluate.
type TimeOfDay struct {
	Minutes int            // after midnight, 0–1439
	Zone    *time.Location // nil is UTC
}

// String writes the time as catalogues state it: "12:00 GMT".
func (t TimeOfDay) String() string {
	return fmt.Sprintf("%02d:%02d %s", t.Minutes/60, t.Minutes%60, t.zone())
}

func (t TimeOfDay) zone() *time.Location {
	if t.Zone == nil {
		return time.UTC
	}
	return t.Zone
}

// on is the instant the time falls on the calendar date of day (its UTC date).
func (t TimeOfDay) on(day time.Time) time.Time {
	y, m, d := day.UTC().Date()
	return time.Date(y, m, d, t.Minutes/60, t.Minutes%60, 0, 0, t.zone()).UTC()
}

// ExpiryLead is how long before the start (UTC) of its expiry date a document's validity
// can end: early in the day in a zone up to 14 hours ahead of UTC. A query for documents
// whose validity may have ended by t asks for expiry dates before t + ExpiryLead.
const ExpiryLead = 14 * time.Hour

// DefaultExpiryZone is the zone of an expiry time that names none.
const DefaultExpiryZone = "UTC"

var hhmm = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)

// parseExpiryTime reads "HH:MM" (00:00–23:59) as minutes after midnight.
func parseExpiryTime(s string) (int, error) {
	if !hhmm.MatchString(s) {
		return 0, fmt.Errorf("must be a time of day HH:MM (00:00 to 23:59), or empty for the end of the day")
	}
	h, _ := strconv.Atoi(s[:2])
	m, _ := strconv.Atoi(s[3:])
	return h*60 + m, nil
}

// loadExpiryZone loads an IANA zone name ("GMT", "Europe/London"). "Local" is refused: it
// would mean a different zone on every machine.
func loadExpiryZone(name string) (*time.Location, error) {
	if name == "" || name == "Local" || len(name) > 64 || strings.ContainsAny(name, " \t\n") {
		return nil, fmt.Errorf("must be an IANA time zone name such as GMT, UTC or Europe/London")
	}
	if loc, ok := loadedZones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("must be an IANA time zone name such as GMT, UTC or Europe/London")
	}
	loadedZones.Store(name, loc)
	return loc, nil
}

// loadedZones keeps the zones loaded so far by name: every evaluation of a document with a
// time of day asks for its zone, and loading one reads and parses the tz database (~10 µs).
// A few names at most; a location is immutable.
var loadedZones sync.Map

// ValidityEnd is the time of day at which documents of type t stop being valid on their
// expiry date, or nil when they are valid through the whole date (or have no expiry date).
// A zone that no longer loads (Normalize checked it when it was stored; the tz database can
// drop a name) is read fail-safe: the document ends at the start of its expiry date, UTC.
func (t DocumentType) ValidityEnd() *TimeOfDay {
	if t.Expiry != ExpiryDate || t.ExpiryTime == "" {
		return nil
	}
	minutes, err := parseExpiryTime(t.ExpiryTime)
	if err != nil {
		return &TimeOfDay{Zone: time.UTC}
	}
	zone := t.ExpiryZone
	if zone == "" {
		zone = DefaultExpiryZone
	}
	loc, err := loadExpiryZone(zone)
	if err != nil {
		return &TimeOfDay{Zone: time.UTC}
	}
	return &TimeOfDay{Minutes: minutes, Zone: loc}
}
