package web_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/service"
)

// TestReviewPanelWithoutJS: the forms of issue 23's "review with the facts" as a browser
// without JavaScript sends them. An upload whose expiry date is past is answered with a
// confirmation step and stores nothing until confirmed; a certificate lapsing during the
// operation is approved only with the box ticked and a note; a sign-off without a decision
// is refused in words, and the empty room says nobody has signed.
func TestReviewPanelWithoutJS(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		ctx := context.Background()
		f := newFixture(t, env)
		svc := env.App.Service()
		owner := signedIn(t, env, ownerEmail)
		class := f.docID(t, "CLASS", true)
		classPath := f.roomPath("/documents/" + class)

		// The upload form says when an expiry date has passed, for the script to warn with.
		p := owner.get(classPath)
		expectContains(t, "the upload form", p, `data-valid-from="`+env.Now().UTC().Format(time.DateOnly)+`"`, `data-testid="expiry-confirm" hidden`)

		// Posted with a date in 2020 and no confirmation: asked to confirm, nothing stored.
		fields := []string{"expires_on", "2020-05-01"}
		p = owner.upload(classPath+"/upload", fields, "class-2020.pdf", apptest.PDF("CLASS 2020"))
		expectStatus(t, "an expired upload, unconfirmed", p, http.StatusUnprocessableEntity)
		expectContains(t, "the confirmation step", p, "The expiry date 2020-05-01 has passed", `name="acknowledge_expired" value="yes" data-testid="acknowledge-expired" required`,
			`value="2020-05-01"`)
		expectMissing(t, "the confirmation step", p, `data-testid="expiry-confirm" hidden`)
		if got := f.docStatus(t, class); got != "missing" {
			t.Fatalf("an unconfirmed expired upload was stored: %s", got)
		}
		// Confirmed: stored, under review, and the page says it has expired.
		p = owner.upload(classPath+"/upload", append(fields, "acknowledge_expired", "yes"), "class-2020.pdf", apptest.PDF("CLASS 2020"))
		expectStatus(t, "an expired upload, confirmed", p, http.StatusSeeOther)
		p = owner.get(classPath)
		expectContains(t, "the expired upload", p, `data-fit="expired"`, "Already expired: its expiry date was 2020-05-01.")

		// A P&I entry ending at noon the day after the ships meet lapses during the window.
		room, err := svc.GetRoom(ctx, f.broker, f.room)
		if err != nil {
			t.Fatal(err)
		}
		pi := f.docID(t, "PI_COE", true)
		if _, err := svc.Upload(ctx, f.owner, f.room, service.UploadInput{TypeCode: "PI_COE", VesselID: f.vessel, Filename: "pi.pdf",
			ExpiresOn: room.STSETA.AddDate(0, 0, 1).Format(time.DateOnly), File: bytes.NewReader(apptest.PDF("P&I"))}); err != nil {
			t.Fatal(err)
		}
		charterer := signedIn(t, env, chartererEmail)
		piPath := f.roomPath("/documents/" + pi)
		p = charterer.get(piPath)
		expectContains(t, "the review panel of a lapsing certificate", p, `data-fit="lapses_during_operation"`, `data-testid="lapse-warning"`,
			"Lapses during the operation: it expires on", `name="acknowledge_lapse" value="yes" required`, `name="note" rows="2" required`)
		p = charterer.get(f.roomPath("/documents"), hx...)
		expectContains(t, "the room's list says so", p, "lapses during the operation")
		p = charterer.post(piPath+"/approve", url.Values{})
		expectStatus(t, "approve without the confirmation", p, http.StatusConflict)
		expectContains(t, "the refusal", p, "Lapses during the operation", "To approve it all the same")
		p = charterer.post(piPath+"/approve", url.Values{"acknowledge_lapse": {"yes"}})
		expectStatus(t, "approve without a note", p, http.StatusUnprocessableEntity)
		expectContains(t, "the note's message", p, `id="approve-note-error"`, "is required when approving a document that lapses")
		p = charterer.post(piPath+"/approve", url.Values{"acknowledge_lapse": {"yes"}, "note": {"Renewal on 20 February; new entry follows."}})
		expectStatus(t, "approve with both", p, http.StatusSeeOther)
		p = charterer.get(piPath)
		expectContains(t, "approved, but not shown as done", p, `data-status="approved"`, "is-blocking", "approved · lapses during the operation")
		p = charterer.get(f.roomPath("/activity"), hx...)
		expectContains(t, "the trail names the note", p, "knowing it lapses before the operation ends", "“Renewal on 20 February; new entry follows.”")

		// Sign-off: nobody has signed; no decision is preselected, and none is refused.
		p = charterer.get(f.roomPath("/signoffs"), hx...)
		expectContains(t, "an empty sign-off", p, "No party has signed yet.", `data-testid="signoff-blockers"`, "open blockers")
		expectMissing(t, "an empty sign-off", p, "Every signing party has approved", " checked>")
		p = charterer.post(f.roomPath("/signoff"), url.Values{"notes": {""}})
		expectStatus(t, "a sign-off without a decision", p, http.StatusUnprocessableEntity)
		expectContains(t, "its message", p, "choose whether you approve or reject the operation")
		p = charterer.post(f.roomPath("/signoff"), url.Values{"status": {"approved"}})
		expectStatus(t, "an approval", p, http.StatusSeeOther)
		p = charterer.get(f.roomPath("/signoffs"), hx...)
		if !strings.Contains(p.Body, "1 of ") || !strings.Contains(p.Body, "signing parties have approved") {
			t.Errorf("after one approval the section does not count it: %s", p.Body)
		}
	})
}
