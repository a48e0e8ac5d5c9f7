package clearance

import "time"

// WindowValidity says in words how a document's validity stands against the operation
// window that runs from start to end, judged at now: "valid throughout", "lapses during
// the operation on 2026-03-14", "lapses on …, before the operation starts",
// "expired on …". A document with nothing uploaded says nothing (""); one whose validity
// lacks the date it is judged by says which date is missing. It is what a record of the
// room (the snapshot) prints beside each document.
func WindowValidity(v Validity, uploaded bool, start, end, now time.Time) string {
	if !uploaded {
		return ""
	}
	switch {
	case v.Kind == ExpiryNone:
		return "no expiry: valid for this operation"
	case v.Kind == ExpiryDate && v.ExpiresOn == nil:
		return "no expiry date recorded"
	case v.Kind == ExpiryPointInTime && v.PerformedAt == nil:
		return "no performed-at time recorded"
	}
	until := v.ValidUntil()
	if until == nil { // evidence without an age limit
		return "valid throughout"
	}
	at := until.UTC().Format("2006-01-02 15:04 UTC")
	if v.Kind == ExpiryDate {
		at = v.ExpiryText() // the date it is valid through, or its time of day: "2027-02-20 at 12:00 GMT"
	}
	switch {
	case !now.Before(*until):
		return "expired on " + at
	case !until.After(start):
		return "lapses on " + at + ", before the operation starts"
	case until.Before(end):
		return "lapses during the operation on " + at
	}
	return "valid throughout"
}
