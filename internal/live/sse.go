package live

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"
)

// DefaultHeartbeat is the heartbeat ServeSSE uses when given none: often enough that
// proxies with a 60 s idle timeout keep the stream open.
const DefaultHeartbeat = 25 * time.Second

// sseWriteTimeout bounds each write, so that a client that stopped reading (TCP window
// full) cannot hold the handler forever.
const sseWriteTimeout = 30 * time.Second

// ServeSSE streams events to the client as Server-Sent Events until the client goes away,
// the request context ends, or the channel is closed. Each event is written as
//
//	event: <kind>
//	data: <the Event as JSON>
//	id: <At in Unix nanoseconds>
//
// followed by a blank line, and a comment line ": ping" is written every heartbeat
// (DefaultHeartbeat when heartbeat <= 0). After an access_revoked or session_ended event
// it returns: the subscription is over. The caller owns the subscription and should cancel it when
// ServeSSE returns. An event keep refuses is not written (nil keeps every one): the caller
// leaves out what its subscriber may not hear of, such as a document confidential to others.
// At every heartbeat alive (nil: always) is asked whether the subscriber may still listen; when
// it says no — its session was ended where no event could say so, by the command line — the
// stream gets session_ended and ends.
//
// The response is not cached (Cache-Control: no-store) nor buffered by nginx-like proxies
// (X-Accel-Buffering: no); each write is flushed with http.ResponseController, and given a
// write deadline of its own, so a server WriteTimeout does not cut the stream.
func ServeSSE(w http.ResponseWriter, r *http.Request, events <-chan Event, heartbeat time.Duration, keep func(Event) bool, alive func() bool) {
	if heartbeat <= 0 {
		heartbeat = DefaultHeartbeat
	}
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	h.Del("Content-Length")
	w.WriteHeader(http.StatusOK)

	write := func(p []byte) bool {
		if err := rc.SetWriteDeadline(time.Now().Add(sseWriteTimeout)); err != nil &&
			!errors.Is(err, http.ErrNotSupported) {
			return false
		}
		if len(p) > 0 {
			if _, err := w.Write(p); err != nil {
				return false
			}
		}
		return rc.Flush() == nil
	}
	if !write(nil) { // send the headers now: the client knows the stream is open
		return
	}

	tick := time.NewTicker(heartbeat)
	defer tick.Stop()
	var buf bytes.Buffer
	for {
		select {
		case <-r.Context().Done():
			return
		case <-tick.C:
			if alive != nil && !alive() {
				buf.Reset()
				if encodeEvent(&buf, Event{Kind: KindSessionEnded}) {
					write(buf.Bytes())
				}
				return
			}
			if !write([]byte(": ping\n\n")) {
				return
			}
		case ev, ok := <-events:
			if !ok {
				return
			}
			if keep != nil && !isFinal(ev.Kind) && !keep(ev) {
				continue
			}
			buf.Reset()
			if !encodeEvent(&buf, ev) || !write(buf.Bytes()) {
				return
			}
			if isFinal(ev.Kind) {
				return
			}
		}
	}
}

// encodeEvent writes ev in the SSE wire format.
func encodeEvent(buf *bytes.Buffer, ev Event) bool {
	data, err := json.Marshal(ev) // one line: encoding/json escapes control characters
	if err != nil {
		return false
	}
	buf.WriteString("event: ")
	buf.WriteString(cleanKind(ev.Kind))
	buf.WriteString("\ndata: ")
	buf.Write(data)
	at := ev.At
	if at.IsZero() {
		at = time.Now()
	}
	buf.WriteString("\nid: ")
	buf.WriteString(strconv.FormatInt(at.UnixNano(), 10))
	buf.WriteString("\n\n")
	return true
}
