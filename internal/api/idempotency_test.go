package api_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apptest"
)

// TestUploadIdempotencyKey: an upload whose answer is lost after it committed (a proxy
// answers 502 instead) is sent again with the same Idempotency-Key and is answered with the
// version it created, adding none; the key sent for another file or document is 422; the key
// is the user's own and good for 24 hours.
func TestUploadIdempotencyKey(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		f := newDocFixture(t, env)
		var lose atomic.Bool // the next answer is lost: the client gets a 502 instead
		proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if lose.Swap(false) {
				env.App.Handler().ServeHTTP(httptest.NewRecorder(), r)
				http.Error(w, "bad gateway", http.StatusBadGateway)
				return
			}
			env.App.Handler().ServeHTTP(w, r)
		}))
		defer proxy.Close()
		type answer struct {
			status   int
			replayed string
			doc      map[string]any
		}
		upload := func(token, key string, fields []string, content []byte) answer {
			t.Helper()
			body, ct := apptest.Multipart(fields, "q88.pdf", content)
			req, _ := http.NewRequest(http.MethodPost, proxy.URL+"/api/v1/rooms/"+f.room+"/documents", bytes.NewReader(body))
			req.Header.Set("Content-Type", ct)
			req.Header.Set("Authorization", "Bearer "+token)
			if key != "" {
				req.Header.Set("Idempotency-Key", key)
			}
			res, err := proxy.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			a := answer{status: res.StatusCode, replayed: res.Header.Get("Idempotent-Replayed")}
			_ = json.NewDecoder(res.Body).Decode(&a.doc)
			return a
		}
		q88 := []string{"type", "Q88", "vessel_id", f.vessel}
		pdf := apptest.PDF("Q88 AEGEAN SERENITY, revision 1")
		versions := func() []any {
			t.Helper()
			return docSlot(t, env, f.broker, f.room, "Q88", f.vessel)["versions"].([]any)
		}
		versionID := func(doc map[string]any) string { return doc["versions"].([]any)[0].(map[string]any)["id"].(string) }

		lose.Store(true)
		if a := upload(f.owner, "7f1c0e2a-q88-upload", q88, pdf); a.status != http.StatusBadGateway {
			t.Fatalf("the lost answer: %d", a.status)
		}
		if n := len(versions()); n != 1 {
			t.Fatalf("the upload whose answer was lost did not commit: %d versions", n)
		}
		committed := versions()[0].(map[string]any)["id"].(string)
		retry := upload(f.owner, "7f1c0e2a-q88-upload", q88, pdf)
		if retry.status != http.StatusCreated || retry.replayed != "true" || versionID(retry.doc) != committed {
			t.Fatalf("the retry with the same key: %d replayed=%q %v; want 201 with version %s", retry.status, retry.replayed, retry.doc, committed)
		}
		if n := len(versions()); n != 1 {
			t.Fatalf("the retry added a version: %d versions", n)
		}

		// The same key for another upload is refused, in words, and keeps nothing.
		for name, a := range map[string]answer{
			"another file":     upload(f.owner, "7f1c0e2a-q88-upload", q88, apptest.PDF("Q88 AEGEAN SERENITY, revision 2")),
			"another document": upload(f.owner, "7f1c0e2a-q88-upload", []string{"type", "CREW", "vessel_id", f.vessel}, pdf),
		} {
			if a.status != http.StatusUnprocessableEntity || !strings.Contains(a.doc["errors"].([]any)[0].(map[string]any)["field"].(string), "Idempotency-Key") ||
				!strings.Contains(a.doc["errors"].([]any)[0].(map[string]any)["message"].(string), "different upload") {
				t.Errorf("the same key for %s: %d %v; want 422 naming Idempotency-Key", name, a.status, a.doc)
			}
		}
		if n := len(versions()); n != 1 {
			t.Fatalf("a refused key added a version: %d versions", n)
		}

		// A key too long, or with spaces, is refused before a byte is stored.
		for _, key := range []string{strings.Repeat("k", 256), "two words"} {
			if a := upload(f.owner, key, q88, pdf); a.status != http.StatusUnprocessableEntity {
				t.Errorf("key %.20q: %d, want 422", key, a.status)
			}
		}
		// Past its window the key makes a new upload.
		env.Advance(25 * time.Hour)
		f.owner, f.broker = env.Login(ownerEmail), env.Login(brokerEmail) // their sessions ended meanwhile
		if a := upload(f.owner, "7f1c0e2a-q88-upload", q88, pdf); a.status != http.StatusCreated || a.replayed != "" || versionID(a.doc) == committed {
			t.Fatalf("the key after 25 hours: %d replayed=%q", a.status, a.replayed)
		}
		if spec := env.Do(http.MethodGet, "/api/v1/openapi.json", "", nil); !strings.Contains(string(spec.Body), `"name":"Idempotency-Key"`) {
			t.Error("the OpenAPI description does not name the upload's Idempotency-Key header")
		}
		if n := len(versions()); n != 2 {
			t.Fatalf("%d versions, want 2", n)
		}
	})
}
