package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
)

// ComputeHash returns the lowercase hex SHA-256 of Canonical(e). e.Hash is ignored.
func ComputeHash(e Entry) string {
	sum := sha256.Sum256(Canonical(e))
	return hex.EncodeToString(sum[:])
}

// Seal links e after prev, the current head of e's scope, and hashes it: it sets
// e.Seq = prev.Seq+1, e.PrevHash = prev.Hash and e.Hash = ComputeHash(*e). Every
// other field must be final before Seal; the caller must hold the scope's append
// lock from reading prev until the entry is stored.
func Seal(e *Entry, prev Head) {
	e.Seq = prev.Seq + 1
	e.PrevHash = prev.Hash
	e.Hash = ComputeHash(*e)
}

// HeadOf returns the chain head that e forms once stored.
func HeadOf(e Entry) Head {
	return Head{Seq: e.Seq, Hash: e.Hash}
}

// Verifier checks one scope's chain while streaming it, entry by entry, in Seq order
// from 1. It holds only the expected head, so chains of any length need constant
// memory. A Verifier is not safe for concurrent use.
type Verifier struct {
	scope string
	head  Head
	err   *BrokenError
}

// NewVerifier returns a Verifier for the chain of scope, expecting Seq 1 next.
func NewVerifier(scope string) *Verifier {
	return &Verifier{scope: scope}
}

// Next checks that e is the next entry of the chain: same scope, Seq one past the
// head, PrevHash equal to the head's Hash, and Hash equal to ComputeHash(e). On
// success e becomes the head. On failure it returns a *BrokenError naming e, and the
// Verifier stays broken: every later call returns that same error.
func (v *Verifier) Next(e Entry) error {
	if v.err != nil {
		return v.err
	}
	var reason string
	switch want := v.head.Seq + 1; {
	case e.Scope != v.scope:
		reason = "entry belongs to scope " + strconv.Quote(e.Scope)
	case e.Seq != want:
		reason = "sequence number " + itoa(e.Seq) + ", expected " + itoa(want) + " (entry missing, inserted or out of order)"
	case e.PrevHash != v.head.Hash:
		reason = "previous hash does not match the previous entry"
	case e.Hash != ComputeHash(e):
		reason = "hash does not match contents"
	default:
		v.head = HeadOf(e)
		return nil
	}
	v.err = &BrokenError{Scope: v.scope, Seq: e.Seq, EntryID: e.ID, Reason: reason}
	return v.err
}

// Head returns the head of the chain verified so far; the zero Head before the first
// entry. After a break it stays at the last good entry.
func (v *Verifier) Head() Head {
	return v.head
}

// Verify checks a whole chain of scope held in memory, in order, and returns its head.
// The error, if any, is a *BrokenError.
func Verify(scope string, entries []Entry) (Head, error) {
	v := NewVerifier(scope)
	for _, e := range entries {
		if err := v.Next(e); err != nil {
			return v.Head(), err
		}
	}
	return v.Head(), nil
}
