package backup

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/files"
	"github.com/stshub/stshub/internal/jobs"
	"github.com/stshub/stshub/internal/service"
	"github.com/stshub/stshub/internal/store"
)

// ErrNotEmpty is returned when the target database already holds data.
var ErrNotEmpty = errors.New("the target database is not empty")

// Restore loads the archive at path into db, which must hold no data (a new SQLite file
// or PostgreSQL database, or one only migrated), and its files into blobs. It checks
// every member against the manifest's SHA-256 and counts and every file against its
// name, then verifies the audit chains and that every file the rows refer to is stored.
// Anything wrong refuses the whole archive and leaves the database without data and the
// file store without the files it added.
func Restore(ctx context.Context, db *store.DB, blobs files.Store, path string, log *slog.Logger) (Stats, error) {
	start := time.Now()
	f, err := os.Open(path)
	if err != nil {
		return Stats{}, fmt.Errorf("restore: %w", err)
	}
	defer f.Close()
	r, err := openArchive(f)
	if err != nil {
		return Stats{}, fmt.Errorf("restore: %w", err)
	}
	tr := tar.NewReader(r)
	m, err := readManifest(tr)
	if err != nil {
		return Stats{}, fmt.Errorf("restore: %w", err)
	}
	if err := prepareTarget(ctx, db, m.SchemaVersion); err != nil {
		return Stats{}, fmt.Errorf("restore: %w", err)
	}
	var added []string // files this restore stored, removed again if it fails
	st := Stats{Tables: len(m.Tables), Blobs: len(m.Blobs)}
	committed := false
	fail := func(err error) (Stats, error) {
		if committed {
			err = errors.Join(err, db.EmptyDataTables(context.WithoutCancel(ctx)))
		}
		for _, sha := range added {
			err = errors.Join(err, blobs.Delete(context.WithoutCancel(ctx), sha))
		}
		return Stats{}, fmt.Errorf("restore refused, nothing kept: %w", err)
	}
	err = db.Load(ctx, func(l *store.Loader) error {
		for _, t := range m.Tables {
			n, err := loadTable(tr, l, t)
			if err != nil {
				return err
			}
			st.Rows += n
		}
		for _, b := range m.Blobs {
			isNew, err := restoreBlob(ctx, tr, blobs, b)
			if isNew {
				added = append(added, b.SHA256)
			}
			if err != nil {
				return err
			}
			st.BlobBytes += b.Size
		}
		if hdr, err := tr.Next(); err != io.EOF {
			if err == nil {
				err = fmt.Errorf("unexpected member %s after the last file", hdr.Name)
			}
			return err
		}
		return nil
	})
	if err != nil {
		return fail(err)
	}
	committed = true
	// The rows pass through the migrations newer than the backup, as the rows of a
	// running database would have.
	if err := db.Migrate(ctx); err != nil {
		return fail(err)
	}
	if err := jobs.Migrate(ctx, db.JobPool(), db.Dialect() == store.SQLite); err != nil {
		return fail(err)
	}
	if err := verifyRestored(ctx, db, blobs, log); err != nil {
		return fail(err)
	}
	if err := requeueSnapshots(ctx, db, log); err != nil {
		return fail(err)
	}
	info, _ := f.Stat()
	st.ArchiveBytes = info.Size()
	st.Elapsed = time.Since(start)
	return st, nil
}

// openArchive returns the tar stream of f, gunzipping it when it starts with gzip's magic.
func openArchive(f *os.File) (io.Reader, error) {
	br := bufio.NewReaderSize(f, 1<<20)
	magic, err := br.Peek(2)
	if err != nil {
		return nil, fmt.Errorf("not a backup archive: %w", err)
	}
	if magic[0] == 0x1f && magic[1] == 0x8b {
		return gzip.NewReader(br)
	}
	return br, nil
}

// maxManifest bounds the manifest read into memory (it lists every file: ~100 bytes each).
const maxManifest = 256 << 20

func readManifest(tr *tar.Reader) (*Manifest, error) {
	hdr, err := tr.Next()
	if err != nil {
		return nil, fmt.Errorf("not a backup archive: %w", err)
	}
	if hdr.Name != manifestName || hdr.Size > maxManifest {
		return nil, fmt.Errorf("not a backup archive: its first member is %s, not %s", hdr.Name, manifestName)
	}
	var m Manifest
	dec := json.NewDecoder(tr)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	return &m, m.check()
}

// prepareTarget migrates db to the backup's schema version and refuses it if it holds data.
func prepareTarget(ctx context.Context, db *store.DB, version int64) error {
	current, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if current > version {
		return fmt.Errorf("the target database is at schema version %d, newer than the backup's %d: restore into a new database", current, version)
	}
	if err := db.MigrateTo(ctx, version); err != nil {
		return err
	}
	full, err := db.NonEmptyTables(ctx)
	if err != nil {
		return err
	}
	if len(full) > 0 {
		return fmt.Errorf("%w (%s hold rows): restore only into a new --data folder or an empty database", ErrNotEmpty, strings.Join(full, ", "))
	}
	return nil
}

// loadTable reads one table's member, inserting its rows, and checks it against the manifest.
func loadTable(tr *tar.Reader, l *store.Loader, t TableManifest) (int64, error) {
	hdr, err := tr.Next()
	if err != nil {
		return 0, fmt.Errorf("table %s: %w", t.Name, err)
	}
	if hdr.Name != tableMember(t.Name) {
		return 0, fmt.Errorf("member %s where the manifest has %s", hdr.Name, tableMember(t.Name))
	}
	h := sha256.New()
	sc := bufio.NewScanner(io.TeeReader(tr, h))
	sc.Buffer(make([]byte, 64<<10), 256<<20) // a row holds at most a few long texts
	names := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		names[i] = c.Name
	}
	var rows int64
	for sc.Scan() {
		rows++
		vals, err := parseRow(bytes.TrimSpace(sc.Bytes()), t.Columns)
		if err != nil {
			return 0, fmt.Errorf("table %s row %d: %w", t.Name, rows, err)
		}
		if err := l.Insert(t.Name, names, vals); err != nil {
			return 0, fmt.Errorf("table %s row %d: %w", t.Name, rows, err)
		}
	}
	if err := sc.Err(); err != nil {
		return 0, fmt.Errorf("table %s: %w", t.Name, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != t.SHA256 || hdr.Size != t.Bytes {
		return 0, fmt.Errorf("table %s is damaged: SHA-256 %s (%d bytes), the manifest says %s (%d bytes)", t.Name, got, hdr.Size, t.SHA256, t.Bytes)
	}
	if rows != t.Rows {
		return 0, fmt.Errorf("table %s has %d rows, the manifest says %d", t.Name, rows, t.Rows)
	}
	return rows, nil
}

// restoreBlob stores one file from the archive and checks it against its name and size.
// isNew says whether the store did not hold it before.
func restoreBlob(ctx context.Context, tr *tar.Reader, blobs files.Store, b BlobManifest) (isNew bool, err error) {
	hdr, err := tr.Next()
	if err != nil {
		return false, fmt.Errorf("file %s: %w", b.SHA256, err)
	}
	if hdr.Name != blobMember(b.SHA256) {
		return false, fmt.Errorf("member %s where the manifest has %s", hdr.Name, blobMember(b.SHA256))
	}
	had, err := blobs.Exists(ctx, b.SHA256)
	if err != nil {
		return false, err
	}
	// A blob is named by its content: a member whose bytes do not hash to its name is
	// refused before it is published, so a damaged (or swapped) member never lands in, or
	// takes the place of, a file the store already holds.
	errDamaged := errors.New("damaged")
	got, err := blobs.PutHeld(ctx, tr, 0, func(got files.Blob) error {
		if got.SHA256 != b.SHA256 {
			return fmt.Errorf("file %s is %w: its content has SHA-256 %s", b.SHA256, errDamaged, got.SHA256)
		}
		return nil
	})
	if errors.Is(err, errDamaged) {
		return false, err
	}
	if err != nil {
		return false, fmt.Errorf("file %s: %w", b.SHA256, err)
	}
	if got.Size != b.Size {
		return !had, fmt.Errorf("file %s has %d bytes; the manifest says %d", b.SHA256, got.Size, b.Size)
	}
	return !had, nil
}

// verifyRestored runs the audit verification of `stshub audit verify` on the restored
// database and checks that every file its rows refer to is stored with its size.
func verifyRestored(ctx context.Context, db *store.DB, blobs files.Store, log *slog.Logger) error {
	svc, err := service.New(db, service.Options{Logger: log})
	if err != nil {
		return err
	}
	if _, err := svc.VerifyAudit(ctx, ""); err != nil {
		var broken *audit.BrokenError
		if errors.As(err, &broken) {
			return fmt.Errorf("the restored audit trail does not verify: %w", err)
		}
		return err
	}
	refs, err := db.Blobs(ctx)
	if err != nil {
		return err
	}
	for _, b := range refs {
		obj, err := blobs.Open(ctx, b.SHA256)
		if err != nil {
			return fmt.Errorf("file %s, which the restored rows refer to, is not in the archive: %w", b.SHA256, err)
		}
		size := obj.Size()
		obj.Close()
		if size != b.Size {
			return fmt.Errorf("file %s has %d bytes; the restored rows say %d", b.SHA256, size, b.Size)
		}
	}
	return nil
}

// requeueSnapshots queues the rendering of every snapshot the backup caught generating:
// its job was in the queue, which a backup leaves out.
func requeueSnapshots(ctx context.Context, db *store.DB, log *slog.Logger) error {
	queue, err := jobs.New(db.JobPool(), db.Dialect() == store.SQLite, jobs.Handlers{}, 1, log)
	if err != nil {
		return err
	}
	return db.InTx(ctx, func(q store.Q) error {
		snaps, err := q.GeneratingSnapshots(ctx)
		if err != nil {
			return err
		}
		for _, s := range snaps {
			if err := queue.EnqueueSnapshot(ctx, q, s.RoomID, s.ID); err != nil {
				return err
			}
		}
		return nil
	})
}
