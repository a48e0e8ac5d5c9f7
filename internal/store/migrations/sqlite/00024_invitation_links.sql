-- +goose Up
-- Who saw an invitation's current link (review S1). A link is a credential for its e-mail:
-- with e-mail off only a platform admin is shown it; NULL means it went only to the inbox
-- (or to nobody). Accepting binds the other rooms' parties of the e-mail only when the link
-- went to the inbox or to an admin. The links made before this are taken as shown to their
-- inviter, since whether e-mail was on then is not known.
ALTER TABLE invitations ADD COLUMN link_shown_to TEXT;
UPDATE invitations SET link_shown_to = invited_by WHERE accepted_at IS NULL;

-- One open invitation to the platform per e-mail (review W7): two admins, or a double
-- click, could make two live links. Of duplicates made before, the newest stays open; the
-- others are closed as withdrawn at the time they were last sent.
UPDATE invitations SET revoked_at = sent_at
WHERE room_id IS NULL AND accepted_at IS NULL AND revoked_at IS NULL AND EXISTS (
    SELECT 1 FROM invitations n
    WHERE n.email = invitations.email AND n.room_id IS NULL AND n.accepted_at IS NULL AND n.revoked_at IS NULL
      AND (n.created_at > invitations.created_at OR (n.created_at = invitations.created_at AND n.id > invitations.id)));
CREATE UNIQUE INDEX invitations_one_open_platform ON invitations (email)
    WHERE room_id IS NULL AND accepted_at IS NULL AND revoked_at IS NULL;

-- +goose Down
DROP INDEX invitations_one_open_platform;
ALTER TABLE invitations DROP COLUMN link_shown_to;
