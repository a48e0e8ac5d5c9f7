package web_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/service"
)

// TestStaleSignOffPanel: a sign-off given on the Q88's v1 shows, once v2 replaces it, as
// stale (its own chip, not the approval's), with what changed and what it covered.
func TestStaleSignOffPanel(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		ctx := context.Background()
		f := newFixture(t, env)
		svc := env.App.Service()
		if _, err := svc.RecordSignOff(ctx, f.charterer, f.room, service.SignOffApproved, "Q88 read"); err != nil {
			t.Fatal(err)
		}
		b := signedIn(t, env, chartererEmail)
		p := b.get(f.roomPath("/signoffs"), hx...)
		expectStatus(t, "sign-offs", p, http.StatusOK)
		expectContains(t, "a current sign-off", p, `data-status="approved"`, `data-testid="signoff-coverage"`,
			"Q88 tanker questionnaire — MT AEGEAN SERENITY: v1 <code", "Audit trail at #")
		expectMissing(t, "a current sign-off", p, `data-status="stale"`, "What changed")

		if _, err := svc.Upload(ctx, f.owner, f.room, service.UploadInput{TypeCode: "Q88", VesselID: f.vessel, Filename: "q88.pdf",
			File: bytes.NewReader(apptest.PDF("Q88 v2"))}); err != nil {
			t.Fatal(err)
		}
		p = b.get(f.roomPath("/signoffs"), hx...)
		expectContains(t, "a stale sign-off", p, `data-status="stale"`, "stale: sign again", `data-testid="signoff-changes"`,
			"What changed", "Q88 tanker questionnaire of MT AEGEAN SERENITY: v1 replaced by v2", `data-testid="signoff-stale-note"`,
			"Still to approve:</strong> ")
		// The pending parties come in the order they were added (the fixture adds them in a
		// map's order): the charterer is among them, not necessarily first.
		_, pending, _ := strings.Cut(p.Body, "Still to approve:</strong> ")
		if pending, _, _ = strings.Cut(pending, "</p>"); !strings.Contains(pending, chartererEmail) {
			t.Errorf("the charterer, whose sign-off is stale, is not among those still to approve: %q", pending)
		}
		expectMissing(t, "a stale sign-off", p, `data-status="approved"`)
	})
}
