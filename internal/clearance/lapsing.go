package clearance

import "time"

// LapsesSoon reports whether a validity that ends at validUntil belongs in the daily list of
// lapsing documents at now: it has not ended yet, and ends within LapsingWithinDays (before
// now + LapsingWithinDays, as the expiring list reads "within"), in a room whose operation is
// not over (status: a completed or cancelled operation needs no certificate any more).
func LapsesSoon(validUntil, now time.Time, status RoomStatus) bool {
	return validUntil.After(now) && validUntil.Before(now.AddDate(0, 0, LapsingWithinDays)) && !IsFinal(status)
}
