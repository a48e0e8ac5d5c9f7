package store

import (
	"context"
	"fmt"

	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
)

// Question and QuestionMessage are the domain's records (clearance.Question), read and
// written here: a question on a document and the messages of its thread.
type (
	Question        = clearance.Question
	QuestionMessage = clearance.QuestionMessage
)

// QuestionFilter narrows ListQuestions: one document's questions ("" for the whole room's),
// the open ones only.
type QuestionFilter struct {
	DocumentID string
	OpenOnly   bool
}

// where is the filter's WHERE clause on questions (aliased qn) with its arguments.
func (f QuestionFilter) where(roomID string) (string, []any) {
	clause, args := `qn.room_id = ?`, []any{roomID}
	if f.DocumentID != "" {
		clause += ` AND qn.document_id = ?`
		args = append(args, f.DocumentID)
	}
	if f.OpenOnly {
		clause += ` AND qn.status = ?`
		args = append(args, string(clearance.QuestionOpen))
	}
	return clause, args
}

const questionColumns = `qn.id, qn.room_id, qn.document_id, qn.addressed_to, qn.status, qn.asked_by, qn.asked_at, qn.updated_at`

func questionRow() row[Question] {
	var qn Question
	return row[Question]{
		dest: []any{&qn.ID, &qn.RoomID, &qn.DocumentID, &qn.AddressedTo, &qn.Status, &qn.AskedBy, &qn.AskedAt, &qn.UpdatedAt},
		value: func() Question {
			out := qn
			out.AskedAt, out.UpdatedAt = qn.AskedAt.UTC(), qn.UpdatedAt.UTC()
			return out
		},
	}
}

const messageColumns = `m.id, m.question_id, m.room_id, m.kind, m.body, m.author_id, m.author_email, m.author_name, m.author_role, m.created_at`

func messageRow() row[QuestionMessage] {
	var m QuestionMessage
	var role string
	return row[QuestionMessage]{
		dest: []any{&m.ID, &m.QuestionID, &m.RoomID, &m.Kind, &m.Text, &m.AuthorID, &m.AuthorEmail, &m.AuthorName, &role, &m.CreatedAt},
		value: func() QuestionMessage {
			out := m
			out.AuthorRole, out.CreatedAt = authz.Role(role), m.CreatedAt.UTC()
			return out
		},
	}
}

// AddQuestion stores a new question with its first message (qn.Messages[0], the question
// as asked).
func (q Q) AddQuestion(ctx context.Context, qn Question) error {
	if len(qn.Messages) != 1 || qn.Messages[0].Kind != clearance.MessageQuestion {
		return fmt.Errorf("add question: a new question has exactly its own message")
	}
	_, err := q.exec(ctx, `INSERT INTO questions (id, room_id, document_id, addressed_to, status, asked_by, asked_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, qn.ID, qn.RoomID, qn.DocumentID, string(qn.AddressedTo), string(qn.Status), qn.AskedBy,
		qn.AskedAt, qn.UpdatedAt)
	if err != nil {
		return fmt.Errorf("add question: %w", q.d.classify(err))
	}
	return q.insertMessage(ctx, qn.Messages[0])
}

// AddQuestionMessage appends m to its question's thread and sets the question's status to
// status, its updated_at to the message's time.
func (q Q) AddQuestionMessage(ctx context.Context, m QuestionMessage, status clearance.QuestionStatus) error {
	if err := q.execOne(ctx, "update question", `UPDATE questions SET status = ?, updated_at = ? WHERE room_id = ? AND id = ?`,
		string(status), m.CreatedAt, m.RoomID, m.QuestionID); err != nil {
		return err
	}
	return q.insertMessage(ctx, m)
}

func (q Q) insertMessage(ctx context.Context, m QuestionMessage) error {
	_, err := q.exec(ctx, `INSERT INTO question_messages (id, room_id, question_id, kind, body, author_id, author_email, author_name,
		author_role, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, m.ID, m.RoomID, m.QuestionID, string(m.Kind), m.Text,
		m.AuthorID, m.AuthorEmail, m.AuthorName, string(m.AuthorRole), m.CreatedAt)
	if err != nil {
		return fmt.Errorf("add question message: %w", q.d.classify(err))
	}
	return nil
}

// QuestionByID returns one question of a room's document with its thread; another
// document's or room's is apperr.ErrNotFound.
func (q Q) QuestionByID(ctx context.Context, roomID, documentID, questionID string) (Question, error) {
	qn, err := questionRow().scan(q.queryRow(ctx, `SELECT `+questionColumns+` FROM questions qn
		WHERE qn.room_id = ? AND qn.document_id = ? AND qn.id = ?`, roomID, documentID, questionID))
	if err != nil {
		return Question{}, notFoundOr("question", err)
	}
	rows, err := q.query(ctx, `SELECT `+messageColumns+` FROM question_messages m WHERE m.room_id = ? AND m.question_id = ?
		ORDER BY m.created_at, m.id`, roomID, questionID)
	if err != nil {
		return Question{}, fmt.Errorf("question messages: %w", err)
	}
	if qn.Messages, err = collect(rows, "question messages", messageRow()); err != nil {
		return Question{}, err
	}
	return qn, nil
}

// ListQuestions returns a room's questions that f selects, each with its thread, in the
// order they were asked (two statements, whatever their number).
func (q Q) ListQuestions(ctx context.Context, roomID string, f QuestionFilter) ([]Question, error) {
	where, args := f.where(roomID)
	rows, err := q.query(ctx, `SELECT `+questionColumns+` FROM questions qn WHERE `+where+` ORDER BY qn.asked_at, qn.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list questions: %w", err)
	}
	questions, err := collect(rows, "list questions", questionRow())
	if err != nil || len(questions) == 0 {
		return questions, err
	}
	rows, err = q.query(ctx, `SELECT `+messageColumns+` FROM question_messages m JOIN questions qn ON qn.id = m.question_id
		WHERE m.room_id = ? AND `+where+` ORDER BY m.created_at, m.id`, append([]any{roomID}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("list question messages: %w", err)
	}
	messages, err := collect(rows, "list question messages", messageRow())
	if err != nil {
		return nil, err
	}
	byQuestion := map[string][]QuestionMessage{}
	for _, m := range messages {
		byQuestion[m.QuestionID] = append(byQuestion[m.QuestionID], m)
	}
	for i := range questions {
		questions[i].Messages = byQuestion[questions[i].ID]
	}
	return questions, nil
}

// QuestionCounts counts the questions of a room's documents by status, by document ID;
// documentID "" counts every document's. A document without questions is absent.
func (q Q) QuestionCounts(ctx context.Context, roomID, documentID string) (map[string]clearance.QuestionCounts, error) {
	where, args := QuestionFilter{DocumentID: documentID}.where(roomID)
	rows, err := q.query(ctx, `SELECT qn.document_id, qn.status, COUNT(*) FROM questions qn WHERE `+where+`
		GROUP BY qn.document_id, qn.status`, args...)
	if err != nil {
		return nil, fmt.Errorf("count questions: %w", err)
	}
	defer rows.Close()
	out := map[string]clearance.QuestionCounts{}
	for rows.Next() {
		var doc, status string
		var n int
		if err := rows.Scan(&doc, &status, &n); err != nil {
			return nil, fmt.Errorf("count questions: %w", outage(err))
		}
		c := out[doc]
		if clearance.QuestionStatus(status) == clearance.QuestionOpen {
			c.Open += n
		} else {
			c.Resolved += n
		}
		out[doc] = c
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count questions: %w", outage(err))
	}
	return out, nil
}

// OpenQuestion is an open question with what a task list shows of it: its document's type
// and vessel, the question's own text, and who wrote its thread's latest message.
type OpenQuestion struct {
	Question
	TypeCode   string
	VesselID   string
	VesselName string
	Text       string
	LastRole   string // the role the latest message's author wrote as
	// LastBound: the latest message's author is an active party of the room bound to the
	// document's vessel (false for a document of the whole room).
	LastBound bool
}

// OpenQuestionsOfRooms lists the open questions of the rooms, oldest first, without their
// threads: one statement for any number of rooms (a user's task list).
func (q Q) OpenQuestionsOfRooms(ctx context.Context, roomIDs []string) ([]OpenQuestion, error) {
	if len(roomIDs) == 0 {
		return nil, nil
	}
	in, args := inList(roomIDs)
	// last is the thread's latest message; its author's binding is read from the parties now.
	rows, err := q.query(ctx, `SELECT `+questionColumns+`, d.type_code, COALESCE(d.vessel_id, ''), COALESCE(v.name, ''),
		COALESCE((SELECT m.body FROM question_messages m WHERE m.room_id = qn.room_id AND m.question_id = qn.id AND m.kind = 'question'), ''),
		COALESCE(last.author_role, ''),
		EXISTS (SELECT 1 FROM parties p JOIN party_vessels pv ON pv.party_id = p.id
			WHERE p.room_id = qn.room_id AND p.user_id = last.author_id AND p.removed_at IS NULL AND pv.vessel_id = d.vessel_id)
		FROM questions qn JOIN documents d ON d.id = qn.document_id LEFT JOIN vessels v ON v.id = d.vessel_id
		LEFT JOIN question_messages last ON last.room_id = qn.room_id AND last.question_id = qn.id
			AND last.id = (SELECT m.id FROM question_messages m WHERE m.room_id = qn.room_id AND m.question_id = qn.id
				ORDER BY m.created_at DESC, m.id DESC LIMIT 1)
		WHERE qn.room_id IN `+in+` AND qn.status = 'open' ORDER BY qn.asked_at, qn.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("open questions: %w", err)
	}
	var o OpenQuestion
	question := questionRow()
	return collect(rows, "open questions", row[OpenQuestion]{
		dest:  append(question.dest, &o.TypeCode, &o.VesselID, &o.VesselName, &o.Text, &o.LastRole, &o.LastBound),
		value: func() OpenQuestion { o.Question = question.value(); return o },
	})
}
