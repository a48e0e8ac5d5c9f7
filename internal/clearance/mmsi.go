package clearance

import (
	"errors"
	"strings"
)

// An MMSI (Maritime Mobile Service Identity) of a ship station is nine digits whose first three,
// the MID (Maritime Identification Digits), identify the flag state. Ship-station MIDs are
// allocated in the range 201–775; other leading digits (0 for groups and coast stations, 111 for
// SAR aircraft, 8 and 9 for handhelds and AIS devices) are not ships and are refused.

const (
	minShipMID = 201
	maxShipMID = 775
)

var (
	errMMSIDigits = errors.New("must be 9 digits")
	errMMSIMID    = errors.New("must start with a ship station MID between 201 and 775")
)

// midFlags names the flag state of some well-known MIDs. It is not a complete register: a valid
// MID that is missing here has a flag that FlagOfMMSI does not know. Each name is one that
// sameFlag knows (flags.go). Read only.
var midFlags = map[int]string{
	209: "Cyprus", 210: "Cyprus", 212: "Cyprus",
	235: "United Kingdom",
	240: "Greece", 241: "Greece",
	248: "Malta", 249: "Malta", 256: "Malta",
	257: "Norway", 258: "Norway", 259: "Norway",
	311: "Bahamas",
	351: "Panama", 352: "Panama", 353: "Panama", 354: "Panama", 355: "Panama", 356: "Panama",
	357: "Panama", 370: "Panama", 371: "Panama", 372: "Panama", 373: "Panama",
	477: "Hong Kong",
	525: "Indonesia",
	533: "Malaysia",
	538: "Marshall Islands",
	563: "Singapore", 564: "Singapore", 565: "Singapore", 566: "Singapore",
	636: "Liberia",
}

// NormalizeMMSI checks a ship's MMSI and returns it trimmed of surrounding space: exactly nine
// digits whose MID (first three digits) is between 201 and 775.
func NormalizeMMSI(s string) (string, error) {
	s = strings.TrimSpace(s)
	if len(s) != 9 || !allDigits(s) {
		return "", errMMSIDigits
	}
	if mid := MIDOf(s); mid < minShipMID || mid > maxShipMID {
		return "", errMMSIMID
	}
	return s, nil
}

// MIDOf returns the MID (first three digits) of an MMSI, or 0 when mmsi, trimmed of surrounding
// space, is not nine digits. It does not check that the MID is allocated to ships.
func MIDOf(mmsi string) int {
	mmsi = strings.TrimSpace(mmsi)
	if len(mmsi) != 9 || !allDigits(mmsi) {
		return 0
	}
	return int(mmsi[0]-'0')*100 + int(mmsi[1]-'0')*10 + int(mmsi[2]-'0')
}

// FlagOfMMSI returns the flag state named by the MID of a valid ship MMSI, and false when the
// MMSI is invalid or its MID is not one this package knows.
func FlagOfMMSI(mmsi string) (string, bool) {
	m, err := NormalizeMMSI(mmsi)
	if err != nil {
		return "", false
	}
	flag, ok := midFlags[MIDOf(m)]
	return flag, ok
}
