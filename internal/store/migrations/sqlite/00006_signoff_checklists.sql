-- +goose Up
ALTER TABLE rooms ADD COLUMN status_reason TEXT NOT NULL DEFAULT '';

-- Sign-offs, with their history: a party's current decision is its row with
-- superseded_at NULL; a new decision (or a withdrawal) supersedes it.
CREATE TABLE approvals (
    id            TEXT PRIMARY KEY,
    room_id       TEXT NOT NULL REFERENCES rooms (id),
    party_id      TEXT NOT NULL REFERENCES parties (id),
    user_id       TEXT NOT NULL,
    email         TEXT NOT NULL,
    role          TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('approved', 'rejected', 'withdrawn')),
    notes         TEXT NOT NULL DEFAULT '',
    decided_at    TIMESTAMP NOT NULL,
    superseded_at TIMESTAMP
);
CREATE INDEX approvals_room ON approvals (room_id, decided_at);
CREATE UNIQUE INDEX approvals_current ON approvals (party_id) WHERE superseded_at IS NULL;

-- Phase checklists (the STS Transfer Guide's checklists 1-5): templates edited by admins,
-- instantiated per room and vessel; items are copied so later template edits do not
-- change a room's record.
CREATE TABLE checklist_templates (
    id         TEXT PRIMARY KEY,
    phase      INTEGER NOT NULL CHECK (phase BETWEEN 1 AND 5),
    position   INTEGER NOT NULL,
    text       TEXT NOT NULL,
    active     INTEGER NOT NULL DEFAULT 1,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX checklist_templates_phase ON checklist_templates (phase, position);

CREATE TABLE checklists (
    id           TEXT PRIMARY KEY,
    room_id      TEXT NOT NULL REFERENCES rooms (id),
    vessel_id    TEXT NOT NULL REFERENCES vessels (id) ON DELETE CASCADE,
    phase        INTEGER NOT NULL CHECK (phase BETWEEN 1 AND 5),
    signed_by    TEXT NOT NULL DEFAULT '',
    signer_email TEXT NOT NULL DEFAULT '',
    signed_at    TIMESTAMP,
    created_at   TIMESTAMP NOT NULL,
    UNIQUE (room_id, vessel_id, phase)
);

CREATE TABLE checklist_items (
    id            TEXT PRIMARY KEY,
    checklist_id  TEXT NOT NULL REFERENCES checklists (id) ON DELETE CASCADE,
    room_id       TEXT NOT NULL REFERENCES rooms (id),
    position      INTEGER NOT NULL,
    text          TEXT NOT NULL,
    checked_by    TEXT NOT NULL DEFAULT '',
    checker_email TEXT NOT NULL DEFAULT '',
    checked_at    TIMESTAMP
);
CREATE INDEX checklist_items_checklist ON checklist_items (checklist_id, position);
CREATE INDEX checklist_items_room ON checklist_items (room_id);

-- Coastal-state notices per vessel; the latest per vessel is the one in force.
CREATE TABLE coastal_notices (
    id             TEXT PRIMARY KEY,
    room_id        TEXT NOT NULL REFERENCES rooms (id),
    vessel_id      TEXT NOT NULL REFERENCES vessels (id) ON DELETE CASCADE,
    notified_at    TIMESTAMP NOT NULL,
    reference      TEXT NOT NULL,
    eta_at_notice  TIMESTAMP NOT NULL,
    recorded_by    TEXT NOT NULL,
    recorder_email TEXT NOT NULL,
    recorded_at    TIMESTAMP NOT NULL
);
CREATE INDEX coastal_notices_room ON coastal_notices (room_id, vessel_id, notified_at);

-- +goose Down
DROP TABLE coastal_notices;
DROP TABLE checklist_items;
DROP TABLE checklists;
DROP TABLE checklist_templates;
DROP TABLE approvals;
ALTER TABLE rooms DROP COLUMN status_reason;
