// Package apptest runs the whole application in-process for tests: a fresh database (on
// each engine the machine offers), a temporary data folder, the real HTTP handler behind an
// httptest server, and helpers to create users, sign in and call the API.
package apptest

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/app"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/config"
	"github.com/stshub/stshub/internal/secret"
	"github.com/stshub/stshub/internal/service"
	"github.com/stshub/stshub/internal/store/storetest"
)

// Password is the password of every user the helpers create.
const Password = "correct horse battery staple"

// FastPasswords is a cheap argon2id cost for tests.
var FastPasswords = secret.Params{MemoryKiB: 64, Time: 1, Threads: 1}

// Env is one running application.
type Env struct {
	T      testing.TB
	Engine string
	App    *app.App
	Server *httptest.Server
	Config config.Config
	admin  service.Actor
	offset atomic.Int64 // how far the app's clock runs ahead of the wall clock, in ns
	stopBg func()       // stops the job queue and housekeeping; nil while stopped
}

// ForEachEngine runs fn as a subtest on every engine the machine offers.
func ForEachEngine(t *testing.T, fn func(t *testing.T, env *Env)) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			fn(t, New(t, engine))
		})
	}
}

// ForEachEngineParallel is ForEachEngine with the engines' subtests run in parallel with
// each other and with the package's other parallel tests: for the long sweeps, whose
// PostgreSQL leg waits on the database much of the time.
func ForEachEngineParallel(t *testing.T, fn func(t *testing.T, env *Env)) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			fn(t, New(t, engine))
		})
	}
}

// New starts the application on a fresh database of engine.
func New(t testing.TB, engine string, adjust ...func(*config.Config)) *Env {
	t.Helper()
	cfg := config.Defaults()
	// The test server's address is the app's listen address, so that links the app puts in
	// e-mail (config.BaseURL) lead back to it.
	srv := httptest.NewUnstartedServer(nil)
	cfg.Addr = srv.Listener.Addr().String()
	t.Cleanup(srv.Close) // on a failed start too; closing twice is harmless
	cfg.DataDir = t.TempDir()
	opts := storetest.Options(t, engine, cfg.DataDir)
	cfg.DatabaseURL = opts.PostgresURL
	cfg.LogFormat = "json"
	for _, f := range adjust {
		f(&cfg)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	env := &Env{T: t, Engine: engine, Config: cfg}
	clock := func() time.Time { return time.Now().Add(time.Duration(env.offset.Load())) }
	a, err := app.New(context.Background(), cfg, log, app.WithPasswordParams(FastPasswords), app.WithClock(clock))
	if err != nil {
		t.Fatalf("start app on %s: %v", engine, err)
	}
	env.App = a
	env.StartBackground()
	srv.Config.Handler = a.Handler()
	srv.Start()
	t.Cleanup(func() {
		srv.Close()
		env.StopBackground()
		a.Close()
	})
	env.Server = srv
	if _, err := a.Service().EnsureAdmin(context.Background(), AdminEmail, Password, "Root Admin", service.ResetAdmin); err != nil {
		t.Fatal(err)
	}
	env.admin = env.actor(AdminEmail)
	return env
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// StopBackground stops the job queue and housekeeping, as a stopped server would: jobs
// queued meanwhile wait in the database.
func (e *Env) StopBackground() {
	if e.stopBg != nil {
		e.stopBg()
		e.stopBg = nil
	}
}

// StartBackground starts the job queue and housekeeping (again).
func (e *Env) StartBackground() {
	e.T.Helper()
	if e.stopBg != nil {
		return
	}
	stop, err := e.App.StartBackground(context.Background())
	if err != nil {
		e.T.Fatalf("start background work: %v", err)
	}
	e.stopBg = stop
}

// Advance moves the application's clock forward by d (sessions expire, documents lapse).
func (e *Env) Advance(d time.Duration) { e.offset.Add(int64(d)) }

// Now is the application's current time.
func (e *Env) Now() time.Time { return time.Now().Add(time.Duration(e.offset.Load())) }

// AdminEmail is the platform admin every Env starts with.
const AdminEmail = "root@stshub.test"

// actor returns the service actor of a user, by signing in through the service.
func (e *Env) actor(email string) service.Actor {
	e.T.Helper()
	l, err := e.App.Service().Login(context.Background(), email, Password)
	if err != nil {
		e.T.Fatalf("login %s: %v", email, err)
	}
	return service.Actor{UserID: l.User.ID, Email: l.User.Email, Name: l.User.Name, PlatformRole: l.User.Role}
}

// CreateUser creates a platform user with Password and returns its ID.
func (e *Env) CreateUser(email string) string {
	e.T.Helper()
	u, err := e.App.Service().CreateUser(context.Background(), e.admin, service.NewUser{Email: email, Name: strings.Split(email, "@")[0], Password: Password})
	if err != nil {
		e.T.Fatalf("create user %s: %v", email, err)
	}
	return u.ID
}

// Login signs email in over HTTP and returns its bearer token.
func (e *Env) Login(email string) string {
	e.T.Helper()
	res := e.Do(http.MethodPost, "/api/v1/auth/login", "", map[string]string{"email": email, "password": Password})
	if res.Status != http.StatusOK {
		e.T.Fatalf("login %s: %d %s", email, res.Status, res.Body)
	}
	var out struct {
		Token string `json:"token"`
	}
	res.JSON(&out)
	return out.Token
}

// Response is a finished HTTP exchange.
type Response struct {
	t      testing.TB
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into v, failing the test when it is not JSON.
func (r *Response) JSON(v any) {
	r.t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		r.t.Fatalf("response is not JSON (%v): %s", err, r.Body)
	}
}

// Map decodes the body as a JSON object.
func (r *Response) Map() map[string]any {
	r.t.Helper()
	var m map[string]any
	r.JSON(&m)
	return m
}

// Do sends a request with an optional bearer token and JSON body (a string or []byte body
// is sent as it is).
func (e *Env) Do(method, path, token string, body any) *Response {
	e.T.Helper()
	return e.DoWith(method, path, token, body, "application/json")
}

// DoWith is Do with an explicit content type.
func (e *Env) DoWith(method, path, token string, body any, contentType string) *Response {
	e.T.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			e.T.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, e.Server.URL+path, rd)
	if err != nil {
		e.T.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := e.Server.Client().Do(req)
	if err != nil {
		e.T.Fatal(err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		e.T.Fatal(err)
	}
	return &Response{t: e.T, Status: res.StatusCode, Header: res.Header, Body: data}
}

// Admin is the service actor of the platform admin every Env starts with.
func (e *Env) Admin() service.Actor { return e.admin }

// RawExec runs a statement on the database behind the app's back, through a connection of
// its own: the way a test plays an attacker with database access. ? placeholders are
// rewritten for PostgreSQL.
func (e *Env) RawExec(query string, args ...any) int64 {
	e.T.Helper()
	driver, dsn := "sqlite", "file:"+e.Config.SQLitePath()+"?_pragma=busy_timeout(10000)"
	if e.Config.DatabaseURL != "" {
		driver, dsn = "pgx", e.Config.DatabaseURL
		for i := 1; strings.Contains(query, "?"); i++ {
			query = strings.Replace(query, "?", fmt.Sprintf("$%d", i), 1)
		}
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		e.T.Fatal(err)
	}
	defer db.Close()
	res, err := db.Exec(query, args...)
	if err != nil {
		e.T.Fatalf("raw exec %q: %v", query, err)
	}
	n, _ := res.RowsAffected()
	return n
}

// Multipart encodes form fields, in the order given as name/value pairs, followed by a
// file part named "file".
func Multipart(fields []string, filename string, content []byte) (body []byte, contentType string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for i := 0; i+1 < len(fields); i += 2 {
		_ = mw.WriteField(fields[i], fields[i+1])
	}
	if filename != "" {
		fw, _ := mw.CreateFormFile("file", filename)
		_, _ = fw.Write(content)
	}
	_ = mw.Close()
	return buf.Bytes(), mw.FormDataContentType()
}

// Upload sends a document file with its form fields.
func (e *Env) Upload(roomID, token string, fields []string, filename string, content []byte) *Response {
	e.T.Helper()
	body, ct := Multipart(fields, filename, content)
	return e.DoWith(http.MethodPost, "/api/v1/rooms/"+roomID+"/documents", token, body, ct)
}

// ScreeningFields are the upload fields a screening of type code needs beyond its dates (a
// clear outcome and its provider), or none for any other type.
func ScreeningFields(code string) []string {
	if !clearance.IsScreening(code) {
		return nil
	}
	return []string{"outcome", string(clearance.OutcomeClear), "provider", "Test Screening Ltd"}
}

// PDF returns a small but real one-page PDF whose text is title.
func PDF(title string) []byte {
	content := "BT /F1 18 Tf 72 720 Td (" + title + ") Tj ET"
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}
