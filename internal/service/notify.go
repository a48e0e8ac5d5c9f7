package service

import (
	"context"
	"slices"
	"strings"

	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/live"
	"github.com/stshub/stshub/internal/store"
)

// Notifications (docs/notifications.md) are derived from the use cases, in their
// transaction: a use case that changes something a person wants to hear of calls notify
// with a notice; notify picks the recipients among the room's parties, writes one row per
// recipient, queues the immediate e-mails with the change, and after commit bumps the
// recipients' unread count on their open pages (live.Broker.PublishToUser).
//
// SECURITY: the recipients are decided by the rule every room page applies (permit): an
// active party of the room, and for a notice about a document a party that may see that
// document (seeing). A notice's text is written for its recipients: a room-wide text names
// only what every party may read, or is made per recipient (notice.body).

// notice is one thing to tell some of a room's parties.
type notice struct {
	kind clearance.NotificationKind
	room store.Room
	// doc is the document the notice is about; nil for one about the room. A party that may
	// not see the document is not told.
	doc *store.Document
	// title is the one line the list and the e-mail's subject show.
	title string
	// body says more, for the recipient m (its visible blockers, say); nil for nothing more.
	body func(m store.Membership) string
	// link is the web page the notice leads to (a path).
	link string
	to   recipients
}

// recipients picks, among the room's active parties with an account that may see what a
// notice is about (and never the actor), those it is for.
type recipients func(m store.Membership) bool

// everyone is every party that may see what the notice is about.
func everyone(store.Membership) bool { return true }

// parties is the parties named (by party ID).
func parties(ids ...string) recipients {
	return func(m store.Membership) bool {
		for _, id := range ids {
			if m.PartyID == id {
				return true
			}
		}
		return false
	}
}

// suppliersOf is the parties that supply documents of t for d's vessel (a vessel-bound
// supplier only for its own vessel), and the party of the user who uploaded its latest
// version (a coordinator uploading on the supplier's behalf).
func suppliersOf(d store.Document, t clearance.DocumentType, uploadedBy string) recipients {
	return func(m store.Membership) bool {
		if uploadedBy != "" && m.UserID == uploadedBy {
			return true
		}
		role := authz.Role(m.Role)
		if onBehalf, err := clearance.MaySupply(t, role); err != nil || onBehalf != "" {
			return false // not a supplier, or a coordinator who did not upload it
		}
		return authz.MayActForVessel(role, authz.UploadDocument, m.BoundTo(deref(d.VesselID))) == nil
	}
}

// reviewersOf is the parties that may review d's latest version, uploaded by uploadedBy: the
// roles that review, for the document's vessel, not its uploader (the rules of permit).
func reviewersOf(d store.Document, t clearance.DocumentType, uploadedBy string) recipients {
	return func(m store.Membership) bool {
		return permit(m, request{action: authz.ReviewDocument, docType: &t, vesselID: deref(d.VesselID), uploadedBy: uploadedBy}) == nil
	}
}

// notify tells n to its recipients in tx (see the top of this file): one read of the room's
// parties, one of their disabled accounts, one of their preferences, one insert, and the
// immediate e-mails queued. It is
// the hook every use case calls; for a question on a document, say:
//
//	s.notify(ctx, tx, actor, notice{kind: clearance.NotifyQuestion, room: room, doc: &d,
//		title: "A question on …", link: documentLink(d), to: suppliersOf(d, t, "")})
func (s *Service) notify(ctx context.Context, tx store.Q, actor Actor, n notice) error {
	list, err := tx.ListParties(ctx, n.room.ID, false)
	if err != nil {
		return err
	}
	sees := on(authz.ViewRoom)
	if n.doc != nil {
		types, err := s.catalogue(ctx, tx)
		if err != nil {
			return err
		}
		sees = seeing(*n.doc, types[n.doc.TypeCode])
	}
	var told []store.Membership
	for _, p := range list {
		if p.UserID == nil || *p.UserID == actor.UserID {
			continue // no account yet (the invitation tells them), or their own doing
		}
		m := store.Membership{PartyID: p.ID, UserID: *p.UserID, Role: p.Role, Email: p.Email, VesselIDs: p.VesselIDs, Room: n.room}
		// SECURITY: the rule of the room's pages decides who may hear of it.
		if permit(m, sees) != nil || !n.to(m) {
			continue
		}
		told = append(told, m)
	}
	if len(told) == 0 {
		return nil
	}
	users := make([]string, len(told))
	for i, m := range told {
		users[i] = m.UserID
	}
	// A disabled account is told nothing: not in the app, and no e-mail to its address.
	disabled, err := tx.DisabledAmong(ctx, users)
	if err != nil {
		return err
	}
	if len(disabled) > 0 {
		told = slices.DeleteFunc(told, func(m store.Membership) bool { return disabled[m.UserID] })
		users = slices.DeleteFunc(users, func(u string) bool { return disabled[u] })
		if len(told) == 0 {
			return nil
		}
	}
	chosen, err := tx.NotificationPreferences(ctx, users)
	if err != nil {
		return err
	}
	now := s.now()
	rows := make([]store.Notification, len(told))
	for i, m := range told {
		row := store.Notification{ID: newID(), UserID: m.UserID, Kind: string(n.kind), RoomID: n.room.ID, TargetType: "room",
			TargetID: n.room.ID, Title: n.title, Link: n.link, CreatedAt: now,
			Email: string(clearance.DeliveryFor(n.kind, deliveries(chosen[m.UserID])))}
		if n.doc != nil {
			row.TargetType, row.TargetID = "document", n.doc.ID
		}
		if n.body != nil {
			row.Body = n.body(m)
		}
		if row.Email == string(clearance.DeliverImmediate) && s.MailEnabled() {
			if err := s.queueMail(ctx, tx, mailNotification, m.Email, s.notificationMail(row, n.room.Title)); err != nil {
				return err
			}
			row.EmailedAt = &now
		}
		rows[i] = row
	}
	if err := tx.InsertNotifications(ctx, rows); err != nil {
		return err
	}
	s.bumpAfterCommit(tx, users...)
	return nil
}

// bumpAfterCommit tells the open pages of users, once tx commits, that their notifications
// changed.
func (s *Service) bumpAfterCommit(tx store.Q, users ...string) {
	if s.opts.Events == nil || len(users) == 0 {
		return
	}
	tx.AfterCommit(func() {
		for _, u := range users {
			s.opts.Events.PublishToUser(u, live.KindNotification)
		}
	})
}

// deliveries reads a user's stored choices (kind → delivery).
func deliveries(chosen map[string]string) map[clearance.NotificationKind]clearance.Delivery {
	out := make(map[clearance.NotificationKind]clearance.Delivery, len(chosen))
	for k, d := range chosen {
		out[clearance.NotificationKind(k)] = clearance.Delivery(d)
	}
	return out
}

// roomLink and documentLink are the web pages notices lead to.
func roomLink(roomID string) string { return "/rooms/" + roomID }

func documentLink(d store.Document) string { return "/rooms/" + d.RoomID + "/documents/" + d.ID }

// docLabel names a document in a notice: its type's name, and its vessel's where it has one.
func docLabel(t clearance.DocumentType, vesselName string) string {
	name := t.Name
	if name == "" {
		name = t.Code
	}
	if vesselName != "" {
		name += " of " + vesselName
	}
	return name
}

// vesselNameOf reads the name of d's vessel ("" for a room document).
func vesselNameOf(ctx context.Context, q store.Q, d store.Document) (string, error) {
	if d.VesselID == nil {
		return "", nil
	}
	v, err := q.VesselByID(ctx, d.RoomID, *d.VesselID)
	return v.Name, err
}

// lines joins the non-empty texts one per line.
func lines(texts ...string) string {
	var out []string
	for _, t := range texts {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return strings.Join(out, "\n")
}
