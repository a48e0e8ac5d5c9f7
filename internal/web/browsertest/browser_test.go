package browsertest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image/png"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/stshub/stshub/internal/apptest"
)

const (
	// chromiumPath is Debian's chromium, which .ci/run installs.
	chromiumPath = "/usr/bin/chromium"
	// testBudget bounds a whole test, browsers included (axe-core's checks of each page
	// state take a third of it).
	testBudget = 150 * time.Second
	// stepTimeout bounds one step of a browser (a navigation and what it waits for).
	stepTimeout = 15 * time.Second
	// liveTimeout is how soon a change by someone else must show on an open page.
	liveTimeout = 5 * time.Second
)

// The people and things of the scenarios.
const (
	brokerEmail    = "broker@flow.test"
	chartererEmail = "charterer@flow.test"
	ownerEmail     = "master@flow.test"
	roomTitle      = "Malta crude STS — AEGEAN SERENITY / LEVANT PIONEER"
	roomLocation   = "Hurd's Bank, Malta"
	roomCargo      = "Es Sider crude"
	vesselName     = "MT AEGEAN SERENITY"
	goodIMO        = "9455832" // 9·7+4·6+5·5+5·4+8·3+3·2 = 162: check digit 2
	badIMO         = "9455833"
	snapshotTitle  = "Pre-fixture clearance record"
)

// TestBrowserClearanceFlow walks one clearance through the UI with three people in three
// browsers: the broker opens a room, invites the charterer and the owner, adds a vessel
// (the IMO number is checked as it is typed) and binds the owner to it; the owner uploads
// its Q88 (an owner supplies it, for its own ship only); the charterer approves it, and
// the broker's open page shows the approval live, without a reload; the broker then
// generates a PDF snapshot and downloads it, and its bytes are the ones the API describes.
func TestBrowserClearanceFlow(t *testing.T) {
	exe := findChromium(t)
	began := time.Now()
	env := apptest.New(t, "sqlite")
	env.CreateUser(brokerEmail)
	env.CreateUser(chartererEmail)
	env.CreateUser(ownerEmail)
	art := artifactsDir(t)
	ctx, cancel := context.WithTimeout(context.Background(), testBudget)
	t.Cleanup(cancel)

	broker := openBrowser(t, ctx, env.Server.URL, exe, "broker", art)

	// 1. The broker signs in through the form.
	broker.signIn(brokerEmail)
	broker.axe("cockpit, with no room yet")

	// 2. The broker opens a room through the "new room" form and lands on it.
	eta := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 10).Add(8 * time.Hour)
	broker.do("create a room through the new-room form", stepTimeout,
		click(`[data-testid=nav-new-room]`),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=room-form]`)),
		chromedp.SendKeys(chromedp.CSS(`[data-testid=room-title-input]`), roomTitle),
		chromedp.SendKeys(chromedp.CSS(`[data-testid=room-location-input]`), roomLocation),
		chromedp.SetValue(chromedp.CSS(`[data-testid=room-eta-input]`), eta.Format("2006-01-02T15:04")),
		chromedp.SendKeys(chromedp.CSS(`#room-cargo`), roomCargo),
		chromedp.SendKeys(chromedp.CSS(`#room-qty`), "80000"),
	)
	broker.axe("new-room form")
	broker.do("send the new-room form", stepTimeout,
		click(`[data-testid=room-submit]`),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=room-title]`)),
	)
	m := regexp.MustCompile(`^/rooms/([0-9a-fA-F-]{36})$`).FindStringSubmatch(strings.TrimPrefix(broker.location(), env.Server.URL))
	if m == nil {
		t.Fatalf("after creating the room the broker is at %s, not on a room page", broker.location())
	}
	roomID := m[1]
	roomURL := env.Server.URL + "/rooms/" + roomID
	broker.expectText("room title", `[data-testid=room-title]`, roomTitle)
	broker.expectContains("flash after creating the room", `[data-testid=flash]`, "Room created")
	broker.expectContains("room details", `.room-meta`, roomLocation, roomCargo, "80,000 t", "Oil (crude, products)", "(48 h)",
		"No coastal state named")
	broker.live("the new room page")
	broker.axe("new room page")

	// 3a. The broker goes to the room's vessels and parties (the section nav) and adds the
	// charterer as a party (htmx: the form posts in place).
	broker.do("open the vessels and parties", stepTimeout,
		click(`[data-testid=room-nav] a[data-section=parties]`),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=add-party-form]`)),
	)
	broker.live("the vessels and parties page")
	broker.do("add the charterer through the parties form", stepTimeout,
		chromedp.SendKeys(chromedp.CSS(`#party-email`), chartererEmail),
		chromedp.SetValue(chromedp.CSS(`#party-role`), "charterer"),
		click(`[data-testid=add-party-form] button[type=submit]`),
	)
	broker.waitFor("the charterer listed among the parties, as charterer", stepTimeout, fmt.Sprintf(`(() => {
		const row = [...document.querySelectorAll('[data-testid=party-row]')].find(r => r.textContent.includes(%s));
		if (!row) return "";
		const sel = row.querySelector('select[name=role]');
		return sel ? sel.value : row.cells[1].textContent.trim();
	})()`, js(chartererEmail)), "charterer")
	broker.quiet() // the other sections re-fetch too (the sign-offs now wait for the charterer)

	// 3a'. And the owner, who supplies the ship's documents.
	broker.do("add the owner through the parties form", stepTimeout,
		chromedp.SendKeys(chromedp.CSS(`#party-email`), ownerEmail),
		chromedp.SetValue(chromedp.CSS(`#party-role`), "owner"),
		click(`[data-testid=add-party-form] button[type=submit]`),
	)
	broker.waitFor("the owner listed among the parties, bound to no vessel yet", stepTimeout, fmt.Sprintf(`(() => {
		const row = [...document.querySelectorAll('[data-testid=party-row]')].find(r => r.textContent.includes(%s));
		return row ? row.querySelector('[data-testid=party-vessels]').textContent.trim() : "";
	})()`, js(ownerEmail)), "no vessel")
	broker.quiet()

	// 3b. The broker adds a vessel; the IMO number is checked as it is typed.
	broker.do("open the add-vessel form", stepTimeout,
		click(`[data-testid=add-vessel-link]`),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=vessel-form]`)),
		chromedp.SendKeys(chromedp.CSS(`[data-testid=vessel-name]`), vesselName),
		chromedp.SendKeys(chromedp.CSS(`[data-testid=vessel-imo]`), badIMO),
	)
	broker.waitFor("the IMO hint says "+badIMO+" is invalid", stepTimeout,
		textOf(`[data-testid=imo-check]`), "✕ IMO number check digit does not match (expected 2)")
	broker.axe("vessel form with a wrong IMO number")
	broker.expectJS("the hint is styled as an error", `document.querySelector('[data-testid=imo-check]').classList.contains('imo-bad')`, true)
	broker.expectJS("the browser refuses to send the form with a wrong IMO", `document.getElementById('vessel-form').checkValidity()`, false)
	broker.do("correct the IMO number", stepTimeout,
		click(`[data-testid=vessel-imo]`),
		chromedp.KeyEvent("a", chromedp.KeyModifiers(chromedp.ModifierCtrl)), // select it all
		chromedp.KeyEvent(kb.Backspace),
		chromedp.SendKeys(chromedp.CSS(`[data-testid=vessel-imo]`), goodIMO),
	)
	broker.waitFor("the IMO hint says "+goodIMO+" is valid", stepTimeout,
		textOf(`[data-testid=imo-check]`), "✓ valid IMO number "+goodIMO)
	broker.expectJS("the vessel form offers the owner to bind, and only the owner",
		`document.querySelectorAll('[data-testid=vessel-parties] input[name=party_ids]').length`, 1.0)
	broker.do("send the vessel form, binding the owner", stepTimeout,
		chromedp.SendKeys(chromedp.CSS(`#vessel-flag`), "Malta"),
		click(`input[name=role][value=discharging]`),
		click(`[data-testid=vessel-parties] input[name=party_ids]`),
		click(`[data-testid=vessel-submit]`),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=vessel-row]`)),
	)
	if loc := broker.location(); !strings.HasPrefix(loc, roomURL) {
		t.Fatalf("after adding the vessel the broker is at %s, not on the room page", loc)
	}
	broker.expectContains("the vessel row", `[data-testid=vessel-row]`, vesselName, goodIMO, "Malta", "discharging")
	broker.axe("the parties page with a vessel")
	broker.expectJS("the owner's party names the vessel", fmt.Sprintf(`(() => {
		const row = [...document.querySelectorAll('[data-testid=party-row]')].find(r => r.textContent.includes(%s));
		return row ? row.querySelector('[data-testid=party-vessels]').textContent.includes(%s) : false;
	})()`, js(ownerEmail), js(vesselName)), true)
	broker.live("the vessels and parties page")
	broker.do("open the documents", stepTimeout,
		click(`[data-testid=room-nav] a[data-section=documents]`),
		chromedp.WaitVisible(chromedp.CSS(`tr[data-doc-type=Q88]`)),
	)
	broker.expectJS("one Q88 row, for the vessel", `document.querySelectorAll('tr[data-doc-type=Q88]').length`, 1.0)

	// 4. The owner, in a browser of its own, uploads the vessel's Q88 on its document page;
	// it goes under review. (The broker supplies no Q88: it is offered no upload of it.)
	pdf := apptest.PDF("Q88")
	pdfPath := filepath.Join(t.TempDir(), "q88-aegean-serenity.pdf")
	if err := os.WriteFile(pdfPath, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	owner := openBrowser(t, ctx, env.Server.URL, exe, "owner", art)
	owner.signIn(ownerEmail)
	owner.do("open the room's documents from the cockpit", stepTimeout,
		click(`a.room-link[href="/rooms/`+roomID+`"]`),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=room-tasks]`)),
		click(`[data-testid=room-nav] a[data-section=documents]`),
		chromedp.WaitVisible(chromedp.CSS(`tr[data-doc-type=Q88]`)),
	)
	owner.do("open the vessel's Q88", stepTimeout,
		click(`tr[data-doc-type=Q88] td:first-child a`),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=upload-form]`)),
	)
	if !strings.Contains(owner.location(), "/rooms/"+roomID+"/documents/") {
		t.Fatalf("the Q88 link led to %s", owner.location())
	}
	owner.expectJS("the Q88 is missing before the upload", statusOf(`#document [data-testid=doc-status]`), "missing")
	owner.live("the document page")
	owner.axe("document page, nothing uploaded")
	owner.do("upload the Q88 through the upload form", stepTimeout,
		chromedp.SetUploadFiles(chromedp.CSS(`[data-testid=upload-file]`), []string{pdfPath}),
		click(`[data-testid=upload-submit]`),
	)
	owner.waitFor("the Q88 is under review", stepTimeout, statusOf(`#document [data-testid=doc-status]`), "under_review")
	owner.expectJS("one version, the uploaded file", `document.querySelectorAll('[data-testid=version-row]').length`, 1.0)
	owner.expectContains("the version row", `[data-testid=version-row]`, "q88-aegean-serenity.pdf", "v1", ownerEmail)
	owner.axe("document page, under review")

	// 4'. The owner answers its ship's checklist 1: a "no" to a required item, with a remark,
	// keeps the checklist from being signed, and says so.
	owner.do("open the room's checklists", stepTimeout,
		chromedp.Navigate(roomURL+"?section=checklists#checklists"),
		chromedp.WaitVisible(chromedp.CSS(`#checklists`)),
		click(`[data-testid=checklist] summary`),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=checklist] .answer-form select[name=answer]`)),
	)
	owner.do("answer the first item no, with a remark", stepTimeout,
		chromedp.SetValue(chromedp.CSS(`[data-testid=checklist] .answer-form select[name=answer]`), "no"),
		chromedp.SendKeys(chromedp.CSS(`[data-testid=checklist] .answer-form input[name=remark]`), "Receiving ship's Q88 not yet received"),
		click(`[data-testid=checklist] .answer-form button[type=submit]`),
	)
	owner.waitFor("the first item shows its no", stepTimeout,
		`document.querySelector('[data-testid=checklist] .checklist-items li')?.dataset.answer ?? ""`, "no")
	owner.expectContains("the checklist says what keeps it from being signed", `[data-testid=checklist]`,
		"answered no", "Receiving ship's Q88 not yet received", "required item 1 answered no")
	owner.expectJS("its signature button is disabled",
		`document.querySelector('[data-testid=checklist] .sign-form button')?.disabled ?? "no button"`, true)
	owner.axe("room page, checklist open with a no")

	// The broker goes back to the room's documents, which show the Q88 under review, and stays there.
	broker.do("open the room's documents", stepTimeout,
		chromedp.Navigate(roomURL+"?section=documents"),
		chromedp.WaitVisible(chromedp.CSS(`tr[data-doc-type=Q88]`)),
	)
	broker.live("the room page")
	broker.expectJS("the Q88 row says under review", statusOf(`tr[data-doc-type=Q88] [data-testid=doc-status]`), "under_review")
	progressBefore := broker.text(`[data-testid=doc-group] .group-title`)
	broker.expectJS("mark the page, to tell a reload", `(window.__stshubNotReloaded = "same page", true)`, true)

	// 5. The charterer, in a browser of their own, opens the room and approves the Q88.
	charterer := openBrowser(t, ctx, env.Server.URL, exe, "charterer", art)
	charterer.signIn(chartererEmail)
	charterer.do("open the room's documents from the cockpit", stepTimeout,
		click(`a.room-link[href="/rooms/`+roomID+`"]`),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=room-tasks]`)),
		click(`[data-testid=room-nav] a[data-section=documents]`),
		chromedp.WaitVisible(chromedp.CSS(`tr[data-doc-type=Q88] [data-testid=approve-button]`)),
	)
	charterer.expectText("the charterer's room title", `[data-testid=room-title]`, roomTitle)
	charterer.live("the charterer's room page")
	// Connecting to the stream right after loading re-downloads nothing: the page is current.
	charterer.expectJS("connecting re-fetched no section", `window.__stshub.requests`, 0.0)
	charterer.axe("room page, a document to review")
	charterer.do("approve the Q88", stepTimeout,
		click(`tr[data-doc-type=Q88] [data-testid=approve-button]`),
	)
	approvedAt := time.Now()
	rowTop := evalJS[float64](charterer, "where the Q88 row is on screen", `document.querySelector('tr[data-doc-type=Q88]').getBoundingClientRect().top`)

	// 6. The broker's page, not reloaded, shows the approval within a few seconds (polled
	// from the moment of the charterer's click).
	broker.waitFor("the broker's open page shows the Q88 approved (live)", liveTimeout,
		statusOf(`tr[data-doc-type=Q88] [data-testid=doc-status]`), "approved")
	t.Logf("the approval reached the broker's open page within %v of the charterer's click", time.Since(approvedAt).Round(time.Millisecond))
	charterer.waitFor("the charterer's page shows the Q88 approved", stepTimeout,
		statusOf(`tr[data-doc-type=Q88] [data-testid=doc-status]`), "approved")
	// The focus stays on the approved row (its Approve button is gone), and the row stays
	// where it was on the screen: the page did not jump.
	charterer.waitFor("the focus is on the Q88 row after the inline approve", stepTimeout,
		`document.activeElement?.closest('tr[data-doc-type=Q88]') ? "on the row" : (document.activeElement?.tagName ?? "")`, "on the row")
	charterer.expectJS("the Q88 row did not move on the screen", fmt.Sprintf(`(() => {
		const top = document.querySelector('tr[data-doc-type=Q88]').getBoundingClientRect().top;
		return Math.abs(top - %f) < 40 ? "in place" : "moved from %f to " + top;
	})()`, rowTop, rowTop), "in place")
	broker.expectJS("the broker's page was not reloaded", `window.__stshubNotReloaded ?? ""`, "same page")
	charterer.axe("room page after the inline approve")
	broker.waitFor("the broker's documents count the approval", liveTimeout, fmt.Sprintf(`(() => {
		const p = document.querySelector('[data-testid=doc-group] .group-title');
		return p && p.textContent.trim() !== %s && p.textContent.includes("1 of") ? "updated" : (p ? p.textContent.trim() : "");
	})()`, js(progressBefore)), "updated")

	// 7. The broker generates a PDF snapshot, waits for it, and downloads it.
	broker.quiet()
	broker.do("open the snapshots", stepTimeout,
		click(`[data-testid=room-nav] a[data-section=snapshots]`),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=snapshot-form]`)),
	)
	broker.live("the snapshots page")
	broker.do("generate a PDF snapshot", stepTimeout,
		chromedp.SendKeys(chromedp.CSS(`#snapshot-title`), snapshotTitle),
		click(`[data-testid=snapshot-form] input[name=snapshot_type][value=pdf]`),
		click(`[data-testid=snapshot-submit]`),
	)
	snapshotRow := fmt.Sprintf(`[...document.querySelectorAll('[data-testid=snapshot-row]')].find(r => r.textContent.includes(%s))`, js(snapshotTitle))
	broker.waitFor("the snapshot row says completed", 30*time.Second,
		fmt.Sprintf(`(%s)?.dataset.snapshotStatus ?? ""`, snapshotRow), "completed")
	broker.quiet()
	href := evalJS[string](broker, "the snapshot's download link",
		fmt.Sprintf(`(%s)?.querySelector('[data-testid=snapshot-download]')?.getAttribute('href') ?? ""`, snapshotRow))
	if !strings.HasPrefix(href, "/rooms/"+roomID+"/snapshots/") || !strings.HasSuffix(href, "/download") {
		t.Fatalf("snapshot download link %q", href)
	}
	file, suggested := broker.download("download the snapshot", `[data-testid=snapshot-download][href="`+href+`"]`)
	if !bytes.HasPrefix(file, []byte("%PDF")) {
		t.Fatalf("the downloaded snapshot is not a PDF: %q…", file[:min(len(file), 16)])
	}
	if !strings.HasPrefix(suggested, "snapshot-") || !strings.HasSuffix(suggested, ".pdf") {
		t.Errorf("the download is named %q, want snapshot-….pdf", suggested)
	}
	// The same link, fetched with the broker's session cookie outside the browser.
	if fetched := broker.fetchWithCookies(env.Server.URL + href); !bytes.Equal(fetched, file) {
		t.Errorf("the link fetched with the broker's cookies gave %d bytes, the browser's download %d", len(fetched), len(file))
	}
	// The API describes the same file.
	res := env.Do(http.MethodGet, "/api/v1/rooms/"+roomID+"/snapshots", env.Login(brokerEmail), nil)
	var list struct {
		Items []struct {
			ID, Title, Status, SHA256 string
			SnapshotType              string `json:"snapshot_type"`
			FileSize                  int64  `json:"file_size"`
		} `json:"items"`
	}
	res.JSON(&list)
	if res.Status != http.StatusOK || len(list.Items) != 1 {
		t.Fatalf("GET snapshots: %d, %d items: %s", res.Status, len(list.Items), res.Body)
	}
	snap := list.Items[0]
	sum := sha256.Sum256(file)
	switch {
	case snap.Title != snapshotTitle || snap.Status != "completed" || snap.SnapshotType != "pdf":
		t.Errorf("API snapshot: title %q status %q type %q", snap.Title, snap.Status, snap.SnapshotType)
	case snap.SHA256 != hex.EncodeToString(sum[:]):
		t.Errorf("sha256 of the download %x, the API says %s", sum, snap.SHA256)
	case snap.FileSize != int64(len(file)):
		t.Errorf("download is %d bytes, the API says %d", len(file), snap.FileSize)
	case !strings.Contains(href, snap.ID):
		t.Errorf("the link %s is not for snapshot %s", href, snap.ID)
	}
	t.Logf("snapshot %s: %d bytes, sha256 %s, downloaded as %s", snap.ID, len(file), snap.SHA256, suggested)

	// 8. Screenshots of the cockpit and the room, at 1280 px and at a phone's 390 px.
	broker.do("open the cockpit", stepTimeout,
		chromedp.Navigate(env.Server.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=rooms-table]`)),
	)
	broker.expectContains("the cockpit lists the room", `[data-testid=room-row]`, roomTitle, "you are broker")
	broker.screenshot("cockpit-1280.png", 1280)
	broker.axe("cockpit with a room")
	broker.do("open the room page", stepTimeout,
		chromedp.Navigate(roomURL+"?section=documents"),
		chromedp.WaitVisible(chromedp.CSS(`tr[data-doc-type=Q88]`)),
	)
	broker.live("the room page")
	broker.screenshot("room-1280.png", 1280)
	broker.do("narrow the window to 390 px and reload the room page", stepTimeout,
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(roomURL+"?section=documents"),
		chromedp.WaitVisible(chromedp.CSS(`tr[data-doc-type=Q88]`)),
	)
	broker.live("the room page")
	broker.screenshot("room-390.png", 390)
	broker.axe("room page at 390 px")
	broker.expectJS("the room page does not scroll sideways at 390 px", `document.documentElement.scrollWidth`, 390.0)
	broker.phoneTables("the room page")

	broker.expectNoConsoleProblems()
	owner.expectNoConsoleProblems()
	charterer.expectNoConsoleProblems()
	t.Logf("the whole flow took %v", time.Since(began).Round(time.Millisecond))
}

// TestBrowserCSPHasNoViolations loads the sign-in page, the cockpit and a room page (and
// a document page) and expects no uncaught exception, no console error and no Content
// Security Policy violation. A control at the end shows that a violation is caught.
func TestBrowserCSPHasNoViolations(t *testing.T) {
	exe := findChromium(t)
	env := apptest.New(t, "sqlite")
	env.CreateUser(brokerEmail)
	env.CreateUser(ownerEmail)
	token := env.Login(brokerEmail)
	room := env.Do(http.MethodPost, "/api/v1/rooms", token, map[string]any{"title": roomTitle, "location": roomLocation,
		"sts_eta": time.Now().UTC().Add(10 * 24 * time.Hour).Format(time.RFC3339), "cargo_type": roomCargo})
	if room.Status != http.StatusCreated {
		t.Fatalf("create room: %d %s", room.Status, room.Body)
	}
	roomID := room.Map()["id"].(string)
	// The owner supplies the Q88, for the ship its party is bound to.
	party := env.Do(http.MethodPost, "/api/v1/rooms/"+roomID+"/parties", token, map[string]string{"email": ownerEmail, "role": "owner"})
	if party.Status != http.StatusCreated {
		t.Fatalf("add the owner: %d %s", party.Status, party.Body)
	}
	vessel := env.Do(http.MethodPost, "/api/v1/rooms/"+roomID+"/vessels", token, map[string]any{"name": vesselName, "imo": goodIMO,
		"role": "discharging", "party_ids": []string{party.Map()["id"].(string)}})
	if vessel.Status != http.StatusCreated {
		t.Fatalf("add vessel: %d %s", vessel.Status, vessel.Body)
	}
	doc := env.Upload(roomID, env.Login(ownerEmail), []string{"type", "Q88", "vessel_id", vessel.Map()["id"].(string)}, "q88.pdf", apptest.PDF("Q88"))
	if doc.Status != http.StatusCreated {
		t.Fatalf("upload: %d %s", doc.Status, doc.Body)
	}
	docID := doc.Map()["id"].(string)

	ctx, cancel := context.WithTimeout(context.Background(), testBudget)
	t.Cleanup(cancel)
	b := openBrowser(t, ctx, env.Server.URL, exe, "broker", artifactsDir(t))
	// Besides the protocol's reports (the console listener), the page's own record of
	// securitypolicyviolation events (pageRecorder) is a second witness.
	pageViolations := func(where string) {
		t.Helper()
		if v := evalJS[[]string](b, "the page's CSP reports", `window.__stshub?.csp ?? ["no recorder on this page"]`); len(v) > 0 {
			t.Errorf("%s: securitypolicyviolation: %s", where, strings.Join(v, "; "))
		}
	}

	b.do("open the sign-in page", stepTimeout,
		chromedp.Navigate(env.Server.URL+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=login-form]`)),
	)
	b.quiet()
	pageViolations("sign-in page")
	b.axe("sign-in page")
	b.expectNoConsoleProblems()

	b.do("sign in to the cockpit", stepTimeout,
		chromedp.SendKeys(chromedp.CSS(`[data-testid=login-email]`), brokerEmail),
		chromedp.SendKeys(chromedp.CSS(`[data-testid=login-password]`), apptest.Password),
		click(`[data-testid=login-submit]`),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=rooms-table]`)),
	)
	b.quiet()
	pageViolations("cockpit")
	b.expectNoConsoleProblems()

	for _, p := range []struct{ name, path, ready string }{
		{"room overview", "/rooms/" + roomID, `[data-testid=room-tasks]`},
		{"room's documents", "/rooms/" + roomID + "?section=documents", `tr[data-doc-type=Q88]`},
		{"document page", "/rooms/" + roomID + "/documents/" + docID, `[data-testid=version-row]`},
	} {
		b.do("open the "+p.name, stepTimeout,
			chromedp.Navigate(env.Server.URL+p.path),
			chromedp.WaitVisible(chromedp.CSS(p.ready)),
		)
		// Live: app.js ran, htmx is there, the event stream is open, and the sections
		// re-fetched themselves once on connecting.
		b.live(p.name)
		pageViolations(p.name)
		b.axe(p.name)
		b.expectNoConsoleProblems()
	}

	// The control: an inline script is refused, and both witnesses say so.
	b.expectJS("inject an inline script", `(() => {
		const s = document.createElement("script");
		s.textContent = "window.__inlineRan = true";
		document.body.appendChild(s);
		return window.__inlineRan === true;
	})()`, false)
	deadline := time.Now().Add(5 * time.Second)
	for len(b.takeProblems()) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("control: an inline script was refused but no console problem was reported; the listener sees nothing")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if v := evalJS[[]string](b, "the page's CSP reports", `window.__stshub?.csp ?? []`); len(v) == 0 {
		t.Error("control: no securitypolicyviolation event for the inline script")
	}
}

// ---- the browser ------------------------------------------------------------------

// person is one person's browser: a Chromium of its own (own profile, own cookies) with
// one tab, and what its console reported.
type person struct {
	t         *testing.T
	name      string
	base      string
	artifacts string
	ctx       context.Context // the tab; no deadline of its own (each step has one)
	shots     int

	mu       sync.Mutex
	problems []string // exceptions, console errors, CSP violations, failed loads
	notes    []string // the favicon's 404 (see listen)
}

// findChromium returns Debian's chromium, or skips the test without it (fails under CI).
func findChromium(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err == nil {
		return chromiumPath
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("chromium is not installed (%s); .ci/run installs it: apt-get install chromium", chromiumPath)
	}
	t.Skipf("chromium is not installed (%s): apt-get install chromium", chromiumPath)
	return ""
}

// artifactsDir is where the test's screenshots go: $STSHUB_TEST_ARTIFACTS or
// $TMPDIR/stshub-artifacts, then the test's name.
func artifactsDir(t *testing.T) string {
	t.Helper()
	root := os.Getenv("STSHUB_TEST_ARTIFACTS")
	if root == "" {
		root = filepath.Join(os.TempDir(), "stshub-artifacts")
	}
	dir, err := filepath.Abs(filepath.Join(root, t.Name()))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	// The screenshots of an earlier run's failures would only mislead.
	stale, _ := filepath.Glob(filepath.Join(dir, "FAILED-*.png"))
	for _, f := range stale {
		_ = os.Remove(f)
	}
	t.Logf("artifacts: %s", dir)
	return dir
}

// openBrowser starts a headless Chromium with a fresh profile and opens its tab. It is
// closed when the test ends (before the app's server, which waits for open streams).
func openBrowser(t *testing.T, parent context.Context, base, exe, name, artifacts string) *person {
	t.Helper()
	p := &person{t: t, name: name, base: base, artifacts: artifacts}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(parent, opts...)
	tabCtx, cancelTab := chromedp.NewContext(allocCtx, chromedp.WithListener(p.listen))
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc() // waits for the browser to exit, before its profile folder goes
	})
	started := time.Now()
	// The first Do starts the browser and binds it to tabCtx (no step deadline here: the
	// parent's budget bounds it).
	if err := chromedp.Do(tabCtx); err != nil {
		t.Fatalf("%s: start %s: %v", name, exe, err)
	}
	t.Logf("%s: browser started in %v", name, time.Since(started).Round(time.Millisecond))
	p.ctx = tabCtx
	p.do("install the page recorder", stepTimeout, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: pageRecorder})
		return err
	}))
	return p
}

// listen records what the console reports. It runs in the tab's event loop: no commands.
func (p *person) listen(ev any) {
	var problem string
	switch ev := ev.(type) {
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		problem = "uncaught exception: " + d.Text
		if d.Exception != nil {
			problem += " " + d.Exception.Description
		}
		problem += fmt.Sprintf(" (%s:%d)", d.URL, d.LineNumber+1)
	case *runtime.EventConsoleAPICalled:
		if ev.Type != runtime.ConsoleAPICalledTypeError && ev.Type != runtime.ConsoleAPICalledTypeAssert {
			return
		}
		var parts []string
		for _, a := range ev.Args {
			if len(a.Value) > 0 {
				parts = append(parts, string(a.Value))
			} else {
				parts = append(parts, a.Description)
			}
		}
		problem = "console." + string(ev.Type) + ": " + strings.Join(parts, " ")
	case *log.EventEntryAdded:
		if ev.Entry.Level != log.EntryLevelError {
			return
		}
		problem = fmt.Sprintf("browser log (%s) error: %s", ev.Entry.Source, ev.Entry.Text)
		if ev.Entry.URL != "" {
			problem += " [" + ev.Entry.URL + "]"
		}
		// The browser asks for /favicon.ico by itself; the pages name no icon and the app
		// has none, so that is a 404. It is not the page's doing (a person's console does
		// not show it): noted, not failed.
		if ev.Entry.Source == log.EntrySourceNetwork && strings.HasSuffix(ev.Entry.URL, "/favicon.ico") {
			p.mu.Lock()
			p.notes = append(p.notes, problem)
			p.mu.Unlock()
			return
		}
	default:
		return
	}
	p.mu.Lock()
	p.problems = append(p.problems, problem)
	p.mu.Unlock()
}

// takeProblems returns the console problems reported so far, and forgets them.
func (p *person) takeProblems() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := p.problems
	p.problems = nil
	return out
}

func (p *person) expectNoConsoleProblems() {
	p.t.Helper()
	p.mu.Lock()
	notes := p.notes
	p.notes = nil
	p.mu.Unlock()
	for _, n := range notes {
		p.t.Logf("%s's browser (not a failure): %s", p.name, n)
	}
	for _, pr := range p.takeProblems() {
		p.t.Errorf("%s's browser at %s reported: %s", p.name, p.location(), pr)
	}
}

// pageRecorder runs in every document before the page's own scripts (the page's CSP does
// not apply to it). It records the page's securitypolicyviolation events, and htmx's
// activity, so that a test can wait until the page is quiet: no request in flight and
// nothing triggered for a while, and count its requests. A room page re-fetches its sections
// 300 ms after each change (and on connecting to the event stream when the room changed
// after the page was rendered); a click or keystroke in the middle of
// such a swap would land on a section that is being replaced.
const pageRecorder = `(() => {
	const r = window.__stshub = {csp: [], inflight: 0, last: 0, requests: 0};
	document.addEventListener("securitypolicyviolation", e =>
		r.csp.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at " + e.sourceFile + ":" + e.lineNumber));
	const mark = () => { r.last = performance.now(); };
	document.addEventListener("room-changed", mark);
	document.addEventListener("stshub:refresh", mark);
	document.addEventListener("htmx:beforeRequest", e => { mark(); if (!e.defaultPrevented) { r.inflight++; r.requests++; } });
	document.addEventListener("htmx:afterRequest", () => { mark(); r.inflight = Math.max(0, r.inflight - 1); });
	document.addEventListener("htmx:afterSettle", mark);
})()`

// quiet waits until the page has had no htmx activity for 600 ms and has no request in
// flight (see pageRecorder).
func (p *person) quiet() {
	p.t.Helper()
	p.waitFor("the page is quiet", stepTimeout, `(() => {
		const r = window.__stshub;
		if (!r) return "no recorder";
		if (r.inflight > 0) return r.inflight + " requests in flight";
		return performance.now() - r.last > 600 ? "quiet" : "busy";
	})()`, "quiet")
}

// live waits until the page is connected to its room's event stream and quiet (it re-fetches
// its sections on connecting only when the room changed after it was rendered).
func (p *person) live(what string) {
	p.t.Helper()
	p.waitFor(what+" is live", stepTimeout, attrOf(`#live-status`, "data-state"), "live")
	p.quiet()
}

// do runs steps with a deadline; on failure it saves a screenshot and stops the test.
func (p *person) do(what string, timeout time.Duration, steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, timeout)
	defer cancel()
	start := time.Now()
	if err := chromedp.Do(ctx, steps...); err != nil {
		p.fail(what, err)
	}
	p.t.Logf("%s: %s (%v)", p.name, what, time.Since(start).Round(time.Millisecond))
}

// fail records where the browser is and what it shows, then stops the test.
func (p *person) fail(what string, err error) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 5*time.Second)
	defer cancel()
	where, _ := chromedp.Run(ctx, chromedp.Location())
	shot := "(no screenshot)"
	if img, serr := chromedp.Run(ctx, chromedp.CaptureScreenshot()); serr == nil {
		name := filepath.Join(p.artifacts, fmt.Sprintf("FAILED-%s-%s.png", p.name, slug(what)))
		if os.WriteFile(name, img, 0o644) == nil {
			shot = name
		}
	}
	if probs := p.takeProblems(); len(probs) > 0 {
		p.t.Logf("%s's console: %s", p.name, strings.Join(probs, "\n  "))
	}
	p.t.Fatalf("%s: %s: %v\n  at %s\n  screenshot %s", p.name, what, err, where, shot)
}

// waitFor polls expr (a JavaScript expression that gives a string or a number) until it
// gives want, and reports the last value it gave if it never does.
func (p *person) waitFor(what string, timeout time.Duration, expr string, want any) {
	p.t.Helper()
	start := time.Now()
	var last any
	var lastErr error
	for {
		ctx, cancel := context.WithTimeout(p.ctx, 2*time.Second)
		v, err := chromedp.Run(ctx, chromedp.Evaluate[any](expr))
		cancel()
		if err == nil && v == want {
			p.t.Logf("%s: %s (%v)", p.name, what, time.Since(start).Round(time.Millisecond))
			return
		}
		last, lastErr = v, err
		if time.Since(start) > timeout {
			p.fail(what, fmt.Errorf("after %v: want %#v, last saw %#v (error %v)", timeout, want, last, lastErr))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// evalJS evaluates expr on the page now.
func evalJS[T any](p *person, what, expr string) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		p.fail(what, err)
	}
	return v
}

// expectJS checks what expr gives now (numbers come back as float64).
func (p *person) expectJS(what, expr string, want any) {
	p.t.Helper()
	if got := evalJS[any](p, what, expr); got != want {
		p.fail(what, fmt.Errorf("want %#v, got %#v", want, got))
	}
}

// text is the trimmed text of the first element sel matches ("" when none does).
func (p *person) text(sel string) string {
	p.t.Helper()
	return evalJS[string](p, "text of "+sel, textOf(sel))
}

func (p *person) expectText(what, sel, want string) {
	p.t.Helper()
	if got := p.text(sel); got != want {
		p.fail(what, fmt.Errorf("%s: want %q, got %q", sel, want, got))
	}
}

// expectContains checks that the first element sel matches holds each of the texts.
func (p *person) expectContains(what, sel string, want ...string) {
	p.t.Helper()
	got := p.text(sel)
	for _, w := range want {
		if !strings.Contains(got, w) {
			p.fail(what, fmt.Errorf("%s: %q does not contain %q", sel, got, w))
		}
	}
}

func (p *person) location() string {
	ctx, cancel := context.WithTimeout(p.ctx, 5*time.Second)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return "(unknown: " + err.Error() + ")"
	}
	return loc
}

// signIn signs in through the form and lands on the cockpit.
func (p *person) signIn(email string) {
	p.t.Helper()
	p.do("sign in as "+email, stepTimeout,
		chromedp.Navigate(p.base+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=login-form]`)),
		chromedp.SendKeys(chromedp.CSS(`[data-testid=login-email]`), email),
		chromedp.SendKeys(chromedp.CSS(`[data-testid=login-password]`), apptest.Password),
		click(`[data-testid=login-submit]`),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=logout]`)),
	)
	if loc := p.location(); loc != p.base+"/" {
		p.t.Fatalf("%s: after signing in the browser is at %s, not the cockpit", p.name, loc)
	}
	p.expectText("the signed-in name", `.whoami-name`, strings.Split(email, "@")[0])
}

// screenshot saves a full-page PNG of the current page and checks its width.
func (p *person) screenshot(name string, width int) {
	p.t.Helper()
	var img []byte
	p.do("screenshot "+name, stepTimeout, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		m, err := cdp.Call(ctx, t, page.GetLayoutMetrics, cdp.Empty{})
		if err != nil {
			return err
		}
		if m.CSSContentSize == nil {
			return fmt.Errorf("no content size in the layout metrics")
		}
		res, err := cdp.Call(ctx, t, page.CaptureScreenshot, page.CaptureScreenshotParams{
			Format:                page.CaptureScreenshotFormatPng,
			CaptureBeyondViewport: new(true),
			FromSurface:           new(true),
			Clip:                  &page.Viewport{Width: m.CSSContentSize.Width, Height: m.CSSContentSize.Height, Scale: 1},
		})
		img = res.Data
		return err
	}))
	cfg, err := png.DecodeConfig(bytes.NewReader(img))
	if err != nil {
		p.t.Fatalf("%s: screenshot %s is not a PNG: %v", p.name, name, err)
	}
	if cfg.Width != width {
		p.t.Errorf("%s: screenshot %s is %d px wide, want %d (the page is wider than the window)", p.name, name, cfg.Width, width)
	}
	path := filepath.Join(p.artifacts, name)
	if err := os.WriteFile(path, img, 0o644); err != nil {
		p.t.Fatal(err)
	}
	p.t.Logf("%s: screenshot %s (%d×%d)", p.name, path, cfg.Width, cfg.Height)
}

// download clicks a download link and returns the file the browser saved, with the name
// the server suggested.
func (p *person) download(what, link string) (data []byte, suggested string) {
	p.t.Helper()
	dir := p.t.TempDir()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: new(true)}); err != nil {
		p.fail(what, err)
	}
	begins := chromedp.BrowserEvents(ctx, browser.DownloadWillBegin)
	progress := chromedp.BrowserEvents(ctx, browser.DownloadProgress)
	p.do(what+": click", stepTimeout, click(link))
	var guid string
	for ev, err := range begins {
		if err != nil {
			p.fail(what, fmt.Errorf("no download began: %w", err))
		}
		guid, suggested = ev.GUID, ev.SuggestedFilename
		break
	}
	for ev, err := range progress {
		if err != nil {
			p.fail(what, fmt.Errorf("the download did not finish: %w", err))
		}
		if ev.GUID != guid {
			continue
		}
		if ev.State == browser.DownloadProgressStateCanceled {
			p.fail(what, fmt.Errorf("the browser cancelled the download"))
		}
		if ev.State == browser.DownloadProgressStateCompleted {
			break
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, guid))
	if err != nil {
		p.fail(what, err)
	}
	p.t.Logf("%s: downloaded %s (%d bytes)", p.name, suggested, len(data))
	return data, suggested
}

// fetchWithCookies gets url outside the browser, with the browser's cookies for it.
func (p *person) fetchWithCookies(url string) []byte {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	res, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{url}})
	if err != nil {
		p.fail("read the browser's cookies", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		p.t.Fatal(err)
	}
	session := false
	for _, c := range res.Cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
		if c.Name == "stshub_session" {
			session = true
			if !c.HTTPOnly {
				p.t.Errorf("the session cookie is readable by scripts (not HttpOnly)")
			}
		}
	}
	if !session {
		p.t.Fatalf("%s: the browser has no session cookie for %s", p.name, url)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		p.t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") {
		p.t.Fatalf("GET %s with the browser's cookies: %d, Content-Disposition %q", url, resp.StatusCode, resp.Header.Get("Content-Disposition"))
	}
	return body
}

// ---- small helpers ----------------------------------------------------------------

// click clicks the element sel matches as a person would: it scrolls it to the middle of
// the window first (the room page's section bar is sticky and would be hit instead of an
// element at the top edge), and checks that nothing covers its centre.
func click(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.WaitVisible(chromedp.CSS(sel)),
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			covered, err := chromedp.Evaluate[string](fmt.Sprintf(`(() => {
				const el = document.querySelector(%s);
				if (!el) return "gone";
				el.scrollIntoView({block: "center", inline: "center"});
				const r = el.getBoundingClientRect();
				const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
				if (!hit || hit === el || el.contains(hit) || hit.contains(el)) return "";
				return hit.tagName.toLowerCase() + (hit.id ? "#" + hit.id : "") + (hit.className ? "." + String(hit.className).replace(/ +/g, ".") : "");
			})()`, js(sel)))(ctx, t)
			if err != nil {
				return err
			}
			if covered != "" {
				return fmt.Errorf("%s is covered by %s", sel, covered)
			}
			return nil
		}),
		chromedp.Click(chromedp.CSS(sel)),
	)
}

// js quotes s as a JavaScript string literal.
func js(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func textOf(sel string) string {
	return fmt.Sprintf(`document.querySelector(%s)?.textContent.trim() ?? ""`, js(sel))
}

func attrOf(sel, attr string) string {
	return fmt.Sprintf(`document.querySelector(%s)?.getAttribute(%s) ?? ""`, js(sel), js(attr))
}

// statusOf is the machine status of a chip (data-status).
func statusOf(sel string) string { return attrOf(sel, "data-status") }

func slug(s string) string {
	s = regexp.MustCompile(`[^a-zA-Z0-9]+`).ReplaceAllString(strings.ToLower(s), "-")
	return strings.Trim(s[:min(len(s), 60)], "-")
}
