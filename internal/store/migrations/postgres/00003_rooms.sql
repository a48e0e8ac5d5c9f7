-- +goose Up
-- A deleted room keeps its rows (deleted_at set): its records must outlive it.
CREATE TABLE rooms (
    id             TEXT PRIMARY KEY,
    title          TEXT NOT NULL,
    location       TEXT NOT NULL,
    sts_eta        TIMESTAMPTZ NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    cargo_type     TEXT NOT NULL DEFAULT '',
    cargo_quantity DOUBLE PRECISION,
    status         TEXT NOT NULL,
    created_by     TEXT NOT NULL REFERENCES users (id),
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    deleted_at     TIMESTAMPTZ
);

-- A party may be invited before its user exists (user_id NULL until then); a removed
-- party keeps its row (removed_at set) so history can name it.
CREATE TABLE parties (
    id         TEXT PRIMARY KEY,
    room_id    TEXT NOT NULL REFERENCES rooms (id),
    user_id    TEXT REFERENCES users (id),
    email      TEXT NOT NULL,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL,
    added_by   TEXT NOT NULL,
    added_at   TIMESTAMPTZ NOT NULL,
    removed_at TIMESTAMPTZ
);
CREATE UNIQUE INDEX parties_room_email_active ON parties (room_id, email) WHERE removed_at IS NULL;
CREATE INDEX parties_user_active ON parties (user_id, room_id) WHERE removed_at IS NULL;
CREATE INDEX parties_email_unbound ON parties (email) WHERE user_id IS NULL;

CREATE TABLE vessels (
    id               TEXT PRIMARY KEY,
    room_id          TEXT NOT NULL REFERENCES rooms (id),
    name             TEXT NOT NULL,
    imo              TEXT NOT NULL,
    role             TEXT NOT NULL,
    flag             TEXT NOT NULL DEFAULT '',
    mmsi             TEXT NOT NULL DEFAULT '',
    call_sign        TEXT NOT NULL DEFAULT '',
    vessel_type      TEXT NOT NULL DEFAULT '',
    dwt              INTEGER,
    loa              DOUBLE PRECISION,
    beam             DOUBLE PRECISION,
    built_year       INTEGER,
    class_society    TEXT NOT NULL DEFAULT '',
    pi_club          TEXT NOT NULL DEFAULT '',
    registered_owner TEXT NOT NULL DEFAULT '',
    doc_company      TEXT NOT NULL DEFAULT '',
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    UNIQUE (room_id, imo)
);
CREATE INDEX vessels_room ON vessels (room_id, created_at);

-- +goose Down
DROP TABLE vessels;
DROP TABLE parties;
DROP TABLE rooms;
