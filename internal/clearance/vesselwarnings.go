package clearance

import "fmt"

// Warnings are facts about a vessel worth a second look that do not stop it being saved: a
// ship re-flagged keeps its MMSI for a while, and the MID tables are not complete, so a
// mismatch is said, never refused.

// VesselWarnings says in words what looks wrong in a vessel's particulars; nil when nothing
// does. Today that is an MMSI whose MID names another flag state than the vessel's flag. An
// MMSI whose MID this package does not know, or a blank flag, gives no warning.
func VesselWarnings(p VesselParticulars) []string {
	var out []string
	if state, ok := FlagOfMMSI(p.MMSI); ok && canonicalFlag(p.Flag) != "" && !sameFlag(state, p.Flag) {
		out = append(out, fmt.Sprintf("MMSI %s has the MID %d of %s, but the flag is %s", p.MMSI, MIDOf(p.MMSI), state, p.Flag))
	}
	return out
}
