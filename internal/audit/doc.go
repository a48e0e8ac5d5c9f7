// Package audit seals and verifies the tamper-evident, append-only audit trail.
//
// Every scope (a room ID, or PlatformScope for platform-level events) has its own
// hash chain: each Entry carries the hex SHA-256 of the previous entry of its scope
// (PrevHash) and of its own contents (Hash). Changing, deleting, inserting or
// reordering an entry therefore breaks the chain at that entry or the one after it,
// which a Verifier reports as a *BrokenError.
//
// The hash covers Canonical(e): a canonical JSON object of every field except Hash,
// with the Meta object itself canonicalised by CanonicalJSON, so the store may keep
// Meta in any JSON form (reordered keys, other whitespace) without breaking the chain.
// Cutting entries off the end of a chain cannot be seen from the chain alone; compare
// Verifier.Head with a head recorded elsewhere for that.
//
// The package is pure: it does no I/O and imports only the standard library. The
// store layer assigns IDs and timestamps, calls Seal under its per-scope lock, and
// streams stored entries through a Verifier.
package audit
