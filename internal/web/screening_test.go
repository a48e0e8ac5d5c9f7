package web_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apptest"
)

// TestScreeningUploadAndHold: the upload form of a screening asks for its outcome, provider,
// remark and subjects; a match shows on the document page and puts the room on a hold whose
// owner the room header names.
func TestScreeningUploadAndHold(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		f := newFixture(t, env)
		if _, err := env.App.Service().ChangeRoomStatus(context.Background(), f.broker, f.room, "clearing", ""); err != nil {
			t.Fatal(err)
		}
		charterer := signedIn(t, env, chartererEmail)
		sanctions := f.docID(t, "SANCTIONS", true)
		docPath := f.roomPath("/documents/" + sanctions)
		expectContains(t, "screening upload form", charterer.get(docPath), `data-testid="upload-outcome"`, `name="provider"`,
			`name="counterparties"`, `value="potential_match"`)
		// Q88's form asks for none of it.
		expectMissing(t, "Q88 upload form", signedIn(t, env, ownerEmail).get(f.roomPath("/documents/"+f.q88)), `name="outcome"`)

		at := env.Now().Add(-2 * time.Hour).UTC().Format("2006-01-02T15:04")
		res := charterer.upload(docPath+"/upload", []string{"performed_at", at, "provider", "Acme Risk"}, "s.pdf", apptest.PDF("screening"), hx...)
		expectStatus(t, "screening without an outcome", res, http.StatusUnprocessableEntity)
		expectContains(t, "screening without an outcome", res, `id="upload-outcome-error"`, `value="Acme Risk"`)

		res = charterer.upload(docPath+"/upload", []string{"performed_at", at, "outcome", "potential_match", "provider", "Acme Risk",
			"remark", "owner name close to a listed entity"}, "s.pdf", apptest.PDF("screening"))
		expectRedirect(t, "a potential match", res, docPath)
		expectContains(t, "the screening's page", charterer.get(docPath), `data-testid="screening-outcome"`, "potential match",
			"Acme Risk", "owner name close to a listed entity", "MT AEGEAN SERENITY (IMO 9372145)", "cannot be approved")
		room := signedIn(t, env, brokerEmail).get(f.roomPath(""))
		expectContains(t, "the room on hold", room, `data-status="on_hold"`, `data-testid="room-hold"`, "only the charterer may lift it")
		// The broker is not offered the lift; the charterer, who owns the hold, is, with a reason.
		expectMissing(t, "the broker's status choices", room, `<option value="clearing">`)
		expectContains(t, "the charterer's status choices", charterer.get(f.roomPath("/summary"), hx...),
			`<option value="clearing">clearing (give a reason)</option>`)
	})
}
