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
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/service"
)

// blockerItem is the summary's list item of the blocker whose text contains reason ("" when
// none does).
func blockerItem(body, reason string) string {
	for _, li := range regexp.MustCompile(`(?s)<li data-testid="blocker".*?</li>`).FindAllString(body, -1) {
		if strings.Contains(li, reason) {
			return li
		}
	}
	return ""
}

// expectBlocker checks that the summary lists a blocker of gate containing reason, saying who acts.
func expectBlocker(t *testing.T, body, gate, reason, who string) {
	t.Helper()
	li := blockerItem(body, reason)
	switch {
	case li == "":
		t.Errorf("no blocker says %q", reason)
	case !strings.Contains(li, `data-gate="`+gate+`"`):
		t.Errorf("blocker %q is not in the %s gate: %s", reason, gate, li)
	case !strings.Contains(li, `data-testid="act-by">`+who+`</span>`):
		t.Errorf("blocker %q does not say %q: %s", reason, who, li)
	}
}

// TestSummaryGates: the room summary lists what blocks clearance and what blocks
// commencement apart, each blocker with the parties who act on it, and says plainly when a
// room is cleared but may not start, and when it may.
func TestSummaryGates(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		f := newFixture(t, env)
		broker := signedIn(t, env, brokerEmail)
		room := broker.get(f.roomPath("/summary"), hx...)
		expectContains(t, "summary", room, "What blocks clearance", `data-testid="blocker-count"`, "What blocks commencement",
			`data-testid="commencement-count"`, `id="more-blockers"`)
		expectBlocker(t, room.Body, "clearance", "no receiving vessel in the room", "Broker, charterer or owner to act")
		expectBlocker(t, room.Body, "clearance", ": awaiting review", "Broker or charterer to act")
		expectBlocker(t, room.Body, "clearance", "sign-off of "+chartererEmail, "Charterer to act")
		expectBlocker(t, room.Body, "commencement", "the room names no coastal state or area", "Broker or charterer to act")
		expectBlocker(t, room.Body, "commencement", "ISPS International Ship Security Certificate — MT AEGEAN SERENITY: missing", "Owner to act")
		// Clearance first, then commencement.
		if c, m := strings.Index(room.Body, "What blocks clearance"), strings.Index(room.Body, "What blocks commencement"); c < 0 || m < c ||
			strings.Index(room.Body, "no receiving vessel") > m || strings.Index(room.Body, "the room names no coastal state") < m {
			t.Errorf("the gates are not listed clearance first")
		}
		expectMissing(t, "summary", room, "Ready to commence", "Cleared, but not ready")

		// A room outside any territorial sea with both ships, every document waived and the
		// charterer's sign-off is cleared; its pre-operation checklists still keep it from
		// starting.
		ctx := context.Background()
		svc := env.App.Service()
		check := func(_ any, err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		r, err := svc.CreateRoom(ctx, f.broker, service.NewRoom{RoomFields: clearance.RoomFields{Title: "Open sea STS", Location: "Mid-Atlantic",
			STSETA: env.Now().Add(10 * 24 * time.Hour), CoastalArea: "HIGH_SEAS"}})
		check(r, err)
		owner, err := svc.AddParty(ctx, f.broker, r.ID, service.NewParty{Email: ownerEmail, Role: "owner"})
		check(owner, err)
		check(svc.AddParty(ctx, f.broker, r.ID, service.NewParty{Email: chartererEmail, Role: "charterer"}))
		env.CreateUser("poac@hurd.test")
		poac := actorOf(t, env, "poac@hurd.test")
		check(svc.AddParty(ctx, f.broker, r.ID, service.NewParty{Email: poac.Email, Role: "sts_provider"}))
		for _, v := range []clearance.VesselParticulars{{Name: "MT AEGEAN SERENITY", IMO: "9372145", Role: clearance.VesselDischarging},
			{Name: "MT LEVANT PIONEER", IMO: "9455832", Role: clearance.VesselReceiving}} {
			check(svc.AddVessel(ctx, f.broker, r.ID, v, owner.ID))
		}
		docs, err := svc.ListDocuments(ctx, f.broker, r.ID)
		check(docs, err)
		for _, d := range docs {
			if d.Required {
				check(svc.WaiveRequirement(ctx, f.broker, r.ID, d.ID, "not in this test"))
			}
		}
		for _, a := range []service.Actor{f.charterer, f.owner, poac} {
			check(svc.RecordSignOff(ctx, a, r.ID, "approved", ""))
		}
		path := "/rooms/" + r.ID + "/summary"
		cleared := broker.get(path, hx...)
		expectContains(t, "cleared room", cleared, "✓ Nothing blocks clearance.", "Cleared, but not ready to commence", "Outside any territorial sea or EEZ")
		expectBlocker(t, cleared.Body, "commencement", "of MT LEVANT PIONEER: 19 of 19 items not answered; awaits the signatures of "+
			"MT AEGEAN SERENITY&#39;s side, MT LEVANT PIONEER&#39;s side and the POAC", "Owner or STS provider to act")
		expectMissing(t, "cleared room", cleared, "Ready to commence")
		// The cockpit counts each gate's blockers apart.
		expectContains(t, "cockpit", broker.get("/"), "to clear</span>", "✓ cleared", "4 more to commence")

		// Once checklists 1 and 2 of both ships are answered and signed by both ships' sides
		// and the POAC, it may start.
		cl, err := svc.ListChecklists(ctx, f.owner, r.ID)
		check(cl, err)
		for _, c := range cl.Lists {
			if c.Phase > 2 {
				continue
			}
			for _, it := range c.Items {
				check(svc.AnswerChecklistItem(ctx, f.owner, r.ID, c.ID, it.ID, service.ChecklistAnswerInput{Answer: "yes"}))
			}
			for _, sd := range cl.Sides {
				signer := f.owner
				if sd.POAC() {
					signer = poac
				}
				check(svc.SignChecklist(ctx, signer, r.ID, c.ID, sd.Side))
			}
		}
		ready := broker.get(path, hx...)
		expectContains(t, "ready room", ready, "✓ Ready to commence", "✓ Nothing blocks clearance.", "✓ Nothing blocks commencement.")
		expectMissing(t, "ready room", ready, `data-testid="blocker"`)
		expectContains(t, "cockpit", broker.get("/"), "✓ ready to commence")

		// In operation, the header shows the next milestone and what its checklist lacks, and
		// offers no form while it does; a milestone posted anyway (from a page left open) is
		// refused in words there.
		check(svc.ChangeRoomStatus(ctx, f.broker, r.ID, "clearing", "")) // cleared at once
		check(svc.ChangeRoomStatus(ctx, f.broker, r.ID, "in_operation", ""))
		op := broker.get(path, hx...)
		expectContains(t, "in operation", op, `data-testid="room-operation"`, "Next: run-in and mooring started",
			"checklist 3 (Before run-in and mooring) of MT AEGEAN SERENITY: 10 of 10 items not answered")
		expectMissing(t, "in operation", op, `data-testid="milestone-form"`)
		ownerUI := signedIn(t, env, ownerEmail)
		refused := ownerUI.post("/rooms/"+r.ID+"/milestones", url.Values{"milestone": {"mooring_started"}}, hx...)
		expectStatus(t, "a milestone before its checklist", refused, http.StatusConflict)
		expectContains(t, "a milestone before its checklist", refused, `data-testid="room-operation"`, "waits for checklist 3")
		badTime := ownerUI.post("/rooms/"+r.ID+"/milestones", url.Values{"milestone": {"mooring_started"}, "occurred_at": {"at dawn"}}, hx...)
		expectStatus(t, "a milestone at no time", badTime, http.StatusUnprocessableEntity)
	})
}
