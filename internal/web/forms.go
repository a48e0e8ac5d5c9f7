package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/httpx"
)

// Every form of the UI works the same way, with or without JavaScript:
//
//   - success: without JS, a redirect (303) to the page the form belongs to, with a flash
//     message; with htmx, 204 and an HX-Trigger that shows the message and tells the page's
//     sections to re-fetch themselves ("room-changed").
//   - refusal (422, 403, 409, 413, 415, 400): the form is shown again with the user's values,
//     each field's message next to the field and the reason at the top. Without JS that is
//     the whole page it lives on, with the refusal's status; with htmx it is the form's (or
//     its section's) fragment, which htmx swaps in place.
//   - not found, not signed in, and unexpected errors: the error page (a toast with htmx),
//     or the sign-in page.

// formSpec says where a form lives, for showing it again.
type formSpec struct {
	name     string // the formState name the templates look for
	anchor   string // the id of the form (or section) on its page
	fragment string // the template htmx swaps in on refusal ("" for forms htmx does not send)
	// host loads the page the form lives on, with the refused form's state in it.
	host func(f *formState) (name string, p *page, err error)
}

// refuse shows a form again after the service refused it (see the comment above).
func (h *handler) refuse(w http.ResponseWriter, r *http.Request, spec formSpec, err error) {
	if errors.Is(err, apperr.ErrUnauthenticated) {
		h.toLogin(w, r)
		return
	}
	p := httpx.FromError(r.Context(), h.log, httpx.TooLarge(err))
	switch p.Status {
	case http.StatusUnprocessableEntity, http.StatusForbidden, http.StatusConflict, http.StatusBadRequest,
		http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType:
	default:
		h.renderError(w, r, err, "")
		return
	}
	f := &formState{Name: spec.name, Anchor: spec.anchor, Values: formValues(r), Errors: map[string]string{}}
	for _, fe := range p.Errors {
		if _, dup := f.Errors[fe.Field]; !dup {
			f.Errors[fe.Field] = fe.Message
		}
	}
	if p.Status != http.StatusUnprocessableEntity || len(f.Errors) == 0 {
		heading, msg := friendly(p)
		f.Error = heading + ": " + msg
	}
	name, pg, herr := spec.host(f)
	if herr != nil {
		h.renderError(w, r, herr, "")
		return
	}
	pg.Form = f
	if isHTMX(r) && spec.fragment != "" {
		h.renderFragment(w, r, p.Status, spec.fragment, pg)
		return
	}
	h.renderPage(w, r, p.Status, name, pg)
}

// formValues are the submitted values to show again; passwords are never sent back.
func formValues(r *http.Request) url.Values {
	v := url.Values{}
	for k, vs := range r.PostForm {
		if strings.Contains(k, "password") {
			continue
		}
		v[k] = vs
	}
	return v
}

// done answers a form that succeeded (see the comment above).
func (h *handler) done(w http.ResponseWriter, r *http.Request, redirect, message string) {
	h.tell(w, r, redirect, flash{Kind: "ok", Message: message})
}

// tell is done with a flash of any kind (an error found, not a form refused).
func (h *handler) tell(w http.ResponseWriter, r *http.Request, redirect string, f flash) {
	if isHTMX(r) {
		setTrigger(w, map[string]any{"room-changed": true, "stshub:flash": f})
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusNoContent)
		return
	}
	setFlash(w, r, f)
	http.Redirect(w, r, redirect, http.StatusSeeOther)
}

// fieldErrors collects the fields the web layer itself could not read (a number that is not
// one, a time in the wrong format) before anything reaches the service, which checks the
// rest.
type fieldErrors struct {
	c apperr.Collector
}

func (fe *fieldErrors) err() error { return fe.c.Err() }

// optInt reads an optional whole number.
func (fe *fieldErrors) optInt(r *http.Request, field string) *int {
	s := strings.TrimSpace(r.PostFormValue(field))
	if s == "" {
		return nil
	}
	n, err := strconv.Atoi(strings.ReplaceAll(s, ",", ""))
	if err != nil {
		fe.c.Add(field, "must be a whole number")
		return nil
	}
	return &n
}

// optFloat reads an optional decimal number ("249.9"; thousands separators are dropped).
func (fe *fieldErrors) optFloat(r *http.Request, field string) *float64 {
	s := strings.TrimSpace(r.PostFormValue(field))
	if s == "" {
		return nil
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
	if err != nil {
		fe.c.Add(field, "must be a number")
		return nil
	}
	return &f
}

// utcTime reads a date and time typed in UTC (an <input type="datetime-local">). Empty is
// the zero time: the service says whether the field is required.
func (fe *fieldErrors) utcTime(r *http.Request, field string) time.Time {
	s := strings.TrimSpace(r.PostFormValue(field))
	if s == "" {
		return time.Time{}
	}
	t, err := parseUTC(s)
	if err != nil {
		fe.c.Add(field, "must be a date and time, YYYY-MM-DD HH:MM (UTC)")
	}
	return t
}

// parseUTC accepts what datetime-local inputs send (with or without seconds), a space
// instead of the T, and RFC 3339.
func parseUTC(s string) (time.Time, error) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "UTC"))
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04", "2006-01-02 15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t, nil
		}
	}
	return time.Parse(time.RFC3339, s)
}

// inputTime formats t for a datetime-local input (UTC).
func inputTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04")
}

// merge adds the domain's field errors to the web layer's own, so that one refusal names
// every problem of the form at once.
func merge(local error, domain ...error) error {
	if local == nil {
		return errors.Join(domain...)
	}
	var a *apperr.ValidationError
	if !errors.As(local, &a) {
		return local
	}
	fields := append([]apperr.FieldError{}, a.Fields...)
	for _, err := range domain {
		var b *apperr.ValidationError
		if errors.As(err, &b) {
			fields = append(fields, b.Fields...)
		}
	}
	return &apperr.ValidationError{Fields: fields}
}

// isValidation reports whether err is a refusal of the input (422).
func isValidation(err error) bool {
	var ve *apperr.ValidationError
	return errors.As(err, &ve)
}
