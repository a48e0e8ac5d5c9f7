package audit

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// goldenEntry and its encoding pin the canonical format: every stored chain depends
// on it, so a change here must be a deliberate new canonicalVersion. The hash was
// cross-checked with `printf '%s' "$canonical" | sha256sum`.
var goldenEntry = Entry{
	ID:         "0b7c6f1e-2f4a-4c39-9d4e-6a1f2b3c4d5e",
	Scope:      "room-1",
	Seq:        3,
	TS:         time.Date(2025, 3, 4, 5, 6, 7, 8000, time.UTC),
	ActorID:    "u-1",
	ActorEmail: "ops@example.com",
	Action:     ActionRoomUpdated,
	TargetType: "room",
	TargetID:   "room-1",
	Meta:       json.RawMessage(`{"name": {"to":"B","from":"A"}}`),
	RequestID:  "req-1",
	IP:         "192.0.2.1",
	PrevHash:   "ab",
	Hash:       "not part of the encoding",
}

const (
	goldenCanonical = `{"action":"room_updated","actor_email":"ops@example.com","actor_id":"u-1",` +
		`"id":"0b7c6f1e-2f4a-4c39-9d4e-6a1f2b3c4d5e","ip":"192.0.2.1","meta":{"name":{"from":"A","to":"B"}},` +
		`"prev_hash":"ab","request_id":"req-1","scope":"room-1","seq":3,"target_id":"room-1",` +
		`"target_type":"room","ts":"2025-03-04T05:06:07.000008Z","v":1}`
	goldenHash = "d63922acb2ea500d10d84ca86da80c7a892b0c609fc7807600f01f9694cffd4f"
)

func TestCanonicalGolden(t *testing.T) {
	if got := string(Canonical(goldenEntry)); got != goldenCanonical {
		t.Fatalf("Canonical =\n%s\nwant\n%s", got, goldenCanonical)
	}
	if got := ComputeHash(goldenEntry); got != goldenHash {
		t.Fatalf("ComputeHash = %s, want %s", got, goldenHash)
	}
	// The encoding is itself canonical JSON.
	again, err := CanonicalJSON(Canonical(goldenEntry))
	if err != nil || string(again) != goldenCanonical {
		t.Fatalf("CanonicalJSON(Canonical) = %s, %v", again, err)
	}
}

func TestCanonicalIgnoresHash(t *testing.T) {
	a, b := goldenEntry, goldenEntry
	a.Hash, b.Hash = "", "something else"
	if !bytes.Equal(Canonical(a), Canonical(b)) {
		t.Fatal("Canonical depends on Hash")
	}
}

func TestCanonicalTimestamp(t *testing.T) {
	paris := time.FixedZone("CET", 3600)
	tests := []struct {
		name string
		ts   time.Time
		want string
	}{
		{"whole second keeps six zeros", time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC), "2025-01-02T03:04:05.000000Z"},
		{"microseconds", time.Date(2025, 1, 2, 3, 4, 5, 123456000, time.UTC), "2025-01-02T03:04:05.123456Z"},
		{"one microsecond", time.Date(2025, 1, 2, 3, 4, 5, 1000, time.UTC), "2025-01-02T03:04:05.000001Z"},
		{"trailing zero microseconds kept", time.Date(2025, 1, 2, 3, 4, 5, 100000000, time.UTC), "2025-01-02T03:04:05.100000Z"},
		{"other zone converted to UTC", time.Date(2025, 1, 2, 4, 4, 5, 0, paris), "2025-01-02T03:04:05.000000Z"},
		{"local zone converted to UTC", time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC).Local(), "2025-01-02T03:04:05.000000Z"},
		// The caller must truncate; Canonical drops (never rounds) anything finer.
		{"nanoseconds dropped, not rounded", time.Date(2025, 1, 2, 3, 4, 5, 123456999, time.UTC), "2025-01-02T03:04:05.123456Z"},
		{"zero time", time.Time{}, "0001-01-01T00:00:00.000000Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := goldenEntry
			e.TS = tt.ts
			want := `"ts":"` + tt.want + `"`
			if got := string(Canonical(e)); !strings.Contains(got, want) {
				t.Fatalf("Canonical = %s, want it to contain %s", got, want)
			}
		})
	}
}

func TestCanonicalTimestampTruncationMatters(t *testing.T) {
	// A microsecond apart must hash differently; what the database returns after
	// truncation must hash like what was sealed.
	base := time.Date(2025, 1, 2, 3, 4, 5, 123456000, time.UTC)
	a, b := goldenEntry, goldenEntry
	a.TS, b.TS = base, base.Add(time.Microsecond)
	if ComputeHash(a) == ComputeHash(b) {
		t.Fatal("TS one microsecond apart hash the same")
	}
	b.TS = base.Round(time.Microsecond).In(time.FixedZone("X", -5*3600))
	if ComputeHash(a) != ComputeHash(b) {
		t.Fatal("same instant in another zone hashes differently")
	}
}

func TestCanonicalMeta(t *testing.T) {
	tests := []struct {
		name string
		meta json.RawMessage
		want string // substring of Canonical
	}{
		{"nil is empty object", nil, `"meta":{}`},
		{"empty is empty object", json.RawMessage{}, `"meta":{}`},
		{"null is empty object", json.RawMessage(`null`), `"meta":{}`},
		{"empty object", json.RawMessage(`{ }`), `"meta":{}`},
		{"re-canonicalised", json.RawMessage(`{"b": 1.50, "a": [true]}`), `"meta":{"a":[true],"b":1.50}`},
		{"invalid json kept raw", json.RawMessage(`{"a":`), `"meta_raw":"eyJhIjo="`},
		{"duplicate keys kept raw", json.RawMessage(`{"a":1,"a":2}`), `"meta_raw":"eyJhIjoxLCJhIjoyfQ=="`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := goldenEntry
			e.Meta = tt.meta
			if got := string(Canonical(e)); !strings.Contains(got, tt.want) {
				t.Fatalf("Canonical = %s, want it to contain %s", got, tt.want)
			}
		})
	}
}

func TestCanonicalMetaFormIsIrrelevant(t *testing.T) {
	// The store may keep Meta re-formatted (e.g. by the database): same hash.
	a, b := goldenEntry, goldenEntry
	a.Meta = json.RawMessage(`{"from":"A","to":"B","n":1.50}`)
	b.Meta = json.RawMessage("{\n  \"n\": 1.50,\n  \"to\": \"B\",\n  \"from\": \"A\"\n}")
	if ComputeHash(a) != ComputeHash(b) {
		t.Fatal("equivalent Meta forms hash differently")
	}
	b.Meta = json.RawMessage(`{"from":"A","to":"B","n":1.5}`)
	if ComputeHash(a) == ComputeHash(b) {
		t.Fatal("1.50 and 1.5 hash the same; numbers must be kept exactly")
	}
}

// TestCanonicalUnambiguous lists pairs of different entries that a naive encoding
// (concatenation, or lossy string handling) would confuse.
func TestCanonicalUnambiguous(t *testing.T) {
	with := func(f func(*Entry)) Entry {
		e := goldenEntry
		f(&e)
		return e
	}
	tests := []struct {
		name string
		a, b Entry
	}{
		{"field boundary shifted",
			with(func(e *Entry) { e.ActorID, e.ActorEmail = "ab", "c" }),
			with(func(e *Entry) { e.ActorID, e.ActorEmail = "a", "bc" })},
		{"quote injection",
			with(func(e *Entry) { e.ActorID, e.ActorEmail = `x","actor_id":"y`, "" }),
			with(func(e *Entry) { e.ActorID, e.ActorEmail = "y", "x" })},
		{"fields swapped",
			with(func(e *Entry) { e.TargetType, e.TargetID = "room", "party" }),
			with(func(e *Entry) { e.TargetType, e.TargetID = "party", "room" })},
		{"invalid utf-8 vs replacement character",
			with(func(e *Entry) { e.ActorEmail = "a\xffb" }),
			with(func(e *Entry) { e.ActorEmail = "a\uFFFDb" })},
		{"invalid utf-8 vs its base64 object text",
			with(func(e *Entry) { e.IP = "\xff" }),
			with(func(e *Entry) { e.IP = `{"base64":"/w=="}` })},
		{"invalid meta vs string meta",
			with(func(e *Entry) { e.Meta = json.RawMessage(`{`) }),
			with(func(e *Entry) { e.Meta = json.RawMessage(`"ew=="`) })},
		{"seq sign", with(func(e *Entry) { e.Seq = 1 }), with(func(e *Entry) { e.Seq = -1 })},
		{"empty vs space", with(func(e *Entry) { e.RequestID = "" }), with(func(e *Entry) { e.RequestID = " " })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if bytes.Equal(Canonical(tt.a), Canonical(tt.b)) {
				t.Fatalf("different entries encode the same: %s", Canonical(tt.a))
			}
		})
	}
}
