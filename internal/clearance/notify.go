package clearance

import (
	"fmt"
	"slices"
	"time"

	"github.com/stshub/stshub/internal/apperr"
)

// Notifications (docs/notifications.md): what the hub tells a person of, and how each
// person wants to hear of it by e-mail. Who is told is decided by the service with the
// room's visibility rules; this file holds the lists and the rules that need no data.

// NotificationKind is what a notification tells of.
type NotificationKind string

// The notification kinds.
const (
	// NotifyInvited: the user was added to a room as a party.
	NotifyInvited NotificationKind = "room_invitation"
	// NotifyRejected: a document the user's party supplies was rejected, with the reason.
	NotifyRejected NotificationKind = "document_rejected"
	// NotifyReview: a document awaits the user's party's review.
	NotifyReview NotificationKind = "review_requested"
	// NotifyCleared: the room is cleared.
	NotifyCleared NotificationKind = "room_cleared"
	// NotifyFellBack: the room lost clearance and is clearing again, with the blockers.
	NotifyFellBack NotificationKind = "room_fell_back"
	// NotifyHold: the room was put on hold, with the reason.
	NotifyHold NotificationKind = "room_on_hold"
	// NotifySignOff: every high-criticality document is approved; the party's sign-off is
	// wanted.
	NotifySignOff NotificationKind = "signoff_requested"
	// NotifyStale: the party's sign-off no longer counts, with what changed since.
	NotifyStale NotificationKind = "signoff_stale"
	// NotifyLapsing: certificates or screenings in the user's rooms lapse within
	// LapsingWithinDays (one notification a day listing them all).
	NotifyLapsing NotificationKind = "documents_lapsing"
	// NotifyQuestion: a question on a document was addressed to the user's party.
	NotifyQuestion NotificationKind = "question_asked"
	// NotifyReply: a question the user's party asked or was asked was answered.
	NotifyReply NotificationKind = "question_replied"
)

// Delivery is how a user hears of a kind by e-mail. Every notification is in the in-app
// list whatever the delivery.
type Delivery string

// The deliveries.
const (
	DeliverImmediate Delivery = "immediate" // an e-mail per notification, as it happens
	DeliverDigest    Delivery = "digest"    // listed in the day's digest e-mail
	DeliverOff       Delivery = "off"       // no e-mail
)

// Deliveries lists the deliveries: the one list (API enum, database CHECK).
func Deliveries() []Delivery { return []Delivery{DeliverImmediate, DeliverDigest, DeliverOff} }

// KindInfo describes one kind to its users: its label, the delivery it has until the user
// chooses, and the deliveries it may have.
type KindInfo struct {
	Kind     NotificationKind
	Label    string
	Default  Delivery
	Allowed  []Delivery
	Explains string // why some delivery is not allowed ("" when all are)
}

var allDeliveries = Deliveries()

// notificationKinds is the one list of kinds, in the order the preferences page shows them.
// Decisions and the room's state are urgent (immediate by default); lapsing documents are
// found once a day and only ever come as a digest.
var notificationKinds = []KindInfo{
	{Kind: NotifyInvited, Label: "You are added to a room", Default: DeliverImmediate, Allowed: allDeliveries},
	{Kind: NotifyRejected, Label: "A document your party supplied is rejected", Default: DeliverImmediate, Allowed: allDeliveries},
	{Kind: NotifyReview, Label: "A document awaits your review", Default: DeliverImmediate, Allowed: allDeliveries},
	{Kind: NotifyCleared, Label: "A room is cleared", Default: DeliverImmediate, Allowed: allDeliveries},
	{Kind: NotifyFellBack, Label: "A room falls back to clearing", Default: DeliverImmediate, Allowed: allDeliveries},
	{Kind: NotifyHold, Label: "A room is put on hold", Default: DeliverImmediate, Allowed: allDeliveries},
	{Kind: NotifySignOff, Label: "Your sign-off is requested", Default: DeliverImmediate, Allowed: allDeliveries},
	{Kind: NotifyStale, Label: "Your sign-off has gone stale", Default: DeliverImmediate, Allowed: allDeliveries},
	{Kind: NotifyLapsing, Label: fmt.Sprintf("Certificates or screenings in your rooms lapse within %d days", LapsingWithinDays), Default: DeliverDigest,
		Allowed: []Delivery{DeliverDigest, DeliverOff}, Explains: "lapsing documents are found once a day and come in the daily digest"},
	{Kind: NotifyQuestion, Label: "A question is addressed to your party", Default: DeliverImmediate, Allowed: allDeliveries},
	{Kind: NotifyReply, Label: "A question you take part in is answered", Default: DeliverImmediate, Allowed: allDeliveries},
}

// NotificationKinds lists every kind with its label, default and allowed deliveries.
func NotificationKinds() []KindInfo { return slices.Clone(notificationKinds) }

// KindOf returns the description of kind, and false for a kind that is not one.
func KindOf(kind NotificationKind) (KindInfo, bool) {
	i := slices.IndexFunc(notificationKinds, func(k KindInfo) bool { return k.Kind == kind })
	if i < 0 {
		return KindInfo{}, false
	}
	return notificationKinds[i], true
}

// CheckPreference validates a user's choice of delivery d for kind: a known kind, a known
// delivery, and one the kind allows.
func CheckPreference(kind NotificationKind, d Delivery) error {
	info, ok := KindOf(kind)
	if !ok {
		return apperr.Invalid("kind", "must be "+apperr.OneOf(kindNames()))
	}
	if !slices.Contains(Deliveries(), d) {
		return apperr.Invalid("delivery", "must be "+apperr.OneOf(Deliveries()))
	}
	if !slices.Contains(info.Allowed, d) {
		return apperr.Invalid("delivery", fmt.Sprintf("%s may be %s: %s", kind, apperr.OneOf(info.Allowed), info.Explains))
	}
	return nil
}

func kindNames() []NotificationKind {
	out := make([]NotificationKind, len(notificationKinds))
	for i, k := range notificationKinds {
		out[i] = k.Kind
	}
	return out
}

// DeliveryFor is the delivery of kind for a user whose choices are chosen (kind → delivery):
// the choice, or the kind's default when the user made none (or one the kind no longer allows).
func DeliveryFor(kind NotificationKind, chosen map[NotificationKind]Delivery) Delivery {
	info, ok := KindOf(kind)
	if !ok {
		return DeliverOff
	}
	if d, ok := chosen[kind]; ok && slices.Contains(info.Allowed, d) {
		return d
	}
	return info.Default
}

// LapsingWithinDays is how far ahead the daily digest looks for lapsing certificates and
// screenings: fixed, the same for every user.
const LapsingWithinDays = 14

// DigestHour is the hour (UTC) from which the day's digest is sent.
const DigestHour = 6

// DigestDay is the day whose digest is due at now ("2006-01-02"), and false before
// DigestHour, when the day's digest is not due yet.
func DigestDay(now time.Time) (string, bool) {
	now = now.UTC()
	if now.Hour() < DigestHour {
		return "", false
	}
	return now.Format(time.DateOnly), true
}
