package clearance

import (
	"errors"
	"fmt"
	"strings"
)

// IMO numbers come in two kinds with different check-digit rules: the IMO ship identification
// number (SOLAS XI-1/3) and the IMO unique company and registered owner identification number
// (SOLAS XI-1/3-1), used for registered owners and DOC companies. Both are seven digits and are
// often written with an "IMO" prefix. A number valid under one rule is usually invalid under the
// other, so each field is validated with its own rule only.

var (
	shipIMOWeights    = [6]int{7, 6, 5, 4, 3, 2}
	companyIMOWeights = [6]int{8, 6, 4, 2, 9, 7}
)

var errIMODigits = errors.New("must be 7 digits")

// NormalizeShipIMO checks an IMO ship identification number and returns its bare seven digits.
//
// It trims surrounding space and accepts an optional case-insensitive "IMO" prefix followed by
// optional spaces, colons or hyphens ("IMO 9372145", "imo:9372145", "IMO-9372145"). Digits 1–6 are
// multiplied by 7, 6, 5, 4, 3, 2; the sum mod 10 must equal digit 7.
func NormalizeShipIMO(s string) (string, error) {
	digits, err := imoDigits(s)
	if err != nil {
		return "", err
	}
	sum := weightedSum(digits, shipIMOWeights)
	if want := sum % 10; want != int(digits[6]-'0') {
		return "", fmt.Errorf("check digit does not match (expected %d)", want)
	}
	return digits, nil
}

// NormalizeCompanyIMO checks an IMO company / registered owner identification number and returns
// its bare seven digits. Input is accepted in the same forms as NormalizeShipIMO.
//
// Digits 1–6 are multiplied by 8, 6, 4, 2, 9, 7; digit 7 must equal (11 − sum mod 11) mod 10.
func NormalizeCompanyIMO(s string) (string, error) {
	digits, err := imoDigits(s)
	if err != nil {
		return "", err
	}
	sum := weightedSum(digits, companyIMOWeights)
	if want := (11 - sum%11) % 10; want != int(digits[6]-'0') {
		return "", fmt.Errorf("check digit does not match (expected %d)", want)
	}
	return digits, nil
}

// imoDigits strips space and the optional "IMO" prefix and its separators from s and returns
// the remaining seven ASCII digits.
func imoDigits(s string) (string, error) {
	s = strings.TrimSpace(s)
	if len(s) >= 3 && strings.EqualFold(s[:3], "IMO") {
		s = strings.TrimLeft(s[3:], " :-")
	}
	if len(s) != 7 || !allDigits(s) {
		return "", errIMODigits
	}
	return s, nil
}

// weightedSum multiplies the first six digits of a seven-digit string by weights and adds them.
func weightedSum(digits string, weights [6]int) int {
	sum := 0
	for i, w := range weights {
		sum += int(digits[i]-'0') * w
	}
	return sum
}
