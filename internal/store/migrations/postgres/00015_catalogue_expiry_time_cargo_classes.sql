-- +goose Up
-- When on its expiry date a dated type's validity ends: expiry_time "HH:MM" in the IANA
-- zone expiry_zone ('' and '': at the end of the day, UTC); and the cargo classes a type
-- is asked for in, comma-separated ('' for every class). Both checked by the code
-- (clearance.DocumentType.Normalize), like the role lists.
ALTER TABLE document_types ADD COLUMN expiry_time TEXT NOT NULL DEFAULT '';
ALTER TABLE document_types ADD COLUMN expiry_zone TEXT NOT NULL DEFAULT '';
ALTER TABLE document_types ADD COLUMN cargo_classes TEXT NOT NULL DEFAULT '';

-- Existing catalogues get what the seed now says (clearance.DefaultCatalogue), where it
-- still applies: the P&I year ends at 12:00 GMT (an entry an admin made undated keeps
-- that).
UPDATE document_types SET expiry_time = '12:00', expiry_zone = 'GMT'
WHERE code IN ('PI_COE', 'CLC', 'BUNKER') AND expiry = 'expires';

-- The gas and chemical types, where the catalogue has been seeded and has no entry of the
-- code (an empty catalogue is seeded whole at start-up; an admin's own entry of a code
-- keeps its fields).
INSERT INTO document_types (code, name, description, category, supplied_by, scope, criticality, expiry, max_age_days,
    required_by_default, active, also_supplied_by, on_behalf, visible_to, expiry_time, expiry_zone, cargo_classes,
    created_at, updated_at)
SELECT 'COF_IGC', 'International Certificate of Fitness for the Carriage of Liquefied Gases in Bulk (IGC Code)',
    'Flag-state certificate that a gas carrier meets the IGC Code for the cargoes it lists; up to 5 years with annual surveys.',
    'statutory', 'owner', 'vessel', 'high', 'expires', 0, TRUE, TRUE, '', FALSE, 'broker,charterer,owner,seller,buyer,sts_provider,viewer',
    '', '', '', now(), now()
WHERE EXISTS (SELECT 1 FROM document_types) AND NOT EXISTS (SELECT 1 FROM document_types WHERE code = 'COF_IGC');
INSERT INTO document_types (code, name, description, category, supplied_by, scope, criticality, expiry, max_age_days,
    required_by_default, active, also_supplied_by, on_behalf, visible_to, expiry_time, expiry_zone, cargo_classes,
    created_at, updated_at)
SELECT 'GAS_COMPAT', 'Gas STS compatibility study (manifolds, vapour return, ESD link)',
    'Per operation: manifold arrangement, vapour return and the emergency shut-down link between the two gas carriers.',
    'compatibility', 'sts_provider', 'room', 'high', 'none', 0, TRUE, TRUE, '', FALSE, 'broker,charterer,owner,seller,buyer,sts_provider,viewer',
    '', '', '', now(), now()
WHERE EXISTS (SELECT 1 FROM document_types) AND NOT EXISTS (SELECT 1 FROM document_types WHERE code = 'GAS_COMPAT');
INSERT INTO document_types (code, name, description, category, supplied_by, scope, criticality, expiry, max_age_days,
    required_by_default, active, also_supplied_by, on_behalf, visible_to, expiry_time, expiry_zone, cargo_classes,
    created_at, updated_at)
SELECT 'COF_IBC', 'International Certificate of Fitness for the Carriage of Dangerous Chemicals in Bulk (IBC Code)',
    'Flag-state certificate that a chemical tanker meets the IBC Code for the products it lists; up to 5 years with annual surveys.',
    'statutory', 'owner', 'vessel', 'high', 'expires', 0, TRUE, TRUE, '', FALSE, 'broker,charterer,owner,seller,buyer,sts_provider,viewer',
    '', '', '', now(), now()
WHERE EXISTS (SELECT 1 FROM document_types) AND NOT EXISTS (SELECT 1 FROM document_types WHERE code = 'COF_IBC');

-- The cargo classes of the seed types: MARPOL Annex I's are for oil, the certificates of
-- fitness and the gas compatibility study for their class (the column is new: no admin
-- has set it; types inserted by an earlier up, kept by its down, get theirs again).
UPDATE document_types SET cargo_classes = 'oil' WHERE code IN ('IOPP', 'CLC');
UPDATE document_types SET cargo_classes = 'gas' WHERE code IN ('COF_IGC', 'GAS_COMPAT');
UPDATE document_types SET cargo_classes = 'chemical' WHERE code = 'COF_IBC';

-- +goose Down
-- The gas and chemical types stay (rooms may hold documents of them); their classes go.
ALTER TABLE document_types DROP COLUMN cargo_classes;
ALTER TABLE document_types DROP COLUMN expiry_zone;
ALTER TABLE document_types DROP COLUMN expiry_time;
