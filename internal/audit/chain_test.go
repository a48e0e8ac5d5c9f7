package audit

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// sealedChain returns n entries of scope, sealed in order, with every field set.
func sealedChain(t *testing.T, scope string, n int) []Entry {
	t.Helper()
	base := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	var head Head
	entries := make([]Entry, 0, n)
	for i := range n {
		e := Entry{
			ID:         fmt.Sprintf("00000000-0000-4000-8000-%012d", i+1),
			Scope:      scope,
			TS:         base.Add(time.Duration(i) * 1500 * time.Microsecond),
			ActorID:    fmt.Sprintf("user-%d", i%2),
			ActorEmail: fmt.Sprintf("user%d@example.com", i%2),
			Action:     ActionPartyAdded,
			TargetType: "party",
			TargetID:   fmt.Sprintf("party-%d", i),
			Meta:       json.RawMessage(fmt.Sprintf(`{"name":"Party %d","n":%d.50}`, i, i)),
			RequestID:  fmt.Sprintf("req-%d", i),
			IP:         "198.51.100.7",
		}
		Seal(&e, head)
		head = HeadOf(e)
		entries = append(entries, e)
	}
	return entries
}

// verifyAll feeds entries to a fresh Verifier and returns the first error.
func verifyAll(scope string, entries []Entry) error {
	_, err := Verify(scope, entries)
	return err
}

func TestSeal(t *testing.T) {
	e := Entry{ID: "a", Scope: "room-1", Action: ActionRoomCreated, Hash: "stale"}
	Seal(&e, Head{})
	if e.Seq != 1 || e.PrevHash != "" {
		t.Fatalf("first entry sealed as seq %d prev %q", e.Seq, e.PrevHash)
	}
	if e.Hash != ComputeHash(e) || len(e.Hash) != 64 || strings.ToLower(e.Hash) != e.Hash {
		t.Fatalf("Hash = %q, want lowercase hex ComputeHash %q", e.Hash, ComputeHash(e))
	}
	f := Entry{ID: "b", Scope: "room-1", Action: ActionRoomUpdated}
	Seal(&f, Head{Seq: 41, Hash: "prev"})
	if f.Seq != 42 || f.PrevHash != "prev" || f.Hash != ComputeHash(f) {
		t.Fatalf("sealed as %+v", f)
	}
}

func TestVerifierAcceptsChain(t *testing.T) {
	for _, scope := range []string{"room-7", PlatformScope} {
		t.Run(scope, func(t *testing.T) {
			entries := sealedChain(t, scope, 6)
			v := NewVerifier(scope)
			if got := v.Head(); got != (Head{}) {
				t.Fatalf("initial Head = %+v, want zero", got)
			}
			for i, e := range entries {
				if err := v.Next(e); err != nil {
					t.Fatalf("entry %d: %v", i, err)
				}
				if got, want := v.Head(), (Head{Seq: int64(i + 1), Hash: e.Hash}); got != want {
					t.Fatalf("Head after entry %d = %+v, want %+v", i, got, want)
				}
			}
			for i := 1; i < len(entries); i++ {
				if entries[i].PrevHash != entries[i-1].Hash {
					t.Fatalf("entry %d not linked to entry %d", i, i-1)
				}
			}
		})
	}
}

func TestVerifyEmptyChain(t *testing.T) {
	head, err := Verify("room-1", nil)
	if err != nil || head != (Head{}) {
		t.Fatalf("Verify(nil) = %+v, %v", head, err)
	}
}

func TestVerifierAcceptsMetaReformattedByStore(t *testing.T) {
	entries := sealedChain(t, "room-1", 3)
	entries[1].Meta = json.RawMessage("{\n \"n\" : 1.50 , \"name\" : \"Party 1\"\n}")
	if err := verifyAll("room-1", entries); err != nil {
		t.Fatalf("reformatted Meta rejected: %v", err)
	}
}

// TestVerifierDetectsTamperedField changes one field of one entry at a time, for
// every field and every position, and expects the chain to break at that entry.
func TestVerifierDetectsTamperedField(t *testing.T) {
	const scope = "room-42"
	tamper := []struct {
		field  string
		change func(*Entry)
		reason string
	}{
		{"ID", func(e *Entry) { e.ID += "0" }, "hash does not match"},
		{"Scope", func(e *Entry) { e.Scope = "room-43" }, "belongs to scope"},
		{"Scope to platform", func(e *Entry) { e.Scope = PlatformScope }, "belongs to scope"},
		{"Seq", func(e *Entry) { e.Seq++ }, "sequence number"},
		{"TS", func(e *Entry) { e.TS = e.TS.Add(time.Microsecond) }, "hash does not match"},
		{"ActorID", func(e *Entry) { e.ActorID = "" }, "hash does not match"},
		{"ActorEmail", func(e *Entry) { e.ActorEmail = "someone@example.com" }, "hash does not match"},
		{"Action", func(e *Entry) { e.Action = ActionPartyRemoved }, "hash does not match"},
		{"TargetType", func(e *Entry) { e.TargetType = "vessel" }, "hash does not match"},
		{"TargetID", func(e *Entry) { e.TargetID += "x" }, "hash does not match"},
		{"Meta value", func(e *Entry) { e.Meta = json.RawMessage(strings.Replace(string(e.Meta), ".50", ".5", 1)) }, "hash does not match"},
		{"Meta emptied", func(e *Entry) { e.Meta = nil }, "hash does not match"},
		{"RequestID", func(e *Entry) { e.RequestID = "req-forged" }, "hash does not match"},
		{"IP", func(e *Entry) { e.IP = "203.0.113.9" }, "hash does not match"},
		{"PrevHash", func(e *Entry) { e.PrevHash = strings.Repeat("0", 64) }, "previous hash"},
		{"Hash", func(e *Entry) { e.Hash = strings.Repeat("f", 64) }, "hash does not match"},
		{"Hash upper-cased", func(e *Entry) { e.Hash = strings.ToUpper(e.Hash) }, "hash does not match"},
	}
	const n = 5
	for _, tt := range tamper {
		for pos := range n {
			t.Run(fmt.Sprintf("%s/entry%d", tt.field, pos+1), func(t *testing.T) {
				entries := sealedChain(t, scope, n)
				tt.change(&entries[pos])
				bad := entries[pos]

				v := NewVerifier(scope)
				for i, e := range entries {
					err := v.Next(e)
					if i < pos {
						if err != nil {
							t.Fatalf("entry %d before the tampered one: %v", i+1, err)
						}
						continue
					}
					var broken *BrokenError
					if !errors.As(err, &broken) {
						t.Fatalf("Next(tampered entry) = %v, want *BrokenError", err)
					}
					if broken.EntryID != bad.ID || broken.Seq != bad.Seq || broken.Scope != scope {
						t.Fatalf("BrokenError names %q seq %d scope %q, want %q seq %d scope %q",
							broken.EntryID, broken.Seq, broken.Scope, bad.ID, bad.Seq, scope)
					}
					if !strings.Contains(broken.Reason, tt.reason) {
						t.Fatalf("Reason = %q, want it to contain %q", broken.Reason, tt.reason)
					}
					wantHead := Head{}
					if pos > 0 {
						wantHead = HeadOf(entries[pos-1])
					}
					if got := v.Head(); got != wantHead {
						t.Fatalf("Head after break = %+v, want the last good entry %+v", got, wantHead)
					}
					break
				}
			})
		}
	}
}

// TestVerifierDetectsResealedEntry: an attacker who rewrites an entry and
// recomputes its hash is caught at the next entry, whose PrevHash no longer matches.
func TestVerifierDetectsResealedEntry(t *testing.T) {
	entries := sealedChain(t, "room-1", 5)
	forged := &entries[2]
	forged.Action = ActionDocumentApproved
	forged.Hash = ComputeHash(*forged)

	err := verifyAll("room-1", entries)
	var broken *BrokenError
	if !errors.As(err, &broken) {
		t.Fatalf("Verify = %v, want *BrokenError", err)
	}
	if broken.EntryID != entries[3].ID || broken.Seq != 4 || !strings.Contains(broken.Reason, "previous hash") {
		t.Fatalf("BrokenError = %+v, want entry 4 with a previous-hash mismatch", broken)
	}
}

func TestVerifierDetectsStructuralChanges(t *testing.T) {
	const scope = "room-9"
	chain := func() []Entry { return sealedChain(t, scope, 5) }
	other := sealedChain(t, "room-10", 5)
	tests := []struct {
		name    string
		entries func() []Entry
		wantID  func([]Entry) string // ID of the entry the break must name
		wantSeq int64
		reason  string
	}{
		{
			name:    "middle entry deleted",
			entries: func() []Entry { c := chain(); return append(c[:2:2], c[3:]...) },
			wantID:  func(c []Entry) string { return c[2].ID },
			wantSeq: 4, reason: "sequence number 4, expected 3",
		},
		{
			name:    "first entry deleted",
			entries: func() []Entry { return chain()[1:] },
			wantID:  func(c []Entry) string { return c[0].ID },
			wantSeq: 2, reason: "sequence number 2, expected 1",
		},
		{
			name: "middle entry deleted and later seqs renumbered",
			entries: func() []Entry {
				c := chain()
				c = append(c[:2:2], c[3:]...)
				for i := 2; i < len(c); i++ {
					c[i].Seq--
				}
				return c
			},
			wantID:  func(c []Entry) string { return c[2].ID },
			wantSeq: 3, reason: "previous hash",
		},
		{
			name:    "two entries swapped",
			entries: func() []Entry { c := chain(); c[1], c[2] = c[2], c[1]; return c },
			wantID:  func(c []Entry) string { return c[1].ID },
			wantSeq: 3, reason: "sequence number 3, expected 2",
		},
		{
			name: "two entries swapped with seqs swapped back",
			entries: func() []Entry {
				c := chain()
				c[1], c[2] = c[2], c[1]
				c[1].Seq, c[2].Seq = c[2].Seq, c[1].Seq
				return c
			},
			wantID:  func(c []Entry) string { return c[1].ID },
			wantSeq: 2, reason: "previous hash",
		},
		{
			name:    "entry duplicated",
			entries: func() []Entry { c := chain(); return append(c[:3:3], c[2:]...) },
			wantID:  func(c []Entry) string { return c[3].ID },
			wantSeq: 3, reason: "sequence number 3, expected 4",
		},
		{
			name:    "entry from another room's chain spliced in",
			entries: func() []Entry { c := chain(); c[2] = other[2]; return c },
			wantID:  func(c []Entry) string { return c[2].ID },
			wantSeq: 3, reason: `belongs to scope "room-10"`,
		},
		{
			name:    "another room's whole chain",
			entries: func() []Entry { return other },
			wantID:  func(c []Entry) string { return c[0].ID },
			wantSeq: 1, reason: "belongs to scope",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			entries := tt.entries()
			err := verifyAll(scope, entries)
			var broken *BrokenError
			if !errors.As(err, &broken) {
				t.Fatalf("Verify = %v, want *BrokenError", err)
			}
			if want := tt.wantID(entries); broken.EntryID != want || broken.Seq != tt.wantSeq {
				t.Fatalf("BrokenError names %q seq %d, want %q seq %d (%v)", broken.EntryID, broken.Seq, want, tt.wantSeq, err)
			}
			if !strings.Contains(broken.Reason, tt.reason) {
				t.Fatalf("Reason = %q, want it to contain %q", broken.Reason, tt.reason)
			}
		})
	}
}

func TestVerifierStaysBroken(t *testing.T) {
	entries := sealedChain(t, "room-1", 4)
	entries[1].IP = "forged"
	v := NewVerifier("room-1")
	if err := v.Next(entries[0]); err != nil {
		t.Fatal(err)
	}
	first := v.Next(entries[1])
	if first == nil {
		t.Fatal("tampered entry accepted")
	}
	for _, e := range entries[2:] {
		if err := v.Next(e); err != first {
			t.Fatalf("Next after break = %v, want the first error %v", err, first)
		}
	}
	if got := v.Head(); got != HeadOf(entries[0]) {
		t.Fatalf("Head after break = %+v, want %+v", got, HeadOf(entries[0]))
	}
}

func TestVerifierNextReturnsUntypedNil(t *testing.T) {
	entries := sealedChain(t, "room-1", 1)
	if err := NewVerifier("room-1").Next(entries[0]); err != nil {
		t.Fatalf("Next = %#v, want nil", err)
	}
}

func TestBrokenErrorMessage(t *testing.T) {
	tests := []struct {
		err  BrokenError
		want string
	}{
		{
			BrokenError{Scope: "X", Seq: 4, EntryID: "ID", Reason: "hash does not match contents"},
			"audit chain of room X broken at entry ID (seq 4): hash does not match contents",
		},
		{
			BrokenError{Scope: PlatformScope, Seq: 1, EntryID: "e1", Reason: "previous hash does not match the previous entry"},
			"audit chain of the platform broken at entry e1 (seq 1): previous hash does not match the previous entry",
		},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}
