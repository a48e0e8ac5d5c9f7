package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/store"
)

// Idempotent uploads. A client that sends an upload with an Idempotency-Key and gets no
// answer (a 5xx, a dropped connection) sends it again with the same key: if the first one
// committed, the retry is answered with the version it created and adds none. The key is
// the user's own (two users' keys never meet), saved in the transaction of the version, and
// good for IdempotencyWindow; the same key for a different upload is refused.
const (
	// IdempotencyWindow is how long a key answers for its upload.
	IdempotencyWindow = 24 * time.Hour
	// MaxIdempotencyKey is the longest key accepted, in bytes.
	MaxIdempotencyKey = 255
)

// IdempotencyKeyField names the key in field errors: the header it is sent in.
const IdempotencyKeyField = "Idempotency-Key"

// checkIdempotencyKey accepts "" (no key) or 1 to MaxIdempotencyKey visible ASCII
// characters (a UUID, say).
func checkIdempotencyKey(key string) error {
	if len(key) > MaxIdempotencyKey {
		return apperr.Invalid(IdempotencyKeyField, fmt.Sprintf("must be at most %d characters", MaxIdempotencyKey))
	}
	for i := 0; i < len(key); i++ {
		if key[i] < '!' || key[i] > '~' {
			return apperr.Invalid(IdempotencyKeyField, "must be visible ASCII characters without spaces (a UUID, say)")
		}
	}
	return nil
}

// uploadFingerprint is a hash of everything an upload asks for: the room, the document's
// type and vessel, the fields and the file's content. The same key sent with another
// fingerprint is another upload.
func uploadFingerprint(roomID string, in UploadInput, fileSHA string) string {
	h := sha256.New()
	for _, part := range []string{roomID, in.TypeCode, in.VesselID, in.ExpiresOn, in.PerformedAt, in.Notes, in.Filename,
		in.Outcome, in.Provider, in.Remark, in.RegisteredOwner, in.Manager, in.Counterparties, in.CounterpartyShips, fileSHA} {
		fmt.Fprintf(h, "%d:%s;", len(part), part)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// errKeyReused refuses a key sent again for a different upload.
var errKeyReused = apperr.Invalid(IdempotencyKeyField, fmt.Sprintf(
	"was already used by you in the last %d hours for a different upload (another room, document, field or file); send a new key for a new upload",
	int(IdempotencyWindow.Hours())))

// priorUpload, inside an upload's transaction, looks for the actor's earlier upload with
// the same key: found with the same fingerprint, it is the answer (ok true); found with
// another, the upload is refused.
func priorUpload(ctx context.Context, tx store.Q, userID, key, fingerprint string, now time.Time) (store.UploadKey, bool, error) {
	if key == "" {
		return store.UploadKey{}, false, nil
	}
	prior, err := tx.FindUploadKey(ctx, userID, key, now.Add(-IdempotencyWindow))
	switch {
	case errors.Is(err, apperr.ErrNotFound):
		return store.UploadKey{}, false, nil
	case err != nil:
		return store.UploadKey{}, false, err
	case prior.Fingerprint != fingerprint:
		return store.UploadKey{}, false, errKeyReused
	}
	return prior, true, nil
}

// PurgeUploadKeys deletes the keys older than IdempotencyWindow (housekeeping).
func (s *Service) PurgeUploadKeys(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.InTx(ctx, func(tx store.Q) error {
		var err error
		n, err = tx.PurgeUploadKeys(ctx, s.now().Add(-IdempotencyWindow))
		return err
	})
	return n, err
}
