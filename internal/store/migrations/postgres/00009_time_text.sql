-- +goose Up
-- SQLite only (times stored as text change their form); PostgreSQL stores timestamptz.
-- This keeps both folders' versions in step.
SELECT 1;

-- +goose Down
SELECT 1;
