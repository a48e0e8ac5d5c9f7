package web

// RoomSections are the live-update sections of a room page, for the tests outside the package.
var RoomSections = roomSections

// PageOf names the room page that holds a section, for the tests outside the package.
func PageOf(section string) string { return pageOf(section).Name }

// RoomPages names the room's pages, in the order of its section nav.
func RoomPages() []string {
	var out []string
	for _, p := range roomPages {
		out = append(out, p.Name)
	}
	return out
}

// SectionHref links to an anchor of a room, on the page that holds it.
var SectionHref = sectionHref
