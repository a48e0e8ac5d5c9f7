-- +goose Up
-- Times are stored as "2006-01-02 15:04:05.999999999 +0000 UTC" (the driver's
-- _time_format=string_no_monotonic, always in UTC) instead of "…+00:00". The SQLite
-- driver tries that layout first on every read of a TIMESTAMP column and only then the
-- others, so the old text cost every time value a failed parse (about a tenth of the CPU
-- of a documents list). This rewrites the text of the times already stored; the instants
-- do not change, so neither do the audit chain's hashes (they are computed from the
-- instant, not the stored text). Values in any other form are left as they are: the
-- driver still reads them.
UPDATE users SET
    created_at = CASE WHEN created_at LIKE '%+00:00' THEN substr(created_at, 1, length(created_at) - 6) || ' +0000 UTC' ELSE created_at END,
    updated_at = CASE WHEN updated_at LIKE '%+00:00' THEN substr(updated_at, 1, length(updated_at) - 6) || ' +0000 UTC' ELSE updated_at END
WHERE created_at LIKE '%+00:00' OR updated_at LIKE '%+00:00';
UPDATE sessions SET
    created_at = CASE WHEN created_at LIKE '%+00:00' THEN substr(created_at, 1, length(created_at) - 6) || ' +0000 UTC' ELSE created_at END,
    expires_at = CASE WHEN expires_at LIKE '%+00:00' THEN substr(expires_at, 1, length(expires_at) - 6) || ' +0000 UTC' ELSE expires_at END
WHERE created_at LIKE '%+00:00' OR expires_at LIKE '%+00:00';
UPDATE audit_entries SET
    ts = CASE WHEN ts LIKE '%+00:00' THEN substr(ts, 1, length(ts) - 6) || ' +0000 UTC' ELSE ts END
WHERE ts LIKE '%+00:00';
UPDATE rooms SET
    sts_eta = CASE WHEN sts_eta LIKE '%+00:00' THEN substr(sts_eta, 1, length(sts_eta) - 6) || ' +0000 UTC' ELSE sts_eta END,
    created_at = CASE WHEN created_at LIKE '%+00:00' THEN substr(created_at, 1, length(created_at) - 6) || ' +0000 UTC' ELSE created_at END,
    updated_at = CASE WHEN updated_at LIKE '%+00:00' THEN substr(updated_at, 1, length(updated_at) - 6) || ' +0000 UTC' ELSE updated_at END,
    deleted_at = CASE WHEN deleted_at LIKE '%+00:00' THEN substr(deleted_at, 1, length(deleted_at) - 6) || ' +0000 UTC' ELSE deleted_at END
WHERE sts_eta LIKE '%+00:00' OR created_at LIKE '%+00:00' OR updated_at LIKE '%+00:00' OR deleted_at LIKE '%+00:00';
UPDATE parties SET
    added_at = CASE WHEN added_at LIKE '%+00:00' THEN substr(added_at, 1, length(added_at) - 6) || ' +0000 UTC' ELSE added_at END,
    removed_at = CASE WHEN removed_at LIKE '%+00:00' THEN substr(removed_at, 1, length(removed_at) - 6) || ' +0000 UTC' ELSE removed_at END
WHERE added_at LIKE '%+00:00' OR removed_at LIKE '%+00:00';
UPDATE vessels SET
    created_at = CASE WHEN created_at LIKE '%+00:00' THEN substr(created_at, 1, length(created_at) - 6) || ' +0000 UTC' ELSE created_at END,
    updated_at = CASE WHEN updated_at LIKE '%+00:00' THEN substr(updated_at, 1, length(updated_at) - 6) || ' +0000 UTC' ELSE updated_at END
WHERE created_at LIKE '%+00:00' OR updated_at LIKE '%+00:00';
UPDATE document_types SET
    created_at = CASE WHEN created_at LIKE '%+00:00' THEN substr(created_at, 1, length(created_at) - 6) || ' +0000 UTC' ELSE created_at END,
    updated_at = CASE WHEN updated_at LIKE '%+00:00' THEN substr(updated_at, 1, length(updated_at) - 6) || ' +0000 UTC' ELSE updated_at END
WHERE created_at LIKE '%+00:00' OR updated_at LIKE '%+00:00';
UPDATE documents SET
    waived_at = CASE WHEN waived_at LIKE '%+00:00' THEN substr(waived_at, 1, length(waived_at) - 6) || ' +0000 UTC' ELSE waived_at END,
    reviewed_at = CASE WHEN reviewed_at LIKE '%+00:00' THEN substr(reviewed_at, 1, length(reviewed_at) - 6) || ' +0000 UTC' ELSE reviewed_at END,
    expires_on = CASE WHEN expires_on LIKE '%+00:00' THEN substr(expires_on, 1, length(expires_on) - 6) || ' +0000 UTC' ELSE expires_on END,
    performed_at = CASE WHEN performed_at LIKE '%+00:00' THEN substr(performed_at, 1, length(performed_at) - 6) || ' +0000 UTC' ELSE performed_at END,
    created_at = CASE WHEN created_at LIKE '%+00:00' THEN substr(created_at, 1, length(created_at) - 6) || ' +0000 UTC' ELSE created_at END,
    updated_at = CASE WHEN updated_at LIKE '%+00:00' THEN substr(updated_at, 1, length(updated_at) - 6) || ' +0000 UTC' ELSE updated_at END
WHERE waived_at LIKE '%+00:00' OR reviewed_at LIKE '%+00:00' OR expires_on LIKE '%+00:00' OR performed_at LIKE '%+00:00' OR created_at LIKE '%+00:00' OR updated_at LIKE '%+00:00';
UPDATE document_versions SET
    expires_on = CASE WHEN expires_on LIKE '%+00:00' THEN substr(expires_on, 1, length(expires_on) - 6) || ' +0000 UTC' ELSE expires_on END,
    performed_at = CASE WHEN performed_at LIKE '%+00:00' THEN substr(performed_at, 1, length(performed_at) - 6) || ' +0000 UTC' ELSE performed_at END,
    uploaded_at = CASE WHEN uploaded_at LIKE '%+00:00' THEN substr(uploaded_at, 1, length(uploaded_at) - 6) || ' +0000 UTC' ELSE uploaded_at END
WHERE expires_on LIKE '%+00:00' OR performed_at LIKE '%+00:00' OR uploaded_at LIKE '%+00:00';
UPDATE snapshots SET
    created_at = CASE WHEN created_at LIKE '%+00:00' THEN substr(created_at, 1, length(created_at) - 6) || ' +0000 UTC' ELSE created_at END,
    completed_at = CASE WHEN completed_at LIKE '%+00:00' THEN substr(completed_at, 1, length(completed_at) - 6) || ' +0000 UTC' ELSE completed_at END,
    deleted_at = CASE WHEN deleted_at LIKE '%+00:00' THEN substr(deleted_at, 1, length(deleted_at) - 6) || ' +0000 UTC' ELSE deleted_at END
WHERE created_at LIKE '%+00:00' OR completed_at LIKE '%+00:00' OR deleted_at LIKE '%+00:00';
UPDATE approvals SET
    decided_at = CASE WHEN decided_at LIKE '%+00:00' THEN substr(decided_at, 1, length(decided_at) - 6) || ' +0000 UTC' ELSE decided_at END,
    superseded_at = CASE WHEN superseded_at LIKE '%+00:00' THEN substr(superseded_at, 1, length(superseded_at) - 6) || ' +0000 UTC' ELSE superseded_at END
WHERE decided_at LIKE '%+00:00' OR superseded_at LIKE '%+00:00';
UPDATE checklist_templates SET
    updated_at = CASE WHEN updated_at LIKE '%+00:00' THEN substr(updated_at, 1, length(updated_at) - 6) || ' +0000 UTC' ELSE updated_at END
WHERE updated_at LIKE '%+00:00';
UPDATE checklists SET
    signed_at = CASE WHEN signed_at LIKE '%+00:00' THEN substr(signed_at, 1, length(signed_at) - 6) || ' +0000 UTC' ELSE signed_at END,
    created_at = CASE WHEN created_at LIKE '%+00:00' THEN substr(created_at, 1, length(created_at) - 6) || ' +0000 UTC' ELSE created_at END
WHERE signed_at LIKE '%+00:00' OR created_at LIKE '%+00:00';
UPDATE checklist_items SET
    checked_at = CASE WHEN checked_at LIKE '%+00:00' THEN substr(checked_at, 1, length(checked_at) - 6) || ' +0000 UTC' ELSE checked_at END
WHERE checked_at LIKE '%+00:00';
UPDATE coastal_notices SET
    notified_at = CASE WHEN notified_at LIKE '%+00:00' THEN substr(notified_at, 1, length(notified_at) - 6) || ' +0000 UTC' ELSE notified_at END,
    eta_at_notice = CASE WHEN eta_at_notice LIKE '%+00:00' THEN substr(eta_at_notice, 1, length(eta_at_notice) - 6) || ' +0000 UTC' ELSE eta_at_notice END,
    recorded_at = CASE WHEN recorded_at LIKE '%+00:00' THEN substr(recorded_at, 1, length(recorded_at) - 6) || ' +0000 UTC' ELSE recorded_at END
WHERE notified_at LIKE '%+00:00' OR eta_at_notice LIKE '%+00:00' OR recorded_at LIKE '%+00:00';

-- +goose Down
UPDATE users SET
    created_at = CASE WHEN created_at LIKE '% +0000 UTC' THEN substr(created_at, 1, length(created_at) - 10) || '+00:00' ELSE created_at END,
    updated_at = CASE WHEN updated_at LIKE '% +0000 UTC' THEN substr(updated_at, 1, length(updated_at) - 10) || '+00:00' ELSE updated_at END
WHERE created_at LIKE '% +0000 UTC' OR updated_at LIKE '% +0000 UTC';
UPDATE sessions SET
    created_at = CASE WHEN created_at LIKE '% +0000 UTC' THEN substr(created_at, 1, length(created_at) - 10) || '+00:00' ELSE created_at END,
    expires_at = CASE WHEN expires_at LIKE '% +0000 UTC' THEN substr(expires_at, 1, length(expires_at) - 10) || '+00:00' ELSE expires_at END
WHERE created_at LIKE '% +0000 UTC' OR expires_at LIKE '% +0000 UTC';
UPDATE audit_entries SET
    ts = CASE WHEN ts LIKE '% +0000 UTC' THEN substr(ts, 1, length(ts) - 10) || '+00:00' ELSE ts END
WHERE ts LIKE '% +0000 UTC';
UPDATE rooms SET
    sts_eta = CASE WHEN sts_eta LIKE '% +0000 UTC' THEN substr(sts_eta, 1, length(sts_eta) - 10) || '+00:00' ELSE sts_eta END,
    created_at = CASE WHEN created_at LIKE '% +0000 UTC' THEN substr(created_at, 1, length(created_at) - 10) || '+00:00' ELSE created_at END,
    updated_at = CASE WHEN updated_at LIKE '% +0000 UTC' THEN substr(updated_at, 1, length(updated_at) - 10) || '+00:00' ELSE updated_at END,
    deleted_at = CASE WHEN deleted_at LIKE '% +0000 UTC' THEN substr(deleted_at, 1, length(deleted_at) - 10) || '+00:00' ELSE deleted_at END
WHERE sts_eta LIKE '% +0000 UTC' OR created_at LIKE '% +0000 UTC' OR updated_at LIKE '% +0000 UTC' OR deleted_at LIKE '% +0000 UTC';
UPDATE parties SET
    added_at = CASE WHEN added_at LIKE '% +0000 UTC' THEN substr(added_at, 1, length(added_at) - 10) || '+00:00' ELSE added_at END,
    removed_at = CASE WHEN removed_at LIKE '% +0000 UTC' THEN substr(removed_at, 1, length(removed_at) - 10) || '+00:00' ELSE removed_at END
WHERE added_at LIKE '% +0000 UTC' OR removed_at LIKE '% +0000 UTC';
UPDATE vessels SET
    created_at = CASE WHEN created_at LIKE '% +0000 UTC' THEN substr(created_at, 1, length(created_at) - 10) || '+00:00' ELSE created_at END,
    updated_at = CASE WHEN updated_at LIKE '% +0000 UTC' THEN substr(updated_at, 1, length(updated_at) - 10) || '+00:00' ELSE updated_at END
WHERE created_at LIKE '% +0000 UTC' OR updated_at LIKE '% +0000 UTC';
UPDATE document_types SET
    created_at = CASE WHEN created_at LIKE '% +0000 UTC' THEN substr(created_at, 1, length(created_at) - 10) || '+00:00' ELSE created_at END,
    updated_at = CASE WHEN updated_at LIKE '% +0000 UTC' THEN substr(updated_at, 1, length(updated_at) - 10) || '+00:00' ELSE updated_at END
WHERE created_at LIKE '% +0000 UTC' OR updated_at LIKE '% +0000 UTC';
UPDATE documents SET
    waived_at = CASE WHEN waived_at LIKE '% +0000 UTC' THEN substr(waived_at, 1, length(waived_at) - 10) || '+00:00' ELSE waived_at END,
    reviewed_at = CASE WHEN reviewed_at LIKE '% +0000 UTC' THEN substr(reviewed_at, 1, length(reviewed_at) - 10) || '+00:00' ELSE reviewed_at END,
    expires_on = CASE WHEN expires_on LIKE '% +0000 UTC' THEN substr(expires_on, 1, length(expires_on) - 10) || '+00:00' ELSE expires_on END,
    performed_at = CASE WHEN performed_at LIKE '% +0000 UTC' THEN substr(performed_at, 1, length(performed_at) - 10) || '+00:00' ELSE performed_at END,
    created_at = CASE WHEN created_at LIKE '% +0000 UTC' THEN substr(created_at, 1, length(created_at) - 10) || '+00:00' ELSE created_at END,
    updated_at = CASE WHEN updated_at LIKE '% +0000 UTC' THEN substr(updated_at, 1, length(updated_at) - 10) || '+00:00' ELSE updated_at END
WHERE waived_at LIKE '% +0000 UTC' OR reviewed_at LIKE '% +0000 UTC' OR expires_on LIKE '% +0000 UTC' OR performed_at LIKE '% +0000 UTC' OR created_at LIKE '% +0000 UTC' OR updated_at LIKE '% +0000 UTC';
UPDATE document_versions SET
    expires_on = CASE WHEN expires_on LIKE '% +0000 UTC' THEN substr(expires_on, 1, length(expires_on) - 10) || '+00:00' ELSE expires_on END,
    performed_at = CASE WHEN performed_at LIKE '% +0000 UTC' THEN substr(performed_at, 1, length(performed_at) - 10) || '+00:00' ELSE performed_at END,
    uploaded_at = CASE WHEN uploaded_at LIKE '% +0000 UTC' THEN substr(uploaded_at, 1, length(uploaded_at) - 10) || '+00:00' ELSE uploaded_at END
WHERE expires_on LIKE '% +0000 UTC' OR performed_at LIKE '% +0000 UTC' OR uploaded_at LIKE '% +0000 UTC';
UPDATE snapshots SET
    created_at = CASE WHEN created_at LIKE '% +0000 UTC' THEN substr(created_at, 1, length(created_at) - 10) || '+00:00' ELSE created_at END,
    completed_at = CASE WHEN completed_at LIKE '% +0000 UTC' THEN substr(completed_at, 1, length(completed_at) - 10) || '+00:00' ELSE completed_at END,
    deleted_at = CASE WHEN deleted_at LIKE '% +0000 UTC' THEN substr(deleted_at, 1, length(deleted_at) - 10) || '+00:00' ELSE deleted_at END
WHERE created_at LIKE '% +0000 UTC' OR completed_at LIKE '% +0000 UTC' OR deleted_at LIKE '% +0000 UTC';
UPDATE approvals SET
    decided_at = CASE WHEN decided_at LIKE '% +0000 UTC' THEN substr(decided_at, 1, length(decided_at) - 10) || '+00:00' ELSE decided_at END,
    superseded_at = CASE WHEN superseded_at LIKE '% +0000 UTC' THEN substr(superseded_at, 1, length(superseded_at) - 10) || '+00:00' ELSE superseded_at END
WHERE decided_at LIKE '% +0000 UTC' OR superseded_at LIKE '% +0000 UTC';
UPDATE checklist_templates SET
    updated_at = CASE WHEN updated_at LIKE '% +0000 UTC' THEN substr(updated_at, 1, length(updated_at) - 10) || '+00:00' ELSE updated_at END
WHERE updated_at LIKE '% +0000 UTC';
UPDATE checklists SET
    signed_at = CASE WHEN signed_at LIKE '% +0000 UTC' THEN substr(signed_at, 1, length(signed_at) - 10) || '+00:00' ELSE signed_at END,
    created_at = CASE WHEN created_at LIKE '% +0000 UTC' THEN substr(created_at, 1, length(created_at) - 10) || '+00:00' ELSE created_at END
WHERE signed_at LIKE '% +0000 UTC' OR created_at LIKE '% +0000 UTC';
UPDATE checklist_items SET
    checked_at = CASE WHEN checked_at LIKE '% +0000 UTC' THEN substr(checked_at, 1, length(checked_at) - 10) || '+00:00' ELSE checked_at END
WHERE checked_at LIKE '% +0000 UTC';
UPDATE coastal_notices SET
    notified_at = CASE WHEN notified_at LIKE '% +0000 UTC' THEN substr(notified_at, 1, length(notified_at) - 10) || '+00:00' ELSE notified_at END,
    eta_at_notice = CASE WHEN eta_at_notice LIKE '% +0000 UTC' THEN substr(eta_at_notice, 1, length(eta_at_notice) - 10) || '+00:00' ELSE eta_at_notice END,
    recorded_at = CASE WHEN recorded_at LIKE '% +0000 UTC' THEN substr(recorded_at, 1, length(recorded_at) - 10) || '+00:00' ELSE recorded_at END
WHERE notified_at LIKE '% +0000 UTC' OR eta_at_notice LIKE '% +0000 UTC' OR recorded_at LIKE '% +0000 UTC';
