package clearance

import (
	"fmt"
	"time"

	"github.com/stshub/stshub/internal/apperr"
)

// DocStatus is where one required document stands.
type DocStatus string

// The document statuses.
const (
	DocMissing     DocStatus = "missing"
	DocUnderReview DocStatus = "under_review"
	DocApproved    DocStatus = "approved"
	DocRejected    DocStatus = "rejected"
	DocExpired     DocStatus = "expired"
)

// DocStatuses lists the document statuses in the order of the status machine: the one list,
// from which the API's enum is derived and against which the database CHECK is tested.
func DocStatuses() []DocStatus {
	return []DocStatus{DocMissing, DocUnderReview, DocApproved, DocRejected, DocExpired}
}

// DocEvent is something that happens to a document.
type DocEvent string

// The document events.
const (
	EventUpload  DocEvent = "upload"
	EventApprove DocEvent = "approve"
	EventReject  DocEvent = "reject"
	EventExpire  DocEvent = "expire"
)

// docTransitions is the status machine: from → event → to. Anything absent is refused.
// A new upload always goes back to review; an approval can be withdrawn by a rejection
// (a reviewer who finds a problem later), but a rejected document needs a new upload.
var docTransitions = map[DocStatus]map[DocEvent]DocStatus{
	DocMissing:     {EventUpload: DocUnderReview},
	DocUnderReview: {EventUpload: DocUnderReview, EventApprove: DocApproved, EventReject: DocRejected},
	DocApproved:    {EventUpload: DocUnderReview, EventReject: DocRejected, EventExpire: DocExpired},
	DocRejected:    {EventUpload: DocUnderReview},
	DocExpired:     {EventUpload: DocUnderReview, EventReject: DocRejected},
}

// Transition applies event to a document in status from, or refuses with apperr.ErrConflict.
func Transition(from DocStatus, event DocEvent) (DocStatus, error) {
	if to, ok := docTransitions[from][event]; ok {
		return to, nil
	}
	return from, fmt.Errorf("a document that is %s cannot be %s: %w", from, pastTense(event), apperr.ErrConflict)
}

func pastTense(e DocEvent) string {
	switch e {
	case EventUpload:
		return "uploaded"
	case EventApprove:
		return "approved"
	case EventReject:
		return "rejected"
	case EventExpire:
		return "expired"
	}
	return "given event " + string(e)
}

// Validity is what decides whether an approved document is still good. It is a plain value:
// the service builds it from the document and its catalogue type (which says, through
// DocumentType.ValidityEnd, at what time of day the expiry date ends), and everything
// judged from it is a pure function of it and the instant asked about.
type Validity struct {
	Kind      ExpiryKind
	ExpiresOn *time.Time // a calendar date (midnight UTC)
	// EndsAt is the time of day its validity ends on ExpiresOn (12:00 GMT for a P&I entry);
	// nil: the document is valid through that whole day, UTC.
	EndsAt      *TimeOfDay
	PerformedAt *time.Time // when point-in-time evidence was produced
	MaxAgeDays  int        // how long point-in-time evidence stays acceptable; 0 = no limit
}

// ValidUntil is the first instant at which the document is no longer valid, or nil when it
// does not expire.
func (v Validity) ValidUntil() *time.Time {
	switch v.Kind {
	case ExpiryDate:
		if v.ExpiresOn == nil {
			return nil
		}
		if v.EndsAt != nil {
			end := v.EndsAt.on(*v.ExpiresOn)
			return &end
		}
		end := v.ExpiresOn.UTC().Truncate(24*time.Hour).AddDate(0, 0, 1)
		return &end
	case ExpiryPointInTime:
		if v.PerformedAt == nil || v.MaxAgeDays <= 0 {
			return nil
		}
		end := v.PerformedAt.UTC().AddDate(0, 0, v.MaxAgeDays)
		return &end
	}
	return nil
}

// ExpiryText writes the expiry date and, where the validity ends at a time of day, that
// time: "2026-02-20 at 12:00 GMT", or "2026-02-20". "" without an expiry date.
func (v Validity) ExpiryText() string {
	if v.ExpiresOn == nil {
		return ""
	}
	s := v.ExpiresOn.UTC().Format(time.DateOnly)
	if v.EndsAt != nil {
		s += " at " + v.EndsAt.String()
	}
	return s
}

// EffectiveStatus is the status to show at now: an approved document past its validity is
// expired even before the periodic scan has recorded it.
func EffectiveStatus(stored DocStatus, v Validity, now time.Time) DocStatus {
	if stored != DocApproved {
		return stored
	}
	if until := v.ValidUntil(); until != nil && !now.Before(*until) {
		return DocExpired
	}
	return stored
}

// ExpiresBefore reports whether the document stops being valid before t (for "expires
// during the operation": t is the end of the operation window).
func (v Validity) ExpiresBefore(t time.Time) bool {
	until := v.ValidUntil()
	return until != nil && until.Before(t)
}

// ParseDate reads an expiry date: YYYY-MM-DD, or an RFC 3339 time whose UTC date is used.
func ParseDate(s string) (time.Time, error) {
	if d, err := time.Parse(time.DateOnly, s); err == nil {
		return d, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("must be a date YYYY-MM-DD")
	}
	return t.UTC().Truncate(24 * time.Hour), nil
}
