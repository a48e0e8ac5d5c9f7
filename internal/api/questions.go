package api

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/service"
)

// Questions on documents (RFIs): a thread per question, addressed to the document's supplier.

type authorJSON struct {
	UserID string   `json:"user_id"`
	Name   string   `json:"name"`
	Email  string   `json:"email"`
	Role   roomRole `json:"role" doc:"the author's role in the room when writing"`
}

type questionMessageJSON struct {
	ID     string      `json:"id"`
	Kind   messageKind `json:"kind" doc:"question (the first message), reply, resolved or reopened"`
	Text   string      `json:"text" doc:"empty for a resolve or reopen without a note"`
	Author authorJSON  `json:"author"`
	At     time.Time   `json:"at"`
}

type questionJSON struct {
	ID             string                `json:"id"`
	RoomID         string                `json:"room_id"`
	DocumentID     string                `json:"document_id"`
	TypeCode       string                `json:"type_code"`
	TypeName       string                `json:"type_name"`
	VesselID       *string               `json:"vessel_id" doc:"null for a document of the whole room"`
	VesselName     string                `json:"vessel_name,omitempty"`
	AddressedTo    roomRole              `json:"addressed_to" doc:"the role that supplies the document; for a vessel's document, its party acting for that vessel"`
	AddressedToYou bool                  `json:"addressed_to_you" doc:"the caller's party is the one asked"`
	Status         questionStatus        `json:"status"`
	Text           string                `json:"text" doc:"the question as asked"`
	AskedBy        authorJSON            `json:"asked_by"`
	AskedAt        time.Time             `json:"asked_at"`
	UpdatedAt      time.Time             `json:"updated_at" doc:"the time of the latest message"`
	Replies        int                   `json:"replies"`
	ResolvedBy     *authorJSON           `json:"resolved_by,omitempty" doc:"who resolved it; absent while open"`
	ResolvedAt     *time.Time            `json:"resolved_at,omitempty"`
	MayReply       bool                  `json:"may_reply" doc:"the caller may reply now"`
	MayResolve     bool                  `json:"may_resolve" doc:"the caller may resolve it (or reopen it, once resolved): its asker or a reviewer"`
	Messages       []questionMessageJSON `json:"messages" doc:"the thread, oldest first"`
}

func authorOf(m clearance.QuestionMessage) authorJSON {
	return authorJSON{UserID: m.AuthorID, Name: m.AuthorName, Email: m.AuthorEmail, Role: roomRole(m.AuthorRole)}
}

func questionOf(q service.QuestionView) questionJSON {
	out := questionJSON{ID: q.ID, RoomID: q.RoomID, DocumentID: q.DocumentID, TypeCode: q.TypeCode, TypeName: q.TypeName,
		VesselName: q.VesselName, AddressedTo: roomRole(q.AddressedTo), AddressedToYou: q.AddressedToYou, Status: questionStatus(q.Status),
		Text: q.Text(), AskedBy: authorOf(q.Asker()), AskedAt: q.AskedAt, UpdatedAt: q.UpdatedAt, Replies: q.Replies(),
		MayReply: q.MayReply, MayResolve: q.MayResolve, Messages: make([]questionMessageJSON, len(q.Messages))}
	if q.VesselID != "" {
		out.VesselID = &q.VesselID
	}
	if r := q.Resolution(); r != nil {
		by, at := authorOf(*r), r.CreatedAt
		out.ResolvedBy, out.ResolvedAt = &by, &at
	}
	for i, m := range q.Messages {
		out.Messages[i] = questionMessageJSON{ID: m.ID, Kind: messageKind(m.Kind), Text: m.Text, Author: authorOf(m), At: m.CreatedAt}
	}
	return out
}

// questionCountsJSON is what a document says of its questions.
type questionCountsJSON struct {
	Open     int `json:"open"`
	Resolved int `json:"resolved"`
}

// questionSummaryJSON is what a room's summary says of its questions.
type questionSummaryJSON struct {
	Open           int            `json:"open" doc:"open questions on the documents the caller sees"`
	AddressedToYou []questionJSON `json:"addressed_to_you" doc:"the open ones addressed to the caller's party, oldest first"`
}

func questionSummaryOf(s service.QuestionSummary) questionSummaryJSON {
	return questionSummaryJSON{Open: s.Open, AddressedToYou: listOf(s.AddressedToYou, "", questionOf).Items}
}

// QuestionPath is the path of one question.
type QuestionPath struct {
	DocumentPath
	QuestionID string `path:"question_id" maxLength:"64"`
}

type openQuestionInput struct {
	DocumentPath
	Body struct {
		Text string `json:"text" maxLength:"4000" doc:"the question, at most 4,000 characters"`
	}
}

type replyInput struct {
	QuestionPath
	Body struct {
		Text string `json:"text" maxLength:"4000" doc:"the reply, at most 4,000 characters"`
	}
}

type noteInput struct {
	QuestionPath
	Body *struct {
		Note string `json:"note,omitempty" maxLength:"4000" doc:"optional, at most 4,000 characters"`
	}
}

func (in noteInput) note() string {
	if in.Body == nil {
		return ""
	}
	return in.Body.Note
}

type questionOutput struct {
	Body questionJSON
}

type questionsOutput struct {
	Body list[questionJSON]
}

func questionResult(q service.QuestionView, err error) (*questionOutput, error) {
	if err != nil {
		return nil, err
	}
	return &questionOutput{Body: questionOf(q)}, nil
}

func (h *Handlers) registerQuestions(a huma.API) {
	tags := []string{"questions"}
	const base = "/rooms/{room_id}/documents/{document_id}/questions"
	huma.Register(a, huma.Operation{OperationID: "list-questions", Method: http.MethodGet, Path: base, Tags: tags,
		Summary: "The questions on a document, oldest first, each with its thread", Security: authed,
		Description: "404 for a document the caller may not see, as GET on the document answers."},
		func(ctx context.Context, in *DocumentPath) (*questionsOutput, error) {
			qs, err := h.svc.ListQuestions(ctx, actorOf(ctx), in.RoomID, in.DocumentID)
			if err != nil {
				return nil, err
			}
			return &questionsOutput{Body: listOf(qs, "", questionOf)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "open-question", Method: http.MethodPost, Path: base, Tags: tags,
		Summary: "Ask the supplier of a document a question about it (a missing one too)", Security: authed, DefaultStatus: http.StatusCreated,
		Description: "Addressed to the role that supplies the document. Every role but viewer may ask; the supplier itself " +
			"answers instead (403). The text is required (422). A document takes " + strconv.Itoa(clearance.MaxQuestionsPerDocument) +
			" questions, open and resolved (422 after that)."},
		func(ctx context.Context, in *openQuestionInput) (*questionOutput, error) {
			return questionResult(h.svc.OpenQuestion(ctx, actorOf(ctx), in.RoomID, in.DocumentID, in.Body.Text))
		})
	huma.Register(a, huma.Operation{OperationID: "get-question", Method: http.MethodGet, Path: base + "/{question_id}", Tags: tags,
		Summary: "One question on a document with its thread", Security: authed},
		func(ctx context.Context, in *QuestionPath) (*questionOutput, error) {
			return questionResult(h.svc.GetQuestion(ctx, actorOf(ctx), in.RoomID, in.DocumentID, in.QuestionID))
		})
	huma.Register(a, huma.Operation{OperationID: "reply-to-question", Method: http.MethodPost, Path: base + "/{question_id}/replies", Tags: tags,
		Summary: "Reply to an open question", Security: authed, DefaultStatus: http.StatusCreated,
		Description: "Answers with the question and its thread. 409 when the question is resolved: its asker or a reviewer reopens it first. " +
			"A thread takes " + strconv.Itoa(clearance.MaxThreadMessages) + " messages (422 after that, for a reopening too; it can still be resolved)."},
		func(ctx context.Context, in *replyInput) (*questionOutput, error) {
			return questionResult(h.svc.ReplyToQuestion(ctx, actorOf(ctx), in.RoomID, in.DocumentID, in.QuestionID, in.Body.Text))
		})
	huma.Register(a, huma.Operation{OperationID: "resolve-question", Method: http.MethodPost, Path: base + "/{question_id}/resolve", Tags: tags,
		Summary: "Resolve an open question, with an optional note", Security: authed,
		Description: "For the asker or a party that reviews documents (403 otherwise); 409 when it is resolved already."},
		func(ctx context.Context, in *noteInput) (*questionOutput, error) {
			return questionResult(h.svc.ResolveQuestion(ctx, actorOf(ctx), in.RoomID, in.DocumentID, in.QuestionID, in.note()))
		})
	huma.Register(a, huma.Operation{OperationID: "reopen-question", Method: http.MethodPost, Path: base + "/{question_id}/reopen", Tags: tags,
		Summary: "Reopen a resolved question, with an optional note", Security: authed,
		Description: "For the asker or a party that reviews documents (403 otherwise); 409 when it is open."},
		func(ctx context.Context, in *noteInput) (*questionOutput, error) {
			return questionResult(h.svc.ReopenQuestion(ctx, actorOf(ctx), in.RoomID, in.DocumentID, in.QuestionID, in.note()))
		})
}
