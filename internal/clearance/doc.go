// Package clearance holds the domain types and rules of an STS clearance room: vessel identity
// (IMO ship and company numbers, MMSI), a vessel's particulars, room statuses and the fields of a
// room, each with its normalization and validation.
//
// It is pure: no I/O, no clock (callers pass the time in), and it imports only the standard
// library, apperr and authz (itself pure: the room roles a catalogue entry names come from
// there). Validation of a whole input returns an *apperr.ValidationError that names every
// invalid field by its JSON name, so the HTTP layer can report them all at once as a 422.
//
// Each closed list of values (room statuses, document statuses, criticalities, scopes,
// expiry kinds, vessel roles, sign-off decisions) is defined once here, as a function
// returning its values in order (RoomStatuses, DocStatuses, …). The API's enums, the
// validation messages and the web forms are derived from those functions, and tests check
// the database's CHECK constraints against them; nothing else may spell a list out.
package clearance
