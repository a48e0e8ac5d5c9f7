package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/service"
)

func TestRoomPage(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		f := newFixture(t, env)
		broker := signedIn(t, env, brokerEmail)

		// The room opens on its overview: tasks, both gates, sign-offs; the other pages are a
		// link of the section nav away, each at its own address.
		room := broker.get(f.roomPath(""))
		expectStatus(t, "room page", room, http.StatusOK)
		expectContains(t, "room page", room,
			`data-testid="room-title">Malta crude STS</h1>`, `data-status="draft"`, "Clearance progress",
			`id="summary"`, `id="signoffs"`, `data-testid="room-tasks"`, `aria-current="page" data-section="overview"`,
			`href="/rooms/`+f.room+`?section=documents"`, `href="/rooms/`+f.room+`?section=activity"`,
			`data-room-events="/rooms/`+f.room+`/events?since=`, `data-testid="live-status"`,
			// Both gates: a clearance blocker, and the coastal state the room does not name yet,
			// which blocks only the start of the operation.
			"What blocks clearance", "What blocks commencement", "the room names no coastal state or area", "No coastal state named",
			`hx-trigger="room-changed from:body`, `data-testid="status-form"`)
		expectMissing(t, "room page", room, `id="documents"`, `id="activity"`, `data-testid="add-party-form"`)
		if room.Header.Get("Content-Security-Policy") != csp {
			t.Errorf("room page CSP %q", room.Header.Get("Content-Security-Policy"))
		}
		pages := map[string][]string{
			"documents":  {`id="documents"`, `data-status="under_review"`, `data-status="missing"`, `data-testid="doc-filter"`},
			"parties":    {`id="vessels"`, `id="parties"`, "MT AEGEAN SERENITY", "9372145", chartererEmail, `data-testid="add-party-form"`},
			"checklists": {`id="checklists"`, `id="notices"`},
			"snapshots":  {`id="snapshots"`, "No snapshots yet — generate one to record the room&#39;s state"},
			"activity":   {`id="activity"`},
		}
		for name, want := range pages {
			pg := broker.get(f.roomPath("?section=" + name))
			expectStatus(t, "page "+name, pg, http.StatusOK)
			expectContains(t, "page "+name, pg, append(want, `data-testid="room-title">Malta crude STS`, `aria-current="page" data-section="`+name+`"`)...)
			expectMissing(t, "page "+name, pg, `id="summary"`)
		}

		// Each section alone, for htmx; a browser without JS is sent to the room page.
		for _, s := range []string{"summary", "vessels", "parties", "documents", "signoffs", "checklists", "notices", "snapshots", "activity"} {
			frag := broker.get(f.roomPath("/"+s), hx...)
			expectStatus(t, "section "+s, frag, http.StatusOK)
			if !strings.HasPrefix(strings.TrimSpace(frag.Body), "<section") || strings.Contains(frag.Body, "<html") {
				t.Errorf("section %s is not a bare <section>: %.200s", s, frag.Body)
			}
			expectRedirect(t, "section "+s+" without htmx", broker.get(f.roomPath("/"+s)), f.anchor(s))
		}

		// A non-party learns nothing: the same 404 as a room that does not exist.
		outsider := signedIn(t, env, outsiderEmail)
		for _, path := range []string{f.roomPath(""), f.roomPath("/documents/" + f.q88), f.roomPath("/edit"),
			f.roomPath("/vessels/new"), "/rooms/00000000-0000-0000-0000-000000000000"} {
			res := outsider.get(path)
			expectStatus(t, "outsider "+path, res, http.StatusNotFound)
			expectContains(t, "outsider "+path, res, "Not found")
			expectMissing(t, "outsider "+path, res, "Malta crude STS", "MT AEGEAN SERENITY")
		}
		for _, s := range []string{"summary", "documents", "activity"} {
			expectStatus(t, "outsider's section "+s, outsider.get(f.roomPath("/"+s), hx...), http.StatusNotFound)
		}
		if res := outsider.post(f.roomPath("/parties"), url.Values{"email": {"x@y.test"}, "role": {"viewer"}}); res.Status != http.StatusNotFound {
			t.Fatalf("outsider adds a party: %d", res.Status)
		}
		// The cockpit lists the room to its parties only.
		expectContains(t, "broker cockpit", broker.get("/"), "Malta crude STS", `data-testid="room-row"`)
		expectContains(t, "outsider cockpit", outsider.get("/"), "You are not in any room yet.")
	})
}

func TestCreateRoomAndEscaping(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		env.CreateUser(brokerEmail)
		b := signedIn(t, env, brokerEmail)
		expectContains(t, "new room page", b.get("/rooms/new"), `data-testid="room-form"`, `<label for="room-title-input">`)

		// Refused: every problem named next to its field, the values kept.
		bad := b.post("/rooms", url.Values{"title": {""}, "location": {"Skaw"}, "sts_eta": {"tomorrow"}, "cargo_quantity": {"lots"}})
		expectStatus(t, "invalid room", bad, http.StatusUnprocessableEntity)
		expectContains(t, "invalid room", bad, `id="room-title-input-error"`, `id="room-eta-error"`, `id="room-qty-error"`,
			"must be a number", `value="Skaw"`, `value="lots"`, `aria-invalid="true"`)

		const evil = `<script>alert(1)</script>`
		res := b.post("/rooms", url.Values{"title": {evil}, "location": {`"><img src=x onerror=alert(2)>`},
			"sts_eta": {"2030-03-14T08:00"}, "cargo_quantity": {"80,000"}, "role": {"broker"}})
		if res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/rooms/") {
			t.Fatalf("create room: %d %s", res.Status, res.Header.Get("Location"))
		}
		roomPath := res.Header.Get("Location")
		room := b.get(roomPath)
		expectStatus(t, "new room", room, http.StatusOK)
		expectContains(t, "new room", room, "&lt;script&gt;alert(1)&lt;/script&gt;", "&#34;&gt;&lt;img src=x onerror=alert(2)&gt;",
			"14 Mar 2030 08:00 UTC", "80,000 t", "Room created.")
		expectMissing(t, "new room", room, evil, "<img src=x")
		home := b.get("/")
		expectContains(t, "cockpit", home, "&lt;script&gt;alert(1)&lt;/script&gt;")
		expectMissing(t, "cockpit", home, evil)

		// Edit: the form shows the room; saving changes it.
		edit := b.get(roomPath + "/edit")
		expectContains(t, "edit page", edit, `value="2030-03-14T08:00"`, `value="80000"`)
		saved := b.post(roomPath+"/edit", url.Values{"title": {"Skaw STS"}, "location": {"Skaw"}, "sts_eta": {"2030-03-15T06:00"}})
		expectRedirect(t, "edit", saved, roomPath)
		expectContains(t, "edited room", b.get(roomPath), "Skaw STS", "15 Mar 2030 06:00 UTC")
	})
}

// TestFormsWithoutAndWithHTMX: a form of the room page, posted without JS (redirect, or the
// whole page again with the refusal) and with htmx (204 and a trigger, or the form's
// fragment with the refusal).
func TestFormsWithoutAndWithHTMX(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		f := newFixture(t, env)
		b := signedIn(t, env, brokerEmail)

		res := b.post(f.roomPath("/parties"), url.Values{"email": {"Buyer@Adriatic.test"}, "role": {"buyer"}, "name": {"Adriatic Refining"}})
		expectRedirect(t, "add party", res, f.anchor("parties"))
		room := b.get(f.page("parties"))
		expectContains(t, "room after add party", room, "buyer@adriatic.test", "Adriatic Refining", "invited")

		bad := b.post(f.roomPath("/parties"), url.Values{"email": {"not-an-address"}, "role": {"captain"}})
		expectStatus(t, "invalid party", bad, http.StatusUnprocessableEntity)
		expectContains(t, "invalid party", bad, "<html", `id="party-email-error"`, "must be a valid e-mail address",
			`id="party-role-error"`, `value="not-an-address"`, `href="#parties"`)

		badHX := b.post(f.roomPath("/parties"), url.Values{"email": {"not-an-address"}, "role": {"viewer"}}, hx...)
		expectStatus(t, "invalid party (htmx)", badHX, http.StatusUnprocessableEntity)
		if !strings.HasPrefix(strings.TrimSpace(badHX.Body), `<form id="add-party"`) {
			t.Fatalf("the refusal of an htmx form is not the form: %.300s", badHX.Body)
		}
		expectContains(t, "invalid party (htmx)", badHX, "must be a valid e-mail address")

		env.CreateUser("seller@nacm.test") // an account: added at once, not invited (which redirects to its link)
		okHX := b.post(f.roomPath("/parties"), url.Values{"email": {"seller@nacm.test"}, "role": {"seller"}}, hx...)
		expectStatus(t, "add party (htmx)", okHX, http.StatusNoContent)
		if trig := okHX.Header.Get("HX-Trigger"); !strings.Contains(trig, `"room-changed"`) || !strings.Contains(trig, "seller@nacm.test") {
			t.Fatalf("HX-Trigger %q", trig)
		}

		// A conflict: the section again with the reason at its top.
		dup := b.post(f.roomPath("/parties"), url.Values{"email": {chartererEmail}, "role": {"viewer"}})
		expectStatus(t, "duplicate party", dup, http.StatusConflict)
		expectContains(t, "duplicate party", dup, "already a party of this room")

		// Change a role, remove a party.
		parties, err := env.App.Service().ListParties(context.Background(), f.broker, f.room, false)
		if err != nil {
			t.Fatal(err)
		}
		var viewerParty string
		for _, p := range parties {
			if p.Email == viewerEmail {
				viewerParty = p.ID
			}
		}
		expectRedirect(t, "change role", b.post(f.roomPath("/parties/"+viewerParty+"/role"), url.Values{"role": {"buyer"}}), f.anchor("parties"))
		expectRedirect(t, "remove party", b.post(f.roomPath("/parties/"+viewerParty+"/remove"), nil), f.anchor("parties"))
		expectStatus(t, "removed party's room page", signedIn(t, env, viewerEmail).get(f.roomPath("")), http.StatusNotFound)
	})
}

func TestVesselForm(t *testing.T) {
	env := apptest.New(t, "sqlite")
	f := newFixture(t, env)
	b := signedIn(t, env, brokerEmail)
	form := b.get(f.roomPath("/vessels/new"))
	expectContains(t, "vessel form", form, `data-imo`, `id="vessel-imo-check"`, `<label for="vessel-imo">`, "/static/app.js?v=")

	expectContains(t, "vessel form", form, `name="registered_owner_imo"`, `name="doc_company_imo"`)

	bad := b.post(f.roomPath("/vessels"), url.Values{"name": {"MT LEVANT PIONEER"}, "imo": {"IMO 9455833"}, "role": {"receiving"}, "dwt": {"big"},
		"registered_owner_imo": {"9455832"}}) // a ship number where a company number belongs
	expectStatus(t, "bad IMO", bad, http.StatusUnprocessableEntity)
	expectContains(t, "bad IMO", bad, "check digit does not match (expected 2)", "must be a whole number", `value="IMO 9455833"`,
		`id="vessel-registered_owner_imo-error"`, "check digit does not match (expected 1)", `value="9455832"`)

	ok := b.post(f.roomPath("/vessels"), url.Values{"name": {"MT LEVANT PIONEER"}, "imo": {"IMO 9455832"}, "role": {"receiving"},
		"dwt": {"105,300"}, "loa": {"243.8"}, "flag": {"Liberia"}, "mmsi": {"636019284"},
		"registered_owner": {"Levant Pioneer Inc."}, "registered_owner_imo": {"IMO 6127338"}, "doc_company_imo": {"5903115"}})
	expectRedirect(t, "add vessel", ok, f.anchor("vessels"))
	room := b.get(f.page("parties"))
	expectContains(t, "room with two vessels", room, "MT LEVANT PIONEER", "9455832", "105,300 DWT", "Aframax", "LOA 243.8 m",
		"IMO 6127338", "IMO 5903115")
	expectMissing(t, "MMSI of the flag", room, `data-testid="vessel-warning"`)

	// An MMSI of another flag state is saved, with a warning on the vessel.
	mismatch := b.post(f.roomPath("/vessels"), url.Values{"name": {"MT REFLAGGED"}, "imo": {"9074729"}, "role": {"receiving"},
		"flag": {"Malta"}, "mmsi": {"636000001"}})
	expectRedirect(t, "add vessel with a Liberian MMSI", mismatch, f.anchor("vessels"))
	expectContains(t, "MMSI of another flag", b.get(f.page("parties")), `data-testid="vessel-warning"`,
		"MMSI 636000001 has the MID 636 of Liberia, but the flag is Malta")

	vessels, _ := env.App.Service().ListVessels(context.Background(), f.broker, f.room)
	var levant string
	for _, v := range vessels {
		if v.Name == "MT LEVANT PIONEER" {
			levant = v.ID
		}
	}
	expectRedirect(t, "remove vessel", b.post(f.roomPath("/vessels/"+levant+"/remove"), nil), f.anchor("vessels"))
	// The first vessel has an upload: it stays, and the page says why.
	refused := b.post(f.roomPath("/vessels/"+f.vessel+"/remove"), nil)
	expectStatus(t, "remove vessel with documents", refused, http.StatusConflict)
	expectContains(t, "remove vessel with documents", refused, "uploaded document")
}

func TestStatusSignOffChecklistsNotices(t *testing.T) {
	env := apptest.New(t, "sqlite")
	f := newFixture(t, env)
	ctx := context.Background()
	svc := env.App.Service()
	broker := signedIn(t, env, brokerEmail)
	owner := signedIn(t, env, ownerEmail)

	// Status: a hold needs a reason.
	noReason := broker.post(f.roomPath("/status"), url.Values{"status": {"clearing"}})
	expectRedirect(t, "start clearing", noReason, f.roomPath(""))
	hold := broker.post(f.roomPath("/status"), url.Values{"status": {"on_hold"}}, hx...)
	expectStatus(t, "hold without reason", hold, http.StatusUnprocessableEntity)
	expectContains(t, "hold without reason", hold, `id="status-reason-error"`, "is required")
	expectRedirect(t, "hold", broker.post(f.roomPath("/status"), url.Values{"status": {"on_hold"}, "reason": {"Sanctions red flag on the buyer"}}), f.roomPath(""))
	room := broker.get(f.roomPath(""))
	expectContains(t, "room on hold", room, `data-status="on_hold"`, "Sanctions red flag on the buyer")
	// An owner may not change the status: no form, and the service refuses.
	ownerRoom := owner.get(f.roomPath(""))
	expectMissing(t, "owner's room page", ownerRoom, `data-testid="status-form"`)
	expectStatus(t, "owner changes status", owner.post(f.roomPath("/status"), url.Values{"status": {"clearing"}}), http.StatusForbidden)

	// Sign-off: a rejection needs notes; the decision shows in the history.
	noNotes := owner.post(f.roomPath("/signoff"), url.Values{"status": {"rejected"}})
	expectStatus(t, "reject without notes", noNotes, http.StatusUnprocessableEntity)
	expectContains(t, "reject without notes", noNotes, `id="signoff-notes-error"`)
	expectRedirect(t, "sign off", owner.post(f.roomPath("/signoff"), url.Values{"status": {"approved"}, "notes": {"Ship ready"}}), f.anchor("signoffs"))
	so := owner.get(f.roomPath("/signoffs"), hx...)
	expectContains(t, "sign-offs", so, "Ship ready", `data-testid="signoff-row"`, "Your decision in force", "Withdraw my decision")
	expectRedirect(t, "withdraw", owner.post(f.roomPath("/signoff"), url.Values{"status": {"withdrawn"}}), f.anchor("signoffs"))

	// Checklists: answer an item no, with a remark; signing with items open is refused with the reason.
	cl, err := svc.ListChecklists(ctx, f.owner, f.room)
	if err != nil || len(cl.Lists) == 0 {
		t.Fatalf("checklists: %v %d", err, len(cl.Lists))
	}
	c := cl.Lists[0]
	item := c.Items[0]
	expectRedirect(t, "answer item", owner.post(f.roomPath("/checklists/"+c.ID+"/items/"+item.ID),
		url.Values{"answer": {"no"}, "remark": {"Q88 of the receiving ship not yet received"}}), f.anchor("checklist-"+c.ID))
	expectContains(t, "checklists", owner.get(f.roomPath("/checklists"), hx...), "<strong>no</strong> — Q88 of the receiving ship not yet received · "+ownerEmail,
		`data-answer="no"`, "answered no", "Sign for MT AEGEAN SERENITY&#39;s side")
	bad := owner.post(f.roomPath("/checklists/"+c.ID+"/items/"+item.ID), url.Values{"answer": {"perhaps"}}, hx...)
	expectStatus(t, "bad answer", bad, http.StatusUnprocessableEntity)
	early := owner.post(f.roomPath("/checklists/"+c.ID+"/sign"), url.Values{"side": {f.vessel}}, hx...)
	expectStatus(t, "sign early", early, http.StatusConflict)
	expectContains(t, "sign early", early, "items not answered", "required item 1 answered no", `id="checklists"`)
	// A viewer sees the checklists but no buttons.
	viewer := signedIn(t, env, viewerEmail)
	vc := viewer.get(f.roomPath("/checklists"), hx...)
	expectContains(t, "viewer checklists", vc, "Pre-fixture information")
	expectMissing(t, "viewer checklists", vc, "/items/", "/sign\"")

	// Notices.
	badNotice := owner.post(f.roomPath("/notices"), url.Values{"vessel_id": {f.vessel}, "notified_at": {"yesterday"}, "reference": {""}})
	expectStatus(t, "bad notice", badNotice, http.StatusUnprocessableEntity)
	expectContains(t, "bad notice", badNotice, `id="notice-at-error"`)
	at := env.Now().Add(-72 * time.Hour).UTC().Format("2006-01-02T15:04")
	expectRedirect(t, "notice", owner.post(f.roomPath("/notices"), url.Values{"vessel_id": {f.vessel}, "notified_at": {at}, "reference": {"MT-TM-2026/118"}}),
		f.anchor("notices"))
	expectContains(t, "notices", owner.get(f.roomPath("/notices"), hx...), "MT-TM-2026/118", `data-testid="notice-kind">Notice sent<`,
		`name="kind"`, `<option value="permission">Written permission received</option>`)
	// A written permission is recorded as such; a kind the rules do not know is named.
	badKind := owner.post(f.roomPath("/notices"), url.Values{"vessel_id": {f.vessel}, "kind": {"rumour"}, "notified_at": {at}, "reference": {"X"}}, hx...)
	expectStatus(t, "bad kind", badKind, http.StatusUnprocessableEntity)
	expectContains(t, "bad kind", badKind, `id="notice-kind-error"`, `aria-describedby="notice-kind-error"`)
	expectRedirect(t, "permission", owner.post(f.roomPath("/notices"), url.Values{"vessel_id": {f.vessel}, "kind": {"permission"},
		"notified_at": {at}, "reference": {"MMD-STS-2026/7"}}), f.anchor("notices"))
	expectContains(t, "notices", owner.get(f.roomPath("/notices"), hx...), `data-testid="notice-kind">Written permission received<`, "MMD-STS-2026/7")
}

func TestActivityFiltersAndPages(t *testing.T) {
	env := apptest.New(t, "sqlite")
	f := newFixture(t, env)
	ctx := context.Background()
	svc := env.App.Service()
	for i := range 30 {
		title := "Title " + string(rune('A'+i%26))
		if _, err := svc.UpdateRoom(ctx, f.broker, f.room, service.RoomPatch{Title: &title}); err != nil {
			t.Fatal(err)
		}
	}
	b := signedIn(t, env, viewerEmail)
	all := b.get(f.page("activity"))
	rows := strings.Count(all.Body, `data-testid="activity-row"`)
	if rows != 25 {
		t.Fatalf("first page has %d entries, want 25", rows)
	}
	older := regexp.MustCompile(`href="([^"]*cursor=[^"]*)"[^>]*data-testid="activity-older"`).FindStringSubmatch(all.Body)
	if older == nil {
		t.Fatal("no link to older entries")
	}
	next := b.get(strings.ReplaceAll(older[1], "&amp;", "&"))
	expectStatus(t, "older entries", next, http.StatusOK)
	expectContains(t, "older entries", next, "room created", "← Newest entries")

	filtered := b.get(f.roomPath("/activity?action=party_added"), hx...)
	if n := strings.Count(filtered.Body, `data-action="party_added"`); n != 4 || strings.Count(filtered.Body, `data-testid="activity-row"`) != 4 {
		t.Fatalf("party_added filter shows %d of %d rows", n, strings.Count(filtered.Body, `data-testid="activity-row"`))
	}
	expectContains(t, "filter keeps itself on refresh", filtered, `hx-get="/rooms/`+f.room+`/activity?action=party_added"`)
	byOwner := b.get(f.roomPath("/activity?actor="+f.owner.UserID), hx...)
	if n := strings.Count(byOwner.Body, `data-testid="activity-row"`); n != 1 || !strings.Contains(byOwner.Body, "document uploaded") {
		t.Fatalf("owner filter: %d rows", n)
	}
	junk := b.get(f.roomPath("/activity?action=bogus"), hx...)
	expectStatus(t, "unknown action", junk, http.StatusOK)
	expectContains(t, "unknown action", junk, "not understood")
}

func TestRequirementsAndDeletion(t *testing.T) {
	env := apptest.New(t, "sqlite")
	f := newFixture(t, env)
	broker := signedIn(t, env, brokerEmail)
	viewer := signedIn(t, env, viewerEmail)
	expectContains(t, "broker's documents", broker.get(f.roomPath("/documents"), hx...), `data-testid="requirement-form"`, "PRICE_CAP")
	expectMissing(t, "viewer's documents", viewer.get(f.roomPath("/documents"), hx...), `data-testid="requirement-form"`)
	wrong := broker.post(f.roomPath("/requirements"), url.Values{"type": {"PRICE_CAP"}, "vessel_id": {f.vessel}})
	expectStatus(t, "per-room type for a vessel", wrong, http.StatusUnprocessableEntity)
	expectContains(t, "per-room type for a vessel", wrong, `id="req-vessel-error"`, "supplied once per room")
	expectRedirect(t, "require", broker.post(f.roomPath("/requirements"), url.Values{"type": {"PRICE_CAP"}}), f.anchor("documents"))
	expectContains(t, "documents", broker.get(f.roomPath("/documents"), hx...), `data-doc-type="PRICE_CAP"`)

	edit := broker.get(f.roomPath("/edit"))
	expectContains(t, "broker's edit page", edit, `data-testid="delete-room-form"`)
	expectMissing(t, "charterer's edit page", signedIn(t, env, chartererEmail).get(f.roomPath("/edit")), `data-testid="delete-room-form"`)
	expectStatus(t, "delete unconfirmed", broker.post(f.roomPath("/delete"), nil), http.StatusUnprocessableEntity)
	expectStatus(t, "viewer deletes", viewer.post(f.roomPath("/delete"), url.Values{"confirm": {"on"}}), http.StatusForbidden)
	expectRedirect(t, "delete", broker.post(f.roomPath("/delete"), url.Values{"confirm": {"on"}}), "/")
	expectStatus(t, "deleted room", broker.get(f.roomPath("")), http.StatusNotFound)
}

func TestFormPagesNeedTheirPermission(t *testing.T) {
	env := apptest.New(t, "sqlite")
	f := newFixture(t, env)
	viewer := signedIn(t, env, viewerEmail)
	for _, path := range []string{f.roomPath("/edit"), f.roomPath("/vessels/new")} {
		res := viewer.get(path)
		expectStatus(t, "viewer "+path, res, http.StatusForbidden)
		expectContains(t, "viewer "+path, res, "A viewer may not")
	}
	expectStatus(t, "owner adds a vessel", signedIn(t, env, ownerEmail).get(f.roomPath("/vessels/new")), http.StatusOK)
}
