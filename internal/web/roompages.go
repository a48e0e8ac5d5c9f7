package web

import (
	"net/url"
	"slices"
	"strings"

	"github.com/stshub/stshub/internal/clearance"
)

// roomPage is one section of a room a person moves to from the room's section nav, at its
// own address (/rooms/{id}?section=name; the overview at /rooms/{id}), holding some of the
// live sections (roomSections), in order. Each page is server-rendered and complete without
// JavaScript; the live sections on it refresh themselves.
type roomPage struct {
	Name     string
	Label    string
	Sections []string
}

// overviewPage is the page a room opens on: what the caller must do, what blocks each gate,
// and the sign-offs.
const overviewPage = "overview"

// roomPages are a room's pages, in the order of its section nav.
var roomPages = []roomPage{
	{Name: overviewPage, Label: "Overview", Sections: []string{"summary", "signoffs"}},
	{Name: "documents", Label: "Documents", Sections: []string{"documents"}},
	{Name: "parties", Label: "Vessels and parties", Sections: []string{"vessels", "parties"}},
	{Name: "checklists", Label: "Checklists and notices", Sections: []string{"checklists", "notices"}},
	{Name: "snapshots", Label: "Snapshots", Sections: []string{"snapshots"}},
	{Name: "activity", Label: "Activity", Sections: []string{"activity"}},
}

// pageNamed is the room page of that name, and whether there is one.
func pageNamed(name string) (roomPage, bool) {
	i := slices.IndexFunc(roomPages, func(p roomPage) bool { return p.Name == name })
	if i < 0 {
		return roomPage{}, false
	}
	return roomPages[i], true
}

// pageOf is the room page that holds an anchor of a room: a live section, or an element
// inside one ("checklist-…" is in the checklists, "status" in the summary). Anything else
// is on the overview.
func pageOf(anchor string) roomPage {
	section, _, _ := strings.Cut(anchor, "-")
	switch section {
	case "status", "tasks":
		section = "summary"
	case "checklist", "item":
		section = "checklists"
	case "doc", "require":
		section = "documents"
	case "add":
		section = "parties"
	}
	for _, p := range roomPages {
		if slices.Contains(p.Sections, section) {
			return p
		}
	}
	return roomPages[0]
}

// roomPageURL is the address of a room's page name, with query (filters) when given.
func roomPageURL(roomID, name string, query url.Values) string {
	u := "/rooms/" + url.PathEscape(roomID)
	q := url.Values{}
	for k, v := range query {
		if k != "section" {
			q[k] = v
		}
	}
	if name != overviewPage {
		q.Set("section", name)
	}
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

// sectionHref links to an anchor of a room, on the page that holds it.
func sectionHref(roomID, anchor string) string {
	return roomPageURL(roomID, pageOf(anchor).Name, nil) + "#" + anchor
}

// taskHref is where a task is done: its document's page, or the room's sign-off form.
func taskHref(t clearance.Task) string {
	if t.DocumentID != "" {
		href := "/rooms/" + url.PathEscape(t.RoomID) + "/documents/" + url.PathEscape(t.DocumentID)
		if t.Kind == clearance.TaskAnswer {
			href += "#questions"
		}
		return href
	}
	return sectionHref(t.RoomID, "signoffs")
}
