package browsertest

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/stshub/stshub/internal/apptest"
)

// TestBrowserQuestionOnADocument: on the Q88's page, the charterer asks the owner a question;
// the owner's open page shows it live, as theirs to answer, and the owner replies; the
// charterer's page shows the reply live, and the charterer resolves the question, which
// both pages then show resolved. No console problem on either side.
func TestBrowserQuestionOnADocument(t *testing.T) {
	exe := findChromium(t)
	env := apptest.New(t, "sqlite")
	roomID, docID := roomWithOwnersQ88(t, env, "q88.pdf")
	docURL := env.Server.URL + "/rooms/" + roomID + "/documents/" + docID

	ctx, cancel := context.WithTimeout(context.Background(), testBudget)
	t.Cleanup(cancel)
	art := artifactsDir(t)
	charterer := openBrowser(t, ctx, env.Server.URL, exe, "charterer", art)
	master := openBrowser(t, ctx, env.Server.URL, exe, "owner", art)
	for _, p := range []struct {
		who   *person
		email string
	}{{charterer, chartererEmail}, {master, ownerEmail}} {
		p.who.signIn(p.email)
		p.who.do("open the Q88's page", stepTimeout,
			chromedp.Navigate(docURL),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid=questions]`)),
		)
		p.who.live("the document page")
	}
	master.expectJS("the supplier is offered no question to itself", `document.querySelectorAll('[data-testid=ask-form]').length`, 0.0)

	const asked = "The Q88 shows the old manifold height (2.1 m): please re-issue it with the current one."
	charterer.do("ask the owner through the question form", stepTimeout,
		chromedp.SendKeys(chromedp.CSS(`[data-testid=ask-text]`), asked),
		click(`[data-testid=ask-button]`),
	)
	charterer.waitFor("the question is on the charterer's page, open", stepTimeout,
		statusOf(`[data-testid=question]`), "open")
	charterer.axe("a document page with an open question")
	charterer.expectContains("the question as asked", `[data-testid=question-message]`, asked, chartererEmail)

	master.waitFor("the question reaches the owner's open page, as theirs to answer", liveTimeout,
		`document.querySelectorAll('[data-testid=question-for-you]').length`, 1.0)
	master.expectContains("the question on the owner's page", `[data-testid=question]`, asked, "to the owner of "+vesselName)
	master.expectJS("the owner may reply but not resolve", `document.querySelectorAll('[data-testid=reply-form]').length + ":" +
		document.querySelectorAll('[data-testid=resolve-form]').length`, "1:0")
	master.quiet()
	const answer = "Re-issued as version 2: manifold height 2.4 m since the refit."
	master.do("reply through the reply form", stepTimeout,
		chromedp.SendKeys(chromedp.CSS(`[data-testid=reply-text]`), answer),
		click(`[data-testid=reply-button]`),
	)
	master.waitFor("the reply is in the owner's thread", stepTimeout,
		`document.querySelectorAll('[data-testid=question-message][data-kind=reply]').length`, 1.0)

	charterer.waitFor("the reply reaches the charterer's open page", liveTimeout,
		`document.querySelectorAll('[data-testid=question-message][data-kind=reply]').length`, 1.0)
	charterer.expectContains("the reply", `[data-testid=question-message][data-kind=reply]`, answer, ownerEmail, "· owner ·")
	charterer.quiet()
	charterer.do("resolve the question", stepTimeout, click(`[data-testid=resolve-button]`))
	charterer.waitFor("the question is resolved on the charterer's page", stepTimeout, statusOf(`[data-testid=question]`), "resolved")
	charterer.expectJS("the charterer may reopen it", `document.querySelectorAll('[data-testid=reopen-form]').length`, 1.0)
	master.waitFor("the owner's page shows it resolved, live", liveTimeout, statusOf(`[data-testid=question]`), "resolved")
	master.expectJS("no reply to a resolved question is offered", `document.querySelectorAll('[data-testid=reply-form]').length`, 0.0)

	charterer.screenshot("question-resolved", 1280)
	charterer.expectNoConsoleProblems()
	master.expectNoConsoleProblems()
}
