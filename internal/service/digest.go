package service

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/store"
)

// The e-mail of notifications: one message per notification for the kinds a user hears of
// at once (queued by notify), and one daily digest per user (SendDigests) listing what
// waited for it and the certificates and screenings in their rooms that lapse soon.

// The mail templates (internal/mail/templates).
const (
	mailNotification = "notification"
	mailDigest       = "notification_digest"
)

// Paths of the web UI the messages link to.
const (
	notificationsPath = "/notifications"
	preferencesPath   = "/notifications/preferences"
)

// notificationMailData fills the notification template.
type notificationMailData struct {
	Title, Room, Body, Link, Settings string
}

func (s *Service) notificationMail(n store.Notification, roomTitle string) notificationMailData {
	return notificationMailData{Title: n.Title, Room: roomTitle, Body: n.Body, Link: s.link(n.Link, nil),
		Settings: s.link(preferencesPath, nil)}
}

// digestMailData fills the digest template.
type digestMailData struct {
	Count         int
	Days          int
	Lapsing       []lapsingLine
	Items         []digestLine
	All, Settings string
}

type lapsingLine struct{ Label, Room, When, Link string }

type digestLine struct{ Title, Room, Body, Link string }

// SendDigests sends the day's digest to every user who has not had it yet, once the day's
// digest hour has come (clearance.DigestDay), and returns how many users it looked at.
// Every node's housekeeping calls it; the database decides, per user and day, who sends
// (store.ClaimDigest), so each user gets one digest a day however many nodes run.
func (s *Service) SendDigests(ctx context.Context) (int, error) {
	day, due := clearance.DigestDay(s.now())
	if !due {
		return 0, nil
	}
	users, err := s.db.Read().DigestRecipients(ctx, day)
	if err != nil {
		return 0, err
	}
	for _, id := range users {
		if err := s.digestFor(ctx, id, day); err != nil {
			return 0, fmt.Errorf("digest of user %s: %w", id, err)
		}
	}
	return len(users), nil
}

// digestFor runs one user's day: the in-app notice of their lapsing documents, and the
// digest e-mail of it and of the notifications waiting for a digest.
func (s *Service) digestFor(ctx context.Context, userID, day string) error {
	q := s.db.Read()
	u, err := q.UserByID(ctx, userID)
	if err != nil {
		return err
	}
	actor := Actor{UserID: u.ID, Email: u.Email, Name: u.Name}
	stored, err := q.NotificationPreferences(ctx, []string{userID})
	if err != nil {
		return err
	}
	chosen := deliveries(stored[userID])
	// SECURITY: the expiring list of the user's own rooms, as their cockpit shows it.
	expiring, err := s.ExpiringDocuments(ctx, actor, clearance.LapsingWithinDays)
	if err != nil {
		return err
	}
	now := s.now()
	var lapsing []lapsingLine
	for _, e := range expiring {
		if e.ValidUntil.After(now) {
			lapsing = append(lapsing, lapsingLine{Label: docLabel(e.Type, e.VesselName), Room: e.RoomTitle,
				When: "valid until " + e.ValidUntil.UTC().Format("2 Jan 2006 15:04") + " UTC",
				Link: s.link(documentLink(e.Document), nil)})
		}
	}
	return s.db.InTx(ctx, func(tx store.Q) error {
		pending, err := tx.PendingDigest(ctx, userID)
		if err != nil {
			return err
		}
		claimed, err := tx.ClaimDigest(ctx, userID, day, len(pending)+len(lapsing), now)
		if err != nil || !claimed {
			return err // another node ran this user's day
		}
		mailLapsing := clearance.DeliveryFor(clearance.NotifyLapsing, chosen) == clearance.DeliverDigest
		if len(lapsing) > 0 {
			row := lapsingNotice(userID, lapsing, now)
			row.Email = string(clearance.DeliveryFor(clearance.NotifyLapsing, chosen))
			if mailLapsing && s.MailEnabled() {
				row.EmailedAt = &now
			}
			if err := tx.InsertNotifications(ctx, []store.Notification{row}); err != nil {
				return err
			}
			s.bumpAfterCommit(tx, userID)
		}
		if !mailLapsing {
			lapsing = nil
		}
		if len(pending)+len(lapsing) == 0 || !s.MailEnabled() {
			return nil
		}
		data := digestMailData{Count: len(pending) + len(lapsing), Days: clearance.LapsingWithinDays, Lapsing: lapsing,
			All: s.link(notificationsPath, nil), Settings: s.link(preferencesPath, nil)}
		titles, err := roomTitles(ctx, tx, pending)
		if err != nil {
			return err
		}
		ids := make([]string, len(pending))
		for i, n := range pending {
			ids[i] = n.ID
			data.Items = append(data.Items, digestLine{Title: n.Title, Room: titles[n.RoomID], Body: n.Body, Link: s.link(n.Link, nil)})
		}
		if err := s.queueMail(ctx, tx, mailDigest, u.Email, data); err != nil {
			return err
		}
		return tx.MarkEmailed(ctx, userID, ids, now)
	})
}

// lapsingNotice is the day's in-app notification of a user's lapsing documents.
func lapsingNotice(userID string, lapsing []lapsingLine, now time.Time) store.Notification {
	texts := make([]string, len(lapsing))
	for i, l := range lapsing {
		texts[i] = l.Label + ", " + l.Room + ": " + l.When
	}
	title := fmt.Sprintf("%d certificate(s) or screening(s) in your rooms lapse within %d days", len(lapsing), clearance.LapsingWithinDays)
	if len(lapsing) == 1 {
		title = fmt.Sprintf("A certificate or screening in your rooms lapses within %d days", clearance.LapsingWithinDays)
	}
	return store.Notification{ID: newID(), UserID: userID, Kind: string(clearance.NotifyLapsing), Title: title,
		Body: strings.Join(texts, "\n"), Link: "/", CreatedAt: now}
}

// roomTitles reads the titles of the rooms of ns, by room ID.
func roomTitles(ctx context.Context, q store.Q, ns []store.Notification) (map[string]string, error) {
	out := map[string]string{}
	for _, n := range ns {
		if _, ok := out[n.RoomID]; ok || n.RoomID == "" {
			continue
		}
		r, err := q.RoomByID(ctx, n.RoomID)
		if err != nil {
			return nil, err
		}
		out[n.RoomID] = r.Title
	}
	return out, nil
}
