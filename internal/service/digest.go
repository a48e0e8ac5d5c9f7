package service

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/authz"
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
// (store.ClaimDigest), so each user gets one digest a day however many nodes run. One
// user's failure is logged and costs only that user's digest this round (the day is
// claimed only when a digest commits, so the next round tries again); the others' go out,
// and the failures come back joined.
func (s *Service) SendDigests(ctx context.Context) (int, error) {
	day, due := clearance.DigestDay(s.now())
	if !due {
		return 0, nil
	}
	users, err := s.db.Read().DigestRecipients(ctx, day)
	if err != nil {
		return 0, err
	}
	var errs []error
	for _, id := range users {
		if err := s.digestFor(ctx, id, day); err != nil {
			if ctx.Err() != nil {
				return len(users), ctx.Err()
			}
			s.log.ErrorContext(ctx, "digest failed", "user_id", id, "err", err)
			errs = append(errs, fmt.Errorf("digest of user %s: %w", id, err))
		}
	}
	return len(users), errors.Join(errs...)
}

// digestFor runs one user's day: the in-app notice of their lapsing documents, and the
// digest e-mail of it and of the notifications waiting for a digest. Everything is read
// before the transaction, which writes only (no room row is held while it runs); the
// reads share the user's membership of each room (a page scope of this one user's day).
func (s *Service) digestFor(ctx context.Context, userID, day string) error {
	if hook := s.beforeDigest.Load(); hook != nil {
		if err := (*hook)(userID); err != nil {
			return err
		}
	}
	ctx = PageScope(ctx)
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
	now := s.now()
	lapsing, err := s.lapsingFor(ctx, q, actor, now)
	if err != nil {
		return err
	}
	pending, err := q.PendingDigest(ctx, userID)
	if err != nil {
		return err
	}
	pending, titles, withheld, err := s.stillSeen(ctx, q, actor, pending)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx store.Q) error {
		claimed, err := tx.ClaimDigest(ctx, userID, day, len(pending)+len(lapsing), now)
		if err != nil || !claimed {
			return err // another node ran this user's day
		}
		// What the user may no longer see is never e-mailed, today or later.
		if err := tx.WithholdEmail(ctx, userID, withheld); err != nil {
			return err
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

// lapsingFor is the day's list of the user's lapsing documents (clearance.LapsesSoon): the
// expiring list of their cockpit, less what has lapsed already, what lapses later than the
// digest looks ahead, and the rooms whose operation is over.
func (s *Service) lapsingFor(ctx context.Context, q store.Q, actor Actor, now time.Time) ([]lapsingLine, error) {
	// SECURITY: the expiring list of the user's own rooms, as their cockpit shows it.
	expiring, err := s.ExpiringDocuments(ctx, actor, clearance.LapsingWithinDays)
	if err != nil {
		return nil, err
	}
	var out []lapsingLine
	for _, e := range expiring {
		m, err := membershipOf(ctx, q, actor, e.RoomID) // read already, by ExpiringDocuments
		if err != nil {
			return nil, err
		}
		if clearance.LapsesSoon(*e.ValidUntil, now, clearance.RoomStatus(m.Room.Status)) {
			out = append(out, lapsingLine{Label: docLabel(e.Type, e.VesselName), Room: e.RoomTitle,
				When: "valid until " + e.ValidUntil.UTC().Format("2 Jan 2006 15:04") + " UTC",
				Link: s.link(documentLink(e.Document), nil)})
		}
	}
	return out, nil
}

// stillSeen keeps, of the notifications waiting for actor's digest, those actor may still
// see now, by the rule notify chose them with when they were written (an active party of
// the room, and for one about a document a party that may see it), with the titles of
// their rooms; withheld are the IDs of the others (removed from the room since, or no
// longer of the document's audience). A statement for the membership of each room, and one
// for the documents of each room with notifications about documents.
func (s *Service) stillSeen(ctx context.Context, q store.Q, actor Actor, pending []store.Notification) (keep []store.Notification, titles map[string]string, withheld []string, err error) {
	titles = map[string]string{}
	members := map[string]*store.Membership{} // by room; nil: not a party any more
	docs := map[string]map[string]store.Document{}
	for _, n := range pending {
		if n.RoomID == "" {
			keep = append(keep, n) // about no room: the user's own
			continue
		}
		m, read := members[n.RoomID]
		if !read {
			found, err := membershipOf(ctx, q, actor, n.RoomID)
			switch {
			case errors.Is(err, apperr.ErrNotFound):
			case err != nil:
				return nil, nil, nil, err
			default:
				m, titles[n.RoomID] = &found, found.Room.Title
			}
			members[n.RoomID] = m
		}
		// SECURITY: the rule of the room's pages, applied again at send time.
		seen := m != nil && permit(*m, on(authz.ViewRoom)) == nil
		if seen && n.TargetType == "document" {
			if _, read := docs[n.RoomID]; !read {
				if docs[n.RoomID], err = s.roomDocuments(ctx, q, *m); err != nil {
					return nil, nil, nil, err
				}
			}
			_, seen = docs[n.RoomID][n.TargetID]
		}
		if seen {
			keep = append(keep, n)
		} else {
			withheld = append(withheld, n.ID)
		}
	}
	return keep, titles, withheld, nil
}

// roomDocuments are the documents of m's room its party may see, by ID.
func (s *Service) roomDocuments(ctx context.Context, q store.Q, m store.Membership) (map[string]store.Document, error) {
	all, err := q.ListDocuments(ctx, m.Room.ID)
	if err != nil {
		return nil, err
	}
	visible, err := s.visibleOnly(ctx, q, m, all)
	if err != nil {
		return nil, err
	}
	out := make(map[string]store.Document, len(visible))
	for _, d := range visible {
		out[d.ID] = d
	}
	return out, nil
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
