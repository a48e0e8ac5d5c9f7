package audit

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The trail in words: one place says what an action is called and what an entry did, for
// the web's activity page, the trail's CSV export and the snapshots (PDF, JSON, CSV), so
// they cannot disagree. An entry names what it touched by ID; Names turns the IDs the
// reader may see into names, and what it cannot name is left out rather than shown as an
// ID: no UUID reaches a sentence.

// Names are the names an entry's IDs stand for in one room.
type Names struct {
	Vessels map[string]string // vessel ID → vessel name
	People  map[string]string // lower-case e-mail → the person's name
	// Role names a party role for people ("STS provider"); nil: the code in words.
	Role func(code string) string
}

// labels are the actions whose name is not their code in words.
var labels = map[string]string{
	ActionRoomStatusChanged:    "status changed",
	ActionApprovalRecorded:     "sign-off recorded",
	ActionApprovalWithdrawn:    "sign-off withdrawn",
	ActionNoticeRecorded:       "coastal notice recorded",
	ActionChecklistItemChecked: "checklist item checked",
	ActionChecklistUnchecked:   "checklist item unchecked",
	ActionAdminRoomAccess:      "admin access",
	ActionRoomArchived:         "room archived",
	ActionRoomUnarchived:       "room taken out of the archive",
	ActionDocumentDownloaded:   "document downloaded",
	ActionDocumentPreviewed:    "document viewed",
	ActionSnapshotDownloaded:   "snapshot downloaded",
	ActionHoldPlaced:           "hold placed",
}

// Label names an action for people: "sign-off recorded", "document approved".
func Label(action string) string {
	if l, ok := labels[action]; ok {
		return l
	}
	return strings.ReplaceAll(action, "_", " ")
}

// Person writes someone for people: "Jane Doe <jane@example.com>", or the e-mail alone
// when the name is unknown.
func Person(name, email string) string {
	name, email = strings.TrimSpace(name), strings.TrimSpace(email)
	switch {
	case name == "":
		return email
	case email == "":
		return name
	}
	return name + " <" + email + ">"
}

// Actor is who made the entry, by name and e-mail; "the system" for the system's own.
func (n Names) Actor(e Entry) string {
	if e.ActorEmail == "" {
		return "the system"
	}
	return n.person(e.ActorEmail)
}

func (n Names) person(email string) string {
	return Person(n.People[strings.ToLower(email)], email)
}

// Sentence is the entry as one sentence: "Jane Doe <jane@example.com> signed off as
// charterer".
func (n Names) Sentence(e Entry) string {
	if e.ActorEmail == "" {
		return "The system " + n.Describe(e)
	}
	return n.Actor(e) + " " + n.Describe(e)
}

// Describe says what an entry did, without who: "approved Q88 v2 of MT LEVANT PIONEER".
func (n Names) Describe(e Entry) string {
	m := meta{}
	if len(e.Meta) > 0 {
		_ = json.Unmarshal(e.Meta, &m.v) // an unreadable record still gets its action's name
	}
	doc := func() string { return m.document(n) }
	switch e.Action {
	case ActionRoomCreated:
		return "created the room" + m.quoted("title")
	case ActionRoomUpdated:
		return "changed the room" + m.changes()
	case ActionRoomDeleted:
		return "deleted the room" + m.quoted("title")
	case ActionRoomStatusChanged, ActionHoldPlaced:
		s := "moved the room"
		if from := m.str("from"); from != "" {
			s += " from " + words(from)
		}
		s += " to " + or(words(m.str("to")), "another status")
		if m.v["automatic"] == true {
			s += " (automatic)"
		}
		return s + m.because()
	case ActionRoomArchived:
		return "archived the room"
	case ActionRoomUnarchived:
		return "took the room out of the archive"
	case ActionPartyAdded:
		return "added " + or(n.party(m), "a party") + n.as(m)
	case ActionPartyUpdated:
		return "changed the party " + or(n.party(m), "") + m.changes()
	case ActionPartyRemoved:
		return "removed " + or(n.party(m), "a party") + n.as(m) + " from the room"
	case ActionVesselAdded:
		return "added the vessel " + m.vessel()
	case ActionVesselUpdated:
		return "changed the vessel " + m.vessel() + m.changes()
	case ActionVesselRemoved:
		return "removed the vessel " + m.vessel()
	case ActionDocumentUploaded:
		s := "uploaded " + doc()
		if f := m.str("filename"); f != "" {
			s += " (" + f + ")"
		}
		return s
	case ActionDocumentApproved:
		s := "approved " + doc()
		if m.v["acknowledged_lapse"] == true { // the reviewer confirmed it lapses during the operation
			s += ", knowing it lapses before the operation ends"
		}
		if n := m.str("note"); n != "" {
			s += ": “" + clip(n) + "”"
		}
		return s + m.because()
	case ActionDocumentRejected:
		return "rejected " + doc() + m.because()
	case ActionDocumentExpired:
		s := "marked " + doc() + " expired"
		if t := m.time("valid_until"); t != "" {
			s += " (valid until " + t + ")"
		}
		return s
	case ActionDocumentDownloaded:
		return "downloaded " + doc()
	case ActionDocumentPreviewed:
		return "viewed " + doc() + " in the browser"
	case ActionRequirementAdded:
		return "required " + m.types(n) + m.because()
	case ActionRequirementWaived:
		return "waived " + m.types(n) + m.because()
	case ActionScreeningNeedsRerun:
		return "marked " + doc() + " for a re-run" + m.because()
	case ActionApprovalRecorded:
		role := n.role(m.str("role"))
		switch m.str("status") {
		case "rejected":
			return "refused to sign off as " + role + m.notes()
		case "approved", "":
			return "signed off as " + role + m.notes()
		}
		return "recorded a " + words(m.str("status")) + " sign-off as " + role + m.notes()
	case ActionApprovalWithdrawn:
		return "withdrew the sign-off as " + n.role(m.str("role")) + m.notes()
	case ActionChecklistItemAnswered:
		return "answered “" + words(m.str("answer")) + "” to " + m.item(n) + m.remark()
	case ActionChecklistItemChecked:
		return "checked " + m.item(n)
	case ActionChecklistUnchecked:
		return "cleared the answer to " + m.item(n)
	case ActionChecklistSigned:
		s := "signed " + m.checklist(n)
		if side := m.str("side_name"); side != "" {
			s += " for " + side
		}
		return s
	case ActionMilestoneRecorded:
		return "recorded " + or(m.str("label"), words(m.str("milestone"))) + m.at("occurred_at")
	case ActionNoticeRecorded:
		s := "recorded a coastal-state " + or(words(m.str("kind")), "notice")
		if v := m.vesselName(n); v != "" {
			s += " for " + v
		}
		if ref := m.str("reference"); ref != "" {
			s += ", reference " + ref
		}
		return s + m.at("notified_at")
	case ActionSnapshotCreated:
		return "created a " + m.snapshot() + " snapshot" + m.quoted("title")
	case ActionSnapshotCompleted:
		return "finished a " + m.snapshot() + " snapshot"
	case ActionSnapshotFailed:
		return "failed to render a snapshot" + m.because()
	case ActionSnapshotDeleted:
		return "deleted the " + m.snapshot() + " snapshot" + m.quoted("title")
	case ActionSnapshotDownloaded:
		return "downloaded the " + m.snapshot() + " snapshot" + m.quoted("title")
	case ActionActivityExported:
		return "exported the room's audit trail"
	case ActionAdminRoomAccess:
		return "opened the room as platform administrator" + m.because()
	case ActionNotificationPreferencesUpdated:
		return "changed their e-mail notification settings" + m.deliveries()
	}
	return Label(e.Action)
}

// meta is an entry's recorded details, read loosely: a field of another type than
// expected reads as absent.
type meta struct{ v map[string]any }

func (m meta) str(k string) string {
	switch x := m.v[k].(type) {
	case string:
		return strings.Join(strings.Fields(x), " ")
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return ""
}

// document is "Q88 v2 of MT LEVANT PIONEER": the type, the version and the vessel.
func (m meta) document(n Names) string {
	s := or(m.str("type"), "a document")
	if v := m.str("version"); v != "" && v != "0" {
		s += " v" + v
	}
	if v := m.vesselName(n); v != "" {
		s += " of " + v
	}
	return s
}

// types is the document types a requirement entry names, with their vessel.
func (m meta) types(n Names) string {
	var codes []string
	if t := m.str("type"); t != "" {
		codes = append(codes, t)
	}
	if list, ok := m.v["types"].([]any); ok {
		for _, t := range list {
			if s, ok := t.(string); ok {
				codes = append(codes, s)
			}
		}
	}
	s := or(strings.Join(codes, ", "), "documents")
	if v := m.vesselName(n); v != "" {
		s += " of " + v
	}
	return s
}

// vesselName names the entry's vessel: as recorded, or by its ID from the room's vessels.
func (m meta) vesselName(n Names) string {
	if name := m.str("vessel_name"); name != "" {
		return name
	}
	return n.Vessels[m.str("vessel_id")]
}

// vessel is a vessel entry's ship: "MT LEVANT PIONEER (IMO 9372145)".
func (m meta) vessel() string {
	s := or(m.str("name"), "a vessel")
	if imo := m.str("imo"); imo != "" {
		s += " (IMO " + imo + ")"
	}
	return s
}

func (m meta) checklist(n Names) string {
	s := "checklist " + or(m.str("phase"), "")
	if v := m.vesselName(n); v != "" {
		s += " of " + v
	}
	return s
}

func (m meta) item(n Names) string {
	s := "item " + or(m.str("position"), "")
	if t := m.str("text"); t != "" {
		s += " (" + clip(t) + ")"
	}
	return s + " of " + m.checklist(n)
}

func (n Names) party(m meta) string {
	if e := m.str("email"); e != "" {
		return n.person(e)
	}
	return ""
}

func (n Names) as(m meta) string {
	if r := m.str("role"); r != "" {
		return " as " + n.role(r)
	}
	return ""
}

func (n Names) role(code string) string {
	if n.Role != nil && code != "" {
		if l := n.Role(code); l != "" {
			return l
		}
	}
	return or(words(code), "a party")
}

func (m meta) snapshot() string {
	if t := m.str("snapshot_type"); t != "" {
		return strings.ToUpper(t)
	}
	return "room"
}

// changes lists the fields an update changed: ": title, location".
func (m meta) changes() string {
	c, ok := m.v["changes"].(map[string]any)
	if !ok || len(c) == 0 {
		return ""
	}
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, words(k))
	}
	sort.Strings(keys)
	return " (" + strings.Join(keys, ", ") + ")"
}

// deliveries lists the notification kinds whose e-mail delivery changed, each with its new
// delivery: " (review requested: digest, room cleared: off)".
func (m meta) deliveries() string {
	c, ok := m.v["changes"].(map[string]any)
	if !ok || len(c) == 0 {
		return ""
	}
	parts := make([]string, 0, len(c))
	for k, v := range c {
		ch, _ := v.(map[string]any)
		to, _ := ch["to"].(string)
		parts = append(parts, words(k)+": "+or(words(to), "default"))
	}
	sort.Strings(parts)
	return " (" + strings.Join(parts, ", ") + ")"
}

func (m meta) quoted(k string) string {
	if s := m.str(k); s != "" {
		return " “" + clip(s) + "”"
	}
	return ""
}

func (m meta) because() string {
	if r := m.str("reason"); r != "" {
		return ": “" + clip(r) + "”"
	}
	return ""
}

func (m meta) notes() string {
	if r := m.str("notes"); r != "" {
		return ": “" + clip(r) + "”"
	}
	return ""
}

func (m meta) remark() string {
	if r := m.str("remark"); r != "" {
		return ": “" + clip(r) + "”"
	}
	return ""
}

// at is " at 2026-03-01 06:00 UTC" for a recorded time.
func (m meta) at(k string) string {
	if t := m.time(k); t != "" {
		return " at " + t
	}
	return ""
}

func (m meta) time(k string) string {
	t, err := time.Parse(time.RFC3339Nano, m.str(k))
	if err != nil {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

// words turns a code into words: "in_operation" → "in operation".
func words(code string) string { return strings.ReplaceAll(code, "_", " ") }

func or(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// clip shortens free text quoted in a sentence to 120 characters.
func clip(s string) string {
	if r := []rune(s); len(r) > 120 {
		return string(r[:119]) + "…"
	}
	return s
}
