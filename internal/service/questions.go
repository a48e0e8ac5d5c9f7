package service

import (
	"context"
	"fmt"
	"time"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/store"
)

// Questions on documents (RFIs): the rules are clearance's (question.go); here they meet
// the caller's membership. A question exists for a party exactly when the document does:
// one the party may not see is apperr.ErrNotFound, with its questions.

// QuestionView is a question as one party sees it: the document it is about, and what the
// caller may do with it.
type QuestionView struct {
	clearance.Question
	TypeCode   string
	TypeName   string
	VesselID   string // "" for a document of the whole room
	VesselName string
	// AddressedToYou: the caller's party is the supplier the question is for.
	AddressedToYou bool
	// MayReply and MayResolve say which of the thread's actions the caller may take now
	// (the service decides again when it is asked): a reply to an open question, and
	// resolving it (or reopening it, once resolved).
	MayReply   bool
	MayResolve bool
}

// QuestionSummary is what a room's summary says of its questions, as one party sees them.
type QuestionSummary struct {
	Open           int            // open questions on the documents the caller sees
	AddressedToYou []QuestionView // the open ones addressed to the caller's party, oldest first
}

// questionDocument reads the document a question is about, for the caller m, and decides
// the caller's permission for action on it.
//
// SECURITY: a document m's party may not see is apperr.ErrNotFound (as GET on the document
// answers), whatever the action; only then does the role's right to act count (403).
func (s *Service) questionDocument(ctx context.Context, q store.Q, m store.Membership, documentID string, action authz.Action) (store.Document, clearance.DocumentType, error) {
	d, err := q.DocumentByID(ctx, m.Room.ID, documentID)
	if err != nil {
		return store.Document{}, clearance.DocumentType{}, err
	}
	types, err := s.catalogue(ctx, q)
	if err != nil {
		return store.Document{}, clearance.DocumentType{}, err
	}
	t := types[d.TypeCode]
	if err := permit(m, seeing(d, t)); err != nil {
		return store.Document{}, clearance.DocumentType{}, err
	}
	if action != authz.ViewRoom {
		if err := permit(m, request{action: action, docType: &t, vesselID: deref(d.VesselID)}); err != nil {
			return store.Document{}, clearance.DocumentType{}, err
		}
	}
	return d, t, nil
}

// ListQuestions returns the questions on one document, oldest first, with their threads.
func (s *Service) ListQuestions(ctx context.Context, actor Actor, roomID, documentID string) ([]QuestionView, error) {
	q := s.db.Read()
	m, err := authorizeMember(ctx, q, actor, roomID, authz.ViewRoom)
	if err != nil {
		return nil, err
	}
	d, t, err := s.questionDocument(ctx, q, m, documentID, authz.ViewRoom)
	if err != nil {
		return nil, err
	}
	questions, err := q.ListQuestions(ctx, roomID, store.QuestionFilter{DocumentID: documentID})
	if err != nil {
		return nil, err
	}
	names, err := vesselNames(ctx, q, roomID, []store.Document{d})
	if err != nil {
		return nil, err
	}
	out := make([]QuestionView, len(questions))
	for i, qn := range questions {
		out[i] = questionView(m, qn, d, t, names)
	}
	return out, nil
}

// GetQuestion returns one question on a document with its thread.
func (s *Service) GetQuestion(ctx context.Context, actor Actor, roomID, documentID, questionID string) (QuestionView, error) {
	q := s.db.Read()
	m, err := authorizeMember(ctx, q, actor, roomID, authz.ViewRoom)
	if err != nil {
		return QuestionView{}, err
	}
	return s.readQuestionView(ctx, q, m, documentID, questionID)
}

// readQuestionView reads one question of a document m's party sees.
func (s *Service) readQuestionView(ctx context.Context, q store.Q, m store.Membership, documentID, questionID string) (QuestionView, error) {
	d, t, err := s.questionDocument(ctx, q, m, documentID, authz.ViewRoom)
	if err != nil {
		return QuestionView{}, err
	}
	qn, err := q.QuestionByID(ctx, m.Room.ID, documentID, questionID)
	if err != nil {
		return QuestionView{}, err
	}
	names, err := vesselNames(ctx, q, m.Room.ID, []store.Document{d})
	if err != nil {
		return QuestionView{}, err
	}
	return questionView(m, qn, d, t, names), nil
}

// questionView is qn on document d of type t as m's party sees it.
func questionView(m store.Membership, qn clearance.Question, d store.Document, t clearance.DocumentType, names map[string]string) QuestionView {
	role, vessel := authz.Role(m.Role), deref(d.VesselID)
	asks := permit(m, request{action: authz.AskQuestion, docType: &t, vesselID: vessel}) == nil
	v := QuestionView{Question: qn, TypeCode: d.TypeCode, TypeName: t.Name, VesselID: vessel, VesselName: names[vessel],
		AddressedToYou: clearance.IsAddressee(qn.AddressedTo, t.Scope, role, m.BoundTo(vessel))}
	v.MayReply = asks && clearance.CheckQuestionMessage(qn.Status, clearance.MessageReply) == nil
	v.MayResolve = asks && clearance.MayResolve(qn, m.UserID, authz.Can(role, authz.ReviewDocument)) == nil
	return v
}

// OpenQuestion asks the supplier of a document a question about it; text is required.
func (s *Service) OpenQuestion(ctx context.Context, actor Actor, roomID, documentID, text string) (QuestionView, error) {
	var id string
	err := s.db.InTx(ctx, func(tx store.Q) error {
		m, err := authorizeMember(ctx, tx, actor, roomID, authz.ViewRoom)
		if err != nil {
			return err
		}
		d, t, err := s.questionDocument(ctx, tx, m, documentID, authz.AskQuestion)
		if err != nil {
			return err
		}
		if err := clearance.MayAsk(t, authz.Role(m.Role), m.BoundTo(deref(d.VesselID))); err != nil {
			return fmt.Errorf("%w: %w", err, apperr.ErrForbidden)
		}
		if text, err = clearance.CheckQuestionText("text", text, true); err != nil {
			return err
		}
		counts, err := tx.QuestionCounts(ctx, roomID, d.ID)
		if err != nil {
			return err
		}
		if err := clearance.CheckQuestionCount("text", counts[d.ID].Open+counts[d.ID].Resolved); err != nil {
			return err
		}
		now := s.now()
		id = newID()
		qn := clearance.Question{ID: id, RoomID: roomID, DocumentID: d.ID, AddressedTo: clearance.AddressedTo(t),
			Status: clearance.QuestionOpen, AskedBy: actor.UserID, AskedAt: now, UpdatedAt: now,
			Messages: []clearance.QuestionMessage{s.message(actor, m, id, clearance.MessageQuestion, text, now)}}
		if err := tx.AddQuestion(ctx, qn); err != nil {
			return err
		}
		if err := s.notifyQuestion(ctx, tx, actor, m.Room, d, t, clearance.NotifyQuestion, "A question on ", addresseesOf(qn, t, d)); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, event{scope: roomID, action: audit.ActionQuestionOpened, targetType: "document", targetID: d.ID,
			meta: map[string]any{"question_id": id, "type_code": d.TypeCode, "vessel_id": deref(d.VesselID),
				"addressed_to": string(qn.AddressedTo), "text": text}})
	})
	if err != nil {
		return QuestionView{}, err
	}
	return s.committedQuestion(ctx, actor, roomID, documentID, id)
}

// ReplyToQuestion adds a reply to an open question's thread; text is required.
func (s *Service) ReplyToQuestion(ctx context.Context, actor Actor, roomID, documentID, questionID, text string) (QuestionView, error) {
	return s.addMessage(ctx, actor, roomID, documentID, questionID, clearance.MessageReply, text)
}

// ResolveQuestion closes an open question, with an optional note: for its asker or a
// reviewer of documents.
func (s *Service) ResolveQuestion(ctx context.Context, actor Actor, roomID, documentID, questionID, note string) (QuestionView, error) {
	return s.addMessage(ctx, actor, roomID, documentID, questionID, clearance.MessageResolved, note)
}

// ReopenQuestion opens a resolved question again, with an optional note: for the same
// people as ResolveQuestion.
func (s *Service) ReopenQuestion(ctx context.Context, actor Actor, roomID, documentID, questionID, note string) (QuestionView, error) {
	return s.addMessage(ctx, actor, roomID, documentID, questionID, clearance.MessageReopened, note)
}

// questionActions are the trail's action for each message added to a thread.
var questionActions = map[clearance.MessageKind]string{
	clearance.MessageReply:    audit.ActionQuestionReplied,
	clearance.MessageResolved: audit.ActionQuestionResolved,
	clearance.MessageReopened: audit.ActionQuestionReopened,
}

// addMessage adds a reply, a resolution or a reopening to a question, in the order a user
// reads the refusals: the document (404), the right to take part (403), the right to close
// or reopen (403), the question's state (409), the text and the thread's length (422).
func (s *Service) addMessage(ctx context.Context, actor Actor, roomID, documentID, questionID string, kind clearance.MessageKind, text string) (QuestionView, error) {
	field := "text"
	if kind != clearance.MessageReply {
		field = "note"
	}
	err := s.db.InTx(ctx, func(tx store.Q) error {
		m, err := authorizeMember(ctx, tx, actor, roomID, authz.ViewRoom)
		if err != nil {
			return err
		}
		d, t, err := s.questionDocument(ctx, tx, m, documentID, authz.AskQuestion)
		if err != nil {
			return err
		}
		qn, err := tx.QuestionByID(ctx, roomID, documentID, questionID)
		if err != nil {
			return err
		}
		if kind != clearance.MessageReply {
			if err := clearance.MayResolve(qn, actor.UserID, authz.Can(authz.Role(m.Role), authz.ReviewDocument)); err != nil {
				return fmt.Errorf("%w: %w", err, apperr.ErrForbidden)
			}
		}
		if err := clearance.CheckQuestionMessage(qn.Status, kind); err != nil {
			return err
		}
		if text, err = clearance.CheckQuestionText(field, text, kind == clearance.MessageReply); err != nil {
			return err
		}
		if err := clearance.CheckThreadLength(field, len(qn.Messages), kind); err != nil {
			return err
		}
		msg := s.message(actor, m, qn.ID, kind, text, s.now())
		if err := tx.AddQuestionMessage(ctx, msg, clearance.StatusAfter(qn.Status, kind)); err != nil {
			return err
		}
		// The thread's two sides hear of it: the asker and the supplier (never the author).
		if err := s.notifyQuestion(ctx, tx, actor, m.Room, d, t, clearance.NotifyReply, questionNews[kind], threadOf(qn, t, d)); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, event{scope: roomID, action: questionActions[kind], targetType: "document", targetID: d.ID,
			meta: map[string]any{"question_id": qn.ID, "type_code": d.TypeCode, "vessel_id": deref(d.VesselID), field: text}})
	})
	if err != nil {
		return QuestionView{}, err
	}
	return s.committedQuestion(ctx, actor, roomID, documentID, questionID)
}

// questionNews begins the title of a notice of each message added to a thread.
var questionNews = map[clearance.MessageKind]string{
	clearance.MessageReply:    "A reply on the question on ",
	clearance.MessageResolved: "Resolved: the question on ",
	clearance.MessageReopened: "Reopened: the question on ",
}

// notifyQuestion tells the parties to of a question's news on document d (title begins with
// news; the document's name follows). notify keeps out those who may not see d.
func (s *Service) notifyQuestion(ctx context.Context, tx store.Q, actor Actor, room store.Room, d store.Document, t clearance.DocumentType,
	kind clearance.NotificationKind, news string, to recipients) error {
	vessel, err := vesselNameOf(ctx, tx, d)
	if err != nil {
		return err
	}
	return s.notify(ctx, tx, actor, notice{kind: kind, room: room, doc: &d, title: news + docLabel(t, vessel),
		link: documentLink(d) + "#questions", to: to})
}

// addresseesOf is the parties a question on d is addressed to: the supplier of its type, for
// d's vessel.
func addresseesOf(qn clearance.Question, t clearance.DocumentType, d store.Document) recipients {
	return func(m store.Membership) bool {
		return clearance.IsAddressee(qn.AddressedTo, t.Scope, authz.Role(m.Role), m.BoundTo(deref(d.VesselID)))
	}
}

// threadOf is both sides of a question's thread: its asker and its addressees.
func threadOf(qn clearance.Question, t clearance.DocumentType, d store.Document) recipients {
	addressed := addresseesOf(qn, t, d)
	return func(m store.Membership) bool { return m.UserID == qn.AskedBy || addressed(m) }
}

// message is a new message of question questionID by the caller, as its party m.
func (s *Service) message(actor Actor, m store.Membership, questionID string, kind clearance.MessageKind, text string, at time.Time) clearance.QuestionMessage {
	return clearance.QuestionMessage{ID: newID(), QuestionID: questionID, RoomID: m.Room.ID, Kind: kind, Text: text,
		AuthorID: actor.UserID, AuthorEmail: actor.Email, AuthorName: actor.Name, AuthorRole: authz.Role(m.Role), CreatedAt: at}
}

// committedQuestion is the answer of a write to a question, read once it has committed.
func (s *Service) committedQuestion(ctx context.Context, actor Actor, roomID, documentID, questionID string) (QuestionView, error) {
	q := s.db.Read()
	m, err := membershipOf(ctx, q, actor, roomID)
	if err != nil {
		return QuestionView{}, err
	}
	return s.readQuestionView(ctx, q, m, documentID, questionID)
}

// OpenQuestionsForMe returns the open questions of a room addressed to the caller's
// party, oldest first: what it has to answer (a "my tasks" list reads it).
func (s *Service) OpenQuestionsForMe(ctx context.Context, actor Actor, roomID string) ([]QuestionView, error) {
	q := s.db.Read()
	m, err := authorizeMember(ctx, q, actor, roomID, authz.ViewRoom)
	if err != nil {
		return nil, err
	}
	sum, err := s.questionSummary(ctx, q, m)
	return sum.AddressedToYou, err
}

// questionSummary counts the room's open questions m's party may see and lists those
// addressed to it. A room without open questions costs one statement.
func (s *Service) questionSummary(ctx context.Context, q store.Q, m store.Membership) (QuestionSummary, error) {
	sum := QuestionSummary{AddressedToYou: []QuestionView{}}
	questions, err := q.ListQuestions(ctx, m.Room.ID, store.QuestionFilter{OpenOnly: true})
	if err != nil || len(questions) == 0 {
		return sum, err
	}
	docs, err := q.ListDocuments(ctx, m.Room.ID)
	if err != nil {
		return sum, err
	}
	// SECURITY: the questions on a document m's party may not see are neither counted nor listed.
	if docs, err = s.visibleOnly(ctx, q, m, docs); err != nil {
		return sum, err
	}
	types, err := s.catalogue(ctx, q)
	if err != nil {
		return sum, err
	}
	names, err := vesselNames(ctx, q, m.Room.ID, docs)
	if err != nil {
		return sum, err
	}
	byID := make(map[string]store.Document, len(docs))
	for _, d := range docs {
		byID[d.ID] = d
	}
	for _, qn := range questions {
		d, ok := byID[qn.DocumentID]
		if !ok {
			continue
		}
		sum.Open++
		if v := questionView(m, qn, d, types[d.TypeCode], names); v.AddressedToYou {
			sum.AddressedToYou = append(sum.AddressedToYou, v)
		}
	}
	return sum, nil
}

// roomQuestions are every question of a room on the documents visible lists (by ID), with
// the document each is about: what a snapshot records.
func (s *Service) roomQuestions(ctx context.Context, q store.Q, m store.Membership, docs []DocumentView) ([]QuestionView, error) {
	questions, err := q.ListQuestions(ctx, m.Room.ID, store.QuestionFilter{})
	if err != nil || len(questions) == 0 {
		return nil, err
	}
	byID := make(map[string]DocumentView, len(docs))
	for _, d := range docs {
		byID[d.ID] = d
	}
	var out []QuestionView
	for _, qn := range questions {
		if d, ok := byID[qn.DocumentID]; ok {
			out = append(out, questionView(m, qn, d.Document, d.Type, map[string]string{deref(d.VesselID): d.VesselName}))
		}
	}
	return out, nil
}
