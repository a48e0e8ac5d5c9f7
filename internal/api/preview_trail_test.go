package api_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/store"
)

// getFile sends a GET with extra headers (Range, If-None-Match) and returns the status.
func getFile(env *apptest.Env, path, token string, headers map[string]string) (int, error) {
	req, err := http.NewRequest(http.MethodGet, env.Server.URL+path, nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	_, err = io.Copy(io.Discard, res.Body)
	return res.StatusCode, err
}

// trailOf is a room's entries of action, newest first.
func trailOf(t *testing.T, env *apptest.Env, roomID, action string) []audit.Entry {
	t.Helper()
	list, err := env.App.DB().Read().ListAudit(context.Background(), roomID, store.AuditFilter{Action: action, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// TestPreviewRecordedOncePerViewer: opening the document page again and again, a PDF
// viewer's Range requests and a revalidation write one document_previewed entry per person
// and version in an hour, and such a repeat takes no write transaction; an hour later, or
// for a new version, there is another. The download records every request, as before. A
// Range request that continues no recorded view is recorded: asking for the file from its
// second byte on does not read it unrecorded.
func TestPreviewRecordedOncePerViewer(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		m := newMatrixEnv(t, env)
		f := m.newRoom(t)
		path := "/api/v1/rooms/" + f.room + "/documents/" + f.document
		viewer, charterer := m.tokens["viewer"], m.tokens["charterer"]
		get := func(what, token, url string, headers map[string]string, want int) {
			t.Helper()
			status, err := getFile(env, url, token, headers)
			if err != nil || status != want {
				t.Fatalf("%s: %d %v, want %d", what, status, err, want)
			}
		}
		previews := func(want int, what string) []audit.Entry {
			t.Helper()
			list := trailOf(t, env, f.room, audit.ActionDocumentPreviewed)
			if len(list) != want {
				t.Fatalf("%s: %d document_previewed entries, want %d", what, len(list), want)
			}
			return list
		}
		downloadsBefore := len(trailOf(t, env, f.room, audit.ActionDocumentDownloaded))

		// The page opened, the viewer fetching ranges, the page opened again, revalidated.
		etag := ""
		{
			res := env.Do("GET", path+"/preview", viewer, nil)
			if res.Status != 200 {
				t.Fatalf("first preview: %d %s", res.Status, res.Body)
			}
			etag = res.Header.Get("ETag")
		}
		get("a range from the start", viewer, path+"/preview", map[string]string{"Range": "bytes=0-99"}, 206)
		get("the rest of the file", viewer, path+"/preview", map[string]string{"Range": "bytes=100-"}, 206)
		get("its last bytes", viewer, path+"/preview", map[string]string{"Range": "bytes=-50"}, 206)
		get("the page again", viewer, path+"/preview", nil, 200)
		get("a revalidation", viewer, path+"/preview", map[string]string{"If-None-Match": etag}, 304)
		list := previews(1, "seven requests of one view")
		var meta map[string]any
		if err := json.Unmarshal(list[0].Meta, &meta); err != nil {
			t.Fatal(err)
		}
		if list[0].ActorEmail != emailOf("viewer") || list[0].TargetID != f.document || meta["type"] != "Q88" || meta["version"] != 1.0 ||
			meta["vessel_id"] != f.vessel {
			t.Errorf("the entry: %s %s %s", list[0].ActorEmail, list[0].TargetID, list[0].Meta)
		}
		if got := len(trailOf(t, env, f.room, audit.ActionDocumentDownloaded)); got != downloadsBefore {
			t.Errorf("previews recorded %d document_downloaded entries, want none", got-downloadsBefore)
		}

		// A repeat within the hour writes nothing: it goes through while another
		// transaction holds the room (on SQLite: the only writer).
		err := env.App.DB().InTx(context.Background(), func(tx store.Q) error {
			if err := tx.LockRoom(context.Background(), f.room); err != nil {
				return err
			}
			done := make(chan error, 1)
			go func() {
				status, err := getFile(env, path+"/preview", viewer, map[string]string{"Range": "bytes=0-"})
				if err == nil && status != 206 {
					err = &statusError{status}
				}
				done <- err
			}()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("a repeat preview while the room is held: %v", err)
				}
			case <-time.After(5 * time.Second):
				t.Error("a repeat preview waited for a write transaction")
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}

		// Someone else's view is theirs.
		get("the charterer's view", charterer, path+"/preview", nil, 200)
		previews(2, "a second person's view")

		// Every download is recorded, ranges included.
		get("a download", viewer, path+"/download", nil, 200)
		get("a resumed download", viewer, path+"/download", map[string]string{"Range": "bytes=100-"}, 206)
		if got := len(trailOf(t, env, f.room, audit.ActionDocumentDownloaded)); got != downloadsBefore+2 {
			t.Errorf("two downloads recorded %d document_downloaded entries, want 2", got-downloadsBefore)
		}

		// Within the hour of the recorded view: nothing (the rule's exact boundary is
		// TestPreviewDue's); at the hour, a request for the rest of the file is a view of its
		// own (none recorded in the window).
		first := list[0].TS
		env.Advance(first.Add(59 * time.Minute).Sub(env.Now()))
		get("59 minutes later", viewer, path+"/preview", nil, 200)
		previews(2, "within the hour")
		env.Advance(first.Add(time.Hour).Sub(env.Now()))
		get("an hour later, from byte 1", viewer, path+"/preview", map[string]string{"Range": "bytes=1-"}, 206)
		previews(3, "an hour later")

		// A new version is another thing to have seen.
		if up := m.Upload(f.room, m.tokens["owner"], []string{"type", "Q88", "vessel_id", f.vessel}, "q88-v2.pdf", apptest.PDF("Q88 v2")); up.Status != 201 {
			t.Fatalf("upload v2: %d %s", up.Status, up.Body)
		}
		get("version 2", viewer, path+"/preview", nil, 200)
		if err := json.Unmarshal(previews(4, "a new version")[0].Meta, &meta); err != nil || meta["version"] != 2.0 {
			t.Errorf("the new version's entry: %v %v", meta, err)
		}
		get("version 2 again", viewer, path+"/preview", nil, 200)
		previews(4, "the new version again")
	})
}

type statusError struct{ status int }

func (e *statusError) Error() string { return http.StatusText(e.status) }
