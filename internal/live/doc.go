// Package live tells open browsers that something changed in a clearance room, so the
// page can update without a reload.
//
// # What an event is
//
// An [Event] is a notification, not data: "room X changed: document_approved, target D".
// It carries the room ID, the audit action, an optional target ID, a time and the
// publishing node, and nothing else — no names, no statuses, no document contents.
// Clients react to an event by re-fetching what they show through the ordinary,
// permission-checked routes. Nothing about a room lives only in this package's memory: an
// event that is lost costs at most a stale screen until the next event or reload, never a
// wrong record.
//
// A per-user event ([Broker.PublishToUser], user.go) is news for one user — their
// notifications changed — delivered to every subscription of that user, to any room or to
// none ([Broker.SubscribeUser]), and to no one else's.
//
// # Who publishes, who listens
//
// The service layer calls [Broker.Publish] AFTER the transaction that made the change has
// committed (docs/architecture.md, rule 3), so a subscriber never hears about a change that was rolled
// back. The web layer calls [Broker.Subscribe] and streams the channel with [ServeSSE].
// Publish never blocks: a subscriber whose buffer is full is dropped (its channel is
// closed), its browser reconnects and re-fetches.
//
// # Permissions
//
// SECURITY: this package makes no permission decisions of its own (docs/architecture.md, rule 4).
//   - Subscribing: the caller checks, before calling Subscribe, that the user may view the
//     room — the web layer asks the service, which uses the same rule as every other read
//     (a non-party gets 404). Subscribe trusts that check.
//   - Revocation: when a party is removed, the service calls [Broker.Revoke] after commit.
//     Every subscription of that user to that room, on this node and — through the
//     PostgreSQL bridge — on every other node, receives an "access_revoked" event and is
//     closed. When the browser reconnects, the subscription check runs again and fails.
//   - Sessions: a subscription belongs to the sign-in it was opened with ([Session]). When
//     that session ends — logout ([Broker.EndSession]), every session of the user revoked
//     ([Broker.EndUserSessions]: password reset or change, account disabled) — the service
//     tells the broker after commit, and every subscription of it, on every node, receives
//     "session_ended" and is closed. At the session's expiry each node ends its
//     subscriptions of it by itself, from the expiry they were opened with.
//   - Cap: a user holds at most [MaxStreamsPerUser] subscriptions on a node; more are
//     refused ([ErrTooManyStreams]).
//   - What could leak: even a subscription that outlives a revocation (say, a missed
//     notification between nodes) would learn only that "something of kind K changed" in a
//     room, because events carry no room data; every re-fetch is checked again. To keep even
//     that window short, a node whose LISTEN connection was lost closes all its local
//     subscriptions when it reconnects, so that every browser re-subscribes (permission
//     checked again) and re-fetches whatever it may have missed.
//
// # Many nodes
//
// On a single node (SQLite), the Broker is all there is. With N nodes on PostgreSQL, each
// node runs [Broker.RunPostgresBridge]: events, revocations and session ends published on one node are
// sent with pg_notify on the "stshub_live" channel and fanned out locally by every other
// node; a node ignores the echo of its own notifications (it already delivered them
// locally) by the Node field.
package live
