package web_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/stshub/stshub/internal/apptest"
)

// TestQuestionsOnTheDocumentPage: the charterer asks the owner about its Q88 from the
// document page, the owner sees it is theirs to answer and replies, the charterer resolves
// it; the forms show only to those the service lets act; a refusal comes back in the
// section; and a viewer, who may not see the SIRE report, reaches neither it nor its
// questions.
func TestQuestionsOnTheDocumentPage(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		f := newFixture(t, env)
		charterer, owner, viewer := signedIn(t, env, chartererEmail), signedIn(t, env, ownerEmail), signedIn(t, env, viewerEmail)
		doc := f.roomPath("/documents/" + f.q88)

		expectContains(t, "charterer's page", charterer.get(doc), `data-testid="ask-form"`, "No questions on this document.", "Ask the owner")
		expectMissing(t, "owner's page (the supplier answers)", owner.get(doc), `data-testid="ask-form"`)
		expectMissing(t, "viewer's page", viewer.get(doc), `data-testid="ask-form"`)

		// A question without text is refused in the section, with the field's message.
		res := charterer.post(doc+"/questions", url.Values{"text": {"  "}}, hx...)
		expectStatus(t, "empty question", res, 422)
		expectContains(t, "empty question", res, `id="ask-text-error"`, `id="document"`)

		const asked = "The Q88 shows the old manifold height <2.1 m>: please re-issue."
		expectRedirect(t, "ask", charterer.post(doc+"/questions", url.Values{"text": {asked}}), doc+"#questions")
		page := owner.get(doc)
		expectContains(t, "owner's page with the question", page, "The Q88 shows the old manifold height &lt;2.1 m&gt;: please re-issue.",
			`data-testid="question-for-you"`, `data-testid="reply-form"`, "1 open")
		expectMissing(t, "owner's page with the question", page, `data-testid="resolve-form"`)
		id := between(page.Body, `data-question-id="`, `"`)
		if id == "" {
			t.Fatal("no reply form action on the owner's page")
		}
		expectContains(t, "the room's documents", owner.get(f.roomPath("/documents"), hx...), `data-testid="doc-questions"`, "1 open question<")
		expectRedirect(t, "reply", owner.post(doc+"/questions/"+id+"/replies", url.Values{"text": {"Re-issued as version 2: 2.4 m."}}),
			doc+"#questions")
		// The viewer reads the thread but takes no part in it.
		page = viewer.get(doc)
		expectContains(t, "viewer's page", page, "Re-issued as version 2: 2.4 m.", `data-kind="reply"`)
		expectMissing(t, "viewer's page", page, `data-testid="reply-form"`, `data-testid="resolve-form"`)
		expectStatus(t, "viewer replies", viewer.post(doc+"/questions/"+id+"/replies", url.Values{"text": {"me too"}}, hx...), 403)

		expectContains(t, "charterer's page", charterer.get(doc), `data-testid="resolve-form"`)
		res = charterer.post(doc+"/questions/"+id+"/resolve", url.Values{"note": {"Thank you."}}, hx...)
		expectStatus(t, "resolve", res, 204)
		page = charterer.get(doc)
		expectContains(t, "resolved", page, `data-status="resolved"`, "resolved the question", "Thank you.", `data-testid="reopen-form"`)
		expectMissing(t, "resolved", page, `data-testid="reply-form"`)
		// A reply to a resolved question, sent anyway, is refused with the reason in the section.
		res = owner.post(doc+"/questions/"+id+"/replies", url.Values{"text": {"late"}}, hx...)
		expectStatus(t, "late reply", res, 409)
		expectContains(t, "late reply", res, "reopens it")

		// The SIRE report is the coordinators' and its supplier's: a viewer reaches neither
		// its page nor its questions.
		sire := f.roomPath("/documents/" + f.docID(t, "SIRE", true))
		expectRedirect(t, "ask on SIRE", charterer.post(sire+"/questions", url.Values{"text": {"When is the SIRE 2.0 inspection due?"}}),
			sire+"#questions")
		expectContains(t, "owner sees the SIRE question", owner.get(sire), "When is the SIRE 2.0 inspection due?", `data-testid="question-for-you"`)
		expectStatus(t, "viewer's SIRE page", viewer.get(sire), 404)
		expectStatus(t, "viewer asks on SIRE", viewer.post(sire+"/questions", url.Values{"text": {"x"}}, hx...), 404)
		sireID := between(charterer.get(sire).Body, `data-question-id="`, `"`)
		expectStatus(t, "viewer resolves on SIRE", viewer.post(sire+"/questions/"+sireID+"/resolve", nil, hx...), 404)
		if strings.Contains(viewer.get(f.roomPath("")).Body, "SIRE 2.0 inspection due") {
			t.Error("the viewer's room page names the hidden question")
		}
	})
}

// between is the text of s after the first from and before the next to ("" when absent).
func between(s, from, to string) string {
	_, rest, ok := strings.Cut(s, from)
	if !ok {
		return ""
	}
	out, _, ok := strings.Cut(rest, to)
	if !ok {
		return ""
	}
	return out
}
