-- +goose Up
-- Notifications (docs/notifications.md): one row per recipient, written in the transaction
-- of the change it tells of. email is the delivery the recipient's preference chose when
-- it was written; emailed_at is set when it went out, at once or in a daily digest.
CREATE TABLE notifications (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id),
    kind        TEXT NOT NULL,
    room_id     TEXT REFERENCES rooms (id),
    target_type TEXT NOT NULL DEFAULT '',
    target_id   TEXT NOT NULL DEFAULT '',
    title       TEXT NOT NULL,
    body        TEXT NOT NULL DEFAULT '',
    link        TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    read_at     TIMESTAMP,
    email       TEXT NOT NULL CHECK (email IN ('immediate', 'digest', 'off')),
    emailed_at  TIMESTAMP
);
CREATE INDEX notifications_by_user ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
CREATE INDEX notifications_to_digest ON notifications (user_id) WHERE email = 'digest' AND emailed_at IS NULL;
-- A user's choice per kind; a kind without a row takes its default (clearance.NotificationKinds).
CREATE TABLE notification_preferences (
    user_id  TEXT NOT NULL REFERENCES users (id),
    kind     TEXT NOT NULL,
    delivery TEXT NOT NULL CHECK (delivery IN ('immediate', 'digest', 'off')),
    PRIMARY KEY (user_id, kind)
);
-- The daily digests sent: the primary key makes one per user and day, whichever node runs.
CREATE TABLE notification_digests (
    user_id TEXT NOT NULL REFERENCES users (id),
    day     TEXT NOT NULL,
    sent_at TIMESTAMP NOT NULL,
    items   INTEGER NOT NULL,
    PRIMARY KEY (user_id, day)
);

-- +goose Down
DROP TABLE notification_digests;
DROP TABLE notification_preferences;
DROP TABLE notifications;
