package live

import (
	"log/slog"
	"time"
)

// EndSession ends every subscription opened with the session sessionID of userID: each
// receives a session_ended event and is closed, on this node and — with the bridge
// running — on every other. The service calls it after committing a logout.
func (b *Broker) EndSession(userID, sessionID string) {
	if sessionID == "" {
		return // "" names no session (see Session.ID)
	}
	b.endSessions(wireMsg{Op: opEndSession, User: userID, Session: sessionID})
}

// EndUserSessions ends every subscription of userID, whatever session it was opened with,
// on every node. The service calls it after committing the revocation of all the user's
// sessions (password reset or change, account disabled).
func (b *Broker) EndUserSessions(userID string) {
	b.endSessions(wireMsg{Op: opEndUser, User: userID})
}

// endSessions ends m's subscriptions here and sends m to the other nodes.
func (b *Broker) endSessions(m wireMsg) {
	if m.User == "" {
		return
	}
	m.Event = Event{Kind: KindSessionEnded, At: time.Now().UTC(), Node: b.node}
	b.endSessionsLocal(m)

	b.mu.Lock()
	out := b.bridge
	b.mu.Unlock()
	if out != nil {
		out.push(m)
	}
}

// endSessionsLocal ends the local subscriptions of m.User (of session m.Session for
// opEndSession) with a session_ended event.
func (b *Broker) endSessionsLocal(m wireMsg) {
	ev := Event{Kind: KindSessionEnded, At: m.Event.At, Node: m.Event.Node}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.users[m.User] == 0 {
		return
	}
	n := 0
	for _, subs := range b.rooms {
		for s := range subs {
			if s.session.UserID == m.User && (m.Op == opEndUser || s.session.ID == m.Session) {
				b.endLocked(s, ev)
				n++
			}
		}
	}
	if n > 0 {
		b.log.Info("live: ended the subscriptions of a session", slog.String("user_id", m.User),
			slog.Bool("all_sessions", m.Op == opEndUser), slog.Int("subscriptions", n))
	}
}
