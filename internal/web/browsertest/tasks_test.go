package browsertest

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/httpx"
)

// TestBrowserTasksSectionsFiltersPreview walks the charterer's first screens (issue 23):
// the cockpit lists its tasks across rooms with the owner's Q88 to review first, and so
// does the top of the room; the room's section nav moves, by keyboard, to the documents
// page at an address of its own; the documents filter and search go into the address, and
// that address opened afresh shows the same filtered list (an empty one says so); the
// document page previews the PDF in Chromium's PDF viewer, the file served inline under the
// PDF's policy, and two visits are one view in the trail.
func TestBrowserTasksSectionsFiltersPreview(t *testing.T) {
	exe := findChromium(t)
	env := apptest.New(t, "sqlite")
	roomID, docID := roomWithOwnersQ88(t, env, "q88-aegean-serenity.pdf")

	ctx, cancel := context.WithTimeout(context.Background(), testBudget)
	t.Cleanup(cancel)
	ch := openBrowser(t, ctx, env.Server.URL, exe, "charterer", artifactsDir(t))
	ch.signIn(chartererEmail)

	// The cockpit: its tasks first, the Q88's review at the top, naming the room.
	first := `[data-testid=cockpit-tasks] [data-testid=task]`
	ch.expectJS("the cockpit's first task is a review", attrOf(first, "data-kind"), "review_document")
	ch.expectContains("the cockpit's first task", first, "Review Q88", vesselName, roomTitle)
	ch.expectJS("the task list comes before the rooms", `document.querySelector('[data-testid=cockpit-tasks]').compareDocumentPosition(
		document.querySelector('[data-testid=rooms-table]')) === Node.DOCUMENT_POSITION_FOLLOWING`, true)
	ch.axe("the cockpit with its tasks")

	// The room opens on its overview, the tasks at its top, above what blocks clearance.
	ch.do("open the room", stepTimeout,
		click(`a.room-link[href="/rooms/`+roomID+`"]`),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=room-tasks]`)),
	)
	roomFirst := `[data-testid=room-tasks] [data-testid=task]`
	ch.expectJS("the room's first task is the review", attrOf(roomFirst, "data-kind"), "review_document")
	ch.expectContains("the room's first task", roomFirst, "Review Q88")
	ch.expectJS("the tasks come before the blockers", `document.querySelector('[data-testid=room-tasks]').compareDocumentPosition(
		document.querySelector('[data-testid=blockers]')) === Node.DOCUMENT_POSITION_FOLLOWING`, true)
	ch.expectJS("the overview shows no documents table", `document.querySelector('#documents') === null`, true)
	ch.axe("the room's overview with its tasks")
	ch.live("the room's overview")

	// The section nav, by keyboard: the documents page, at its own address.
	ch.do("go to the documents page by keyboard", stepTimeout,
		chromedp.Focus(chromedp.CSS(`[data-testid=room-nav] a[data-section=documents]`)),
		chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=doc-filter]`)),
	)
	if loc := ch.location(); !strings.HasSuffix(loc, "/rooms/"+roomID+"?section=documents") {
		t.Fatalf("the documents link led to %s", loc)
	}
	ch.expectJS("the nav marks the page", attrOf(`[data-testid=room-nav] a[aria-current=page]`, "data-section"), "documents")
	all := evalJS[float64](ch, "count the documents", `document.querySelectorAll('[data-testid=doc-row]').length`)
	if all < 2 {
		t.Fatalf("the documents page lists %v documents", all)
	}

	// Filter and search: the address carries them, and opened afresh it lists the same.
	ch.do("search for the Q88 awaiting review", stepTimeout,
		chromedp.SendKeys(chromedp.CSS(`[data-testid=filter-q]`), "q88-aegean"),
		chromedp.SetValue(chromedp.CSS(`[data-testid=filter-status]`), "under_review"),
		click(`[data-testid=filter-submit]`),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=filter-clear]`)),
	)
	shared := ch.location()
	for _, want := range []string{"section=documents", "q=q88-aegean", "status=under_review"} {
		if !strings.Contains(shared, want) {
			t.Errorf("the filtered address %s lacks %s", shared, want)
		}
	}
	ch.expectJS("one document matches", `document.querySelectorAll('[data-testid=doc-row]').length`, 1.0)
	ch.expectJS("the match is the Q88", attrOf(`[data-testid=doc-row]`, "data-doc-type"), "Q88")
	ch.do("open the shared address afresh", stepTimeout,
		chromedp.Navigate(env.Server.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=cockpit-tasks]`)),
		chromedp.Navigate(shared),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=doc-filter]`)),
	)
	ch.expectJS("the shared address keeps the search", `document.querySelector('[data-testid=filter-q]').value`, "q88-aegean")
	ch.expectJS("and the status", `document.querySelector('[data-testid=filter-status]').value`, "under_review")
	ch.expectJS("and lists the same document", `[...document.querySelectorAll('[data-testid=doc-row]')].map(r => r.dataset.docType).join()`, "Q88")
	ch.axe("the filtered documents page")
	ch.live("the filtered documents page")
	ch.do("search for something no document has", stepTimeout,
		chromedp.Navigate(env.Server.URL+"/rooms/"+roomID+"?section=documents&q=no-such-paper"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=no-match]`)),
	)
	ch.expectContains("the empty result", `[data-testid=no-match]`, "No document matches these filters")

	// The preview: the PDF in a frame, served inline through the permission check, shown by
	// Chromium's own PDF viewer. The browser's record of the frame's responses says what
	// the frame was sent.
	var (
		mu        sync.Mutex
		responses []*network.Response
	)
	if err := chromedp.Listen(ch.ctx, func(ev any) {
		if ev, ok := ev.(*network.EventResponseReceived); ok && strings.Contains(ev.Response.URL, "/preview") {
			mu.Lock()
			responses = append(responses, ev.Response)
			mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	ch.do("open the Q88's page", stepTimeout,
		chromedp.Navigate(env.Server.URL+"/rooms/"+roomID+"/documents/"+docID),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=preview-frame]`)),
	)
	// No sandbox attribute on the frame, nor in the PDF's policy: the browsers' PDF viewers
	// refuse to run in a sandboxed frame or document.
	src := evalJS[string](ch, "the preview's address", `document.querySelector('[data-testid=preview-frame]').src`)
	if !strings.Contains(src, "/preview") {
		t.Fatalf("the preview frame shows %s", src)
	}
	ch.expectJS("the frame has no sandbox attribute", `document.querySelector('[data-testid=preview-frame]').hasAttribute("sandbox")`, false)
	// The frame loads when it comes into view (loading=lazy: a visit that never scrolls to
	// it sends, and records, no file); the server's trail says the browser viewed it.
	ch.do("scroll to the preview", stepTimeout, chromedp.ScrollIntoView(chromedp.CSS(`[data-testid=preview-frame]`)))
	token := env.Login(chartererEmail)
	for deadline := time.Now().Add(stepTimeout); ; time.Sleep(100 * time.Millisecond) {
		res := env.Do(http.MethodGet, "/api/v1/rooms/"+roomID+"/activities", token, nil)
		if strings.Contains(string(res.Body), `"document_previewed"`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the preview frame never fetched the file: %s", res.Body)
		}
	}
	// Chromium's PDF viewer runs in the frame: its extension's frame is there, and no error
	// page ("This page has been blocked by Chrome" is chrome-error://chromewebdata/). This
	// Chromium (156, --headless) has the viewer and ignores a PDF response's policy, so it
	// showed the PDF under the sandbox too; Safari and older Chromium do not (httpx.PDFPreviewPolicy).
	const pdfViewer = "chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/"
	for deadline := time.Now().Add(stepTimeout); ; time.Sleep(100 * time.Millisecond) {
		targets, err := chromedp.Targets(ch.ctx)
		if err != nil {
			t.Fatal(err)
		}
		var viewer bool
		var urls []string
		for _, tg := range targets {
			urls = append(urls, tg.Type+" "+tg.URL)
			viewer = viewer || strings.HasPrefix(tg.URL, pdfViewer)
			if strings.HasPrefix(tg.URL, "chrome-error:") {
				t.Fatalf("a frame shows an error page: %v", urls)
			}
		}
		if viewer {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Chromium's PDF viewer never ran: the browser's targets are %v", urls)
		}
	}
	mu.Lock()
	seen := slices.Clone(responses)
	mu.Unlock()
	if len(seen) == 0 {
		t.Fatal("the browser recorded no response of the preview")
	}
	for _, res := range seen {
		h := map[string]string{}
		for k, v := range res.Headers {
			h[strings.ToLower(k)], _ = v.(string)
		}
		// Chromium keeps only the frame-ancestors of a PDF response's policy (its viewer is
		// its own page): what it holds is that, or the whole of what the server sent.
		csp := h["content-security-policy"]
		if res.Status != http.StatusOK && res.Status != http.StatusNotModified || res.MimeType != "application/pdf" || h["content-disposition"] != "inline" ||
			h["x-content-type-options"] != "nosniff" || h["x-frame-options"] != "SAMEORIGIN" ||
			csp != httpx.PDFPreviewPolicy && csp != "frame-ancestors 'self'" {
			t.Errorf("the frame was sent %d %s %v, want the PDF, inline, nosniff, under %q", res.Status, res.MimeType, h, httpx.PDFPreviewPolicy)
		}
	}
	ch.expectJS("the page reported no policy violation", `window.__stshub.csp.join("; ")`, "")
	ch.screenshot("tasks-preview.png", 1280)
	// One view, one line in the trail; opening the page again within the hour adds none.
	ch.do("open the Q88's page again", stepTimeout,
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=preview-frame]`)),
		chromedp.ScrollIntoView(chromedp.CSS(`[data-testid=preview-frame]`)),
	)
	ch.quiet()
	var trail struct {
		Items []struct {
			Action string `json:"action"`
		} `json:"items"`
	}
	env.Do(http.MethodGet, "/api/v1/rooms/"+roomID+"/activities", token, nil).JSON(&trail)
	views := 0
	for _, e := range trail.Items {
		if e.Action == "document_previewed" {
			views++
		}
	}
	if views != 1 {
		t.Errorf("two visits of the page wrote %d document_previewed entries, want 1", views)
	}
	ch.expectNoConsoleProblems()
}
