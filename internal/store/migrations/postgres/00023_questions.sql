-- +goose Up
-- Questions on documents (RFIs, docs/domain.md "Questions on documents"). A question is
-- asked about one document requirement (a missing one too), addressed to the role that
-- supplies it (addressed_to: the type's supplied_by when it was opened), and open until the
-- asker or a reviewer resolves it. Its thread is question_messages, oldest first: the
-- question itself, the replies, and each resolve and reopen with its note. Messages are
-- records: never changed, never deleted; a question changes only its status and
-- updated_at (the time of its latest message). document_id names a document of the room
-- without a foreign key (as room_holds does): a document slot is deleted only while it has
-- no version and no question (store.DeleteUnusedVesselDocuments), and a key would make
-- that deletion look through every question.
CREATE TABLE questions (
    id           TEXT PRIMARY KEY,
    room_id      TEXT NOT NULL REFERENCES rooms(id),
    document_id  TEXT NOT NULL,
    addressed_to TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
    asked_by     TEXT NOT NULL,
    asked_at     TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX questions_by_document ON questions (room_id, document_id, asked_at);
CREATE TABLE question_messages (
    id           TEXT PRIMARY KEY,
    room_id      TEXT NOT NULL REFERENCES rooms(id),
    question_id  TEXT NOT NULL REFERENCES questions(id),
    kind         TEXT NOT NULL CHECK (kind IN ('question', 'reply', 'resolved', 'reopened')),
    body         TEXT NOT NULL,
    author_id    TEXT NOT NULL,
    author_email TEXT NOT NULL,
    author_name  TEXT NOT NULL,
    author_role  TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX question_messages_by_question ON question_messages (room_id, question_id, created_at);

-- +goose Down
DROP TABLE question_messages;
DROP TABLE questions;
