package clearance

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/authz"
)

// twoShips are the sides of a two-ship operation: each ship's, then the POAC's.
var twoShips = SignatureSides([]Vessel{
	{ID: "v-a", VesselParticulars: VesselParticulars{Name: "MT AEGEAN SERENITY"}},
	{ID: "v-b", VesselParticulars: VesselParticulars{Name: "MT LEVANT PIONEER"}},
})

// answeredList is checklist 3 of ship A with three items: the answers given, in order, and
// the given sides signed.
func answeredList(answers []ChecklistAnswer, required []bool, signed ...string) Checklist {
	c := Checklist{ID: "c3", VesselID: "v-a", VesselName: "MT AEGEAN SERENITY", Phase: 3}
	for i, a := range answers {
		c.Items = append(c.Items, ChecklistItem{ID: string(rune('a' + i)), Position: i + 1, Answer: a, Required: required[i]})
	}
	for _, s := range signed {
		c.Signatures = append(c.Signatures, ChecklistSignature{Side: s, SignerEmail: s + "@sign.test", SignedAt: time.Date(2026, 3, 14, 6, 0, 0, 0, time.UTC)})
	}
	return c
}

var allYes = []ChecklistAnswer{AnswerYes, AnswerYes, AnswerYes}
var allRequired = []bool{true, true, true}

// TestChecklistCompletion: a checklist is complete only with every item answered, no
// required "no", and every side's signature, each missing one named.
func TestChecklistCompletion(t *testing.T) {
	cases := []struct {
		name                         string
		c                            Checklist
		answered, signable, complete bool
		lacks                        string
	}{
		{"answered and signed by all three", answeredList(allYes, allRequired, "v-a", "v-b", POACSide), true, true, true, ""},
		{"the POAC has not signed", answeredList(allYes, allRequired, "v-a", "v-b"), true, true, false,
			"awaits the signature of the POAC"},
		{"the other ship has not signed", answeredList(allYes, allRequired, "v-a", POACSide), true, true, false,
			"awaits the signature of MT LEVANT PIONEER's side"},
		{"its own ship has not signed", answeredList(allYes, allRequired, "v-b", POACSide), true, true, false,
			"awaits the signature of MT AEGEAN SERENITY's side"},
		{"nobody has signed", answeredList(allYes, allRequired), true, true, false,
			"awaits the signatures of MT AEGEAN SERENITY's side, MT LEVANT PIONEER's side and the POAC"},
		{"one item unanswered", answeredList([]ChecklistAnswer{AnswerYes, "", AnswerYes}, allRequired, "v-a", "v-b", POACSide), false, false, false,
			"1 of 3 items not answered"},
		{"not applicable counts as an answer", answeredList([]ChecklistAnswer{AnswerYes, AnswerNotApplicable, AnswerYes}, allRequired, "v-a", "v-b", POACSide),
			true, true, true, ""},
		{"a required no", answeredList([]ChecklistAnswer{AnswerYes, AnswerNo, AnswerYes}, allRequired), true, false, false,
			"required item 2 answered no; awaits the signatures of MT AEGEAN SERENITY's side, MT LEVANT PIONEER's side and the POAC"},
		{"an optional no", answeredList([]ChecklistAnswer{AnswerYes, AnswerNo, AnswerYes}, []bool{true, false, true}, "v-a", "v-b", POACSide),
			true, true, true, ""},
		{"two required noes and an open item", answeredList([]ChecklistAnswer{AnswerNo, "", AnswerNo}, allRequired, "v-a", "v-b", POACSide),
			false, false, false, "1 of 3 items not answered; required items 1, 3 answered no"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := StateOf(c.c, twoShips)
			if st.Answered() != c.answered || st.Signable() != c.signable || st.Complete() != c.complete {
				t.Fatalf("answered/signable/complete = %v/%v/%v, want %v/%v/%v", st.Answered(), st.Signable(), st.Complete(),
					c.answered, c.signable, c.complete)
			}
			if got := st.Lacks(len(c.c.Items)); got != c.lacks {
				t.Fatalf("lacks %q, want %q", got, c.lacks)
			}
		})
	}
}

// TestCheckSignature: who may sign when, and what the refusals say.
func TestCheckSignature(t *testing.T) {
	cases := []struct {
		name string
		c    Checklist
		side string
		want error // nil, ErrConflict, or a validation error
		says string
	}{
		{"its own ship signs", answeredList(allYes, allRequired), "v-a", nil, ""},
		{"the other ship signs the same list", answeredList(allYes, allRequired, "v-a"), "v-b", nil, ""},
		{"the POAC signs last", answeredList(allYes, allRequired, "v-a", "v-b"), POACSide, nil, ""},
		{"a side signs twice", answeredList(allYes, allRequired, "v-a"), "v-a", apperr.ErrConflict, "already signed for MT AEGEAN SERENITY's side"},
		{"an unanswered item", answeredList([]ChecklistAnswer{AnswerYes, "", AnswerYes}, allRequired), "v-a", apperr.ErrConflict, "1 of 3 items not answered"},
		{"a required no", answeredList([]ChecklistAnswer{AnswerNo, AnswerYes, AnswerYes}, allRequired), POACSide, apperr.ErrConflict, "required item 1 answered no"},
		{"a ship of another room", answeredList(allYes, allRequired), "v-z", nil, "side"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := CheckSignature(c.c, twoShips, c.side)
			switch {
			case c.says == "side":
				assertFields(t, err, []string{"side"})
			case c.want == nil && err != nil:
				t.Fatalf("want no error, got %v", err)
			case c.want != nil && (!errors.Is(err, c.want) || !strings.Contains(err.Error(), c.says)):
				t.Fatalf("want %v saying %q, got %v", c.want, c.says, err)
			}
		})
	}
}

// TestCheckAnswerChange: answers are fixed by the first signature.
func TestCheckAnswerChange(t *testing.T) {
	if err := CheckAnswerChange(answeredList(allYes, allRequired)); err != nil {
		t.Fatalf("unsigned: %v", err)
	}
	err := CheckAnswerChange(answeredList(allYes, allRequired, POACSide))
	if !errors.Is(err, apperr.ErrConflict) || !strings.Contains(err.Error(), "poac@sign.test on 2026-03-14 06:00 UTC") {
		t.Fatalf("signed: %v", err)
	}
}

// TestSideRole: a ship's side is an owner's, the POAC's the STS provider's.
func TestSideRole(t *testing.T) {
	if SideRole("v-a") != authz.Owner || SideRole(POACSide) != authz.STSProvider {
		t.Fatalf("side roles: %s %s", SideRole("v-a"), SideRole(POACSide))
	}
	if got := twoShips[2].Label(); got != "the POAC" {
		t.Fatalf("POAC label %q", got)
	}
}

// TestParseChecklistAnswer: the three answers and "" (clear); nothing else.
func TestParseChecklistAnswer(t *testing.T) {
	for _, ok := range []string{"yes", "no", "not_applicable", "", " yes "} {
		if _, err := ParseChecklistAnswer(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"YES", "n/a", "checked", "true"} {
		if _, err := ParseChecklistAnswer(bad); err == nil || err.Error() != "must be yes, no or not_applicable, or null to clear the answer" {
			t.Errorf("%q: %v", bad, err)
		}
	}
}
