package audit

import (
	"encoding/json"
	"time"
)

// PlatformScope is the scope of the platform-level audit trail (events that belong
// to no room: users, logins, catalogue changes).
const PlatformScope = "platform"

// Entry is one audit record.
type Entry struct {
	ID         string          // UUID string, assigned by the caller
	Scope      string          // room ID or PlatformScope
	Seq        int64           // 1-based position in the scope's chain
	TS         time.Time       // UTC; the caller must truncate it to microseconds (DB precision), Canonical ignores anything finer
	ActorID    string          // user ID, "" for the system
	ActorEmail string          // the actor's email at the time of the event
	Action     string          // one of the Action constants, e.g. ActionRoomCreated
	TargetType string          // e.g. "room", "party", "vessel", "user"
	TargetID   string          // ID of the target
	Meta       json.RawMessage // JSON object (see CanonicalJSON); nil or empty means {}
	RequestID  string          // ID of the HTTP request that caused the event
	IP         string          // client IP of that request
	PrevHash   string          // hex SHA-256 of the previous entry of the scope, "" for the first
	Hash       string          // hex SHA-256 of Canonical(entry)
}

// Head is the latest position of a chain. The zero Head is the head of an empty chain.
type Head struct {
	Seq  int64
	Hash string
}
