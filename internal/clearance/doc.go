// Package clearance holds the domain types and rules of an STS clearance room: vessel identity
// (IMO ship and company numbers, MMSI), a vessel's particulars, room statuses and the fields of a
// room, each with its normalization and validation.
//
// It is pure: no I/O, no clock (callers pass the time in), and it imports only the standard
// library and apperr. Validation of a whole input returns an *apperr.ValidationError that names
// every invalid field by its JSON name, so the HTTP layer can report them all at once as a 422.
package clearance
