package browsertest

import (
	"context"
	"net/http"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/waitfor"
)

// TestBrowserBellIsLive: in a real browser, the owner sits on the cockpit (no room open);
// a rejection of its Q88 by the broker bumps the bell's count without a reload, and the
// notifications page shows the reason.
func TestBrowserBellIsLive(t *testing.T) {
	exe := findChromium(t)
	env := apptest.New(t, "sqlite")
	env.CreateUser(brokerEmail)
	env.CreateUser(ownerEmail)
	broker := env.Login(brokerEmail)
	room := env.Do(http.MethodPost, "/api/v1/rooms", broker, map[string]any{"title": roomTitle, "location": roomLocation,
		"sts_eta": "2027-03-14T08:00:00Z"})
	if room.Status != http.StatusCreated {
		t.Fatalf("create room: %d %s", room.Status, room.Body)
	}
	roomID := room.Map()["id"].(string)
	party := env.Do(http.MethodPost, "/api/v1/rooms/"+roomID+"/parties", broker, map[string]string{"email": ownerEmail, "role": "owner"})
	if party.Status != http.StatusCreated {
		t.Fatalf("add the owner: %d %s", party.Status, party.Body)
	}
	vessel := env.Do(http.MethodPost, "/api/v1/rooms/"+roomID+"/vessels", broker, map[string]any{"name": vesselName, "imo": goodIMO,
		"role": "discharging", "party_ids": []string{party.Map()["id"].(string)}})
	if vessel.Status != http.StatusCreated {
		t.Fatalf("add vessel: %d %s", vessel.Status, vessel.Body)
	}
	doc := env.Upload(roomID, env.Login(ownerEmail), []string{"type", "Q88", "vessel_id", vessel.Map()["id"].(string)}, "q88.pdf", apptest.PDF("Q88"))
	if doc.Status != http.StatusCreated {
		t.Fatalf("upload: %d %s", doc.Status, doc.Body)
	}

	ctx, cancel := context.WithTimeout(context.Background(), testBudget)
	t.Cleanup(cancel)
	owner := openBrowser(t, ctx, env.Server.URL, exe, "owner", artifactsDir(t))
	owner.signIn(ownerEmail)
	owner.expectText("the bell counts the addition to the room", `[data-testid=bell-count]`, "1")
	// The page's stream is open once the subscription outside rooms is there.
	owner.waitFor("the cockpit listens", liveTimeout, `document.body.dataset.userEvents`, "/notifications/events")
	waitfor.Until(t, "the owner's stream to subscribe", func() bool { return env.App.Events().Subscribers("") == 1 })

	const reason = "The manifold height is the 2019 figure"
	res := env.Do(http.MethodPost, "/api/v1/rooms/"+roomID+"/documents/"+doc.Map()["id"].(string)+"/reject", broker,
		map[string]string{"reason": reason})
	if res.Status != http.StatusOK {
		t.Fatalf("reject: %d %s", res.Status, res.Body)
	}
	owner.waitFor("the bell is bumped live", liveTimeout, textOf(`[data-testid=bell-count]`), "2")
	owner.do("open the notifications", stepTimeout,
		click(`[data-testid=bell]`),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=notifications]`)),
	)
	owner.expectContains("the rejection with its reason", `[data-testid=notification]`, "was rejected", reason)
	owner.axe("the notifications page")
	owner.expectNoConsoleProblems()
}
