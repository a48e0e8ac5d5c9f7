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
	"github.com/stshub/stshub/internal/web"
)

// TestViewerSeesNoActionsAndIsRefused: what a role may not do is neither offered nor done.
func TestViewerSeesNoActionsAndIsRefused(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		f := newFixture(t, env)
		viewer := signedIn(t, env, viewerEmail)
		charterer := signedIn(t, env, chartererEmail)

		room := viewer.get(f.roomPath(""))
		expectStatus(t, "viewer's room page", room, http.StatusOK)
		expectContains(t, "viewer's room page", room, "your role: viewer")
		expectContains(t, "viewer's documents", viewer.get(f.page("documents")), `data-status="under_review"`, `data-testid="download-link"`)
		for _, name := range web.RoomPages() {
			room := viewer.get(f.page(name))
			expectMissing(t, "viewer's room page "+name, room, `data-testid="approve-button"`, `data-testid="upload-form"`, `data-testid="remove-party"`,
				`data-testid="remove-vessel"`, `data-testid="add-party-form"`, `data-testid="status-form"`, `data-testid="snapshot-form"`,
				`data-testid="signoff-form"`, `data-testid="notice-form"`, `data-testid="add-vessel-link"`, "/approve", "Upload / review", "Edit details")
		}
		doc := viewer.get(f.roomPath("/documents/" + f.q88))
		expectStatus(t, "viewer's document page", doc, http.StatusOK)
		expectMissing(t, "viewer's document page", doc, `data-testid="approve-button"`, `data-testid="upload-form"`, `data-testid="reject-form"`)

		// The charterer reviews: the buttons are there. The owner supplies the Q88, so the
		// charterer is offered no upload of it (clearance.MaySupply); the bound owner is.
		expectContains(t, "charterer's room page", charterer.get(f.page("documents")), `data-testid="approve-button"`)
		chDoc := charterer.get(f.roomPath("/documents/" + f.q88))
		expectContains(t, "charterer's document page", chDoc, `data-testid="approve-button"`, `data-testid="reject-form"`)
		expectMissing(t, "charterer's document page", chDoc, `data-testid="upload-form"`)
		expectContains(t, "owner's document page", signedIn(t, env, ownerEmail).get(f.roomPath("/documents/"+f.q88)),
			`data-testid="upload-form"`)

		// The viewer posts the approve form anyway: refused, and nothing changes.
		res := viewer.post(f.roomPath("/documents/"+f.q88+"/approve"), url.Values{"from": {"room"}})
		expectStatus(t, "viewer approves", res, http.StatusForbidden)
		expectContains(t, "viewer approves", res, "Not allowed")
		res = viewer.post(f.roomPath("/documents/"+f.q88+"/approve"), nil, hx...)
		expectStatus(t, "viewer approves (htmx)", res, http.StatusForbidden)
		if got := f.docStatus(t, f.q88); got != "under_review" {
			t.Fatalf("after the viewer's approval the document is %s", got)
		}
		expectStatus(t, "viewer uploads", viewer.upload(f.roomPath("/documents/"+f.q88+"/upload"), nil, "x.pdf", apptest.PDF("x")), http.StatusForbidden)
		expectStatus(t, "viewer adds a party", viewer.post(f.roomPath("/parties"), url.Values{"email": {"a@b.test"}, "role": {"viewer"}}), http.StatusForbidden)

		// The charterer's approval works.
		expectRedirect(t, "charterer approves", charterer.post(f.roomPath("/documents/"+f.q88+"/approve"), url.Values{"from": {"room"}}),
			f.anchor("documents"))
		if got := f.docStatus(t, f.q88); got != "approved" {
			t.Fatalf("after approval the document is %s", got)
		}
		// Approving twice is a conflict, said in the page.
		again := charterer.post(f.roomPath("/documents/"+f.q88+"/approve"), nil)
		expectStatus(t, "approve twice", again, http.StatusConflict)
		expectContains(t, "approve twice", again, "cannot be approved")
	})
}

func TestReviewUploadAndDownload(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		f := newFixture(t, env)
		owner := signedIn(t, env, ownerEmail)
		charterer := signedIn(t, env, chartererEmail)
		docPath := f.roomPath("/documents/" + f.q88)

		// Reject needs a reason.
		noReason := charterer.post(docPath+"/reject", url.Values{"reason": {"  "}}, hx...)
		expectStatus(t, "reject without reason", noReason, http.StatusUnprocessableEntity)
		expectContains(t, "reject without reason", noReason, `id="reject-reason-error"`)
		expectRedirect(t, "reject", charterer.post(docPath+"/reject", url.Values{"reason": {"Page 3 is missing <b>"}}), docPath)
		page := owner.get(docPath)
		expectContains(t, "rejected document", page, `data-status="rejected"`, "Page 3 is missing &lt;b&gt;", `data-testid="upload-form"`,
			`enctype="multipart/form-data"`, `data-testid="upload-progress"`)

		// A new version, without JS: redirect back with a message.
		content := apptest.PDF("Q88 v2")
		res := owner.upload(docPath+"/upload", []string{"notes", "second issue"}, "Q88 v2 «final».pdf", content)
		expectRedirect(t, "upload", res, docPath)
		page = owner.get(docPath)
		expectContains(t, "after upload", page, "Version 2 of Q88 of MT AEGEAN SERENITY uploaded", `data-status="under_review"`,
			"Q88 v2 «final».pdf", "second issue", `data-testid="version-row"`)
		if n := strings.Count(page.Body, `data-testid="version-row"`); n != 2 {
			t.Fatalf("%d versions shown, want 2", n)
		}

		// With the upload script (XMLHttpRequest, HX-Request): 204 and the message in HX-Trigger.
		res = owner.upload(docPath+"/upload", nil, "v3.pdf", apptest.PDF("Q88 v3"), hx...)
		expectStatus(t, "upload (script)", res, http.StatusNoContent)
		if !strings.Contains(res.Header.Get("HX-Trigger"), "Version 3") {
			t.Fatalf("HX-Trigger %q", res.Header.Get("HX-Trigger"))
		}

		// A type with an expiry date needs it; the refusal is the document's section.
		class := f.docID(t, "CLASS", true)
		res = owner.upload(f.roomPath("/documents/"+class+"/upload"), []string{"notes", "kept"}, "class.pdf", apptest.PDF("Class"), hx...)
		expectStatus(t, "upload without expiry", res, http.StatusUnprocessableEntity)
		expectContains(t, "upload without expiry", res, `id="upload-expires-error"`, "is required", `value="kept"`)
		res = owner.upload(f.roomPath("/documents/"+class+"/upload"), []string{"expires_on", env.Now().AddDate(1, 0, 0).Format(time.DateOnly)},
			"class.pdf", apptest.PDF("Class"))
		expectRedirect(t, "upload with expiry", res, f.roomPath("/documents/"+class))
		// Point-in-time evidence takes a UTC date and time.
		sire := f.docID(t, "SIRE", true)
		at := env.Now().Add(-48 * time.Hour).UTC().Format("2006-01-02T15:04")
		res = owner.upload(f.roomPath("/documents/"+sire+"/upload"), []string{"performed_at", at}, "sire.pdf", apptest.PDF("SIRE"))
		expectRedirect(t, "upload evidence", res, f.roomPath("/documents/"+sire))
		// A file type that is not accepted.
		res = owner.upload(docPath+"/upload", nil, "tool.exe", append([]byte("MZ\x90\x00"), bytes.Repeat([]byte{0}, 600)...))
		expectStatus(t, "upload an executable", res, http.StatusUnsupportedMediaType)
		expectContains(t, "upload an executable", res, "File type not accepted")

		// Downloads: an attachment, never sniffed, for parties only.
		d, err := env.App.Service().GetDocument(context.Background(), f.broker, f.room, f.q88)
		if err != nil {
			t.Fatal(err)
		}
		v2 := d.Versions[1] // newest first: v3, v2, v1
		dl := owner.get(docPath + "/versions/" + v2.ID + "/download")
		expectStatus(t, "download", dl, http.StatusOK)
		if dl.Body != string(content) {
			t.Fatal("the download is not the uploaded file")
		}
		if cd := dl.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, "filename") {
			t.Errorf("Content-Disposition %q", cd)
		}
		if dl.Header.Get("X-Content-Type-Options") != "nosniff" || dl.Header.Get("Content-Type") != "application/pdf" {
			t.Errorf("download headers %v", dl.Header)
		}
		viewer := signedIn(t, env, viewerEmail)
		expectStatus(t, "viewer downloads", viewer.get(docPath+"/versions/"+v2.ID+"/download"), http.StatusOK)
		outsider := signedIn(t, env, outsiderEmail)
		res = outsider.get(docPath + "/versions/" + v2.ID + "/download")
		expectStatus(t, "outsider downloads", res, http.StatusNotFound)
		if strings.Contains(res.Body, "%PDF") || strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") {
			t.Fatal("the outsider got the file")
		}
		expectRedirect(t, "anonymous download", newBrowser(t, env).get(docPath+"/versions/"+v2.ID+"/download"),
			"/login?next="+url.QueryEscape(docPath+"/versions/"+v2.ID+"/download"))
	})
}

func TestSnapshots(t *testing.T) {
	env := apptest.New(t, "sqlite")
	f := newFixture(t, env)
	broker := signedIn(t, env, brokerEmail)
	bad := broker.post(f.roomPath("/snapshots"), url.Values{"snapshot_type": {"docx"}}, hx...)
	expectStatus(t, "bad snapshot", bad, http.StatusUnprocessableEntity)
	expectContains(t, "bad snapshot", bad, `id="snapshot-form"`, "must be pdf, json or csv")
	res := broker.post(f.roomPath("/snapshots"), url.Values{"snapshot_type": {"json"}, "title": {"Before fixture"}, "include_documents": {"on"}})
	expectRedirect(t, "create snapshot", res, f.anchor("snapshots"))

	var snap string
	deadline := time.Now().Add(20 * time.Second)
	for {
		snaps, _, err := env.App.Service().ListSnapshots(context.Background(), f.broker, f.room, service.PageRequest{})
		if err != nil || len(snaps) != 1 {
			t.Fatalf("snapshots: %v %d", err, len(snaps))
		}
		snap = snaps[0].ID
		if snaps[0].Status == service.SnapshotCompleted {
			if snaps[0].IncludeApprovals || snaps[0].IncludeActivity || !snaps[0].IncludeDocuments {
				t.Fatalf("sections %+v: unticked boxes must leave sections out", snaps[0])
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the snapshot did not complete")
		}
		time.Sleep(100 * time.Millisecond)
	}
	list := broker.get(f.roomPath("/snapshots"), hx...)
	expectContains(t, "snapshot list", list, "Before fixture", `data-snapshot-status="completed"`, `data-testid="snapshot-download"`)
	dl := broker.get(f.roomPath("/snapshots/" + snap + "/download"))
	expectStatus(t, "snapshot download", dl, http.StatusOK)
	if !strings.HasPrefix(dl.Header.Get("Content-Disposition"), "attachment;") || dl.Header.Get("X-Content-Type-Options") != "nosniff" ||
		!strings.HasPrefix(dl.Body, "{") {
		t.Fatalf("snapshot download: %v %.100s", dl.Header, dl.Body)
	}
	expectStatus(t, "outsider snapshot download", signedIn(t, env, outsiderEmail).get(f.roomPath("/snapshots/"+snap+"/download")), http.StatusNotFound)
	expectRedirect(t, "delete snapshot", broker.post(f.roomPath("/snapshots/"+snap+"/delete"), nil), f.anchor("snapshots"))
	expectContains(t, "after delete", broker.get(f.roomPath("/snapshots"), hx...), "No snapshots yet")
}
