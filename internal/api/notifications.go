package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/service"
)

// The caller's own notifications and e-mail preferences (docs/notifications.md), under
// /me: every route reads and writes the signed-in user's rows only.

type (
	notificationKind string // clearance.NotificationKinds
	delivery         string // clearance.Deliveries
)

func (notificationKind) Schema(huma.Registry) *huma.Schema {
	kinds := clearance.NotificationKinds()
	names := make([]clearance.NotificationKind, len(kinds))
	for i, k := range kinds {
		names[i] = k.Kind
	}
	return enumSchema(names)
}
func (delivery) Schema(huma.Registry) *huma.Schema { return enumSchema(clearance.Deliveries()) }

type notificationJSON struct {
	ID         string           `json:"id"`
	Kind       notificationKind `json:"kind"`
	RoomID     string           `json:"room_id,omitempty" doc:"the room it is about; absent for the daily list of lapsing documents"`
	TargetType string           `json:"target_type,omitempty" doc:"room or document"`
	TargetID   string           `json:"target_id,omitempty"`
	Title      string           `json:"title"`
	Body       string           `json:"body" doc:"more in words, one line each: the reason of a rejection, the blockers of a room that lost clearance"`
	Link       string           `json:"link" doc:"the web page it leads to (a path)"`
	CreatedAt  time.Time        `json:"created_at"`
	ReadAt     *time.Time       `json:"read_at,omitempty" doc:"absent while unread"`
	Email      delivery         `json:"email" doc:"how it was to be e-mailed when it was written (the user's preference then)"`
	EmailedAt  *time.Time       `json:"emailed_at,omitempty" doc:"when it went out by e-mail, at once or in a digest"`
}

func notificationOf(n service.Notification) notificationJSON {
	return notificationJSON{ID: n.ID, Kind: notificationKind(n.Kind), RoomID: n.RoomID, TargetType: n.TargetType, TargetID: n.TargetID,
		Title: n.Title, Body: n.Body, Link: n.Link, CreatedAt: n.CreatedAt, ReadAt: n.ReadAt, Email: delivery(n.Email), EmailedAt: n.EmailedAt}
}

type notificationsOutput struct {
	Body struct {
		list[notificationJSON]
		Unread int `json:"unread" doc:"how many of all the caller's notifications are unread"`
	}
}

type unreadOutput struct {
	Body struct {
		Unread int `json:"unread" doc:"how many of the caller's notifications are unread now"`
	}
}

type readAllOutput struct {
	Body struct {
		Marked int `json:"marked" doc:"how many were unread and are now read"`
	}
}

type notificationPath struct {
	NotificationID string `path:"notification_id" maxLength:"64"`
}

type preferenceJSON struct {
	Kind     notificationKind `json:"kind"`
	Label    string           `json:"label"`
	Delivery delivery         `json:"delivery" doc:"immediate: an e-mail each time; digest: in the daily digest (sent from 06:00 UTC); off: no e-mail. Every notification is in the in-app list whatever this says"`
	Default  delivery         `json:"default"`
	Allowed  []delivery       `json:"allowed"`
	Chosen   bool             `json:"chosen" doc:"false while the kind has its default"`
}

func preferenceOf(p service.Preference) preferenceJSON {
	allowed := make([]delivery, len(p.Allowed))
	for i, d := range p.Allowed {
		allowed[i] = delivery(d)
	}
	return preferenceJSON{Kind: notificationKind(p.Kind), Label: p.Label, Delivery: delivery(p.Delivery), Default: delivery(p.Default),
		Allowed: allowed, Chosen: p.Chosen}
}

type preferencesOutput struct {
	Body struct {
		Items []preferenceJSON `json:"items"`
	}
}

func preferencesResult(ps []service.Preference, err error) (*preferencesOutput, error) {
	if err != nil {
		return nil, err
	}
	out := &preferencesOutput{}
	out.Body.Items = listOf(ps, "", preferenceOf).Items
	return out, nil
}

type setPreferencesInput struct {
	Body struct {
		Items []struct {
			Kind     notificationKind `json:"kind"`
			Delivery delivery         `json:"delivery"`
		} `json:"items" minItems:"1" maxItems:"64" doc:"the kinds to change; the others keep theirs"`
	}
}

func (h *Handlers) registerNotifications(a huma.API) {
	tags := []string{"notifications"}
	huma.Register(a, huma.Operation{OperationID: "list-notifications", Method: http.MethodGet, Path: "/me/notifications", Tags: tags,
		Summary: "The caller's notifications, newest first, with the count of unread ones", Security: authed},
		func(ctx context.Context, in *PageQuery) (*notificationsOutput, error) {
			p, err := h.svc.ListNotifications(ctx, actorOf(ctx), in.request())
			if err != nil {
				return nil, err
			}
			out := &notificationsOutput{}
			out.Body.list, out.Body.Unread = listOf(p.Items, p.Next, notificationOf), p.Unread
			return out, nil
		})
	huma.Register(a, huma.Operation{OperationID: "mark-notification-read", Method: http.MethodPost, Path: "/me/notifications/{notification_id}/read",
		Tags: tags, Summary: "Mark one of the caller's notifications read", Security: authed},
		func(ctx context.Context, in *notificationPath) (*unreadOutput, error) {
			n, err := h.svc.MarkNotificationRead(ctx, actorOf(ctx), in.NotificationID)
			if err != nil {
				return nil, err
			}
			out := &unreadOutput{}
			out.Body.Unread = n
			return out, nil
		})
	huma.Register(a, huma.Operation{OperationID: "mark-all-notifications-read", Method: http.MethodPost, Path: "/me/notifications/read",
		Tags: tags, Summary: "Mark all the caller's notifications read", Security: authed},
		func(ctx context.Context, _ *struct{}) (*readAllOutput, error) {
			n, err := h.svc.MarkAllNotificationsRead(ctx, actorOf(ctx))
			if err != nil {
				return nil, err
			}
			out := &readAllOutput{}
			out.Body.Marked = n
			return out, nil
		})
	huma.Register(a, huma.Operation{OperationID: "get-notification-preferences", Method: http.MethodGet, Path: "/me/notification-preferences",
		Tags: tags, Summary: "How the caller hears of each kind of notification by e-mail", Security: authed},
		func(ctx context.Context, _ *struct{}) (*preferencesOutput, error) {
			return preferencesResult(h.svc.NotificationPreferences(ctx, actorOf(ctx)))
		})
	huma.Register(a, huma.Operation{OperationID: "set-notification-preferences", Method: http.MethodPut, Path: "/me/notification-preferences",
		Tags: tags, Summary: "Choose immediate, digest or off for some kinds of notification", Security: authed,
		Description: "Lapsing documents are found once a day and may be digest or off only. One refused choice saves none."},
		func(ctx context.Context, in *setPreferencesInput) (*preferencesOutput, error) {
			set := make(map[string]string, len(in.Body.Items))
			for _, it := range in.Body.Items {
				set[string(it.Kind)] = string(it.Delivery)
			}
			return preferencesResult(h.svc.SetNotificationPreferences(ctx, actorOf(ctx), set))
		})
}
