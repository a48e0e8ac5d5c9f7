package clearance

import (
	"errors"
	"slices"
	"strings"

	"github.com/stshub/stshub/internal/apperr"
)

// CargoClass is the kind of cargo an operation moves. It decides which rules apply: MARPOL
// Annex I (the IOPP certificate, CLC cover and the Annex I coastal notice) is for oil; a
// liquefied-gas operation follows the STS guide's gas sections and its own documents.
type CargoClass string

// The cargo classes.
const (
	CargoOil      CargoClass = "oil"
	CargoChemical CargoClass = "chemical"
	CargoGas      CargoClass = "gas" // liquefied gas: LNG, LPG
)

// CargoClasses lists the cargo classes: the one list (API enum, validation, database CHECK
// test).
func CargoClasses() []CargoClass { return []CargoClass{CargoOil, CargoChemical, CargoGas} }

var errCargoClass = errors.New("must be " + apperr.OneOf(CargoClasses()))

// ParseCargoClass returns the class named by s (surrounding space ignored); "" is oil, the
// class of most STS operations.
func ParseCargoClass(s string) (CargoClass, error) {
	c := CargoClass(strings.TrimSpace(s))
	if c == "" {
		return CargoOil, nil
	}
	if slices.Contains(CargoClasses(), c) {
		return c, nil
	}
	return "", errCargoClass
}

// AppliesTo reports whether documents of type t are asked for in an operation moving cargo
// of class c: a type that names no classes applies to every operation.
func (t DocumentType) AppliesTo(c CargoClass) bool {
	return len(t.CargoClasses) == 0 || slices.Contains(t.CargoClasses, c)
}

// checkCargoClasses drops repeats from a list of cargo classes (an empty list means every
// class) and names cargo_classes as invalid when one is unknown.
func checkCargoClasses(c *apperr.Collector, list []CargoClass) []CargoClass {
	list = dedup(list)
	for _, cc := range list {
		if !slices.Contains(CargoClasses(), cc) {
			c.Add("cargo_classes", "must be cargo classes, each "+apperr.OneOf(CargoClasses())+"; none for every class")
			break
		}
	}
	return list
}
