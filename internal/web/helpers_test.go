package web_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/service"
	"github.com/stshub/stshub/internal/web"
)

// browser is a signed-in (or anonymous) user of the web UI: a cookie jar, and requests
// that look like a browser's (Sec-Fetch-Site on posts). It does not follow redirects, so
// tests see the 303s.
type browser struct {
	t      *testing.T
	env    *apptest.Env
	client *http.Client
}

type page struct {
	Status int
	Header http.Header
	Body   string
}

func newBrowser(t *testing.T, env *apptest.Env) *browser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{t: t, env: env, client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// signedIn returns a browser signed in as email through the sign-in form.
func signedIn(t *testing.T, env *apptest.Env, email string) *browser {
	t.Helper()
	b := newBrowser(t, env)
	res := b.post("/login", url.Values{"email": {email}, "password": {apptest.Password}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("sign in %s: %d %s", email, res.Status, res.Body)
	}
	return b
}

func (b *browser) do(req *http.Request) page {
	b.t.Helper()
	res, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return page{Status: res.StatusCode, Header: res.Header, Body: string(body)}
}

func (b *browser) get(path string, headers ...string) page {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.env.Server.URL+path, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	setHeaders(req, headers)
	return b.do(req)
}

// post sends a form the way a browser does from one of our pages.
func (b *browser) post(path string, form url.Values, headers ...string) page {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.env.Server.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Origin", b.env.Server.URL)
	setHeaders(req, headers)
	return b.do(req)
}

// upload posts the document upload form: fields in order, then the file.
func (b *browser) upload(path string, fields []string, filename string, content []byte, headers ...string) page {
	b.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for i := 0; i+1 < len(fields); i += 2 {
		_ = mw.WriteField(fields[i], fields[i+1])
	}
	fw, _ := mw.CreateFormFile("file", filename)
	_, _ = fw.Write(content)
	_ = mw.Close()
	req, err := http.NewRequest(http.MethodPost, b.env.Server.URL+path, &buf)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	setHeaders(req, headers)
	return b.do(req)
}

func setHeaders(req *http.Request, kv []string) {
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			req.Header.Del(kv[i])
			continue
		}
		req.Header.Set(kv[i], kv[i+1])
	}
}

var hx = []string{"HX-Request", "true"}

// sessionToken is the browser's session cookie.
func (b *browser) sessionToken() string {
	u, _ := url.Parse(b.env.Server.URL)
	for _, c := range b.client.Jar.Cookies(u) {
		if c.Name == web.SessionCookie {
			return c.Value
		}
	}
	return ""
}

func expectStatus(t *testing.T, what string, p page, status int) {
	t.Helper()
	if p.Status != status {
		body := p.Body
		if len(body) > 3000 {
			body = body[:3000] + "…"
		}
		t.Fatalf("%s: status %d, want %d\n%s", what, p.Status, status, body)
	}
}

func expectContains(t *testing.T, what string, p page, fragments ...string) {
	t.Helper()
	for _, f := range fragments {
		if !strings.Contains(p.Body, f) {
			t.Errorf("%s: page does not contain %q", what, f)
		}
	}
}

func expectMissing(t *testing.T, what string, p page, fragments ...string) {
	t.Helper()
	for _, f := range fragments {
		if strings.Contains(p.Body, f) {
			t.Errorf("%s: page contains %q, which it must not", what, f)
		}
	}
}

func expectRedirect(t *testing.T, what string, p page, location string) {
	t.Helper()
	if p.Status != http.StatusSeeOther || p.Header.Get("Location") != location {
		t.Fatalf("%s: %d to %q, want 303 to %q\n%.2000s", what, p.Status, p.Header.Get("Location"), location, p.Body)
	}
}

// The people of the test room.
const (
	brokerEmail    = "broker@valletta.test"
	chartererEmail = "vetting@mediterra.test"
	ownerEmail     = "master@aegean.test"
	viewerEmail    = "observer@gard.test"
	outsiderEmail  = "nobody@elsewhere.test"
)

// fixture is a room made through the service: a broker (its creator), a charterer (reviews),
// an owner (uploads, bound to the vessel), a viewer, and an outsider who is no party; one vessel, whose Q88 the
// owner has uploaded (under review).
type fixture struct {
	env                                        *apptest.Env
	room, vessel, q88                          string
	ownerParty                                 string // the owner's party, bound to the vessel
	broker, charterer, owner, viewer, outsider service.Actor
}

func actorOf(t *testing.T, env *apptest.Env, email string) service.Actor {
	t.Helper()
	l, err := env.App.Service().Login(context.Background(), email, apptest.Password)
	if err != nil {
		t.Fatalf("login %s: %v", email, err)
	}
	return service.Actor{UserID: l.User.ID, Email: l.User.Email, Name: l.User.Name, PlatformRole: l.User.Role}
}

func newFixture(t *testing.T, env *apptest.Env) fixture {
	t.Helper()
	ctx := context.Background()
	svc := env.App.Service()
	for _, e := range []string{brokerEmail, chartererEmail, ownerEmail, viewerEmail, outsiderEmail} {
		env.CreateUser(e)
	}
	f := fixture{env: env, broker: actorOf(t, env, brokerEmail), charterer: actorOf(t, env, chartererEmail),
		owner: actorOf(t, env, ownerEmail), viewer: actorOf(t, env, viewerEmail), outsider: actorOf(t, env, outsiderEmail)}
	room, err := svc.CreateRoom(ctx, f.broker, service.NewRoom{RoomFields: clearance.RoomFields{Title: "Malta crude STS",
		Location: "Hurd's Bank, Malta", STSETA: env.Now().Add(10 * 24 * time.Hour)}})
	if err != nil {
		t.Fatal(err)
	}
	f.room = room.ID
	for email, role := range map[string]string{chartererEmail: "charterer", ownerEmail: "owner", viewerEmail: "viewer"} {
		p, err := svc.AddParty(ctx, f.broker, f.room, service.NewParty{Email: email, Role: role})
		if err != nil {
			t.Fatal(err)
		}
		if role == "owner" {
			f.ownerParty = p.ID
		}
	}
	// The owner acts for its ship only: the broker binds its party to the vessel it adds.
	v, err := svc.AddVessel(ctx, f.broker, f.room, clearance.VesselParticulars{Name: "MT AEGEAN SERENITY", IMO: "9372145",
		Role: clearance.VesselDischarging}, f.ownerParty)
	if err != nil {
		t.Fatal(err)
	}
	f.vessel = v.ID
	doc, err := svc.Upload(ctx, f.owner, f.room, service.UploadInput{TypeCode: "Q88", VesselID: f.vessel, Filename: "q88.pdf",
		File: bytes.NewReader(apptest.PDF("Q88"))})
	if err != nil {
		t.Fatal(err)
	}
	f.q88 = doc.ID
	return f
}

func (f fixture) roomPath(suffix string) string { return "/rooms/" + f.room + suffix }

// anchor is where a room's form sends the browser back to: anchor on the room page holding it.
func (f fixture) anchor(anchor string) string { return web.SectionHref(f.room, anchor) }

// page is the address of one of the room's pages (web.RoomPages).
func (f fixture) page(name string) string { return f.roomPath("?section=" + name) }

func (f fixture) docStatus(t *testing.T, docID string) string {
	t.Helper()
	d, err := f.env.App.Service().GetDocument(context.Background(), f.broker, f.room, docID)
	if err != nil {
		t.Fatal(err)
	}
	return string(d.EffectiveStatus)
}

// docID finds the document slot of a type (for the fixture's vessel, or the room's own).
func (f fixture) docID(t *testing.T, code string, perVessel bool) string {
	t.Helper()
	docs, err := f.env.App.Service().ListDocuments(context.Background(), f.broker, f.room)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		if d.TypeCode == code && (d.VesselID != nil) == perVessel {
			return d.ID
		}
	}
	t.Fatalf("no %s slot", code)
	return ""
}
