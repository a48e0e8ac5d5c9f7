package clearance

import (
	"strconv"
	"unicode/utf8"

	"github.com/stshub/stshub/internal/apperr"
)

// Length limits shared by the inputs of this package, in characters (Unicode code points).
const (
	maxShortText = 200
	maxCallSign  = 16
)

// checkMaxLen records field as invalid when s is longer than max characters.
func checkMaxLen(c *apperr.Collector, field, s string, max int) {
	if utf8.RuneCountInString(s) > max {
		c.Add(field, "must be at most "+strconv.Itoa(max)+" characters")
	}
}

// checkRequired records field as missing when s is empty, and otherwise checks its length.
func checkRequired(c *apperr.Collector, field, s string, max int) {
	if s == "" {
		c.Add(field, "is required")
		return
	}
	checkMaxLen(c, field, s, max)
}

// allDigits reports whether s is non-empty and made only of the ASCII digits 0–9.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
