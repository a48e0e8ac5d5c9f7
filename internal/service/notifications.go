package service

import (
	"context"
	"fmt"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/store"
)

// A user's own notifications and e-mail preferences. SECURITY: every use case here reads
// and writes the caller's rows only (user_id = actor.UserID in every statement); another
// user's notification ID is not found.

// Notification is one notification as its user reads it.
type Notification = store.Notification

// NotificationPage is a page of the caller's notifications, newest first, with the count
// of all their unread ones.
type NotificationPage struct {
	Items  []Notification
	Next   string
	Unread int
}

// Preference is the caller's e-mail delivery for one kind, with what the kind allows.
type Preference struct {
	clearance.KindInfo
	Delivery clearance.Delivery
	Chosen   bool // false: the kind's default, the user made no choice
}

func signedIn(actor Actor) error {
	if actor.UserID == "" {
		return fmt.Errorf("sign in first: %w", apperr.ErrUnauthenticated)
	}
	return nil
}

// ListNotifications returns a page of the caller's notifications, newest first.
func (s *Service) ListNotifications(ctx context.Context, actor Actor, page PageRequest) (NotificationPage, error) {
	if err := signedIn(actor); err != nil {
		return NotificationPage{}, err
	}
	before, err := page.cursorValue()
	if err != nil {
		return NotificationPage{}, err
	}
	q := s.db.Read()
	limit := page.limit()
	items, err := q.ListNotifications(ctx, actor.UserID, before, limit+1)
	if err != nil {
		return NotificationPage{}, err
	}
	items, next := onePage(items, limit, func(n Notification) string { return n.ID })
	unread, err := q.UnreadNotifications(ctx, actor.UserID)
	return NotificationPage{Items: items, Next: next, Unread: unread}, err
}

// UnreadNotifications counts the caller's unread notifications (the bell).
func (s *Service) UnreadNotifications(ctx context.Context, actor Actor) (int, error) {
	if err := signedIn(actor); err != nil {
		return 0, err
	}
	return s.db.Read().UnreadNotifications(ctx, actor.UserID)
}

// MarkNotificationRead marks one of the caller's notifications read (again: no change) and
// returns the unread count; another user's or an unknown ID is not found.
func (s *Service) MarkNotificationRead(ctx context.Context, actor Actor, id string) (int, error) {
	if err := signedIn(actor); err != nil {
		return 0, err
	}
	var unread int
	err := s.db.InTx(ctx, func(tx store.Q) error {
		if err := tx.MarkNotificationRead(ctx, actor.UserID, id, s.now()); err != nil {
			return err // apperr.ErrNotFound for an ID that is not the caller's
		}
		s.bumpAfterCommit(tx, actor.UserID) // the user's other pages
		var err error
		unread, err = tx.UnreadNotifications(ctx, actor.UserID)
		return err
	})
	return unread, err
}

// MarkAllNotificationsRead marks every notification of the caller read and returns how many
// were unread.
func (s *Service) MarkAllNotificationsRead(ctx context.Context, actor Actor) (int, error) {
	if err := signedIn(actor); err != nil {
		return 0, err
	}
	var n int
	err := s.db.InTx(ctx, func(tx store.Q) error {
		var err error
		if n, err = tx.MarkAllNotificationsRead(ctx, actor.UserID, s.now()); err == nil && n > 0 {
			s.bumpAfterCommit(tx, actor.UserID)
		}
		return err
	})
	return n, err
}

// NotificationPreferences returns the caller's delivery for every kind, in the order of
// clearance.NotificationKinds.
func (s *Service) NotificationPreferences(ctx context.Context, actor Actor) ([]Preference, error) {
	if err := signedIn(actor); err != nil {
		return nil, err
	}
	stored, err := s.db.Read().NotificationPreferences(ctx, []string{actor.UserID})
	if err != nil {
		return nil, err
	}
	chosen := deliveries(stored[actor.UserID])
	kinds := clearance.NotificationKinds()
	out := make([]Preference, len(kinds))
	for i, k := range kinds {
		_, made := chosen[k.Kind]
		d := clearance.DeliveryFor(k.Kind, chosen)
		out[i] = Preference{KindInfo: k, Delivery: d, Chosen: made && d == chosen[k.Kind]}
	}
	return out, nil
}

// SetNotificationPreferences records the caller's deliveries (kind → delivery); the kinds
// not named keep theirs. Every choice is checked first (clearance.CheckPreference): one
// refused choice saves none. The deliveries it changes are in the platform trail
// (notification_preferences_updated), from and to.
func (s *Service) SetNotificationPreferences(ctx context.Context, actor Actor, set map[string]string) ([]Preference, error) {
	if err := signedIn(actor); err != nil {
		return nil, err
	}
	if len(set) == 0 {
		return nil, apperr.Invalid("preferences", "must name at least one kind")
	}
	for kind, d := range set {
		if err := clearance.CheckPreference(clearance.NotificationKind(kind), clearance.Delivery(d)); err != nil {
			return nil, err
		}
	}
	err := s.db.InTx(ctx, func(tx store.Q) error {
		stored, err := tx.NotificationPreferences(ctx, []string{actor.UserID})
		if err != nil {
			return err
		}
		was := deliveries(stored[actor.UserID])
		before, after := map[string]any{}, map[string]any{}
		for kind, d := range set {
			if err := tx.SetNotificationPreference(ctx, actor.UserID, kind, d); err != nil {
				return err
			}
			before[kind] = string(clearance.DeliveryFor(clearance.NotificationKind(kind), was))
			after[kind] = d
		}
		// The trail records what changed, in effect: choosing a kind's default again changes nothing.
		changes := audit.Changes(before, after)
		if len(changes) == 0 {
			return nil
		}
		return s.record(ctx, tx, actor, event{scope: audit.PlatformScope, action: audit.ActionNotificationPreferencesUpdated,
			targetType: "user", targetID: actor.UserID, meta: map[string]any{"email": actor.Email, "changes": changes}})
	})
	if err != nil {
		return nil, err
	}
	return s.NotificationPreferences(ctx, actor)
}
