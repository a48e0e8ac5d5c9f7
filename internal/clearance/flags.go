package clearance

import (
	"slices"
	"strings"
	"unicode"
)

// A vessel's flag is free text, so one state is written many ways: "Marshall Islands",
// "Marshall Is.", "Republic of the Marshall Islands", "MH", "MHL". sameFlag compares two
// spellings by their canonical form: lower case, punctuation dropped, a leading "the",
// "republic of" or "commonwealth of" removed, abbreviated words spelled out, and the
// aliases below (ISO 3166 codes and other names) mapped to the name midFlags uses.

// flagWords spells out the abbreviated words of flag names.
var flagWords = map[string]string{"is": "islands", "isl": "islands", "isls": "islands", "st": "saint", "utd": "united"}

// flagLeadWords are dropped from the start of a flag name.
var flagLeadWords = []string{"the", "republic", "commonwealth", "kingdom", "of"}

// flagAliases maps other spellings, in canonical form, to the canonical form of the name in
// midFlags. Read only.
var flagAliases = map[string]string{
	"cy": "cyprus", "cyp": "cyprus",
	"uk": "united kingdom", "gb": "united kingdom", "gbr": "united kingdom", "great britain": "united kingdom",
	"britain": "united kingdom", "united kingdom of great britain and northern ireland": "united kingdom",
	"gr": "greece", "grc": "greece", "hellas": "greece", "hellenic republic": "greece",
	"mt": "malta", "mlt": "malta",
	"no": "norway", "nor": "norway",
	"bs": "bahamas", "bhs": "bahamas",
	"pa": "panama", "pan": "panama",
	"hk": "hong kong", "hkg": "hong kong", "hongkong": "hong kong", "hong kong china": "hong kong",
	"hong kong sar": "hong kong", "hong kong sar china": "hong kong",
	"id": "indonesia", "idn": "indonesia",
	"my": "malaysia", "mys": "malaysia",
	"mh": "marshall islands", "mhl": "marshall islands", "rmi": "marshall islands",
	"sg": "singapore", "sgp": "singapore",
	"lr": "liberia", "lbr": "liberia",
}

// canonicalFlag returns the canonical form of a flag name ("" for a blank one).
func canonicalFlag(s string) string {
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) })
	for len(words) > 1 && slices.Contains(flagLeadWords, words[0]) {
		words = words[1:]
	}
	for i, w := range words {
		if full, ok := flagWords[w]; ok {
			words[i] = full
		}
	}
	c := strings.Join(words, " ")
	if name, ok := flagAliases[c]; ok {
		return name
	}
	return c
}

// sameFlag reports whether a and b name the same flag state as far as the spellings above
// tell; two blank names are the same.
func sameFlag(a, b string) bool { return canonicalFlag(a) == canonicalFlag(b) }
