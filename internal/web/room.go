package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/service"
)

// roomSections are the parts of a room page that htmx re-fetches on their own when the room
// changes, each at /rooms/{id}/{section}.
var roomSections = []string{"summary", "vessels", "parties", "documents", "signoffs", "checklists", "notices", "snapshots", "activity"}

// roomData is everything a room page shows; a section request fills only its part.
type roomData struct {
	ID   string
	Page roomPage // the page of the room shown (roompages.go)
	Room service.RoomView
	Can  map[string]bool // the actions the caller may take now (service.RoomActions)
	caller

	Summary       *service.RoomSummary
	Tasks         []clearance.Task       // the caller's own, most urgent first
	Clearance     gateList               // what blocks clearance
	Commencement  gateList               // what else blocks the start of the operation
	Area          *clearance.CoastalArea // the coastal-state entry the room names, if any
	TopWarnings   []string
	MoreWarnings  []string
	StatusTargets []statusTarget
	Operation     *operationView

	Vessels []clearance.Vessel
	Types   []clearance.DocumentType // the catalogue, for requiring another document
	Parties []clearance.Party
	// Invitations are the latest invitation of each party waiting for an account, by
	// party ID, for those who manage the parties (resend, withdraw).
	Invitations map[string]service.Invitation
	DocGroups   []docGroup
	Filter      docFilter // what narrows the documents list
	SignOffs    *signOffView
	Checklists  []checklistGroup

	Notices        []clearance.NoticeRecord
	NoticeWarnings []string

	Snapshots     []clearance.Snapshot
	SnapshotKept  map[string]string // snapshot ID → why the record keeps it (no delete button)
	SnapshotsMore bool
	Generating    bool

	Activity *activityView
}

// operationView is where the operation stands for the room header: the milestones so far
// and the next one, with what its checklist still lacks.
type operationView struct {
	Recorded []clearance.MilestoneRecord
	Next     clearance.Milestone // "" once unmoored
	Lacking  []string
}

// statusTarget is a status the room may be moved to from where it is.
type statusTarget struct {
	Value       string
	NeedsReason bool
}

// docGroup is the document checklist of one vessel, or of the room as a whole.
type docGroup struct {
	VesselID string
	Title    string
	Docs     []service.DocumentView
	Approved int
	Required int
}

type signOffView struct {
	History []service.SignOff
	Pending []clearance.Party
	Mine    *service.SignOff // the caller's decision in force, if any
	Signers int              // parties whose role signs off
	Decided int              // of them, those with a decision in force (approved, stale or not, or rejected)
	// Open is what else stands between the room and its gates (every blocker but the
	// sign-offs themselves), shown beside the form: a party signs knowing it.
	Open gateList
}

type checklistGroup struct {
	VesselID   string
	VesselName string
	Lists      []checklistView
}

type checklistView struct {
	clearance.Checklist
	State    clearance.ChecklistState
	Answered int
	Sides    []sideView
}

// sideView is one signature a checklist needs: signed (Signature set) or awaited; Mine when
// the caller may sign it now.
type sideView struct {
	clearance.SignatureSide
	Signature *clearance.ChecklistSignature
	Mine      bool
}

// loadRoom reads what the named sections show (all of them when none is named). The
// caller's permission to see the room is checked by every service call, all on the one
// membership read of the request's page scope (signedIn); RoomActions comes first so that
// a non-party gets its 404 before anything else is read.
func (h *handler) loadRoom(ctx context.Context, actor service.Actor, roomID string, query url.Values, sections ...string) (*roomData, error) {
	want := func(s string) bool { return len(sections) == 0 || slices.Contains(sections, s) }
	perms, err := h.svc.RoomActions(ctx, actor, roomID)
	if err != nil {
		return nil, err
	}
	d := &roomData{ID: roomID, Can: map[string]bool{}, caller: callerOf(actor, perms)}
	for _, a := range perms.Actions {
		d.Can[string(a)] = true
	}
	if want("summary") {
		s, err := h.svc.GetRoomSummary(ctx, actor, roomID)
		if err != nil {
			return nil, err
		}
		d.Summary, d.Room = &s, s.RoomView
		if d.Tasks, err = h.svc.RoomTasks(ctx, actor, roomID); err != nil {
			return nil, err
		}
		d.Clearance = gateListOf(s.Blockers, clearance.GateClearance)
		d.Commencement = gateListOf(s.Blockers, clearance.GateCommencement)
		d.Area = s.Area
		d.TopWarnings = s.Warnings[:min(len(s.Warnings), shownBlockers)]
		d.MoreWarnings = s.Warnings[len(d.TopWarnings):]
		d.Operation = &operationView{Recorded: s.Operation.Milestones}
		d.Operation.Next, d.Operation.Lacking, _ = s.Operation.Next()
		from := clearance.RoomStatus(s.Status)
		for _, to := range clearance.RoomStatuses() {
			if to == from || clearance.CheckRoomTransition(from, to) != nil {
				continue
			}
			lift := from == clearance.StatusOnHold && to == clearance.StatusClearing
			if lift && s.Hold != nil && s.Hold.Owner != d.caller.Role && !s.HoldOwnerAbsent {
				continue // only the hold's owner lifts it (clearance.CheckLift); the header says who
			}
			d.StatusTargets = append(d.StatusTargets, statusTarget{Value: string(to), NeedsReason: clearance.NeedsReason(to) || lift})
		}
	} else {
		if d.Room, err = h.svc.GetRoom(ctx, actor, roomID); err != nil {
			return nil, err
		}
	}
	// The parties section names each party's vessels and offers them to bind.
	if want("vessels") || want("parties") || want("documents") || want("notices") || want("activity") {
		if d.Vessels, err = h.svc.ListVessels(ctx, actor, roomID); err != nil {
			return nil, err
		}
	}
	if want("parties") || want("activity") {
		if d.Parties, err = h.svc.ListParties(ctx, actor, roomID, want("activity")); err != nil {
			return nil, err
		}
	}
	if want("parties") && d.Can[string(authz.ManageParties)] {
		invs, err := h.svc.ListInvitations(ctx, actor, roomID)
		if err != nil {
			return nil, err
		}
		d.Invitations = map[string]service.Invitation{}
		for _, v := range invs { // newest first: the first of a party is its latest
			if _, seen := d.Invitations[v.PartyID]; !seen {
				d.Invitations[v.PartyID] = v
			}
		}
	}
	if want("documents") {
		d.Filter = docFilterOf(query)
		docs, err := h.svc.FindDocuments(ctx, actor, roomID, d.Filter.DocumentFilter)
		if isValidation(err) { // an edited address: say so, and list everything
			d.Filter.Problem = err.Error()
			docs, err = h.svc.ListDocuments(ctx, actor, roomID)
		}
		if err != nil {
			return nil, err
		}
		d.DocGroups = groupDocuments(d.Vessels, docs)
		if d.Can[string(authz.ManageRequirements)] {
			if d.Types, err = h.svc.ListDocumentTypes(ctx, actor, false); err != nil {
				return nil, err
			}
		}
	}
	if want("signoffs") {
		s, err := h.svc.ListSignOffs(ctx, actor, roomID)
		if err != nil {
			return nil, err
		}
		d.SignOffs = signOffsOf(s, actor.UserID)
		// The form shows what else blocks the room: the gate, which the summary has read
		// already when the whole page is asked for.
		if d.Can[string(authz.SignOff)] && d.Summary == nil {
			sum, err := h.svc.GetRoomSummary(ctx, actor, roomID)
			if err != nil {
				return nil, err
			}
			d.Summary = &sum
		}
		if d.Summary != nil {
			d.SignOffs.Open = openBlockers(d.Summary.Blockers)
		}
	}
	if want("checklists") {
		cl, err := h.svc.ListChecklists(ctx, actor, roomID)
		if err != nil {
			return nil, err
		}
		d.Checklists = groupChecklists(cl.Lists, cl.Sides, d.caller, d.Can[string(authz.SignChecklist)])
	}
	if want("notices") {
		if d.Notices, d.NoticeWarnings, err = h.svc.ListNotices(ctx, actor, roomID); err != nil {
			return nil, err
		}
	}
	if want("snapshots") {
		snaps, next, err := h.svc.ListSnapshots(ctx, actor, roomID, service.PageRequest{Limit: 20})
		if err != nil {
			return nil, err
		}
		d.Snapshots, d.SnapshotsMore = snaps, next != ""
		d.SnapshotKept = map[string]string{}
		for _, s := range snaps {
			if s.Status == service.SnapshotGenerating {
				d.Generating = true
			}
			if why := h.svc.SnapshotKept(d.Room.Room, s); why != "" {
				d.SnapshotKept[s.ID] = why
			}
		}
	}
	if want("activity") {
		if d.Activity, err = h.loadActivity(ctx, actor, roomID, query, d.Parties, d.Vessels); err != nil {
			return nil, err
		}
		// The parties list of the page shows only active parties.
		if want("parties") {
			d.Parties = slices.DeleteFunc(slices.Clone(d.Parties), func(p clearance.Party) bool { return p.RemovedAt != nil })
		}
	}
	return d, nil
}

// VesselNames are the names of the room's vessels ids (a party's binding).
func (d *roomData) VesselNames(ids []string) []string { return vesselNames(d.Vessels, ids) }

// NoticeVessels are the vessels the caller may record a coastal-state notice for.
func (d *roomData) NoticeVessels() []clearance.Vessel {
	var out []clearance.Vessel
	for _, v := range d.Vessels {
		if d.ActsFor(v.ID, string(authz.RecordNotice)) {
			out = append(out, v)
		}
	}
	return out
}

// groupDocuments puts each vessel's documents under it, in the order the vessels were
// added, then the room's own; within a group the most critical come first.
func groupDocuments(vessels []clearance.Vessel, docs []service.DocumentView) []docGroup {
	crit := map[string]int{"high": 0, "medium": 1, "low": 2}
	sorted := slices.Clone(docs)
	slices.SortStableFunc(sorted, func(a, b service.DocumentView) int {
		if a.Required != b.Required {
			if a.Required {
				return -1
			}
			return 1
		}
		if c := crit[a.Criticality] - crit[b.Criticality]; c != 0 {
			return c
		}
		return strings.Compare(a.TypeCode, b.TypeCode)
	})
	var groups []docGroup
	add := func(vesselID, title string) {
		g := docGroup{VesselID: vesselID, Title: title}
		for _, d := range sorted {
			if deref(d.VesselID) != vesselID {
				continue
			}
			g.Docs = append(g.Docs, d)
			if d.Required {
				g.Required++
				if d.EffectiveStatus == clearance.DocApproved {
					g.Approved++
				}
			}
		}
		if len(g.Docs) > 0 {
			groups = append(groups, g)
		}
	}
	for _, v := range vessels {
		add(v.ID, v.Name)
	}
	add("", "Operation documents")
	return groups
}

func signOffsOf(s service.SignOffs, userID string) *signOffView {
	v := &signOffView{History: s.History, Pending: s.Pending, Signers: s.Signers}
	for i, a := range s.History {
		if a.SupersededAt != nil || a.PartyRemoved || a.Status == service.SignOffWithdrawn {
			continue
		}
		v.Decided++
		if a.UserID == userID && v.Mine == nil {
			v.Mine = &s.History[i]
		}
	}
	return v
}

// openBlockers are the blockers of either gate other than the sign-offs, in their order.
func openBlockers(all []clearance.Blocker) gateList {
	l := gateList{All: slices.DeleteFunc(slices.Clone(all), func(b clearance.Blocker) bool { return b.Kind == clearance.BlockerSignOff })}
	l.Top = l.All[:min(len(l.All), shownBlockers)]
	l.More = l.All[len(l.Top):]
	return l
}

// groupChecklists groups a room's checklists by vessel, each with its state and the sides
// that sign it; canSign is whether the caller's role may sign checklists at all now.
func groupChecklists(lists []clearance.Checklist, sides []clearance.SignatureSide, who caller, canSign bool) []checklistGroup {
	var groups []checklistGroup
	for _, c := range lists {
		i := slices.IndexFunc(groups, func(g checklistGroup) bool { return g.VesselID == c.VesselID })
		if i < 0 {
			groups = append(groups, checklistGroup{VesselID: c.VesselID, VesselName: c.VesselName})
			i = len(groups) - 1
		}
		cv := checklistView{Checklist: c, State: clearance.StateOf(c, sides)}
		cv.Answered = len(c.Items) - cv.State.Unanswered
		for _, sd := range sides {
			v := sideView{SignatureSide: sd}
			if sg, ok := c.SignatureOf(sd.Side); ok {
				v.Signature = &sg
			} else {
				v.Mine = canSign && who.SignsSide(sd.Side)
			}
			cv.Sides = append(cv.Sides, v)
		}
		groups[i].Lists = append(groups[i].Lists, cv)
	}
	for i := range groups {
		slices.SortStableFunc(groups[i].Lists, func(a, b checklistView) int { return a.Phase - b.Phase })
	}
	return groups
}

// roomPage is one page of a room (?section=, the overview by default; an unknown one is the
// overview too): its header, the section nav and the page's sections.
func (h *handler) roomPage(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	rp, ok := pageNamed(r.URL.Query().Get("section"))
	if !ok {
		rp = roomPages[0]
	}
	name, p, err := h.roomHost(r.Context(), actor, r.PathValue("room"), rp, r.URL.Query())
	if err != nil {
		h.renderError(w, r, err, "/")
		return
	}
	h.renderPage(w, r, http.StatusOK, name, p)
}

// roomHost loads the page rp of a room; the room's pages host most of its forms.
func (h *handler) roomHost(ctx context.Context, actor service.Actor, roomID string, rp roomPage, query url.Values) (string, *page, error) {
	since, err := h.liveSince(ctx, actor, roomID) // before the page's data: never newer than it
	if err != nil {
		return "", nil, err
	}
	d, err := h.loadRoom(ctx, actor, roomID, query, rp.Sections...)
	if err != nil {
		return "", nil, err
	}
	d.Page = rp
	title := d.Room.Title
	if rp.Name != overviewPage {
		title = rp.Label + " · " + title
	}
	return "room", &page{Title: title, Nav: "rooms", RoomID: roomID, LiveSince: since, Data: d}, nil
}

// roomFormSpec is a form of the room page whose refusal re-renders section (or the form's
// own fragment when given).
func (h *handler) roomFormSpec(r *http.Request, actor service.Actor, name, section, fragment string) formSpec {
	if fragment == "" {
		fragment = "section-" + section
	}
	roomID := r.PathValue("room")
	return formSpec{name: name, anchor: section, fragment: fragment, host: func(*formState) (string, *page, error) {
		if isHTMX(r) {
			d, err := h.loadRoom(r.Context(), actor, roomID, nil, section)
			if err != nil {
				return "", nil, err
			}
			return "room", &page{RoomID: roomID, Data: d}, nil
		}
		return h.roomHost(r.Context(), actor, roomID, pageOf(section), nil)
	}}
}

// roomSection answers htmx's re-fetch of one section. A browser without JS that follows
// such a link lands on the room page at that section.
func (h *handler) roomSection(section string) func(http.ResponseWriter, *http.Request, service.Actor) {
	return func(w http.ResponseWriter, r *http.Request, actor service.Actor) {
		roomID := r.PathValue("room")
		if !isHTMX(r) {
			http.Redirect(w, r, roomPageURL(roomID, pageOf(section).Name, r.URL.Query())+"#"+section, http.StatusSeeOther)
			return
		}
		d, err := h.loadRoom(r.Context(), actor, roomID, r.URL.Query(), section)
		if err != nil {
			h.renderError(w, r, err, "/")
			return
		}
		h.renderFragment(w, r, http.StatusOK, "section-"+section, &page{RoomID: roomID, Data: d})
	}
}

// roomURL is where a form of a room sends the browser back to: the room, or the page and
// place of anchor.
func roomURL(roomID, anchor string) string {
	if anchor == "" {
		return "/rooms/" + url.PathEscape(roomID)
	}
	return sectionHref(roomID, anchor)
}

// changeStatus moves the room through its lifecycle; the service checks the transition and
// its conditions, and asks a reason for holds and cancellations.
func (h *handler) changeStatus(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	roomID := r.PathValue("room")
	to := r.PostFormValue("status")
	_, err := h.svc.ChangeRoomStatus(r.Context(), actor, roomID, to, r.PostFormValue("reason"))
	if err != nil {
		h.refuse(w, r, h.roomFormSpec(r, actor, "status", "summary", ""), err)
		return
	}
	h.done(w, r, roomURL(roomID, ""), "The room is now "+human(to)+".")
}
