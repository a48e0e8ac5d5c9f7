-- +goose Up
-- Phase checklists as the STS guide uses them (docs/domain.md, "Phase checklists"): each item
-- is answered yes, no or not applicable, with a remark; a "no" on a required item blocks
-- signing. A checklist is signed by the master's side of every ship of the operation and by
-- the POAC: one signature row per side ('poac', or the id of the ship whose side signs).
ALTER TABLE checklist_templates ADD COLUMN required INTEGER NOT NULL DEFAULT 1;
ALTER TABLE checklist_items ADD COLUMN required INTEGER NOT NULL DEFAULT 1;
ALTER TABLE checklist_items ADD COLUMN answer TEXT NOT NULL DEFAULT '' CHECK (answer IN ('', 'yes', 'no', 'not_applicable'));
ALTER TABLE checklist_items ADD COLUMN remark TEXT NOT NULL DEFAULT '';
ALTER TABLE checklist_items RENAME COLUMN checked_by TO answered_by;
ALTER TABLE checklist_items RENAME COLUMN checker_email TO answerer_email;
ALTER TABLE checklist_items RENAME COLUMN checked_at TO answered_at;
UPDATE checklist_items SET answer = 'yes' WHERE answered_at IS NOT NULL;

CREATE TABLE checklist_signatures (
    id           TEXT PRIMARY KEY,
    room_id      TEXT NOT NULL REFERENCES rooms (id),
    checklist_id TEXT NOT NULL REFERENCES checklists (id) ON DELETE CASCADE,
    side         TEXT NOT NULL,
    party_id     TEXT NOT NULL DEFAULT '',
    signed_by    TEXT NOT NULL,
    signer_email TEXT NOT NULL,
    signed_at    TIMESTAMP NOT NULL,
    UNIQUE (checklist_id, side)
);
CREATE INDEX checklist_signatures_room ON checklist_signatures (room_id);

-- A checklist signed before this migration was signed by one side: the POAC's when the
-- signer's party is the STS provider, else the side of the checklist's own ship.
INSERT INTO checklist_signatures (id, room_id, checklist_id, side, party_id, signed_by, signer_email, signed_at)
SELECT c.id || '-signature', c.room_id, c.id,
       CASE WHEN (SELECT p.role FROM parties p WHERE p.room_id = c.room_id AND p.user_id = c.signed_by
                  ORDER BY p.removed_at IS NOT NULL, p.added_at LIMIT 1) = 'sts_provider' THEN 'poac' ELSE c.vessel_id END,
       COALESCE((SELECT p.id FROM parties p WHERE p.room_id = c.room_id AND p.user_id = c.signed_by
                 ORDER BY p.removed_at IS NOT NULL, p.added_at LIMIT 1), ''),
       c.signed_by, c.signer_email, c.signed_at
FROM checklists c WHERE c.signed_at IS NOT NULL;
ALTER TABLE checklists DROP COLUMN signed_by;
ALTER TABLE checklists DROP COLUMN signer_email;
ALTER TABLE checklists DROP COLUMN signed_at;

-- The operation's milestones, each recorded once, in order (clearance.Milestones).
CREATE TABLE room_milestones (
    room_id        TEXT NOT NULL REFERENCES rooms (id),
    milestone      TEXT NOT NULL CHECK (milestone IN ('mooring_started', 'transfer_started', 'transfer_completed', 'unmoored')),
    occurred_at    TIMESTAMP NOT NULL,
    recorded_by    TEXT NOT NULL,
    recorder_email TEXT NOT NULL,
    recorded_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (room_id, milestone)
);

-- +goose Down
DROP TABLE room_milestones;
ALTER TABLE checklists ADD COLUMN signed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE checklists ADD COLUMN signer_email TEXT NOT NULL DEFAULT '';
ALTER TABLE checklists ADD COLUMN signed_at TIMESTAMP;
UPDATE checklists SET (signed_by, signer_email, signed_at) = (
    SELECT s.signed_by, s.signer_email, s.signed_at FROM checklist_signatures s WHERE s.checklist_id = checklists.id
    ORDER BY s.signed_at LIMIT 1)
WHERE id IN (SELECT checklist_id FROM checklist_signatures);
DROP TABLE checklist_signatures;
UPDATE checklist_items SET answered_by = '', answerer_email = '', answered_at = NULL WHERE answer <> 'yes';
ALTER TABLE checklist_items RENAME COLUMN answered_by TO checked_by;
ALTER TABLE checklist_items RENAME COLUMN answerer_email TO checker_email;
ALTER TABLE checklist_items RENAME COLUMN answered_at TO checked_at;
ALTER TABLE checklist_items DROP COLUMN remark;
ALTER TABLE checklist_items DROP COLUMN answer;
ALTER TABLE checklist_items DROP COLUMN required;
ALTER TABLE checklist_templates DROP COLUMN required;
