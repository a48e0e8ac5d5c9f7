-- +goose Up
-- Accounts people manage (issue 22). A disabled account keeps its rows but cannot sign in.
ALTER TABLE users ADD COLUMN disabled_at TIMESTAMP;

-- An invitation to a room (room_id and party_id set: the party waits for the account) or to
-- the platform (both NULL). Only the SHA-256 of its current link's token is kept; a re-send
-- replaces it, so the old link stops working. It is used once (accepted_at) or withdrawn
-- (revoked_at); role is the room role of the party, or the platform role given.
CREATE TABLE invitations (
    id          TEXT PRIMARY KEY,
    email       TEXT NOT NULL,
    room_id     TEXT REFERENCES rooms (id) ON DELETE CASCADE,
    party_id    TEXT REFERENCES parties (id) ON DELETE CASCADE,
    role        TEXT NOT NULL,
    invited_by  TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TIMESTAMP NOT NULL,
    sent_at     TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL,
    accepted_at TIMESTAMP,
    revoked_at  TIMESTAMP
);
CREATE INDEX invitations_by_email ON invitations (email);
CREATE INDEX invitations_by_room ON invitations (room_id, created_at);
CREATE INDEX invitations_by_party ON invitations (party_id);

-- A password reset link: the SHA-256 of its token, for one account, used once. A new
-- request or a change of password ends the links not yet used.
CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at    TIMESTAMP
);
CREATE INDEX password_resets_by_user ON password_resets (user_id);

-- +goose Down
DROP TABLE password_resets;
DROP TABLE invitations;
ALTER TABLE users DROP COLUMN disabled_at;
