-- +goose Up
-- The IMO company numbers of a vessel's registered owner and DOC company (bare seven digits,
-- checked with the company rule by clearance.NormalizeCompanyIMO; '' when not recorded).
ALTER TABLE vessels ADD COLUMN registered_owner_imo TEXT NOT NULL DEFAULT '';
ALTER TABLE vessels ADD COLUMN doc_company_imo TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE vessels DROP COLUMN doc_company_imo;
ALTER TABLE vessels DROP COLUMN registered_owner_imo;
