-- +goose Up
-- Rooms holding a document of a type (re-evaluating clearance after a catalogue edit).
CREATE INDEX documents_type ON documents (type_code, room_id);

-- +goose Down
DROP INDEX documents_type;
