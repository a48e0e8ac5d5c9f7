package backup

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/stshub/stshub/internal/store"
)

// A backup holds the blobs of its manifest from the sweep while it copies them (the holds
// of store/blobs.go, the uploads' own): a snapshot deleted meanwhile loses its last
// reference, but its file stays until the backup has it. The holds are taken right after
// the consistent read; a blob the sweep began deleting in that moment is refused, and the
// backup fails saying to run it again.
const (
	// backupHoldTTL is how long a backup's holds last if the backup dies without releasing
	// them (a backup releases them when it ends).
	backupHoldTTL = 24 * time.Hour
	// holdBatch is how many holds one transaction takes or releases.
	holdBatch = 500
)

// holdBlobs holds every blob of blobs until release is called.
func holdBlobs(ctx context.Context, db *store.DB, blobs []BlobManifest) (release func(), err error) {
	prefix := make([]byte, 8)
	_, _ = rand.Read(prefix)
	ids := make([]string, 0, len(blobs))
	release = func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		for start := 0; start < len(ids); start += holdBatch {
			batch := ids[start:min(start+holdBatch, len(ids))]
			_ = db.InTx(ctx, func(tx store.Q) error { // a hold not released expires
				for _, id := range batch {
					if err := tx.ReleaseHold(ctx, id); err != nil {
						return err
					}
				}
				return nil
			})
		}
	}
	for start := 0; start < len(blobs); start += holdBatch {
		batch := blobs[start:min(start+holdBatch, len(blobs))]
		taken := make([]string, 0, len(batch))
		err := db.InTx(ctx, func(tx store.Q) error {
			now := time.Now()
			taken = taken[:0]
			for i, b := range batch {
				id := "backup-" + hex.EncodeToString(prefix) + "-" + strconv.Itoa(start+i)
				if err := tx.HoldBlob(ctx, id, b.SHA256, now, now.Add(backupHoldTTL)); err != nil {
					if errors.Is(err, store.ErrBlobDeleting) {
						return fmt.Errorf("file %s was being deleted as the backup began (its snapshot was deleted just then); run the backup again", b.SHA256)
					}
					return err
				}
				taken = append(taken, id)
			}
			return nil
		})
		if err != nil {
			release()
			return nil, fmt.Errorf("hold the files: %w", err)
		}
		ids = append(ids, taken...)
	}
	return release, nil
}
