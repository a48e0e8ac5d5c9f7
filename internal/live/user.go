package live

import "time"

// Per-user events: news for one user, wherever they have a page open (the bell's count of
// unread notifications). Such an event reaches every subscription of that user — to any
// room, or to no room ([Broker.SubscribeUser], for the pages outside rooms) — and no one
// else's. Like a room event it carries no data: the page re-fetches through the ordinary
// routes, which read only the caller's own notifications.

// KindNotification is the kind of the per-user event that says the user's notifications
// changed (a new one arrived, or some were marked read on another page).
const KindNotification = "notification"

// opUser carries a per-user event between nodes.
const opUser = "user"

// noRoom is the room of a subscription that hears only its user's events. No room event
// has it: Publish refuses an event without a room.
const noRoom = ""

// SubscribeUser is [Broker.Subscribe] for a page outside any room: the subscription hears
// only the per-user events of sess.UserID ([Broker.PublishToUser]) and the end of its
// session. It counts toward [MaxStreamsPerUser] like any other.
//
// SECURITY: the caller must have checked that the session is live, after subscribing.
func (b *Broker) SubscribeUser(sess Session) (events <-chan Event, cancel func(), err error) {
	return b.Subscribe(noRoom, sess)
}

// PublishToUser tells every subscription of userID, on this node and (through the bridge)
// on the others, that something of kind changed for them. Call it after the change has
// committed. It never blocks; a slow subscriber is dropped as by [Broker.Publish].
func (b *Broker) PublishToUser(userID, kind string) {
	if userID == "" || isFinal(kind) {
		return
	}
	ev := Event{Kind: kind, At: time.Now().UTC(), Node: b.node}
	b.deliverUser(ev, userID)

	b.mu.Lock()
	out := b.bridge
	b.mu.Unlock()
	if out != nil {
		out.push(wireMsg{Op: opUser, Event: ev, User: userID})
	}
}

// deliverUser sends ev to userID's local subscriptions, each with its own room's ID.
func (b *Broker) deliverUser(ev Event, userID string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.users[userID] == 0 {
		return
	}
	for _, subs := range b.rooms {
		for s := range subs {
			if s.session.UserID != userID {
				continue
			}
			if len(s.ch) >= cap(s.ch)-1 { // the last slot is a final event's (see deliver)
				b.removeLocked(s)
				continue
			}
			out := ev
			out.RoomID = s.roomID
			s.ch <- out
		}
	}
}
