package web

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/httpx"
	"github.com/stshub/stshub/internal/service"
)

//go:embed templates/*.html
var templateFS embed.FS

// templates holds one template set per page, each made of the shared layout, partials and
// sections plus the page's own file, and the shared set alone for rendering fragments.
type templates struct {
	shared *template.Template
	pages  map[string]*template.Template
}

// sharedFiles are parsed into every page's set: the layout, the small partials (chips,
// form helpers) and the room sections that htmx re-fetches on their own.
var sharedFiles = []string{"templates/layout.html", "templates/partials.html", "templates/sections.html", "templates/questions.html"}

// parseTemplates parses every template at start-up, so that a broken one fails web.New
// rather than a user's request.
func parseTemplates(funcs template.FuncMap) (*templates, error) {
	shared, err := template.New("shared").Funcs(funcs).ParseFS(templateFS, sharedFiles...)
	if err != nil {
		return nil, fmt.Errorf("web: parse shared templates: %w", err)
	}
	names, err := fs.Glob(templateFS, "templates/page_*.html")
	if err != nil {
		return nil, err
	}
	t := &templates{pages: map[string]*template.Template{}}
	for _, file := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(file, "templates/page_"), ".html")
		set, err := shared.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := set.ParseFS(templateFS, file); err != nil {
			return nil, fmt.Errorf("web: parse %s: %w", file, err)
		}
		if set.Lookup("content") == nil {
			return nil, fmt.Errorf("web: %s defines no \"content\" template", file)
		}
		t.pages[name] = set
	}
	t.shared = shared
	return t, nil
}

// page is what every template receives: the page's own data in Data, and what the layout
// needs around it.
type page struct {
	Title  string
	Actor  *service.Actor // nil when nobody is signed in
	Flash  *flash
	Form   *formState // the form shown again with its errors, or an empty one
	Nav    string     // the active item of the top navigation
	RoomID string     // set on room pages: the layout opens the live event stream
	// LiveSince is the room's change position the page was rendered at (RoomChangeSeq), as
	// text; the stream sends a catch-up only when the room has changed since. "": unknown,
	// the page re-fetches its sections on connecting.
	LiveSince string
	Unread    int // the signed-in user's unread notifications (the header's bell)
	Data      any
}

// flash is a one-line message shown once, after a redirect or in a toast.
type flash struct {
	Kind    string `json:"kind"` // "ok" or "error"
	Message string `json:"message"`
}

// formState is a submitted form shown again: its values, and why it was refused.
type formState struct {
	Name   string            // which form these belong to
	Anchor string            // the id of the form on its page, for the error summary's link
	Values url.Values        // what the user sent
	Errors map[string]string // field name → message
	Error  string            // a message about the whole form
}

var emptyForm = &formState{}

// For returns the state when it belongs to the form called name, else an empty state.
func (f *formState) For(name string) *formState {
	if f != nil && f.Name == name {
		return f
	}
	return emptyForm
}

// Value is what the user typed into field ("" on a fresh form).
func (f *formState) Value(field string) string {
	if f == nil || f.Values == nil {
		return ""
	}
	return f.Values.Get(field)
}

// Or is Value, or def on a fresh form.
func (f *formState) Or(field, def string) string {
	if f == nil || f.Name == "" {
		return def
	}
	return f.Values.Get(field)
}

// Checked tells whether a checkbox was ticked, or def on a fresh form.
func (f *formState) Checked(field string, def bool) bool {
	if f == nil || f.Name == "" {
		return def
	}
	return f.Values.Has(field)
}

// Err is the message for field, or "".
// Has reports whether value is among field's values (a group of checkboxes), or def when
// no form was sent.
func (f *formState) Has(field, value string, def bool) bool {
	if f == nil || f.Name == "" {
		return def
	}
	return slices.Contains(f.Values[field], value)
}

func (f *formState) Err(field string) string {
	if f == nil {
		return ""
	}
	return f.Errors[field]
}

// Failed reports whether the form was refused (it has a message of any kind).
func (f *formState) Failed() bool {
	return f != nil && f.Name != "" && (f.Error != "" || len(f.Errors) > 0)
}

// Leftover lists the field errors of fields the form does not show next to a field
// (known lists fields it does), so that no message is lost.
func (f *formState) Leftover(known []string) []string {
	if f == nil {
		return nil
	}
	var out []string
	for field, msg := range f.Errors {
		shown := false
		for _, k := range known {
			if k == field {
				shown = true
				break
			}
		}
		if !shown {
			out = append(out, strings.ReplaceAll(field, "_", " ")+" "+msg)
		}
	}
	slices.Sort(out)
	return out
}

// isHTMX reports whether htmx (or the upload script) sent the request and wants a fragment.
func isHTMX(r *http.Request) bool {
	return r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-History-Restore-Request") != "true"
}

// renderPage writes a whole page.
func (h *handler) renderPage(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	set, ok := h.tmpl.pages[name]
	if !ok {
		h.internalError(w, r, fmt.Errorf("web: no page template %q", name))
		return
	}
	h.fillPage(w, r, p)
	h.countUnread(r, p)
	h.execute(w, r, status, set, "layout", p)
}

// renderFragment writes one named template of the shared set (a room section, a form).
func (h *handler) renderFragment(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	h.fillPage(w, r, p)
	h.execute(w, r, status, h.tmpl.shared, name, p)
}

func (h *handler) fillPage(w http.ResponseWriter, r *http.Request, p *page) {
	if p.Actor == nil {
		if a, ok := actorFrom(r.Context()); ok {
			p.Actor = &a
		}
	}
	if p.Form == nil {
		p.Form = emptyForm
	}
	if p.Flash == nil && !isHTMX(r) {
		p.Flash = takeFlash(w, r)
	}
}

// execute renders into a buffer first, so that a template error becomes a clean 500 page
// instead of half a page.
func (h *handler) execute(w http.ResponseWriter, r *http.Request, status int, set *template.Template, name string, data any) {
	var buf bytes.Buffer
	if err := set.ExecuteTemplate(&buf, name, data); err != nil {
		h.internalError(w, r, fmt.Errorf("web: render %s: %w", name, err))
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Cache-Control", "no-store")
	hd.Set("Vary", "HX-Request")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// internalError logs err once (with the request ID) and shows a page that names only that ID.
func (h *handler) internalError(w http.ResponseWriter, r *http.Request, err error) {
	p := httpx.FromError(r.Context(), h.log, err)
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	// Plain, template-free, in case the templates are what failed.
	_, _ = fmt.Fprintf(w, "<!doctype html><html lang=en><meta charset=utf-8><title>Something went wrong</title>"+
		"<link rel=stylesheet href=%q><main class=narrow><h1>Something went wrong</h1><p>%s</p><p><a href=\"/\">Back to my rooms</a></p></main>",
		h.staticURL("app.css"), template.HTMLEscapeString(p.Detail))
}

// errorInfo is what the error page shows.
type errorInfo struct {
	Status  int
	Heading string
	Message string
	Back    string // a link back to where the user came from
}

// friendly turns a mapped error into words for people. Not-found never says whether the
// thing exists: a room the caller is not a party of looks exactly like no room at all.
func friendly(p *httpx.Problem) (heading, message string) {
	switch p.Status {
	case http.StatusNotFound:
		return "Not found", "This page does not exist, or you do not have access to it. If someone shared a link with you, ask them to add you to the room."
	case http.StatusForbidden:
		// "a viewer may not review_document": the action's name, in words.
		return "Not allowed", sentence(strings.ReplaceAll(p.Detail, "_", " "))
	case http.StatusConflict:
		return "That cannot be done right now", sentence(p.Detail)
	case http.StatusUnprocessableEntity:
		return "Please check the form", sentence(p.Detail)
	case http.StatusRequestEntityTooLarge:
		return "File too large", sentence(p.Detail)
	case http.StatusUnsupportedMediaType:
		return "File type not accepted", sentence(p.Detail)
	case http.StatusTooManyRequests:
		return "Too many attempts", "Too many attempts in a short time. Wait a minute and try again."
	case http.StatusBadRequest:
		return "The request could not be read", sentence(p.Detail)
	}
	return "Something went wrong", sentence(p.Detail)
}

// sentence capitalises a service message and ends it with a full stop.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// renderError shows err as a whole page with the status it maps to (401 goes to sign-in).
func (h *handler) renderError(w http.ResponseWriter, r *http.Request, err error, back string) {
	if errors.Is(err, apperr.ErrUnauthenticated) {
		h.toLogin(w, r)
		return
	}
	p := httpx.FromError(r.Context(), h.log, httpx.TooLarge(err))
	if p.Status == httpx.StatusClientClosedRequest {
		return // the client went away
	}
	heading, msg := friendly(p)
	if isHTMX(r) {
		// A fragment request has nowhere to show a page: say it in a toast.
		setTrigger(w, map[string]any{"stshub:flash": flash{Kind: "error", Message: heading + ": " + msg}})
		w.Header().Set("HX-Reswap", "none")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(p.Status)
		return
	}
	h.renderPage(w, r, p.Status, "error", &page{Title: heading,
		Data: errorInfo{Status: p.Status, Heading: heading, Message: msg, Back: back}})
}

// setTrigger sets the HX-Trigger header: htmx fires each key as an event, with its value.
// The JSON is pure ASCII: browsers read header bytes as Latin-1, so a message quoting a
// title with "—" or curly quotes would reach the toast garbled ("â€”").
func setTrigger(w http.ResponseWriter, events map[string]any) {
	b, err := json.Marshal(events)
	if err == nil {
		w.Header().Set("HX-Trigger", asciiJSON(b))
	}
}

// asciiJSON rewrites every non-ASCII character of JSON text as a \u escape (a pair of them
// beyond the Basic Multilingual Plane), which JSON.parse reads back as the character.
func asciiJSON(b []byte) string {
	var out strings.Builder
	for _, r := range string(b) {
		switch {
		case r < utf8.RuneSelf:
			out.WriteRune(r)
		case r > 0xFFFF:
			hi, lo := utf16.EncodeRune(r)
			fmt.Fprintf(&out, `\u%04x\u%04x`, hi, lo)
		default:
			fmt.Fprintf(&out, `\u%04x`, r)
		}
	}
	return out.String()
}
