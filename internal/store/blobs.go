package store

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Blob lifetime.
//
// Blobs are content-addressed and shared: two uploads of the same bytes store one blob, and
// a snapshot's file may have the bytes of a document version. So no use case deletes a
// blob; the sweep (service.SweepBlobs) does, and only one that nothing keeps. Three things
// keep a blob, all rows in the database:
//
//   - a reference: a document version (never deleted) or a snapshot that is not deleted;
//   - a hold (blob_holds): taken by an upload or a render after the blob's bytes are hashed
//     and before the blob is published; removed in the transaction that commits the row
//     referring to the blob (which keeps it from then on), or released when the use case
//     fails; expiring on its own if the process dies;
//   - the blob's age: the sweep leaves blobs younger than its grace period alone.
//
// The sweep marks a blob with a deletion (blob_deletions) before it deletes the file, and
// removes the mark after. The invariant: a blob that a committed row refers to, or that a
// live hold keeps, is never deleted. It rests on one ordering, per blob: taking a hold
// (HoldBlob), committing a referring row while the hold is live (CheckHold in the row's
// transaction) and marking a deletion (BeginBlobDeletion) each run in a transaction that
// first takes the blob's lock (lockBlob), so they happen one after another, each seeing
// what the one before committed:
//
//   - a deletion marked after a hold was taken sees the hold (or, after the hold's
//     release, the row) and is not marked;
//   - a hold asked for while a deletion is marked is refused (ErrBlobDeleting) and asked
//     again once the mark is gone, by which time the file is deleted, so the blob is
//     published afresh rather than taken as stored;
//   - a row committed after its hold expired could follow a deletion: CheckHold refuses it,
//     and the use case fails instead of answering success for a file that may be gone.
//
// A deletion's mark expires (a sweep that died mid-way blocks no upload for long); the
// sweep gives each file deletion a timeout well inside that expiry, and leaves the mark of
// a deletion that failed to expire rather than remove it while the deletion might still
// land. Expiry times are the nodes' clocks, which must agree to well within those margins
// (minutes).

// ErrBlobDeleting is returned by HoldBlob while the sweep is deleting the blob.
var ErrBlobDeleting = errors.New("the blob is being deleted")

// errHoldExpired is returned by CheckHold for a hold that is gone or expired.
var errHoldExpired = errors.New("the hold on the blob has expired")

// lockBlob serialises, per blob, the transactions of the ordering above. On PostgreSQL it
// takes a transaction-scoped advisory lock on the blob's hash (two hashes sharing a key
// only queue behind each other); on SQLite the single writer already serialises them.
func (q Q) lockBlob(ctx context.Context, sha string) error {
	if q.d != Postgres {
		return nil
	}
	if _, err := q.exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('blob:' || CAST(? AS text), 0))`, sha); err != nil {
		return fmt.Errorf("lock blob: %w", err)
	}
	return nil
}

// HoldBlob records hold id, keeping blob sha from the sweep until expires (or ReleaseHold).
// It fails with ErrBlobDeleting while the sweep is deleting the blob. Run it in a
// transaction of its own, committed before the blob is published.
func (q Q) HoldBlob(ctx context.Context, id, sha string, now, expires time.Time) error {
	if err := q.lockBlob(ctx, sha); err != nil {
		return err
	}
	var n int
	if err := q.queryRow(ctx, `SELECT COUNT(*) FROM blob_deletions WHERE sha256 = ? AND expires_at > ?`, sha, now).Scan(&n); err != nil {
		return fmt.Errorf("hold blob: %w", err)
	}
	if n > 0 {
		return fmt.Errorf("hold blob %s: %w", sha, ErrBlobDeleting)
	}
	if _, err := q.exec(ctx, `INSERT INTO blob_holds (id, sha256, expires_at) VALUES (?, ?, ?)`, id, sha, expires); err != nil {
		return fmt.Errorf("hold blob: %w", q.d.classify(err))
	}
	return nil
}

// CheckHold, inside the transaction that commits a row referring to blob sha, makes sure
// hold id still keeps the blob, so the row cannot commit after a deletion began.
func (q Q) CheckHold(ctx context.Context, id, sha string, now time.Time) error {
	if err := q.lockBlob(ctx, sha); err != nil {
		return err
	}
	var n int
	if err := q.queryRow(ctx, `SELECT COUNT(*) FROM blob_holds WHERE id = ? AND sha256 = ? AND expires_at > ?`, id, sha, now).Scan(&n); err != nil {
		return fmt.Errorf("check hold: %w", err)
	}
	if n == 0 {
		return fmt.Errorf("blob %s: %w", sha, errHoldExpired)
	}
	return nil
}

// ReleaseHold removes a hold; an unknown one is not an error.
func (q Q) ReleaseHold(ctx context.Context, id string) error {
	if _, err := q.exec(ctx, `DELETE FROM blob_holds WHERE id = ?`, id); err != nil {
		return fmt.Errorf("release hold: %w", err)
	}
	return nil
}

// BeginBlobDeletion marks blob sha as being deleted until expires and reports true, unless
// something keeps it: a document version, a snapshot that is not deleted, a live hold, or
// another deletion in progress. Run it in a transaction of its own, committed before the
// file is deleted.
func (q Q) BeginBlobDeletion(ctx context.Context, sha string, now, expires time.Time) (bool, error) {
	if err := q.lockBlob(ctx, sha); err != nil {
		return false, err
	}
	if kept, err := q.BlobKept(ctx, sha, now); err != nil || kept {
		return false, err
	}
	// An expired mark of a sweep that died is replaced.
	if _, err := q.exec(ctx, `DELETE FROM blob_deletions WHERE sha256 = ?`, sha); err != nil {
		return false, fmt.Errorf("begin blob deletion: %w", err)
	}
	if _, err := q.exec(ctx, `INSERT INTO blob_deletions (sha256, expires_at) VALUES (?, ?)`, sha, expires); err != nil {
		return false, fmt.Errorf("begin blob deletion: %w", q.d.classify(err))
	}
	return true, nil
}

// BlobKept reports whether something keeps blob sha from the sweep: a document version, a
// snapshot that is not deleted, a live hold or a deletion in progress. Outside
// BeginBlobDeletion it is only a hint (the sweep's cheap first look, on a reader).
func (q Q) BlobKept(ctx context.Context, sha string, now time.Time) (bool, error) {
	var kept bool
	err := q.queryRow(ctx, `SELECT EXISTS (SELECT 1 FROM document_versions WHERE sha256 = ?)
		OR EXISTS (SELECT 1 FROM snapshots WHERE file_sha256 = ? AND deleted_at IS NULL)
		OR EXISTS (SELECT 1 FROM blob_holds WHERE sha256 = ? AND expires_at > ?)
		OR EXISTS (SELECT 1 FROM blob_deletions WHERE sha256 = ? AND expires_at > ?)`, sha, sha, sha, now, sha, now).Scan(&kept)
	if err != nil {
		return false, fmt.Errorf("blob kept: %w", err)
	}
	return kept, nil
}

// EndBlobDeletion removes the deletion mark of blob sha.
func (q Q) EndBlobDeletion(ctx context.Context, sha string) error {
	if _, err := q.exec(ctx, `DELETE FROM blob_deletions WHERE sha256 = ?`, sha); err != nil {
		return fmt.Errorf("end blob deletion: %w", err)
	}
	return nil
}

// PurgeExpiredBlobMarks deletes the holds and deletion marks that expired before now (left
// by processes that died) and returns how many.
func (q Q) PurgeExpiredBlobMarks(ctx context.Context, now time.Time) (int64, error) {
	var total int64
	for _, query := range []string{`DELETE FROM blob_holds WHERE expires_at <= ?`, `DELETE FROM blob_deletions WHERE expires_at <= ?`} {
		res, err := q.exec(ctx, query, now)
		if err != nil {
			return total, fmt.Errorf("purge expired blob marks: %w", err)
		}
		n, _ := res.RowsAffected()
		total += n
	}
	return total, nil
}

// ClaimLease gives the lease name to holder until expires and reports true, when the lease
// is free, expired or already holder's; it reports false while another holder has it.
func (q Q) ClaimLease(ctx context.Context, name, holder string, now, expires time.Time) (bool, error) {
	res, err := q.exec(ctx, `INSERT INTO task_leases (name, holder, expires_at) VALUES (?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
		WHERE task_leases.holder = excluded.holder OR task_leases.expires_at <= ?`, name, holder, expires, now)
	if err != nil {
		return false, fmt.Errorf("claim lease %s: %w", name, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("claim lease %s: %w", name, err)
	}
	return n == 1, nil
}

// ReleaseLease gives up holder's lease name; one held by another holder is left alone.
func (q Q) ReleaseLease(ctx context.Context, name, holder string) error {
	if _, err := q.exec(ctx, `DELETE FROM task_leases WHERE name = ? AND holder = ?`, name, holder); err != nil {
		return fmt.Errorf("release lease %s: %w", name, err)
	}
	return nil
}

// BlobRef is a row that refers to a blob, as the file check reads it.
type BlobRef struct {
	Kind       string // BlobRefVersion or BlobRefSnapshot
	ID         string // the version's or the snapshot's
	RoomID     string
	DocumentID string // versions only
	Number     int    // versions only
	SHA256     string
	Size       int64
}

// The kinds of BlobRef.
const (
	BlobRefVersion  = "version"
	BlobRefSnapshot = "snapshot"
)

// VersionBlobRefs returns one page of every document version (current and old), in ID
// order after afterID ("" for the first page), at most limit.
func (q Q) VersionBlobRefs(ctx context.Context, afterID string, limit int) ([]BlobRef, error) {
	var r BlobRef
	rows, err := q.query(ctx, `SELECT id, room_id, document_id, number, sha256, size FROM document_versions
		WHERE id > ? ORDER BY id LIMIT ?`, afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("version blob refs: %w", err)
	}
	return collect(rows, "version blob refs", row[BlobRef]{
		dest:  []any{&r.ID, &r.RoomID, &r.DocumentID, &r.Number, &r.SHA256, &r.Size},
		value: func() BlobRef { out := r; out.Kind = BlobRefVersion; return out },
	})
}

// SnapshotBlobRefs returns one page of the completed snapshots that are not deleted, in ID
// order after afterID ("" for the first page), at most limit.
func (q Q) SnapshotBlobRefs(ctx context.Context, afterID string, limit int) ([]BlobRef, error) {
	var r BlobRef
	rows, err := q.query(ctx, `SELECT id, room_id, file_sha256, file_size FROM snapshots
		WHERE id > ? AND status = 'completed' AND deleted_at IS NULL ORDER BY id LIMIT ?`, afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("snapshot blob refs: %w", err)
	}
	return collect(rows, "snapshot blob refs", row[BlobRef]{
		dest:  []any{&r.ID, &r.RoomID, &r.SHA256, &r.Size},
		value: func() BlobRef { out := r; out.Kind = BlobRefSnapshot; return out },
	})
}
