package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/service"
)

// TestRecordsStayInTheUI: the delete-room button only on a draft, a kept snapshot's reason in
// place of its delete button, archiving from the room page, the Archived list, and the
// admins' page of kept rooms with its access form.
func TestRecordsStayInTheUI(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		ctx := context.Background()
		svc := env.App.Service()
		f := newFixture(t, env)
		broker := signedIn(t, env, brokerEmail)
		snap, err := svc.CreateSnapshot(ctx, f.broker, f.room, service.NewSnapshot{Type: "json"})
		if err != nil {
			t.Fatal(err)
		}

		expectContains(t, "draft edit page", broker.get(f.roomPath("/edit")), `data-testid="delete-room-form"`)
		room := broker.get(f.page("snapshots"))
		expectContains(t, "draft room", room, `/snapshots/`+snap.ID+`/delete"`)
		expectMissing(t, "draft room", room, `data-testid="archive-form"`)

		if _, err := svc.ChangeRoomStatus(ctx, f.broker, f.room, "clearing", ""); err != nil {
			t.Fatal(err)
		}
		expectMissing(t, "clearing edit page", broker.get(f.roomPath("/edit")), `data-testid="delete-room-form"`)

		env.Advance(clearance.DefaultRecordRetention + time.Hour)
		broker = signedIn(t, env, brokerEmail) // the earlier session has expired
		room = broker.get(f.page("snapshots"))
		expectContains(t, "old snapshot", room, `data-testid="snapshot-kept"`, "older than the retention period")
		expectMissing(t, "old snapshot", room, `/snapshots/`+snap.ID+`/delete"`)

		if _, err := svc.ChangeRoomStatus(ctx, f.broker, f.room, "cancelled", "fixture failed"); err != nil {
			t.Fatal(err)
		}
		expectContains(t, "cancelled room", broker.get(f.roomPath("")), `data-testid="archive-form"`, `action="/rooms/`+f.room+`/archive"`)
		expectRedirect(t, "archive", broker.post(f.roomPath("/archive"), url.Values{}), f.roomPath(""))
		room = broker.get(f.roomPath(""))
		expectContains(t, "archived room", room, `data-testid="archived-note"`, `action="/rooms/`+f.room+`/unarchive"`)
		expectMissing(t, "current rooms", broker.get("/"), `href="/rooms/`+f.room+`"`)
		expectContains(t, "archived rooms", broker.get("/?archived=true"), `href="/rooms/`+f.room+`"`)

		admin := signedIn(t, env, apptest.AdminEmail)
		kept := admin.get("/admin/rooms?state=archived")
		expectStatus(t, "kept rooms", kept, http.StatusOK)
		expectContains(t, "kept rooms", kept, `data-testid="kept-room-row"`, "Malta crude STS", `/admin/rooms/`+f.room+`/access`)
		expectStatus(t, "kept rooms as a user", broker.get("/admin/rooms"), http.StatusForbidden)
		expectStatus(t, "access without a reason", admin.post("/admin/rooms/"+f.room+"/access?state=archived", url.Values{}), http.StatusUnprocessableEntity)
		expectRedirect(t, "admin access", admin.post("/admin/rooms/"+f.room+"/access?state=archived", url.Values{"reason": {"P&I claim"}}), f.roomPath(""))
		expectContains(t, "the admin's view", admin.get(f.roomPath("")), `data-testid="archived-note"`)
		expectContains(t, "the admin's access in the trail", admin.get(f.page("activity")), "admin access")

		expectRedirect(t, "unarchive", broker.post(f.roomPath("/unarchive"), url.Values{}), f.roomPath(""))
		expectContains(t, "current rooms after unarchive", broker.get("/"), `href="/rooms/`+f.room+`"`)
	})
}
