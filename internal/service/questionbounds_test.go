package service_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/store"
)

// TestQuestionBounds (review W9): a document takes 200 questions and a thread 500
// messages: the last one in is accepted and the next refused with 422 on its field; a full
// thread can still be resolved, not reopened. The questions and messages before the bound
// are written in the store directly, in one transaction each.
func TestQuestionBounds(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		ctx := context.Background()
		svc := env.App.Service()
		broker := newBroker(t, env)
		room := newRoom(t, env, broker, "Bounded questions")
		if _, err := svc.AddVessel(ctx, broker, room.ID, clearance.VesselParticulars{Name: "MT AEGEAN SERENITY", IMO: "9372145",
			Role: clearance.VesselDischarging}); err != nil {
			t.Fatal(err)
		}
		docs, err := svc.ListDocuments(ctx, broker, room.ID)
		if err != nil {
			t.Fatal(err)
		}
		var q88 string
		for _, d := range docs {
			if d.TypeCode == "Q88" {
				q88 = d.ID
			}
		}
		refused := func(what string, err error, field string) {
			t.Helper()
			var v *apperr.ValidationError
			if !errors.As(err, &v) || v.Fields[0].Field != field {
				t.Errorf("%s: %v, want a 422 on %s", what, err, field)
			}
		}
		now, n := env.Now(), 0
		message := func(qid string, kind clearance.MessageKind) clearance.QuestionMessage {
			n++ // a microsecond apart, in the order written, all before the service's own
			return clearance.QuestionMessage{ID: uuid.NewString(), QuestionID: qid, RoomID: room.ID, Kind: kind, Text: "earlier",
				AuthorID: broker.UserID, AuthorEmail: broker.Email, AuthorRole: "broker", CreatedAt: now.Add(time.Duration(n) * time.Microsecond)}
		}
		err = env.App.DB().InTx(ctx, func(tx store.Q) error {
			for i := range clearance.MaxQuestionsPerDocument - 1 {
				id := uuid.NewString()
				qn := clearance.Question{ID: id, RoomID: room.ID, DocumentID: q88, AddressedTo: "owner", Status: clearance.QuestionOpen,
					AskedBy: broker.UserID, AskedAt: now, UpdatedAt: now, Messages: []clearance.QuestionMessage{message(id, clearance.MessageQuestion)}}
				if i%2 == 1 {
					qn.Status = clearance.QuestionResolved // resolved ones count too
				}
				if err := tx.AddQuestion(ctx, qn); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		last, err := svc.OpenQuestion(ctx, broker, room.ID, q88, "The 200th question")
		if err != nil {
			t.Fatalf("the 200th question: %v", err)
		}
		_, err = svc.OpenQuestion(ctx, broker, room.ID, q88, "The 201st question")
		refused("the 201st question", err, "text")

		// The 200th question's thread: its question and 498 replies, then the 500th message.
		err = env.App.DB().InTx(ctx, func(tx store.Q) error {
			for range clearance.MaxThreadMessages - 2 {
				if err := tx.AddQuestionMessage(ctx, message(last.ID, clearance.MessageReply), clearance.QuestionOpen); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.ReplyToQuestion(ctx, broker, room.ID, q88, last.ID, "The 500th message"); err != nil {
			t.Fatalf("the 500th message: %v", err)
		}
		_, err = svc.ReplyToQuestion(ctx, broker, room.ID, q88, last.ID, "The 501st message")
		refused("the 501st message", err, "text")
		v, err := svc.ResolveQuestion(ctx, broker, room.ID, q88, last.ID, "")
		if err != nil || v.Status != clearance.QuestionResolved || len(v.Messages) != clearance.MaxThreadMessages+1 {
			t.Fatalf("resolving a full thread: %v, %d messages", err, len(v.Messages))
		}
		_, err = svc.ReopenQuestion(ctx, broker, room.ID, q88, last.ID, "")
		refused("reopening a full thread", err, "note")
		if n, _ := svc.ListQuestions(ctx, broker, room.ID, q88); len(n) != clearance.MaxQuestionsPerDocument {
			t.Errorf("the document holds %d questions, want %d", len(n), clearance.MaxQuestionsPerDocument)
		}
	})
}
