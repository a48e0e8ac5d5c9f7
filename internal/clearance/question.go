package clearance

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/authz"
)

// Questions on documents (RFIs, docs/domain.md "Questions on documents"): a party that sees
// a document — or a requirement still missing one — asks its supplier about it; the thread
// collects the replies; the asker, or a reviewer of the document, resolves the question
// when it is answered, and may reopen it. The rules below are pure; the service applies
// them (service.OpenQuestion and the others) with the permission decision of permit.

// The bounds of questions, so that no party can make a document's page, the room's
// summary or its snapshot arbitrarily large (each question and message is shown there).
const (
	// MaxQuestionText bounds a question, a reply and a resolve or reopen note, in characters.
	MaxQuestionText = 4000
	// MaxQuestionsPerDocument bounds the questions on one document, open and resolved alike
	// (a resolved one counts, since the snapshot shows it; it can be reopened to go on).
	MaxQuestionsPerDocument = 200
	// MaxThreadMessages bounds the messages of one thread (the question, its replies, each
	// resolve and reopen): replies and reopenings stop there; resolving does not, so a full
	// thread can still be closed (MaxThreadMessages + 1 messages at most).
	MaxThreadMessages = 500
)

// CheckQuestionCount refuses a new question on a document that has asked questions already
// once it holds MaxQuestionsPerDocument (apperr.ValidationError on field, a 422).
func CheckQuestionCount(field string, asked int) error {
	if asked >= MaxQuestionsPerDocument {
		return apperr.Invalid(field, fmt.Sprintf("this document has %d questions, the most one document takes: "+
			"continue in one of them (a resolved one can be reopened)", MaxQuestionsPerDocument))
	}
	return nil
}

// CheckThreadLength refuses a message of kind to a thread of messages messages once the
// thread holds MaxThreadMessages, except a resolve (apperr.ValidationError on field, a 422).
func CheckThreadLength(field string, messages int, kind MessageKind) error {
	if messages >= MaxThreadMessages && kind != MessageResolved {
		return apperr.Invalid(field, fmt.Sprintf("this thread has %d messages, the most one question takes: "+
			"resolve it and ask a new question", MaxThreadMessages))
	}
	return nil
}

// QuestionStatus is where a question stands.
type QuestionStatus string

// The statuses of a question.
const (
	QuestionOpen     QuestionStatus = "open"     // waiting for an answer, or for the asker to accept one
	QuestionResolved QuestionStatus = "resolved" // answered; closed to replies until reopened
)

// QuestionStatuses lists the statuses: the one list (API enum, database CHECK test).
func QuestionStatuses() []QuestionStatus { return []QuestionStatus{QuestionOpen, QuestionResolved} }

// MessageKind says what one message of a question's thread did.
type MessageKind string

// The kinds of message. The first message of every thread is the question itself.
const (
	MessageQuestion MessageKind = "question" // the question as asked
	MessageReply    MessageKind = "reply"    // an answer or a follow-up
	MessageResolved MessageKind = "resolved" // the question resolved, with an optional note
	MessageReopened MessageKind = "reopened" // the question reopened, with an optional note
)

// MessageKinds lists the kinds of message: the one list (API enum, database CHECK test).
func MessageKinds() []MessageKind {
	return []MessageKind{MessageQuestion, MessageReply, MessageResolved, MessageReopened}
}

// Question is one question on a document, with its thread (oldest first).
type Question struct {
	ID         string
	RoomID     string
	DocumentID string
	// AddressedTo is the role that supplies the document (its type's supplied_by when the
	// question was opened); for a vessel's document, the party of that role acting for the
	// vessel (see IsAddressee).
	AddressedTo authz.Role
	Status      QuestionStatus
	AskedBy     string // user ID of the asker
	AskedAt     time.Time
	UpdatedAt   time.Time // the latest message's time
	Messages    []QuestionMessage
}

// QuestionMessage is one message of a question's thread: who wrote it, as which party, when.
type QuestionMessage struct {
	ID          string
	QuestionID  string
	RoomID      string
	Kind        MessageKind
	Text        string // "" for a resolve or reopen without a note
	AuthorID    string
	AuthorEmail string
	AuthorName  string
	AuthorRole  authz.Role // the author's role in the room when writing
	CreatedAt   time.Time
}

// Text is the question as asked (its first message).
func (q Question) Text() string {
	if len(q.Messages) == 0 {
		return ""
	}
	return q.Messages[0].Text
}

// Asker is the first message's author: who asked, as which party.
func (q Question) Asker() QuestionMessage {
	if len(q.Messages) == 0 {
		return QuestionMessage{}
	}
	return q.Messages[0]
}

// Resolution is the message that resolved the question; nil while it is open.
func (q Question) Resolution() *QuestionMessage {
	if q.Status != QuestionResolved {
		return nil
	}
	for i := len(q.Messages) - 1; i >= 0; i-- {
		if q.Messages[i].Kind == MessageResolved {
			return &q.Messages[i]
		}
	}
	return nil
}

// Replies counts the replies in the thread.
func (q Question) Replies() int {
	n := 0
	for _, m := range q.Messages {
		if m.Kind == MessageReply {
			n++
		}
	}
	return n
}

// QuestionCounts counts a document's questions by status.
type QuestionCounts struct {
	Open     int
	Resolved int
}

// CheckQuestionText trims a message's text and checks it: required for a question and a
// reply, optional for a resolve or reopen note; at most MaxQuestionText characters.
func CheckQuestionText(field, text string, required bool) (string, error) {
	text = strings.TrimSpace(text)
	var c apperr.Collector
	if required {
		checkRequired(&c, field, text, MaxQuestionText)
	} else {
		checkMaxLen(&c, field, text, MaxQuestionText)
	}
	return text, c.Err()
}

// AddressedTo is the role a question on a document of type t is addressed to: the role
// that supplies it.
func AddressedTo(t DocumentType) authz.Role { return authz.Role(t.SuppliedBy) }

// IsAddressee reports whether a party of role is the one a question addressed to
// addressedTo, on a document of scope, is for: the role itself, and for a vessel's document
// a vessel-bound role only where the party acts for that vessel (bound).
func IsAddressee(addressedTo authz.Role, scope DocScope, role authz.Role, bound bool) bool {
	if role != addressedTo {
		return false
	}
	return scope == ScopeRoom || !authz.ActsForVessels(role) || bound
}

// ErrAskingYourself refuses a question from the party it would be addressed to.
var ErrAskingYourself = errors.New("you supply this document, so its questions are addressed to you: " +
	"answer them here, or upload a new version")

// MayAsk decides whether a party of role (bound: to the document's vessel) may open a
// question on a document of type t: anyone who may see it and take part in the room's
// exchanges, except its supplier, to whom the question would be addressed.
func MayAsk(t DocumentType, role authz.Role, bound bool) error {
	if IsAddressee(AddressedTo(t), t.Scope, role, bound) {
		return ErrAskingYourself
	}
	return nil
}

// MayResolve decides who closes or reopens a question: the user who asked it, or a party
// whose role reviews documents (reviewer). Anyone else is refused with the reason.
func MayResolve(q Question, userID string, reviewer bool) error {
	if reviewer || (userID != "" && userID == q.AskedBy) {
		return nil
	}
	return fmt.Errorf("only the asker (%s) or a party that reviews documents (%s) may resolve or reopen this question",
		q.Asker().AuthorEmail, authz.Labels(authz.RolesThatCan(authz.ReviewDocument), " or "))
}

// CheckQuestionMessage decides whether a message of kind may be added to a question that
// is status: replies and resolving to an open one, reopening to a resolved one
// (apperr.ErrConflict with the reason otherwise). A resolved question takes no replies:
// whoever may resolve it reopens it first, with a note if they want, which is what a
// follow-up after an accepted answer means.
func CheckQuestionMessage(status QuestionStatus, kind MessageKind) error {
	switch {
	case kind == MessageReopened && status != QuestionResolved:
		return fmt.Errorf("the question is open: only a resolved question can be reopened: %w", apperr.ErrConflict)
	case kind == MessageReopened:
		return nil
	case status == QuestionResolved && kind == MessageResolved:
		return fmt.Errorf("the question is already resolved: %w", apperr.ErrConflict)
	case status == QuestionResolved:
		return fmt.Errorf("the question is resolved: the asker or a reviewer reopens it to continue the thread: %w", apperr.ErrConflict)
	}
	return nil
}

// StatusAfter is a question's status once a message of kind is added.
func StatusAfter(status QuestionStatus, kind MessageKind) QuestionStatus {
	switch kind {
	case MessageResolved:
		return QuestionResolved
	case MessageReopened, MessageQuestion:
		return QuestionOpen
	}
	return status
}
