package clearance

import "time"

// WindowFit says how a document's validity stands against its room's operation window
// (docs/domain.md, "Operation window"): what a reviewer must know before approving it.
type WindowFit string

// The fits, from the reviewer's point of view.
const (
	// FitThroughout: valid until the window's end or later.
	FitThroughout WindowFit = "valid_throughout"
	// FitLapses: valid now, but not until the window ends: it lapses before the operation
	// starts or while it runs. Approving a certificate in it needs an explicit
	// acknowledgement; point-in-time evidence in it is re-run before commencement.
	FitLapses WindowFit = "lapses_during_operation"
	// FitExpired: no longer valid now; it cannot be approved, a current one is needed.
	FitExpired WindowFit = "expired"
	// FitNoExpiry: the type has no calendar expiry, or its evidence no age limit.
	FitNoExpiry WindowFit = "no_expiry"
	// FitUndated: the date the validity is judged by is not recorded (nothing uploaded, or
	// a version uploaded before its type had an expiry).
	FitUndated WindowFit = "undated"
)

// WindowFits lists the fits: the one list (API enum).
func WindowFits() []WindowFit {
	return []WindowFit{FitThroughout, FitLapses, FitExpired, FitNoExpiry, FitUndated}
}

// WindowValidity is a document's validity judged against an operation window, in words.
type WindowValidity struct {
	Fit   WindowFit
	Kind  ExpiryKind // of the document's type
	Until *time.Time // the first instant it is no longer valid; nil without an expiry
	Text  string     // one sentence for the reviewer
	// Brief is the same in a few words, for a table cell (the snapshots' documents):
	// "valid throughout", "lapses during the operation on 2026-03-14", "expired on …".
	Brief string
}

// NeedsAcknowledgement reports whether approving the document needs the reviewer to
// confirm, with a note, that it lapses before the operation is over: a certificate that
// does. Point-in-time evidence that ages out during the operation does not: it is valid
// evidence now and is re-run before commencement, which its blocker says
// (DocumentBlockers).
func (w WindowValidity) NeedsAcknowledgement() bool {
	return w.Fit == FitLapses && w.Kind == ExpiryDate
}

// textTime is how the judgement writes an instant: "14 Dec 2026 08:00 UTC".
func textTime(t time.Time) string { return t.UTC().Format("2 Jan 2006 15:04") + " UTC" }

// JudgeWindow judges validity v at now against the operation window from start (the
// ships' meeting, the room's ETA) to end. Valid until end exactly is valid throughout (the
// window's end is its first instant after the operation, as ValidUntil is); valid until
// now exactly is expired (as EffectiveStatus has it).
func JudgeWindow(v Validity, now, start, end time.Time) WindowValidity {
	w := judgeWindow(v, now, start, end)
	w.Kind = v.Kind
	return w
}

func judgeWindow(v Validity, now, start, end time.Time) WindowValidity {
	until := v.ValidUntil()
	// How the document's validity ends, in words: its expiry date (with the time of day
	// it ends at) for a certificate, the instant it ages out for point-in-time evidence.
	ends, at := "", ""
	switch {
	case until == nil:
	case v.Kind == ExpiryDate && v.EndsAt == nil:
		ends, at = "it expires on "+v.ExpiryText()+" (end of day, UTC)", v.ExpiryText()
	case v.Kind == ExpiryDate:
		ends, at = "it expires on "+v.ExpiryText(), v.ExpiryText()
	default:
		ends, at = "it ages out at "+textTime(*until), until.UTC().Format("2006-01-02 15:04 UTC")
	}
	window := "the operation window is " + textTime(start) + " to " + textTime(end)
	switch {
	case v.Kind == ExpiryDate && v.ExpiresOn == nil:
		return WindowValidity{Fit: FitUndated, Brief: "no expiry date recorded",
			Text: "No expiry date is recorded: its validity cannot be judged against the operation window."}
	case v.Kind == ExpiryPointInTime && v.PerformedAt == nil:
		return WindowValidity{Fit: FitUndated, Brief: "no performed-at time recorded",
			Text: "No performed-at time is recorded: its validity cannot be judged against the operation window."}
	case until == nil:
		if v.Kind == ExpiryPointInTime {
			return WindowValidity{Fit: FitNoExpiry, Brief: "valid throughout",
				Text: "Evidence as of " + textTime(*v.PerformedAt) + ", with no age limit: valid for this operation."}
		}
		return WindowValidity{Fit: FitNoExpiry, Brief: "no expiry: valid for this operation", Text: "No expiry: valid for this operation."}
	case !now.Before(*until):
		text := "Already expired: its expiry date was " + v.ExpiryText() + "."
		if v.Kind == ExpiryPointInTime {
			text = "Already aged out at " + textTime(*until) + ": it must be re-run."
		}
		return WindowValidity{Fit: FitExpired, Until: until, Text: text, Brief: "expired on " + at}
	case until.Before(end):
		// Valid until the start exactly is valid for none of the operation.
		text, brief := "Lapses during the operation: "+ends+"; "+window+".", "lapses during the operation on "+at
		if !until.After(start) {
			text, brief = "Lapses before the operation starts: "+ends+"; "+window+".", "lapses on "+at+", before the operation starts"
		}
		if v.Kind == ExpiryPointInTime {
			text += " Re-run it before commencement."
		}
		return WindowValidity{Fit: FitLapses, Until: until, Text: text, Brief: brief}
	}
	return WindowValidity{Fit: FitThroughout, Until: until, Brief: "valid throughout",
		Text: "Valid throughout the operation: " + ends + "; " + window + "."}
}

// FirstDateValidAt is the earliest expiry date (midnight UTC) on which a certificate whose
// validity ends at endsAt on that date (nil: at the end of the day, UTC) is still valid at
// t: an earlier date has lapsed by t. Forms warn with it before an upload is sent (at now:
// already expired; at the window's end: lapses during the operation).
func FirstDateValidAt(endsAt *TimeOfDay, t time.Time) time.Time {
	// The validity ends within a day of its date (ExpiryLead ahead of UTC at most, up to a
	// day behind): the answer is among the days around t's.
	day := t.UTC().Truncate(24 * time.Hour)
	for d := day.AddDate(0, 0, -1); ; d = d.AddDate(0, 0, 1) {
		on := d
		if until := (Validity{Kind: ExpiryDate, ExpiresOn: &on, EndsAt: endsAt}).ValidUntil(); t.Before(*until) {
			return d
		}
	}
}
