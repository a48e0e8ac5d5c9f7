package clearance

import (
	"errors"
	"strings"
	"testing"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/authz"
)

func TestCheckQuestionText(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		required bool
		want     string
		bad      bool
	}{
		{"trimmed", "  Manifold height?  ", true, "Manifold height?", false},
		{"required and empty", "   ", true, "", true},
		{"optional and empty", "", false, "", false},
		{"at the limit", repeat("é", MaxQuestionText), true, repeat("é", MaxQuestionText), false},
		{"one past the limit", repeat("é", MaxQuestionText+1), true, "", true},
		{"optional note past the limit", repeat("a", MaxQuestionText+1), false, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CheckQuestionText("text", tt.text, tt.required)
			if tt.bad {
				assertFields(t, err, []string{"text"})
				return
			}
			assertFields(t, err, nil)
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestAddresseeAndMayAsk(t *testing.T) {
	q88 := DocumentType{Code: "Q88", SuppliedBy: "owner", Scope: ScopeVessel}
	jpo := DocumentType{Code: "JPO", SuppliedBy: "sts_provider", Scope: ScopeRoom}
	hose := DocumentType{Code: "HOSE", SuppliedBy: "sts_provider", Scope: ScopeVessel}
	vetting := DocumentType{Code: "VETTING", SuppliedBy: "charterer", Scope: ScopeVessel}
	tests := []struct {
		t         DocumentType
		role      authz.Role
		bound     bool
		addressee bool
	}{
		{q88, authz.Owner, true, true},   // the vessel's own owner answers
		{q88, authz.Owner, false, false}, // another ship's owner may ask about it
		{q88, authz.Charterer, false, false},
		{q88, authz.Broker, false, false},
		{jpo, authz.STSProvider, false, true}, // a room document: its supplier, wherever bound
		{hose, authz.STSProvider, false, false},
		{hose, authz.STSProvider, true, true},
		{vetting, authz.Charterer, false, true}, // a coordinator is bound to nothing and supplies for every ship
		{vetting, authz.Owner, true, false},
	}
	for _, tt := range tests {
		if got := IsAddressee(AddressedTo(tt.t), tt.t.Scope, tt.role, tt.bound); got != tt.addressee {
			t.Errorf("IsAddressee(%s, %s, bound %v) = %v, want %v", tt.t.Code, tt.role, tt.bound, got, tt.addressee)
		}
		err := MayAsk(tt.t, tt.role, tt.bound)
		if tt.addressee != errors.Is(err, ErrAskingYourself) {
			t.Errorf("MayAsk(%s, %s, bound %v) = %v", tt.t.Code, tt.role, tt.bound, err)
		}
	}
}

func TestMayResolve(t *testing.T) {
	q := Question{AskedBy: "u-asker", Messages: []QuestionMessage{{Kind: MessageQuestion, AuthorEmail: "asker@x.test"}}}
	if err := MayResolve(q, "u-asker", false); err != nil {
		t.Errorf("the asker: %v", err)
	}
	if err := MayResolve(q, "u-other", true); err != nil {
		t.Errorf("a reviewer: %v", err)
	}
	err := MayResolve(q, "u-other", false)
	if err == nil || !strings.Contains(err.Error(), "asker@x.test") || !strings.Contains(err.Error(), "broker or charterer") {
		t.Errorf("anyone else: %v", err)
	}
	if MayResolve(Question{}, "", false) == nil {
		t.Error("an empty asker matched an actor without a user")
	}
}

func TestQuestionTransitions(t *testing.T) {
	tests := []struct {
		status QuestionStatus
		kind   MessageKind
		ok     bool
		after  QuestionStatus
	}{
		{QuestionOpen, MessageReply, true, QuestionOpen},
		{QuestionOpen, MessageResolved, true, QuestionResolved},
		{QuestionOpen, MessageReopened, false, ""},
		{QuestionResolved, MessageReply, false, ""},
		{QuestionResolved, MessageResolved, false, ""},
		{QuestionResolved, MessageReopened, true, QuestionOpen},
	}
	for _, tt := range tests {
		err := CheckQuestionMessage(tt.status, tt.kind)
		if tt.ok != (err == nil) || (err != nil && !errors.Is(err, apperr.ErrConflict)) {
			t.Errorf("%s on %s: %v", tt.kind, tt.status, err)
			continue
		}
		if tt.ok {
			if got := StatusAfter(tt.status, tt.kind); got != tt.after {
				t.Errorf("%s on %s leaves %s, want %s", tt.kind, tt.status, got, tt.after)
			}
		}
	}
}

func TestQuestionThread(t *testing.T) {
	q := Question{Status: QuestionResolved, Messages: []QuestionMessage{
		{Kind: MessageQuestion, Text: "Manifold height?"}, {Kind: MessageReply}, {Kind: MessageResolved, Text: "first"},
		{Kind: MessageReopened}, {Kind: MessageReply}, {Kind: MessageResolved, Text: "second"}}}
	if q.Text() != "Manifold height?" || q.Replies() != 2 || q.Resolution() == nil || q.Resolution().Text != "second" {
		t.Errorf("thread: %q %d %+v", q.Text(), q.Replies(), q.Resolution())
	}
	q.Status = QuestionOpen
	if q.Resolution() != nil {
		t.Error("an open question has a resolution")
	}
}

// TestQuestionBounds: a document takes MaxQuestionsPerDocument questions and a thread
// MaxThreadMessages messages, just below and at the bound; a full thread can still be
// resolved, not replied to or reopened.
func TestQuestionBounds(t *testing.T) {
	for _, c := range []struct {
		asked int
		ok    bool
	}{{0, true}, {MaxQuestionsPerDocument - 1, true}, {MaxQuestionsPerDocument, false}, {MaxQuestionsPerDocument + 1, false}} {
		err := CheckQuestionCount("text", c.asked)
		var v *apperr.ValidationError
		if (err == nil) != c.ok || (err != nil && (!errors.As(err, &v) || v.Fields[0].Field != "text")) {
			t.Errorf("a document with %d questions: %v", c.asked, err)
		}
	}
	for _, c := range []struct {
		messages int
		kind     MessageKind
		ok       bool
	}{
		{MaxThreadMessages - 1, MessageReply, true},
		{MaxThreadMessages - 1, MessageReopened, true},
		{MaxThreadMessages, MessageReply, false},
		{MaxThreadMessages, MessageReopened, false},
		{MaxThreadMessages, MessageResolved, true},
	} {
		err := CheckThreadLength("note", c.messages, c.kind)
		var v *apperr.ValidationError
		if (err == nil) != c.ok || (err != nil && (!errors.As(err, &v) || v.Fields[0].Field != "note")) {
			t.Errorf("a %s to a thread of %d messages: %v", c.kind, c.messages, err)
		}
	}
}
