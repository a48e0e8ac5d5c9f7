package clearance

import (
	"slices"
	"strings"
	"unicode"
)

// The size classes (MR, LR1, Aframax, Suezmax, VLCC, ULCC) are bands of the oil-tanker
// market: a gas carrier is sized by cubic metres, a chemical tanker by its tanks, and a bulk
// carrier or container ship has classes of its own. So a class is given only to a vessel
// whose type names an oil tanker, or names no cargo at all (an empty type, or just
// "tanker": most STS operations move oil). When a room carries its cargo class, that class
// can decide the unnamed case; the type's own words are read here.

// The words of a free-text vessel type (compared in lower case, split at anything but a
// letter or digit) that name its cargo or its kind.
var (
	gasTypeWords      = []string{"lng", "lpg", "gas", "lpgc", "lngc", "vlgc", "ethane", "ammonia"}
	oilTypeWords      = []string{"oil", "crude", "product", "products", "bunker", "bunkering"}
	chemicalTypeWords = []string{"chemical", "chemicals"}
	tankerTypeWords   = []string{"tanker", "tankship"}
)

// typeCargoClass reads a free-text vessel type ("Crude oil tanker", "crude_oil_tanker", "LNG
// carrier", "Bulk carrier"). It returns the cargo class the type names, or "" when it names
// none, and tanker true when the type is a tanker or gas carrier or is empty (unknown).
// Gas words win over oil words ("Oil/LPG carrier" is a gas carrier), and oil words over
// chemical ones: an oil/chemical tanker is an oil tanker too.
func typeCargoClass(vesselType string) (class CargoClass, tanker bool) {
	words := strings.FieldsFunc(strings.ToLower(vesselType), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	has := func(list []string) bool {
		return slices.ContainsFunc(words, func(w string) bool { return slices.Contains(list, w) })
	}
	switch {
	case has(gasTypeWords):
		return CargoGas, true
	case has(oilTypeWords):
		return CargoOil, true
	case has(chemicalTypeWords):
		return CargoChemical, true
	case len(words) == 0 || has(tankerTypeWords):
		return "", true
	default:
		return "", false
	}
}

// TankerSizeClass names the oil-tanker size class of a vessel of dwt tonnes deadweight and
// type vesselType: "" unless the type names an oil tanker or no cargo at all (see above), and
// "" below 25,000 DWT.
func TankerSizeClass(dwt int, vesselType string) string {
	class, tanker := typeCargoClass(vesselType)
	if !tanker || (class != "" && class != CargoOil) {
		return ""
	}
	return oilTankerBand(dwt)
}

// oilTankerBand names the band of a deadweight in tonnes: MR 25,000–54,999; LR1
// 55,000–79,999; Aframax 80,000–119,999; Suezmax 120,000–199,999; VLCC 200,000–319,999; ULCC
// 320,000 and above. Each band includes its lower bound; below 25,000 DWT there is none.
func oilTankerBand(dwt int) string {
	switch {
	case dwt >= 320_000:
		return "ULCC"
	case dwt >= 200_000:
		return "VLCC"
	case dwt >= 120_000:
		return "Suezmax"
	case dwt >= 80_000:
		return "Aframax"
	case dwt >= 55_000:
		return "LR1"
	case dwt >= 25_000:
		return "MR"
	default:
		return ""
	}
}
