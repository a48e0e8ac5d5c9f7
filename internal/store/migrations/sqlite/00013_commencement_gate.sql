-- +goose Up
-- The commencement gate (docs/domain.md, "Two gates"): a room's cargo class decides which
-- rules apply; its operation lasts operation_minutes from the ETA (the window certificates
-- are judged through; 48 h unless stated); coastal_area names the entry of coastal_areas
-- whose notice rule applies ('' until the room names one).
ALTER TABLE rooms ADD COLUMN cargo_class TEXT NOT NULL DEFAULT 'oil' CHECK (cargo_class IN ('oil', 'chemical', 'gas'));
ALTER TABLE rooms ADD COLUMN operation_minutes INTEGER NOT NULL DEFAULT 2880;
ALTER TABLE rooms ADD COLUMN coastal_area TEXT NOT NULL DEFAULT '';

-- The coastal-state table: what each state or STS area asks before an operation in its
-- waters. Seeded by the service on an empty table (clearance.DefaultCoastalAreas); admins
-- own it from then on. cargo_classes is a comma list ('' = every class).
CREATE TABLE coastal_areas (
    code           TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    country        TEXT NOT NULL DEFAULT '',
    regime         TEXT NOT NULL CHECK (regime IN ('notice', 'permission', 'none')),
    lead_hours     INTEGER NOT NULL,
    renotice_hours INTEGER NOT NULL,
    cargo_classes  TEXT NOT NULL DEFAULT '',
    source         TEXT NOT NULL,
    verified       INTEGER NOT NULL DEFAULT 0,
    active         INTEGER NOT NULL DEFAULT 1,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL
);

-- A record is a notice sent or a written permission received.
ALTER TABLE coastal_notices ADD COLUMN kind TEXT NOT NULL DEFAULT 'notice' CHECK (kind IN ('notice', 'permission'));

-- The coastal notice or permission itself is the commencement gate's, with the coastal
-- conditions (clearance.DefaultCatalogue): the seeded type, and the open rooms' slots of it,
-- become medium (a room that has left clearance keeps its record as it was).
UPDATE document_types SET criticality = 'medium' WHERE code = 'COASTAL' AND criticality = 'high';
UPDATE documents SET criticality = 'medium' WHERE type_code = 'COASTAL' AND criticality = 'high'
    AND room_id IN (SELECT id FROM rooms WHERE status IN ('draft', 'clearing', 'cleared', 'on_hold'));

-- +goose Down
ALTER TABLE coastal_notices DROP COLUMN kind;
DROP TABLE coastal_areas;
ALTER TABLE rooms DROP COLUMN coastal_area;
ALTER TABLE rooms DROP COLUMN operation_minutes;
ALTER TABLE rooms DROP COLUMN cargo_class;
