package web_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/httpx"
	"github.com/stshub/stshub/internal/service"
)

// TestTasksFiltersAndPreview: the cockpit and the room's overview list the caller's tasks
// (the charterer reviews the owner's Q88; the viewer has none, and is told so); the
// documents page filters by its address, says so when nothing matches, and names a filter
// the address invents; the Q88's page previews the PDF through the preview route (inline,
// under the PDF's policy, 404 to a non-party), and a version that is no PDF or image says
// it is a download.
func TestTasksFiltersAndPreview(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		f := newFixture(t, env)
		charterer, viewer := signedIn(t, env, chartererEmail), signedIn(t, env, viewerEmail)

		expectContains(t, "charterer's cockpit", charterer.get("/"), `data-testid="cockpit-tasks"`, `data-kind="review_document"`,
			"Review Q88", `href="/rooms/`+f.room+`/documents/`+f.q88+`"`)
		expectContains(t, "charterer's room", charterer.get(f.roomPath("")), `data-testid="room-tasks"`, `data-kind="review_document"`)
		expectContains(t, "viewer's cockpit", viewer.get("/"), "Nothing is waiting for you in any of your rooms")
		expectContains(t, "viewer's room", viewer.get(f.roomPath("")), "Nothing is waiting for you in this room")

		mine := charterer.get(f.page("documents") + "&needs_me=true&status=under_review")
		if n := strings.Count(mine.Body, `data-testid="doc-row"`); n != 1 || !strings.Contains(mine.Body, `data-doc-type="Q88"`) {
			t.Errorf("needs me, under review: %d rows", n)
		}
		expectContains(t, "the filter keeps itself on refresh", mine, `hx-get="/rooms/`+f.room+`/documents?needs_me=true&amp;status=under_review"`)
		expectContains(t, "no match", charterer.get(f.page("documents")+"&q=no-such-paper"), `data-testid="no-match"`, "No document matches these filters")
		invented := charterer.get(f.page("documents") + "&status=lost")
		expectStatus(t, "an invented filter", invented, http.StatusOK)
		expectContains(t, "an invented filter", invented, `data-testid="filter-problem"`, "status: must be one of")

		docPage := charterer.get(f.roomPath("/documents/" + f.q88))
		expectContains(t, "document page", docPage, `data-testid="preview-frame"`, "Preview of version 1")
		doc, err := env.App.Service().GetDocument(context.Background(), f.charterer, f.room, f.q88)
		if err != nil {
			t.Fatal(err)
		}
		preview := f.roomPath("/documents/" + f.q88 + "/versions/" + doc.Versions[0].ID + "/preview")
		res := charterer.get(preview)
		if res.Status != http.StatusOK || !strings.HasPrefix(res.Body, "%PDF-") || res.Header.Get("Content-Disposition") != "inline" ||
			res.Header.Get("X-Content-Type-Options") != "nosniff" || res.Header.Get("Content-Security-Policy") != httpx.PDFPreviewPolicy {
			t.Errorf("preview: %d %v", res.Status, res.Header)
		}
		expectStatus(t, "outsider's preview", signedIn(t, env, outsiderEmail).get(preview), http.StatusNotFound)

		text, err := env.App.Service().Upload(context.Background(), f.owner, f.room, service.UploadInput{TypeCode: "Q88", VesselID: f.vessel,
			Filename: "q88.txt", File: bytes.NewReader([]byte("Q88 particulars, plain text\n"))})
		if err != nil {
			t.Fatal(err)
		}
		expectContains(t, "a text version", charterer.get(f.roomPath("/documents/"+f.q88)), `data-testid="no-preview"`, "cannot be shown in the browser")
		expectStatus(t, "preview of a text version", charterer.get(f.roomPath("/documents/"+f.q88+"/versions/"+text.Versions[0].ID+"/preview")),
			http.StatusConflict)
	})
}
