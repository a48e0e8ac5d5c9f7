package api_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apptest"
)

// BenchmarkDocumentsList measures the server's side of GET /rooms/{id}/documents, in
// process and without a network, on a room like the bench's: two vessels, every document
// the catalogue requires of them and of the room, three versions each. Run it with
// -bench DocumentsList -benchmem; cmd/stshub-bench measures the same list over loopback.
func BenchmarkDocumentsList(b *testing.B) {
	env := apptest.New(b, "sqlite")
	f := newDocFixture(b, env)
	second := addVessel(b, env, f.broker, f.room, "MT LEVANT PIONEER", "9176187", f.ownerParty)
	// Each document is uploaded by its type's supplier.
	uploader := map[string]string{"owner": f.owner, "charterer": f.charterer}
	for _, role := range []string{"seller", "sts_provider"} {
		email := role + "@bench.test"
		env.CreateUser(email)
		addParty(b, env, f.broker, f.room, email, role)
		uploader[role] = env.Login(email)
	}
	supplier := map[string]string{}
	for _, t := range must(b, env.Do("GET", "/api/v1/document-types", f.broker, nil), 200)["items"].([]any) {
		typ := t.(map[string]any)
		supplier[typ["code"].(string)] = typ["supplied_by"].(string)
	}
	docs := listDocs(b, env, f.broker, f.room)
	for _, d := range docs {
		typ := d["type"].(map[string]any)
		fields := []string{"type", typ["code"].(string)}
		if v, ok := d["vessel_id"].(string); ok {
			fields = append(fields, "vessel_id", v)
		}
		switch typ["expiry"] {
		case "expires":
			fields = append(fields, "expires_on", env.Now().AddDate(1, 0, 0).Format(time.DateOnly))
		case "point_in_time":
			fields = append(fields, "performed_at", env.Now().Add(-time.Hour).Format(time.RFC3339))
		}
		fields = append(fields, apptest.ScreeningFields(typ["code"].(string))...)
		for n := range 3 {
			by := uploader[supplier[typ["code"].(string)]]
			must(b, env.Upload(f.room, by, fields, "evidence.pdf", apptest.PDF(fmt.Sprint(fields, n))), 201)
		}
	}
	if got := len(listDocs(b, env, f.broker, f.room)); got < 40 {
		b.Fatalf("the room has %d documents for vessels %s and %s, want a full room", got, f.vessel, second)
	}
	h := env.App.Handler()
	req := httptest.NewRequest(http.MethodGet, "/api/v1/rooms/"+f.room+"/documents", nil)
	req.Header.Set("Authorization", "Bearer "+f.broker)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		w := &countingWriter{header: http.Header{}}
		h.ServeHTTP(w, req)
		if w.status != http.StatusOK || w.size < 40_000 {
			b.Fatalf("GET documents: %d, %d bytes", w.status, w.size)
		}
	}
}

// countingWriter is a ResponseWriter that only counts, so that the benchmark measures
// the server's allocations and not a recorder's growing buffer.
type countingWriter struct {
	header http.Header
	status int
	size   int
}

func (w *countingWriter) Header() http.Header { return w.header }

func (w *countingWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	w.size += len(p)
	return len(p), nil
}
