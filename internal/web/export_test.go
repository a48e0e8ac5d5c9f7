package web

// RoomSections are the live-update sections of a room page, for the tests outside the package.
var RoomSections = roomSections
