package browsertest

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/stshub/stshub/internal/apptest"
)

// TestBrowserReviewWithTheFacts walks issue 23's "review with the facts" in two browsers.
// The charterer reviews a P&I entry that lapses during the operation: the panel says so in
// words and asks for a confirmation and a note; without them the server refuses; with them
// the approval is recorded, the note is in the trail, and the chip does not show it as
// done. It approves the Q88 inline and keeps its focus and its place. It signs off on a room
// where nobody has: no decision is preselected, the open blockers stand beside the form,
// a missing decision is refused in words, and a second decision supersedes the first. The
// owner types an expiry date already past and is warned, and asked to confirm, before the
// upload is sent. At a phone's 390 px every table that scrolls sideways is a named region
// the keyboard scrolls. axe-core checks each of these page states.
func TestBrowserReviewWithTheFacts(t *testing.T) {
	exe := findChromium(t)
	env := apptest.New(t, "sqlite")
	for _, e := range []string{brokerEmail, chartererEmail, ownerEmail} {
		env.CreateUser(e)
	}
	broker := env.Login(brokerEmail)
	eta := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 10).Add(8 * time.Hour)
	room := env.Do(http.MethodPost, "/api/v1/rooms", broker, map[string]any{"title": roomTitle, "location": roomLocation,
		"sts_eta": eta.Format(time.RFC3339), "cargo_type": roomCargo})
	if room.Status != http.StatusCreated {
		t.Fatalf("create room: %d %s", room.Status, room.Body)
	}
	roomID := room.Map()["id"].(string)
	roomURL := env.Server.URL + "/rooms/" + roomID
	for email, role := range map[string]string{chartererEmail: "charterer", ownerEmail: "owner"} {
		if res := env.Do(http.MethodPost, "/api/v1/rooms/"+roomID+"/parties", broker, map[string]string{"email": email, "role": role}); res.Status != http.StatusCreated {
			t.Fatalf("add %s: %d %s", role, res.Status, res.Body)
		}
	}
	parties := env.Do(http.MethodGet, "/api/v1/rooms/"+roomID+"/parties", broker, nil)
	var ownerParty string
	for _, it := range parties.Map()["items"].([]any) {
		if p := it.(map[string]any); p["email"] == ownerEmail {
			ownerParty = p["id"].(string)
		}
	}
	vessel := env.Do(http.MethodPost, "/api/v1/rooms/"+roomID+"/vessels", broker, map[string]any{"name": vesselName, "imo": goodIMO,
		"role": "discharging", "party_ids": []string{ownerParty}})
	if vessel.Status != http.StatusCreated {
		t.Fatalf("add vessel: %d %s", vessel.Status, vessel.Body)
	}
	vesselID := vessel.Map()["id"].(string)
	owner := env.Login(ownerEmail)
	upload := func(fields ...string) string {
		t.Helper()
		res := env.Upload(roomID, owner, append([]string{"vessel_id", vesselID}, fields...), fields[1]+".pdf", apptest.PDF(fields[1]))
		if res.Status != http.StatusCreated {
			t.Fatalf("upload %s: %d %s", fields[1], res.Status, res.Body)
		}
		return res.Map()["id"].(string)
	}
	// The P&I year ends at 12:00 GMT: on the day after the ships meet, inside the window.
	piID := upload("type", "PI_COE", "expires_on", eta.AddDate(0, 0, 1).Format(time.DateOnly))
	upload("type", "Q88")

	ctx, cancel := context.WithTimeout(context.Background(), testBudget)
	t.Cleanup(cancel)
	art := artifactsDir(t)
	ch := openBrowser(t, ctx, env.Server.URL, exe, "charterer", art)
	ch.signIn(chartererEmail)

	// 1. The review panel says, in words, that the P&I entry lapses during the operation.
	ch.do("open the P&I entry", stepTimeout,
		chromedp.Navigate(roomURL+"/documents/"+piID),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=approve-form]`)),
	)
	ch.live("the document page")
	ch.expectJS("its validity against the window", attrOf(`[data-testid=doc-window]`, "data-fit"), "lapses_during_operation")
	ch.expectContains("the warning in words", `[data-testid=lapse-warning]`, "Lapses during the operation: it expires on "+
		eta.AddDate(0, 0, 1).Format(time.DateOnly)+" at 12:00 GMT", "the operation window is "+eta.Format("2 Jan 2006 15:04")+" UTC")
	ch.axe("review panel of a lapsing certificate")
	ch.expectJS("the browser does not send it unconfirmed", `document.getElementById('approve-form').checkValidity()`, false)

	// 2. Sent unconfirmed all the same (a browser that does not check), the server refuses.
	ch.expectJS("drop the browser's checks", `(document.querySelectorAll('#approve-form [required]').forEach(e => e.required = false), true)`, true)
	ch.do("approve without the confirmation", stepTimeout, click(`#approve-form [data-testid=approve-button]`))
	ch.waitFor("the refusal says why", stepTimeout, `(() => {
		const e = document.querySelector('#document [data-testid=section-error]');
		return e && e.textContent.includes("Lapses during the operation") && e.textContent.includes("To approve it all the same") ? "refused" : (e ? e.textContent : "");
	})()`, "refused")
	ch.expectJS("still under review", statusOf(`#document [data-testid=doc-status]`), "under_review")
	ch.expectRefusals("the unconfirmed approval", http.StatusConflict)
	ch.axe("review panel after a refused approval")

	// 3. Confirmed, with a note: approved, and not shown as done.
	note := "P&I renews on 20 February; the owner sends the new entry before the ships meet."
	ch.do("confirm, write the note and approve", stepTimeout,
		click(`[data-testid=acknowledge-lapse]`),
		chromedp.SendKeys(chromedp.CSS(`[data-testid=approve-note]`), note),
		click(`#approve-form [data-testid=approve-button]`),
	)
	ch.waitFor("the P&I entry is approved", stepTimeout, statusOf(`#document [data-testid=doc-status]`), "approved")
	ch.expectJS("its chip is not the done one", `(() => {
		const c = document.querySelector('#document [data-testid=doc-status]');
		return c.classList.contains('is-blocking') && c.textContent.includes('lapses during the operation') && getComputedStyle(c).color !== 'rgb(23, 104, 59)';
	})()`, true)
	ch.axe("an approved certificate that lapses")
	acts := env.Do(http.MethodGet, "/api/v1/rooms/"+roomID+"/activities", broker, nil)
	found := false
	for _, it := range acts.Map()["items"].([]any) {
		e := it.(map[string]any)
		if m, _ := e["meta"].(map[string]any); e["action"] == "document_approved" && m["type"] == "PI_COE" {
			found = m["note"] == note && m["acknowledged_lapse"] == true
		}
	}
	if !found {
		t.Errorf("the trail has no approval of the P&I entry with the note and the acknowledgement: %s", acts.Body)
	}

	// 4. On the room page, the Q88 approved inline keeps the focus on its row, in place.
	ch.do("open the room's documents", stepTimeout,
		chromedp.Navigate(roomURL+"?section=documents"),
		chromedp.WaitVisible(chromedp.CSS(`tr[data-doc-type=Q88] [data-testid=approve-button]`)),
	)
	ch.live("the room page")
	ch.do("approve the Q88 inline", stepTimeout, click(`tr[data-doc-type=Q88] [data-testid=approve-button]`))
	rowTop := evalJS[float64](ch, "where the Q88 row is", `document.querySelector('tr[data-doc-type=Q88]').getBoundingClientRect().top`)
	scrollY := evalJS[float64](ch, "where the page is scrolled to", `window.scrollY`)
	ch.waitFor("the Q88 is approved", stepTimeout, statusOf(`tr[data-doc-type=Q88] [data-testid=doc-status]`), "approved")
	ch.waitFor("the focus is on the Q88 row", stepTimeout,
		`document.activeElement?.closest('tr[data-doc-type=Q88]') ? "on the row" : (document.activeElement?.tagName ?? "")`, "on the row")
	ch.quiet()
	ch.expectJS("the row and the page did not jump", fmt.Sprintf(`(() => {
		const top = document.querySelector('tr[data-doc-type=Q88]').getBoundingClientRect().top;
		return Math.abs(top - %f) < 40 && Math.abs(window.scrollY - %f) < 40 ? "in place" : "row " + top + ", scroll " + window.scrollY;
	})()`, rowTop, scrollY), "in place")

	// 5. Sign-off: nobody has signed; nothing is preselected; the blockers stand beside it.
	ch.do("go to the sign-offs", stepTimeout, chromedp.Navigate(roomURL+"#signoffs"), chromedp.WaitVisible(chromedp.CSS(`[data-testid=signoff-form]`)))
	ch.live("the room page")
	ch.expectContains("nobody has signed", `[data-testid=signoff-standing]`, "No party has signed yet.")
	ch.expectJS("no decision is preselected", `document.querySelectorAll('#signoff-form input[name=status]:checked').length`, 0.0)
	ch.expectJS("the open blockers beside the form", `document.querySelectorAll('[data-testid=signoff-blockers] [data-testid=blocker]').length > 0`, true)
	ch.expectContains("the P&I blocker among them", `[data-testid=signoff-blockers]`, "open blockers", "P&I certificate of entry")
	ch.axe("sign-off with nobody signed")
	ch.expectJS("the browser asks for a decision", `document.getElementById('signoff-form').checkValidity()`, false)
	ch.expectJS("drop the browser's checks", `(document.querySelectorAll('#signoff-form [required]').forEach(e => e.required = false), true)`, true)
	ch.do("send the sign-off without a decision", stepTimeout, click(`[data-testid=signoff-submit]`))
	ch.waitFor("the refusal asks for a decision", stepTimeout,
		`document.querySelector('#signoff-status-error')?.textContent.includes("choose whether you approve or reject the operation") ? "asked" : ""`, "asked")
	ch.expectRefusals("the sign-off without a decision", http.StatusUnprocessableEntity)
	ch.quiet()
	ch.do("approve the operation", stepTimeout, click(`#signoff-form input[name=status][value=approved]`), click(`[data-testid=signoff-submit]`))
	ch.waitFor("one approval counted", stepTimeout, `(() => {
		const s = document.querySelector('[data-testid=signoff-standing]')?.textContent ?? "";
		return s.includes("1 of ") && s.includes("signing parties have approved") ? "counted" : s.trim();
	})()`, "counted")
	ch.quiet()
	ch.do("reject it after all, with notes", stepTimeout,
		click(`#signoff-form input[name=status][value=rejected]`),
		chromedp.SendKeys(chromedp.CSS(`#signoff-notes`), "The P&I entry must cover the whole operation."),
		click(`[data-testid=signoff-submit]`),
	)
	ch.waitFor("the first decision is superseded", stepTimeout, `document.querySelectorAll('[data-testid=signoff-row].superseded').length`, 1.0)
	ch.axe("sign-off history with a superseded decision")

	// 6. The owner types an expiry date already past: warned, and asked to confirm, first.
	ch.do("open the room's documents", stepTimeout,
		chromedp.Navigate(roomURL+"?section=documents"),
		chromedp.WaitVisible(chromedp.CSS(`tr[data-doc-type=CLASS]`)),
	)
	classID := evalJS[string](ch, "the CLASS slot", `document.querySelector('tr[data-doc-type=CLASS]')?.id.replace('doc-', '') ?? ""`)
	if classID == "" {
		t.Fatal("the room lists no CLASS certificate")
	}
	ow := openBrowser(t, ctx, env.Server.URL, exe, "owner", art)
	ow.signIn(ownerEmail)
	ow.do("open the class certificate", stepTimeout,
		chromedp.Navigate(roomURL+"/documents/"+classID),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=upload-form]`)),
	)
	ow.live("the document page")
	typeDate := func(date string) {
		ow.t.Helper()
		ow.expectJS("type the expiry date "+date, fmt.Sprintf(`(() => {
			const i = document.querySelector('[data-testid=upload-expires]');
			i.focus(); i.value = %s; i.dispatchEvent(new Event('input', {bubbles: true}));
			return i.value;
		})()`, js(date)), date)
	}
	typeDate(eta.AddDate(0, 0, 1).Format(time.DateOnly))
	ow.expectContains("a date inside the window", `[data-testid=upload-expiry-check]`, "before the operation window ends", "lapse during the operation")
	ow.expectJS("no confirmation asked for it", `document.querySelector('[data-testid=expiry-confirm]').hidden`, true)
	typeDate("2020-05-01")
	ow.expectContains("a date already past", `[data-testid=upload-expiry-check]`, "This date has passed: the document has already expired")
	ow.expectJS("the confirmation is asked for", `(() => {
		const c = document.querySelector('[data-testid=expiry-confirm]');
		return !c.hidden && c.querySelector('input[type=checkbox]').required;
	})()`, true)
	pdfPath := filepath.Join(t.TempDir(), "class-2020.pdf")
	if err := os.WriteFile(pdfPath, apptest.PDF("CLASS 2020"), 0o644); err != nil {
		t.Fatal(err)
	}
	ow.do("choose the file", stepTimeout, chromedp.SetUploadFiles(chromedp.CSS(`[data-testid=upload-file]`), []string{pdfPath}))
	ow.expectJS("the browser does not send it unconfirmed", `document.getElementById('upload').checkValidity()`, false)
	ow.axe("upload form warning of an expired date")
	ow.do("confirm and upload", stepTimeout, click(`[data-testid=acknowledge-expired]`), click(`[data-testid=upload-submit]`))
	ow.waitFor("the certificate is under review", stepTimeout, statusOf(`#document [data-testid=doc-status]`), "under_review")
	ow.expectJS("and says it has expired", attrOf(`[data-testid=doc-window]`, "data-fit"), "expired")

	// 7. At 390 px, the tables: none makes the page scroll sideways; each that scrolls is a
	// named region the keyboard reaches and scrolls.
	ch.do("narrow the window to 390 px and reload the room's documents", stepTimeout,
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(roomURL+"?section=documents"),
		chromedp.WaitVisible(chromedp.CSS(`tr[data-doc-type=Q88]`)),
	)
	ch.live("the documents page at 390 px")
	ch.phoneTables("the documents page")
	ch.axe("documents page at 390 px")
	for _, section := range []string{"parties", "activity"} {
		ch.do("open the "+section+" page at 390 px", stepTimeout,
			chromedp.Navigate(roomURL+"?section="+section),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid=room-nav]`)),
		)
		ch.live("the " + section + " page at 390 px")
		ch.phoneTables("the " + section + " page")
	}
	ch.do("open the P&I entry at 390 px", stepTimeout,
		chromedp.Navigate(roomURL+"/documents/"+piID),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=version-row]`)),
	)
	ch.live("the document page at 390 px")
	ch.phoneTables("the document page")
	ch.axe("document page at 390 px")

	ch.expectNoConsoleProblems()
	ow.expectNoConsoleProblems()
}

// expectRefusals takes the console's problems after a form the server refused on purpose:
// the browser logs the refusal's status as a failed load, and that is all it may report.
func (p *person) expectRefusals(what string, status int) {
	p.t.Helper()
	want := fmt.Sprintf("the server responded with a status of %d", status)
	seen := false
	for _, pr := range p.takeProblems() {
		if strings.Contains(pr, want) {
			seen = true
			continue
		}
		p.t.Errorf("%s: %s's browser reported: %s", what, p.name, pr)
	}
	if !seen {
		p.t.Logf("%s: the browser did not log the %d", what, status)
	}
}

// phoneTables checks the tables of the page at a phone's width: the page does not scroll
// sideways, and every table wrapper that does is reachable by the keyboard (tabindex 0), a
// region with a name, and scrolls with the arrow key once focused.
func (p *person) phoneTables(where string) {
	p.t.Helper()
	p.expectJS(where+" does not scroll sideways", `document.documentElement.scrollWidth <= window.innerWidth`, true)
	problems := evalJS[[]string](p, where+": the scrolling tables", `[...document.querySelectorAll('table')].flatMap((t, i) => {
		const w = t.closest('.table-wrap') ?? t.parentElement;
		if (w.scrollWidth <= w.clientWidth + 1) return [];
		// Named by its class, with what sticks out the most, to tell why it scrolls.
		const right = w.getBoundingClientRect().right;
		const widest = [...t.querySelectorAll('*')].reduce((a, e) => e.getBoundingClientRect().right > (a?.getBoundingClientRect().right ?? 0) ? e : a, null);
		const name = (t.className || t.dataset.testid || "table " + i) + " (" + w.scrollWidth + " px in " + w.clientWidth +
			(widest ? "; " + widest.tagName.toLowerCase() + "." + String(widest.className).replace(/ +/g, ".") + " ends " + Math.round(widest.getBoundingClientRect().right - right) + " px past it" : "") + ")";
		const bad = [];
		if (w.tabIndex !== 0 || w.getAttribute('tabindex') !== '0') bad.push(name + ": not reachable by the keyboard");
		if (w.getAttribute('role') !== 'region') bad.push(name + ": not a region");
		if (!(w.getAttribute('aria-label') || w.getAttribute('aria-labelledby'))) bad.push(name + ": no name");
		return bad;
	})`)
	for _, pr := range problems {
		p.t.Errorf("%s at 390 px: %s", where, pr)
	}
	n := evalJS[float64](p, where+": how many tables scroll", `[...document.querySelectorAll('.table-wrap[tabindex]')].filter(w => w.scrollWidth > w.clientWidth + 1).length`)
	p.t.Logf("%s at 390 px: %v tables scroll sideways", where, n)
	if n == 0 {
		return
	}
	// The first that scrolls, scrolled with the keyboard.
	p.expectJS(where+": focus the first scrolling table", `(() => {
		const w = [...document.querySelectorAll('.table-wrap[tabindex]')].find(w => w.scrollWidth > w.clientWidth + 1);
		w.scrollLeft = 0; w.focus();
		return document.activeElement === w;
	})()`, true)
	p.do(where+": press the right arrow", stepTimeout, chromedp.KeyEvent(kb.ArrowRight), chromedp.KeyEvent(kb.ArrowRight))
	p.waitFor(where+": the table scrolled sideways", stepTimeout, `document.activeElement.scrollLeft > 0 ? "scrolled" : "at " + document.activeElement.scrollLeft`, "scrolled")
}
