package web

import (
	"net/http"
	"strconv"

	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/httpx"
	"github.com/stshub/stshub/internal/live"
	"github.com/stshub/stshub/internal/service"
)

// The caller's notifications (docs/notifications.md): the bell in the header with the
// unread count, the list, the e-mail preferences, and the stream that bumps the bell on the
// pages outside rooms (a room page's own stream carries the user's events too).

type notificationsData struct {
	service.NotificationPage
	Cursor string
}

// notificationsPage lists the caller's notifications, newest first, 30 a page.
func (h *handler) notificationsPage(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	cursor := r.URL.Query().Get("cursor")
	p, err := h.svc.ListNotifications(r.Context(), actor, service.PageRequest{Cursor: cursor, Limit: 30})
	if isValidation(err) { // a stale or edited cursor: start again from the newest
		cursor = ""
		p, err = h.svc.ListNotifications(r.Context(), actor, service.PageRequest{Limit: 30})
	}
	if err != nil {
		h.renderError(w, r, err, "")
		return
	}
	h.renderPage(w, r, http.StatusOK, "notifications", &page{Title: "Notifications", Nav: "notifications",
		Data: notificationsData{NotificationPage: p, Cursor: cursor}})
}

// bell is the header's link to the notifications with the unread count, re-fetched by the
// page's script when the user's stream says they changed.
func (h *handler) bell(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	p := &page{Actor: &actor}
	h.countUnread(r, p)
	h.renderFragment(w, r, http.StatusOK, "bell", p)
}

// markNotificationRead marks one of the caller's notifications read.
func (h *handler) markNotificationRead(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	if _, err := h.svc.MarkNotificationRead(r.Context(), actor, r.PathValue("id")); err != nil {
		h.renderError(w, r, err, "")
		return
	}
	h.notificationsDone(w, r, "Marked read.")
}

// markAllNotificationsRead marks every notification of the caller read.
func (h *handler) markAllNotificationsRead(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	n, err := h.svc.MarkAllNotificationsRead(r.Context(), actor)
	if err != nil {
		h.renderError(w, r, err, "")
		return
	}
	h.notificationsDone(w, r, strconv.Itoa(n)+" marked read.")
}

// notificationsDone answers a change to the list: back to it, with a message.
func (h *handler) notificationsDone(w http.ResponseWriter, r *http.Request, message string) {
	setFlash(w, r, flash{Kind: "ok", Message: message})
	http.Redirect(w, r, "/notifications", http.StatusSeeOther)
}

type preferencesData struct {
	Items []service.Preference
}

// preferencesPage shows how the caller hears of each kind by e-mail.
func (h *handler) preferencesPage(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	h.showPreferences(w, r, actor, http.StatusOK, nil)
}

func (h *handler) showPreferences(w http.ResponseWriter, r *http.Request, actor service.Actor, status int, f *formState) {
	prefs, err := h.svc.NotificationPreferences(r.Context(), actor)
	if err != nil {
		h.renderError(w, r, err, "")
		return
	}
	h.renderPage(w, r, status, "notification_preferences", &page{Title: "Notification settings", Nav: "notifications", Form: f,
		Data: preferencesData{Items: prefs}})
}

// savePreferences records the deliveries the form chose, one field per kind.
func (h *handler) savePreferences(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	set := map[string]string{}
	for _, k := range clearance.NotificationKinds() {
		if v := r.PostFormValue(string(k.Kind)); v != "" {
			set[string(k.Kind)] = v
		}
	}
	if _, err := h.svc.SetNotificationPreferences(r.Context(), actor, set); err != nil {
		if !isValidation(err) {
			h.renderError(w, r, err, "")
			return
		}
		p := httpx.FromError(r.Context(), h.log, err)
		f := &formState{Name: "preferences", Anchor: "preferences", Values: formValues(r), Errors: map[string]string{}}
		for _, fe := range p.Errors {
			f.Errors[fe.Field] = fe.Message
		}
		h.showPreferences(w, r, actor, http.StatusUnprocessableEntity, f)
		return
	}
	setFlash(w, r, flash{Kind: "ok", Message: "Notification settings saved."})
	http.Redirect(w, r, "/notifications/preferences", http.StatusSeeOther)
}

// userEvents streams the caller's per-user events to a page outside any room (Server-Sent
// Events): "notification" when their notifications changed, and the end of their session.
//
// SECURITY: the stream is the caller's own, whatever the URL: it subscribes the signed-in
// user, checked live after subscribing (a logout between the two reaches it as
// session_ended), and hears nothing of any room.
func (h *handler) userEvents(w http.ResponseWriter, r *http.Request) {
	token, _ := r.Context().Value(tokenKey{}).(string)
	if _, ok := actorFrom(r.Context()); !ok || token == "" {
		http.Error(w, "not signed in", http.StatusUnauthorized)
		return
	}
	sess, err := h.svc.LiveSession(r.Context(), token)
	if err != nil {
		h.renderError(w, r, err, "")
		return
	}
	events, cancel, err := h.broker.SubscribeUser(sess)
	if err != nil { // live.ErrTooManyStreams, its only refusal
		p := httpx.NewProblem(r.Context(), http.StatusTooManyRequests,
			"at most "+strconv.Itoa(live.MaxStreamsPerUser)+" live streams may be open at once; close a tab or try again later")
		p.Headers().Set("Retry-After", strconv.Itoa(streamRetryAfter))
		httpx.WriteProblem(w, p)
		return
	}
	defer cancel()
	if _, err := h.svc.LiveSession(r.Context(), token); err != nil {
		h.renderError(w, r, err, "")
		return
	}
	alive := func() bool {
		_, err := h.svc.LiveSession(r.Context(), token)
		return err == nil
	}
	live.ServeSSE(w, r, events, 0, nil, alive)
}

// countUnread fills in the bell's count for a signed-in page. A count that cannot be read
// leaves the bell without one rather than failing the page it sits on.
func (h *handler) countUnread(r *http.Request, p *page) {
	if p.Actor == nil {
		return
	}
	n, err := h.svc.UnreadNotifications(r.Context(), *p.Actor)
	if err != nil {
		h.log.Warn("unread notifications", "err", err)
		return
	}
	p.Unread = n
}
