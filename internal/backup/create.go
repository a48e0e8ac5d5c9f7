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
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/stshub/stshub/internal/files"
	"github.com/stshub/stshub/internal/store"
)

// Stats says what a backup or a restore moved.
type Stats struct {
	Tables    int
	Rows      int64
	Blobs     int
	BlobBytes int64
	// ArchiveBytes is the archive's size on disk.
	ArchiveBytes int64
	Elapsed      time.Duration
}

// Create writes a backup of db and of the files its rows refer to into path. The archive
// appears under path only once complete and synced; a backup that fails leaves nothing
// there. It runs beside a serving process: the rows are one consistent read.
func Create(ctx context.Context, db *store.DB, blobs files.Store, path string) (Stats, error) {
	start := time.Now()
	dir := filepath.Dir(path)
	// The tables are written to a scratch folder beside the archive first, so the
	// manifest (their checksums and counts) can lead the archive and the database read
	// ends before the files are copied.
	scratch, err := os.MkdirTemp(dir, ".stshub-backup-*")
	if err != nil {
		return Stats{}, fmt.Errorf("backup: %w", err)
	}
	defer os.RemoveAll(scratch)
	m := Manifest{Format: Format, FormatVersion: FormatVersion, Engine: db.Dialect().String(), CreatedAt: time.Now().UTC()}
	err = db.ReadConsistent(ctx, func(v *store.ReadView) error {
		m.SchemaVersion = v.SchemaVersion()
		for _, t := range v.Tables() {
			tm, err := dumpTable(ctx, v, t, filepath.Join(scratch, t.Name+".jsonl"))
			if err != nil {
				return err
			}
			m.Tables = append(m.Tables, tm)
		}
		refs, err := v.Blobs(ctx)
		for _, b := range refs {
			m.Blobs = append(m.Blobs, BlobManifest(b))
		}
		return err
	})
	if err != nil {
		return Stats{}, fmt.Errorf("backup: %w", err)
	}
	// From here on the sweep leaves the manifest's files alone, whatever is deleted.
	release, err := holdBlobs(ctx, db, m.Blobs)
	if err != nil {
		return Stats{}, fmt.Errorf("backup: %w", err)
	}
	defer release()
	afterRead()
	st := Stats{Tables: len(m.Tables), Blobs: len(m.Blobs)}
	for _, t := range m.Tables {
		st.Rows += t.Rows
	}
	for _, b := range m.Blobs {
		st.BlobBytes += b.Size
	}
	tmp, err := os.CreateTemp(dir, ".stshub-backup-*.partial")
	if err != nil {
		return Stats{}, fmt.Errorf("backup: %w", err)
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := writeArchive(ctx, tmp, compressed(path), &m, scratch, blobs); err != nil {
		return Stats{}, fmt.Errorf("backup: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return Stats{}, fmt.Errorf("backup: sync: %w", err)
	}
	info, err := tmp.Stat()
	if err != nil {
		return Stats{}, fmt.Errorf("backup: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return Stats{}, fmt.Errorf("backup: close: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return Stats{}, fmt.Errorf("backup: %w", err)
	}
	done = true
	st.ArchiveBytes = info.Size()
	st.Elapsed = time.Since(start)
	return st, nil
}

// afterRead runs between the backup's consistent read and the copying of its files: a seam
// for the tests (export_test.go), a no-op otherwise.
var afterRead = func() {}

// compressed reports whether an archive named path is gzip-compressed.
func compressed(path string) bool {
	return strings.HasSuffix(path, ".gz") || strings.HasSuffix(path, ".tgz")
}

// dumpTable writes every row of t to a JSON-lines file, counting and hashing it.
func dumpTable(ctx context.Context, v *store.ReadView, t store.Table, path string) (TableManifest, error) {
	f, err := os.Create(path)
	if err != nil {
		return TableManifest{}, err
	}
	defer f.Close()
	h := sha256.New()
	cw := &countWriter{w: io.MultiWriter(f, h)}
	w := bufio.NewWriterSize(cw, 256<<10)
	tm := TableManifest{Table: t}
	var line []byte
	err = v.EachRow(ctx, t, func(vals []any) error {
		if line, err = appendRow(line[:0], t.Columns, vals); err != nil {
			return fmt.Errorf("table %s: %w", t.Name, err)
		}
		tm.Rows++
		_, err := w.Write(line)
		return err
	})
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = f.Close()
	}
	if err != nil {
		return TableManifest{}, err
	}
	tm.Bytes, tm.SHA256 = cw.n, hex.EncodeToString(h.Sum(nil))
	return tm, nil
}

// writeArchive writes the manifest, the tables from scratch and the files from blobs.
func writeArchive(ctx context.Context, out io.Writer, gz bool, m *Manifest, scratch string, blobs files.Store) error {
	bw := bufio.NewWriterSize(out, 1<<20)
	var zw *gzip.Writer
	var w io.Writer = bw
	if gz {
		zw = gzip.NewWriter(bw)
		w = zw
	}
	tw := tar.NewWriter(w)
	manifest, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if err := writeMember(tw, manifestName, int64(len(manifest)), m.CreatedAt, bytes.NewReader(manifest)); err != nil {
		return err
	}
	for _, t := range m.Tables {
		f, err := os.Open(filepath.Join(scratch, t.Name+".jsonl"))
		if err != nil {
			return err
		}
		err = writeMember(tw, tableMember(t.Name), t.Bytes, m.CreatedAt, f)
		f.Close()
		if err != nil {
			return err
		}
	}
	for _, b := range m.Blobs {
		if err := copyBlob(ctx, tw, blobs, b, m.CreatedAt); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	if zw != nil {
		if err := zw.Close(); err != nil {
			return err
		}
	}
	return bw.Flush()
}

func writeMember(tw *tar.Writer, name string, size int64, mod time.Time, r io.Reader) error {
	if err := tw.WriteHeader(&tar.Header{Name: name, Size: size, Mode: 0o600, ModTime: mod, Typeflag: tar.TypeReg, Format: tar.FormatPAX}); err != nil {
		return err
	}
	n, err := io.Copy(tw, r)
	if err == nil && n != size {
		err = fmt.Errorf("%s: %d bytes, expected %d", name, n, size)
	}
	return err
}

// copyBlob copies one stored file into the archive, checking it against its name.
func copyBlob(ctx context.Context, tw *tar.Writer, blobs files.Store, b BlobManifest, mod time.Time) error {
	obj, err := blobs.Open(ctx, b.SHA256)
	if errors.Is(err, files.ErrNotExist) {
		return fmt.Errorf("file %s (%d bytes), which the database refers to, is missing from the file store (stshub fsck names what refers to it)", b.SHA256, b.Size)
	}
	if err != nil {
		return err
	}
	defer obj.Close()
	h := sha256.New()
	if err := writeMember(tw, blobMember(b.SHA256), b.Size, mod, io.TeeReader(obj, h)); err != nil {
		return fmt.Errorf("file %s: %w", b.SHA256, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != b.SHA256 {
		return fmt.Errorf("file %s in the file store is damaged: its content has SHA-256 %s", b.SHA256, got)
	}
	return nil
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
