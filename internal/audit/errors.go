package audit

import "strconv"

// BrokenError reports the first entry at which a scope's audit chain fails to verify.
type BrokenError struct {
	Scope   string // the scope whose chain was being verified
	Seq     int64  // the Seq stored in the offending entry
	EntryID string // the ID stored in the offending entry
	Reason  string // what is wrong, e.g. "hash does not match contents"
}

// Error says which chain broke, where, and why, e.g.
// "audit chain of room X broken at entry ID (seq 4): hash does not match contents".
func (e *BrokenError) Error() string {
	chain := "room " + e.Scope
	if e.Scope == PlatformScope {
		chain = "the platform"
	}
	return "audit chain of " + chain + " broken at entry " + e.EntryID + " (seq " + itoa(e.Seq) + "): " + e.Reason
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
