package service

import (
	"context"
	"fmt"
	"strings"

	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/store"
)

// The notices the use cases derive, each called in the use case's transaction after its
// change and audit entry (notify.go says how they are told). Each says in words what
// happened, naming only what its recipients may see.

// notifyAdded tells a user with an account that they were added to a room. A person
// without an account yet hears of it by the invitation instead.
func (s *Service) notifyAdded(ctx context.Context, tx store.Q, actor Actor, room store.Room, p clearance.Party) error {
	if p.UserID == nil {
		return nil
	}
	by := actor.Name
	if by == "" {
		by = actor.Email
	}
	return s.notify(ctx, tx, actor, notice{kind: clearance.NotifyInvited, room: room, link: roomLink(room.ID), to: parties(p.ID),
		title: fmt.Sprintf("You were added to %s as %s", room.Title, p.Role),
		body:  func(store.Membership) string { return "Added by " + by + "." }})
}

// notifyRejected tells the suppliers of d that it was rejected, and why.
func (s *Service) notifyRejected(ctx context.Context, tx store.Q, actor Actor, room store.Room, d store.Document, t clearance.DocumentType,
	vesselName, uploadedBy string) error {
	reason := d.ReviewReason
	return s.notify(ctx, tx, actor, notice{kind: clearance.NotifyRejected, room: room, doc: &d, link: documentLink(d),
		to:    suppliersOf(d, t, uploadedBy),
		title: fmt.Sprintf("%s was rejected in %s", docLabel(t, vesselName), room.Title),
		body:  func(store.Membership) string { return "Reason: " + reason + "\nUpload a corrected version." }})
}

// notifyAwaitsReview tells the parties that may review d's new version that it awaits them.
func (s *Service) notifyAwaitsReview(ctx context.Context, tx store.Q, actor Actor, room store.Room, d store.Document, t clearance.DocumentType) error {
	vesselName, err := vesselNameOf(ctx, tx, d)
	if err != nil {
		return err
	}
	uploader := actor.Name
	if uploader == "" {
		uploader = actor.Email
	}
	return s.notify(ctx, tx, actor, notice{kind: clearance.NotifyReview, room: room, doc: &d, link: documentLink(d),
		to:    reviewersOf(d, t, actor.UserID),
		title: fmt.Sprintf("%s awaits your review in %s", docLabel(t, vesselName), room.Title),
		body: func(store.Membership) string {
			return fmt.Sprintf("Version %d uploaded by %s.", d.VersionCount, uploader)
		}})
}

// notifyStatus tells every party that the room is cleared or on hold, for reason (a
// reason every party reads: the room's status reason or trail entry).
func (s *Service) notifyStatus(ctx context.Context, tx store.Q, actor Actor, room store.Room, to clearance.RoomStatus, reason string) error {
	n := notice{room: room, link: roomLink(room.ID), to: everyone}
	switch to {
	case clearance.StatusCleared:
		n.kind, n.title = clearance.NotifyCleared, room.Title+" is cleared"
		n.body = func(store.Membership) string { return reason }
	case clearance.StatusOnHold:
		n.kind, n.title = clearance.NotifyHold, room.Title+" is on hold"
		n.body = func(store.Membership) string { return "Reason: " + reason }
	default:
		return nil
	}
	return s.notify(ctx, tx, actor, n)
}

// notifyFellBack tells every party that the room lost clearance, each with the blockers it
// may see (blockers: the clearance gate's; the summary's rule), and the parties whose
// sign-off went stale (states: the room's sign-offs) that it did, with what changed.
func (s *Service) notifyFellBack(ctx context.Context, tx store.Q, actor Actor, room store.Room, blockers []clearance.Blocker,
	states []clearance.SignOffState) error {
	// The blockers each party may see, worked out once per party.
	words := map[string]string{}
	var failed error
	body := func(m store.Membership) string {
		if w, ok := words[m.PartyID]; ok {
			return w
		}
		seen, hidden, err := s.visibleBlockers(ctx, tx, m, blockers)
		if err != nil {
			failed = err
			return ""
		}
		w := blockerWords(seen, hidden)
		words[m.PartyID] = w
		return w
	}
	if err := s.notify(ctx, tx, actor, notice{kind: clearance.NotifyFellBack, room: room, link: roomLink(room.ID), to: everyone,
		title: room.Title + " is no longer cleared", body: body}); err != nil {
		return err
	}
	if failed != nil {
		return failed
	}
	var stale []clearance.SignOffState
	for _, st := range states {
		if st.Status == clearance.SignOffApproved && len(st.Changes) > 0 {
			stale = append(stale, st)
		}
	}
	return s.notifyStale(ctx, tx, actor, room, stale)
}

// notifyStale tells each party of stale that its sign-off no longer counts, with what
// changed since (the stale rule names only documents the party sees).
func (s *Service) notifyStale(ctx context.Context, tx store.Q, actor Actor, room store.Room, stale []clearance.SignOffState) error {
	if len(stale) == 0 {
		return nil
	}
	changes := map[string][]string{}
	ids := make([]string, len(stale))
	for i, st := range stale {
		ids[i] = st.PartyID
		for _, c := range st.Changes {
			changes[st.PartyID] = append(changes[st.PartyID], "- "+c.Text)
		}
	}
	return s.notify(ctx, tx, actor, notice{kind: clearance.NotifyStale, room: room, link: roomLink(room.ID), to: parties(ids...),
		title: "Your sign-off of " + room.Title + " no longer counts",
		body: func(m store.Membership) string {
			return lines("Changed since you signed:\n"+strings.Join(changes[m.PartyID], "\n"), "Review the changes and sign off again.")
		}})
}

// notifySignOffWanted tells the signing parties without a sign-off that counts that it is
// wanted, once the last high-criticality requirement is approved. Called after an approval
// of such a requirement: one EXISTS when others still wait, the sign-offs' two reads when
// none does.
func (s *Service) notifySignOffWanted(ctx context.Context, tx store.Q, actor Actor, room store.Room, d store.Document) error {
	if !d.Required || clearance.Criticality(d.Criticality) != clearance.CriticalityHigh {
		return nil
	}
	if st := clearance.RoomStatus(room.Status); st != clearance.StatusClearing {
		return nil
	}
	if pending, err := tx.AnyRequiredNotApproved(ctx, room.ID, clearance.CriticalityHigh); err != nil || pending {
		return err
	}
	states, err := s.signOffStates(ctx, tx, room.ID, s.now())
	if err != nil {
		return err
	}
	var wanted []string
	for _, st := range states {
		if st.Status != clearance.SignOffApproved || len(st.Changes) > 0 {
			wanted = append(wanted, st.PartyID)
		}
	}
	if len(wanted) == 0 {
		return nil
	}
	return s.notify(ctx, tx, actor, notice{kind: clearance.NotifySignOff, room: room, link: roomLink(room.ID), to: parties(wanted...),
		title: "Your sign-off of " + room.Title + " is requested",
		body: func(store.Membership) string {
			return "Every high-criticality document is approved. Review the room and sign off."
		}})
}

// blockerWords lists blockers one per line, and says how many others the reader may not see.
func blockerWords(seen []clearance.Blocker, hidden int) string {
	out := make([]string, 0, len(seen)+2)
	if len(seen) > 0 {
		out = append(out, "What blocks clearance now:")
	}
	for _, b := range seen {
		out = append(out, "- "+b.Reason)
	}
	if hidden > 0 {
		out = append(out, fmt.Sprintf("%d more requirement(s) confidential to other parties are not cleared.", hidden))
	}
	return strings.Join(out, "\n")
}
