package live

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

const (
	minBackoff = 1 * time.Second
	maxBackoff = 30 * time.Second

	// outboxEvents bounds the events waiting for the NOTIFY connection (for instance while
	// it reconnects). Revocations and session ends are not bounded: they are rare (one per
	// removal or sign-out) and must not be lost.
	outboxEvents = 1024

	// maxPayload is PostgreSQL's limit on a NOTIFY payload (8000 bytes, exclusive).
	maxPayload = 7999

	closeTimeout = 5 * time.Second

	// defaultPingEvery is how long the LISTEN connection may be silent before the bridge
	// checks it with a ping; statementTimeout bounds that ping and each pg_notify.
	defaultPingEvery = 30 * time.Second
	statementTimeout = 10 * time.Second
)

// Operations carried over NOTIFY.
const (
	opEvent      = "event"
	opRevoke     = "revoke"
	opEndSession = "end_session" // User's subscriptions opened with Session
	opEndUser    = "end_user"    // all of User's subscriptions
)

// wireMsg is the NOTIFY payload (JSON): an event to fan out, a revocation of User's
// subscriptions of Event.RoomID, or the end of User's subscriptions of one session (or of
// all their sessions).
type wireMsg struct {
	Op      string `json:"op"`
	Event   Event  `json:"event"`
	User    string `json:"user,omitempty"`
	Session string `json:"session,omitempty"`
}

// RunPostgresBridge connects this node's broker to the others through PostgreSQL
// LISTEN/NOTIFY on the "stshub_live" channel, and runs until ctx ends (then it returns
// nil). It holds two dedicated connections: one LISTENs and fans the other nodes' events
// and revocations out locally (its own are recognised by Node and ignored); the other sends
// this node's Publish and Revoke calls with pg_notify. When a connection drops it reconnects
// with back-off (1 s doubling to 30 s, with jitter); after a reconnect it closes all local
// subscriptions, whose clients reconnect and re-fetch what they may have missed.
//
// It returns an error at once if dsn cannot be parsed or a bridge already runs on b.
func (b *Broker) RunPostgresBridge(ctx context.Context, dsn string) error {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return fmt.Errorf("live: postgres bridge: %w", err)
	}
	if _, ok := cfg.RuntimeParams["application_name"]; !ok {
		cfg.RuntimeParams["application_name"] = "stshub-live-" + b.node
	}

	out := newOutbox()
	b.mu.Lock()
	if b.bridge != nil {
		b.mu.Unlock()
		return errors.New("live: postgres bridge already running")
	}
	b.bridge = out
	b.mu.Unlock()
	defer func() {
		b.mu.Lock()
		b.bridge = nil
		b.bridgeUp = false
		b.mu.Unlock()
	}()

	backoff := minBackoff
	listenedBefore := false
	for {
		listened := false
		err := b.bridgeSession(ctx, cfg, out, func() {
			listened = true
			b.mu.Lock()
			b.bridgeUp = true
			b.mu.Unlock()
			if listenedBefore {
				// SECURITY: while the LISTEN connection was down, events and revocations
				// from other nodes may have been missed. Closing every local subscription
				// makes each client reconnect — its permission is checked again — and
				// re-fetch.
				n := b.dropAll()
				b.log.Info("live: bridge reconnected; closed local subscriptions so clients re-fetch",
					slog.Int("subscriptions", n))
			} else {
				b.log.Info("live: bridge listening", slog.String("channel", b.channel))
			}
			listenedBefore = true
		})
		b.mu.Lock()
		b.bridgeUp = false
		b.mu.Unlock()
		if ctx.Err() != nil {
			return nil
		}
		if listened {
			backoff = minBackoff
		}
		wait := jitter(backoff)
		b.log.Warn("live: bridge connection failed; reconnecting",
			slog.Any("error", err), slog.Duration("retry_in", wait))
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
		backoff = min(backoff*2, maxBackoff)
	}
}

// jitter spreads d by ±20% so that nodes do not reconnect in step.
func jitter(d time.Duration) time.Duration {
	return d + time.Duration((rand.Float64()*0.4-0.2)*float64(d))
}

// bridgeSession connects, LISTENs, calls listening, then relays notifications both ways
// until a connection fails or ctx ends.
func (b *Broker) bridgeSession(ctx context.Context, cfg *pgx.ConnConfig, out *outbox, listening func()) error {
	listen, err := pgx.ConnectConfig(ctx, cfg.Copy())
	if err != nil {
		return fmt.Errorf("connect (listen): %w", err)
	}
	defer closeConn(listen)
	if _, err := listen.Exec(ctx, "LISTEN "+pgx.Identifier{b.channel}.Sanitize()); err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	notify, err := pgx.ConnectConfig(ctx, cfg.Copy())
	if err != nil {
		return fmt.Errorf("connect (notify): %w", err)
	}
	defer closeConn(notify)
	listening()

	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sendErr := make(chan error, 1)
	go func() {
		err := b.sendLoop(sctx, notify, out)
		cancel() // a failed sender ends the session: reconnect both
		sendErr <- err
	}()

	var recvErr error
	for {
		n, err := b.waitForNotification(sctx, listen)
		if err != nil {
			recvErr = err
			break
		}
		b.receive(n.Payload)
	}
	cancel()
	if err := <-sendErr; err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return recvErr
}

// waitForNotification waits for the next notification. Every pingEvery without one it
// pings the server, so that a connection that died silently (a half-open TCP connection
// behind a NAT or a failed-over server) is noticed in seconds, not at the next kernel
// keep-alive timeout.
func (b *Broker) waitForNotification(ctx context.Context, conn *pgx.Conn) (*pgconn.Notification, error) {
	for {
		wctx, cancel := context.WithTimeout(ctx, b.pingEvery)
		n, err := conn.WaitForNotification(wctx)
		cancel()
		if err == nil {
			return n, nil
		}
		if ctx.Err() != nil || !errors.Is(err, context.DeadlineExceeded) {
			return nil, fmt.Errorf("wait for notification: %w", err)
		}
		// A timeout leaves the connection usable (pgconn only sets a read deadline).
		pctx, cancel := context.WithTimeout(ctx, statementTimeout)
		err = conn.Ping(pctx)
		cancel()
		if err != nil {
			return nil, fmt.Errorf("ping: %w", err)
		}
	}
}

func closeConn(c *pgx.Conn) {
	ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
	defer cancel()
	_ = c.Close(ctx)
}

// sendLoop sends the outbox's messages with pg_notify until ctx ends or a send fails
// (then the unsent messages go back to the front of the outbox).
func (b *Broker) sendLoop(ctx context.Context, conn *pgx.Conn, out *outbox) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-out.ready:
		}
		msgs, dropped := out.take()
		if dropped > 0 {
			b.log.Warn("live: events dropped while the NOTIFY connection was unavailable; other nodes' clients may show stale data until their next event",
				slog.Int("dropped", dropped))
		}
		for i, m := range msgs {
			payload, err := json.Marshal(m)
			if err != nil || len(payload) > maxPayload {
				b.log.Warn("live: event too large to notify; dropped",
					slog.String("room_id", m.Event.RoomID), slog.String("kind", m.Event.Kind))
				continue
			}
			ectx, cancel := context.WithTimeout(ctx, statementTimeout)
			_, err = conn.Exec(ectx, "SELECT pg_notify($1, $2)", b.channel, string(payload))
			cancel()
			if err != nil {
				out.requeue(msgs[i:])
				return fmt.Errorf("notify: %w", err)
			}
		}
	}
}

// receive fans out a notification from another node.
func (b *Broker) receive(payload string) {
	var m wireMsg
	if err := json.Unmarshal([]byte(payload), &m); err != nil {
		b.log.Warn("live: ignoring malformed notification", slog.Any("error", err))
		return
	}
	if m.Event.Node == b.node {
		return // our own echo: already delivered locally
	}
	switch m.Op {
	case opEvent:
		if m.Event.RoomID == "" || isFinal(m.Event.Kind) {
			return // only a revocation or session end (which name a user) may end subscriptions
		}
		b.deliver(m.Event)
	case opRevoke:
		if m.User == "" || m.Event.RoomID == "" {
			return
		}
		m.Event.Kind = KindAccessRevoked
		m.Event.Target = ""
		b.revokeLocal(m.Event, m.User)
	case opUser:
		if m.User == "" || isFinal(m.Event.Kind) {
			return
		}
		b.deliverUser(m.Event, m.User)
	case opEndSession, opEndUser:
		if m.User == "" || (m.Op == opEndSession && m.Session == "") {
			return
		}
		b.endSessionsLocal(m)
	}
}

// bridgeConnected reports whether the bridge's LISTEN connection is established.
func (b *Broker) bridgeConnected() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.bridgeUp
}

// outbox holds the messages waiting to be sent with NOTIFY. push never blocks.
type outbox struct {
	mu      sync.Mutex
	msgs    []wireMsg
	events  int // droppable messages in msgs
	dropped int // events dropped since the last warning
	ready   chan struct{}
}

// droppable reports whether a message of op may be dropped when too many wait: an event
// (room or per-user) costs at most a stale screen; a revocation or session end is kept.
func droppable(op string) bool { return op == opEvent || op == opUser }

func newOutbox() *outbox {
	return &outbox{ready: make(chan struct{}, 1)}
}

// push queues m; an event is dropped (and false returned) when outboxEvents are already
// waiting. Revocations are always queued.
func (o *outbox) push(m wireMsg) bool {
	o.mu.Lock()
	if droppable(m.Op) {
		if o.events >= outboxEvents {
			o.dropped++
			o.mu.Unlock()
			return false
		}
		o.events++
	}
	o.msgs = append(o.msgs, m)
	o.mu.Unlock()
	select {
	case o.ready <- struct{}{}:
	default:
	}
	return true
}

// take removes and returns everything queued, and the number of events dropped since the
// last take.
func (o *outbox) take() (msgs []wireMsg, dropped int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	msgs, dropped = o.msgs, o.dropped
	o.msgs, o.events, o.dropped = nil, 0, 0
	return msgs, dropped
}

// requeue puts msgs back in front of whatever was queued since they were taken.
func (o *outbox) requeue(msgs []wireMsg) {
	if len(msgs) == 0 {
		return
	}
	o.mu.Lock()
	all := make([]wireMsg, 0, len(msgs)+len(o.msgs))
	all = append(all, msgs...)
	all = append(all, o.msgs...)
	o.msgs = all
	o.events = 0
	for _, m := range all {
		if droppable(m.Op) {
			o.events++
		}
	}
	o.mu.Unlock()
	select {
	case o.ready <- struct{}{}:
	default:
	}
}
