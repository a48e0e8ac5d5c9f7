-- +goose Up
-- The audit trail is append-only: the store has no UPDATE or DELETE for audit_entries.
-- Each scope (a room ID, or 'platform') is one hash chain; audit_heads holds its latest
-- link and is the row that serialises appends to one chain.
CREATE TABLE audit_entries (
    id          TEXT PRIMARY KEY,
    scope       TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    ts          TIMESTAMP NOT NULL,
    actor_id    TEXT NOT NULL,
    actor_email TEXT NOT NULL,
    action      TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id   TEXT NOT NULL,
    meta        TEXT NOT NULL,
    request_id  TEXT NOT NULL,
    ip          TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL,
    UNIQUE (scope, seq)
);
CREATE INDEX audit_entries_scope_action ON audit_entries (scope, action, seq);
CREATE INDEX audit_entries_scope_actor ON audit_entries (scope, actor_id, seq);

CREATE TABLE audit_heads (
    scope TEXT PRIMARY KEY,
    seq   INTEGER NOT NULL,
    hash  TEXT NOT NULL
);

-- +goose Down
DROP TABLE audit_heads;
DROP TABLE audit_entries;
