package live

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"time"
)

// KindAccessRevoked is the kind of the last event a subscription receives when its user
// was removed from the room. [ServeSSE] writes it and ends the stream.
const KindAccessRevoked = "access_revoked"

// KindSessionEnded is the kind of the last event a subscription receives when the sign-in
// it was opened with ended: logout, expiry, or every session of its user revoked (password
// change, account disabled). [ServeSSE] writes it and ends the stream.
const KindSessionEnded = "session_ended"

// isFinal reports whether an event of kind ends its subscription. Only the broker sends
// such events, each to the subscriptions it ends.
func isFinal(kind string) bool { return kind == KindAccessRevoked || kind == KindSessionEnded }

// SubscriberBuffer is the capacity of a subscription's channel. One slot is kept free for
// a final access_revoked or session_ended event: a subscriber is dropped as slow when the
// other SubscriberBuffer-1 slots are full.
const SubscriberBuffer = 32

// MaxStreamsPerUser bounds one user's open subscriptions on a node. A further Subscribe is
// refused with [ErrTooManyStreams] (the web layer answers 429) rather than closing the
// oldest: the browser's EventSource of a refused tab retries slowly, whereas closing the
// oldest would make the tabs of a user with many open evict one another in a reconnect loop.
// Eight is more than a browser opens to one origin over HTTP/1.1 (six connections).
const MaxStreamsPerUser = 8

// ErrTooManyStreams is Subscribe's refusal when the user already has MaxStreamsPerUser
// subscriptions open on this node.
var ErrTooManyStreams = errors.New("live: too many open streams for this user")

// Session is the sign-in a subscription belongs to. The subscription ends with a
// session_ended event when [Broker.EndSession] names its ID, when [Broker.EndUserSessions]
// names its user, or by itself when ExpiresAt passes (no event from anyone is needed: every
// node holds the expiry of the subscriptions it serves).
type Session struct {
	UserID string
	// ID identifies the session without being its token or the token's stored hash (it is
	// sent between nodes); "" for a subscription no EndSession call ends.
	ID string
	// ExpiresAt is when the session lapses; zero for never.
	ExpiresAt time.Time
}

// DefaultChannel is the PostgreSQL NOTIFY channel the bridge uses.
const DefaultChannel = "stshub_live"

// Event is a notification that something changed in a room.
type Event struct {
	RoomID string `json:"room_id"`
	Kind   string `json:"kind"`   // the audit action, e.g. "document_approved", or "access_revoked"
	Target string `json:"target"` // e.g. a document or snapshot ID, may be ""
	// TargetType is what Target is ("document", "snapshot", …), as in the audit entry.
	TargetType string    `json:"target_type,omitempty"`
	At         time.Time `json:"at"`
	Node       string    `json:"node"` // the node that published it (for the bridge's echo suppression)
}

// Broker fans events out to the subscribers of a room on this node and, when
// [Broker.RunPostgresBridge] runs, to the other nodes. It is safe for concurrent use; the
// zero value is not usable, use [NewBroker].
type Broker struct {
	log       *slog.Logger
	node      string
	channel   string        // NOTIFY channel; tests use a private one
	pingEvery time.Duration // see waitForNotification

	mu     sync.Mutex
	rooms  map[string]map[*subscription]struct{}
	users  map[string]int // open subscriptions per user, for MaxStreamsPerUser
	closed bool
	bridge *outbox // non-nil while RunPostgresBridge runs

	// bridgeUp is set while the bridge's LISTEN connection is established (guarded by mu).
	bridgeUp bool
}

type subscription struct {
	roomID  string
	session Session
	ch      chan Event
	expiry  *time.Timer // ends the subscription at session.ExpiresAt; nil without one
	closed  bool        // guarded by Broker.mu
}

// NewBroker returns a broker with a random node ID. A nil log discards.
func NewBroker(log *slog.Logger) *Broker {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	node := hex.EncodeToString(b)
	return &Broker{
		log:       log.With(slog.String("component", "live"), slog.String("node", node)),
		node:      node,
		channel:   DefaultChannel,
		pingEvery: defaultPingEvery,
		rooms:     map[string]map[*subscription]struct{}{},
		users:     map[string]int{},
	}
}

// Node returns this broker's node ID, the Node of the events it publishes.
func (b *Broker) Node() string { return b.node }

// Publish tells the subscribers of ev.RoomID, on this node and (through the bridge) on
// the others, that something changed. Call it after the change has committed. It never
// blocks: a subscriber whose buffer is full is dropped (its channel closed, so the client
// reconnects and re-fetches), and an event the bridge cannot queue is dropped and logged.
//
// Node is always set to this broker's node, and At to now when zero. Events of the kinds
// that end a subscription are refused: use [Broker.Revoke] or [Broker.EndSession], which
// target one user or session.
func (b *Broker) Publish(ev Event) {
	if ev.RoomID == noRoom {
		b.log.Warn("live: refusing to publish an event without a room; use PublishToUser", slog.String("kind", ev.Kind))
		return
	}
	if isFinal(ev.Kind) {
		b.log.Warn("live: refusing to publish a final event to a whole room; use Revoke or EndSession",
			slog.String("room_id", ev.RoomID), slog.String("kind", ev.Kind))
		return
	}
	ev.Node = b.node
	if ev.At.IsZero() {
		ev.At = time.Now()
	}
	ev.At = ev.At.UTC()
	b.deliver(ev)

	b.mu.Lock()
	out := b.bridge
	b.mu.Unlock()
	if out != nil {
		out.push(wireMsg{Op: opEvent, Event: ev})
	}
}

// deliver fans ev out to the local subscribers of its room.
func (b *Broker) deliver(ev Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for s := range b.rooms[ev.RoomID] {
		// Keep the last slot for a final event. Only this broker sends on the channel and
		// only under mu, so len cannot grow between check and send.
		if len(s.ch) >= cap(s.ch)-1 {
			b.log.Info("live: dropping slow subscriber",
				slog.String("room_id", s.roomID), slog.String("user_id", s.session.UserID))
			b.removeLocked(s)
			continue
		}
		s.ch <- ev
	}
}

// Subscribe returns a channel of the events of roomID, buffered ([SubscriberBuffer]), and
// a cancel function that ends the subscription and closes the channel; cancel is
// idempotent and safe to call after the broker closed the channel itself (slow subscriber,
// revocation, session end, bridge reconnect, [Broker.Close]). It refuses with
// [ErrTooManyStreams] a user who has [MaxStreamsPerUser] subscriptions open on this node.
//
// SECURITY: the caller must have checked that sess.UserID may view roomID and that the
// session is live — after subscribing, so that a revocation or logout in between reaches
// this subscription. The session is recorded so that [Broker.Revoke], [Broker.EndSession]
// and [Broker.EndUserSessions] find the subscription, and its expiry ends it.
func (b *Broker) Subscribe(roomID string, sess Session) (events <-chan Event, cancel func(), err error) {
	s := &subscription{roomID: roomID, session: sess, ch: make(chan Event, SubscriberBuffer)}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		s.closed = true
		close(s.ch)
		return s.ch, func() {}, nil
	}
	if b.users[sess.UserID] >= MaxStreamsPerUser {
		return nil, nil, ErrTooManyStreams
	}
	subs := b.rooms[roomID]
	if subs == nil {
		subs = map[*subscription]struct{}{}
		b.rooms[roomID] = subs
	}
	subs[s] = struct{}{}
	b.users[sess.UserID]++
	if !sess.ExpiresAt.IsZero() {
		s.expiry = time.AfterFunc(time.Until(sess.ExpiresAt), func() {
			b.mu.Lock()
			defer b.mu.Unlock()
			b.endLocked(s, Event{RoomID: roomID, Kind: KindSessionEnded, At: time.Now().UTC(), Node: b.node})
		})
	}
	return s.ch, func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		b.removeLocked(s)
	}, nil
}

// removeLocked ends s: removes it from its room and closes its channel, once.
func (b *Broker) removeLocked(s *subscription) {
	if s.closed {
		return
	}
	s.closed = true
	close(s.ch)
	if s.expiry != nil {
		s.expiry.Stop()
	}
	if b.users[s.session.UserID]--; b.users[s.session.UserID] <= 0 {
		delete(b.users, s.session.UserID)
	}
	if subs := b.rooms[s.roomID]; subs != nil {
		delete(subs, s)
		if len(subs) == 0 {
			delete(b.rooms, s.roomID)
		}
	}
}

// Revoke ends userID's subscriptions of roomID: each receives an access_revoked event and
// is closed. With the bridge running, the other nodes do the same for theirs. The service
// calls it after committing the removal of a party.
func (b *Broker) Revoke(roomID, userID string) {
	ev := Event{RoomID: roomID, Kind: KindAccessRevoked, At: time.Now().UTC(), Node: b.node}
	b.revokeLocal(ev, userID)

	b.mu.Lock()
	out := b.bridge
	b.mu.Unlock()
	if out != nil {
		out.push(wireMsg{Op: opRevoke, Event: ev, User: userID})
	}
}

// revokeLocal sends ev (an access_revoked event) to userID's subscriptions of ev.RoomID on
// this node and closes them.
func (b *Broker) revokeLocal(ev Event, userID string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for s := range b.rooms[ev.RoomID] {
		if s.session.UserID == userID {
			b.endLocked(s, ev)
			n++
		}
	}
	if n > 0 {
		b.log.Info("live: revoked subscriptions", slog.String("room_id", ev.RoomID),
			slog.String("user_id", userID), slog.Int("subscriptions", n))
	}
}

// endLocked sends s a final event (ev, in s's room) and closes it; nothing when s has
// already ended.
func (b *Broker) endLocked(s *subscription, ev Event) {
	if s.closed {
		return
	}
	ev.RoomID = s.roomID
	// The reserved slot guarantees room for this send (see deliver).
	select {
	case s.ch <- ev:
	default:
	}
	b.removeLocked(s)
}

// dropAll closes every local subscription without an event; their clients reconnect
// (and are checked again) and re-fetch. Used when events may have been missed.
func (b *Broker) dropAll() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.dropAllLocked()
}

func (b *Broker) dropAllLocked() int {
	n := 0
	for _, subs := range b.rooms {
		for s := range subs {
			b.removeLocked(s)
			n++
		}
	}
	return n
}

// Subscribers returns the number of local subscriptions of roomID.
func (b *Broker) Subscribers(roomID string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.rooms[roomID])
}

// Close ends every subscription and makes later ones end at once, so that open
// [ServeSSE] streams return and an http.Server can shut down. Publish and Revoke still
// work (and reach other nodes while the bridge runs). Close is idempotent.
func (b *Broker) Close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	b.dropAllLocked()
}

// cleanKind keeps an event name on one line of the SSE stream.
func cleanKind(kind string) string {
	if !strings.ContainsAny(kind, "\r\n") {
		return kind
	}
	return strings.NewReplacer("\r", "", "\n", "").Replace(kind)
}
