-- +goose Up
-- Which vessels a party acts for (authz.ActsForVessels): an owner party is bound to the
-- ship it manages. A binding goes with its party's removal only in the service's words
-- (the row stays, the removed party no longer acts); it goes with its vessel's removal.
CREATE TABLE party_vessels (
    party_id  TEXT NOT NULL REFERENCES parties (id),
    vessel_id TEXT NOT NULL REFERENCES vessels (id),
    room_id   TEXT NOT NULL REFERENCES rooms (id),
    bound_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (party_id, vessel_id)
);
CREATE INDEX party_vessels_vessel ON party_vessels (vessel_id);
CREATE INDEX party_vessels_room ON party_vessels (room_id);

-- Existing rooms: a vessel-bound party is bound to the vessels it has uploaded for.
INSERT INTO party_vessels (party_id, vessel_id, room_id, bound_at)
SELECT DISTINCT p.id, d.vessel_id, p.room_id, p.added_at
FROM document_versions v
JOIN documents d ON d.id = v.document_id
JOIN parties p ON p.room_id = v.room_id AND p.user_id = v.uploaded_by
WHERE d.vessel_id IS NOT NULL AND p.removed_at IS NULL AND p.role IN ('owner', 'sts_provider');

-- The catalogue's supply and visibility settings; role lists are comma-separated room
-- roles, checked by the code (clearance.DocumentType.Normalize), like supplied_by.
ALTER TABLE document_types ADD COLUMN also_supplied_by TEXT NOT NULL DEFAULT '';
ALTER TABLE document_types ADD COLUMN on_behalf BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE document_types ADD COLUMN visible_to TEXT NOT NULL DEFAULT 'broker,charterer,owner,seller,buyer,sts_provider,viewer';
UPDATE document_types SET visible_to = 'broker,charterer' WHERE code IN ('SIRE', 'VETTING', 'SANCTIONS', 'AIS');
UPDATE document_types SET on_behalf = TRUE WHERE code IN ('POAC', 'JPO', 'RISK', 'MSDS', 'PRICE_CAP');

-- The supplier's role a coordinator uploaded a version for ('' when the supplier did).
ALTER TABLE document_versions ADD COLUMN on_behalf_of TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE document_versions DROP COLUMN on_behalf_of;
ALTER TABLE document_types DROP COLUMN visible_to;
ALTER TABLE document_types DROP COLUMN on_behalf;
ALTER TABLE document_types DROP COLUMN also_supplied_by;
DROP TABLE party_vessels;
