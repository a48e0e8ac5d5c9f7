package clearance

import (
	"math"
	"strconv"
	"time"

	"github.com/stshub/stshub/internal/apperr"
)

// The operation window runs from the ships' meeting (the room's ETA) to the expected end of
// the operation. Certificates are judged valid through its end: a lightering of several days
// needs cover for all of them. A room that states no length is given the default.
const (
	// DefaultOperationLength is the length of an operation whose room does not state one: a
	// default, not a rule (docs/domain.md, "Operation window").
	DefaultOperationLength = 48 * time.Hour
	// MinOperationLength and MaxOperationLength bound the length a room may state.
	MinOperationLength = time.Hour
	MaxOperationLength = 60 * 24 * time.Hour
)

// EffectiveLength is the length of an operation that states length: the default when it
// states none (zero or less).
func EffectiveLength(length time.Duration) time.Duration {
	if length <= 0 {
		return DefaultOperationLength
	}
	return length
}

// OperationWindowEnd is when an operation that meets at eta and lasts length is expected to
// be over (EffectiveLength).
func OperationWindowEnd(eta time.Time, length time.Duration) time.Time {
	return eta.UTC().Add(EffectiveLength(length))
}

// OperationLength reads the length of an operation from what a caller gave: the expected
// end (sts_end, judged against eta) or the length in hours (duration_hours). Neither given
// keeps current. Both given must agree. The error names the field at fault.
func OperationLength(eta time.Time, end *time.Time, hours *float64, current time.Duration) (time.Duration, error) {
	var c apperr.Collector
	length := current
	if hours != nil {
		if h := *hours; !(h >= MinOperationLength.Hours() && h <= MaxOperationLength.Hours()) {
			c.Add("duration_hours", "must be between "+formatHours(MinOperationLength)+" and "+formatHours(MaxOperationLength)+" hours")
			return current, c.Err()
		}
		length = time.Duration(math.Round(*hours*60)) * time.Minute
	}
	if end != nil {
		fromEnd := end.Sub(eta).Round(time.Minute)
		switch {
		case fromEnd < MinOperationLength || fromEnd > MaxOperationLength:
			c.Add("sts_end", "must be between "+formatHours(MinOperationLength)+" and "+formatHours(MaxOperationLength)+" hours after the ETA")
		case hours != nil && fromEnd != length:
			c.Add("sts_end", "does not agree with duration_hours; give one of them")
		default:
			length = fromEnd
		}
	}
	return length, c.Err()
}

func formatHours(d time.Duration) string { return strconv.FormatFloat(d.Hours(), 'f', -1, 64) }
