package backup_test

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/app"
	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/backup"
	"github.com/stshub/stshub/internal/files"
	"github.com/stshub/stshub/internal/service"
	"github.com/stshub/stshub/internal/store"
	"github.com/stshub/stshub/internal/store/storetest"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// source is a running application with the demo operation, a completed snapshot, and a
// writer that keeps creating rooms and uploading documents until stopped.
type source struct {
	env      *apptest.Env
	files    files.Store
	stop     atomic.Bool
	wg       sync.WaitGroup
	acked    sync.Map // IDs of the rooms and documents the writer was answered 201 for
	ackCount atomic.Int64
}

func newSource(t *testing.T, engine string) *source {
	t.Helper()
	ctx := context.Background()
	env := apptest.New(t, engine)
	if err := app.LoadDemo(ctx, env.App.Service(), io.Discard, time.Now()); err != nil {
		t.Fatal(err)
	}
	blobs, err := files.NewLocal(env.Config.FilesDir())
	if err != nil {
		t.Fatal(err)
	}
	s := &source{env: env, files: blobs}
	broker := s.login("broker@valletta-shipbrokers.demo")
	var rooms struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	env.Do(http.MethodGet, "/api/v1/rooms", broker, nil).JSON(&rooms)
	snap := env.Do(http.MethodPost, "/api/v1/rooms/"+rooms.Items[0].ID+"/snapshots", broker, map[string]string{"snapshot_type": "pdf"})
	if snap.Status != http.StatusAccepted {
		t.Fatalf("snapshot: %d %s", snap.Status, snap.Body)
	}
	id := snap.Map()["id"].(string)
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		got := env.Do(http.MethodGet, "/api/v1/rooms/"+rooms.Items[0].ID+"/snapshots/"+id, broker, nil).Map()
		if got["status"] == "completed" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the snapshot did not complete: %v", got)
		}
	}
	return s
}

func (s *source) login(email string) string {
	res := s.env.Do(http.MethodPost, "/api/v1/auth/login", "", map[string]string{"email": email, "password": app.DemoPassword})
	if res.Status != http.StatusOK {
		s.env.T.Fatalf("login %s: %d %s", email, res.Status, res.Body)
	}
	return res.Map()["token"].(string)
}

// write starts the writer: a room, its provider, and a fender certificate of new bytes,
// again and again.
func (s *source) write(t *testing.T) {
	broker, provider := s.login("broker@valletta-shipbrokers.demo"), s.login("poac@hurdmarine.demo")
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for i := 0; !s.stop.Load(); i++ {
			room := s.env.Do(http.MethodPost, "/api/v1/rooms", broker, map[string]string{"title": fmt.Sprintf("Load %d", i),
				"location": "Hurd's Bank", "sts_eta": time.Now().Add(72 * time.Hour).UTC().Format(time.RFC3339)})
			if room.Status != http.StatusCreated {
				t.Errorf("create room: %d %s", room.Status, room.Body)
				return
			}
			roomID := room.Map()["id"].(string)
			s.ack(roomID)
			party := s.env.Do(http.MethodPost, "/api/v1/rooms/"+roomID+"/parties", broker, map[string]string{"email": "poac@hurdmarine.demo", "role": "sts_provider"})
			if party.Status != http.StatusCreated {
				t.Errorf("add party: %d %s", party.Status, party.Body)
				return
			}
			up := s.env.Upload(roomID, provider, []string{"type", "FENDER", "expires_on", time.Now().AddDate(1, 0, 0).Format(time.DateOnly)},
				"fender.pdf", apptest.PDF(fmt.Sprintf("Fender certificate %d %d", i, time.Now().UnixNano())))
			if up.Status != http.StatusCreated {
				t.Errorf("upload: %d %s", up.Status, up.Body)
				return
			}
			s.ack(up.Map()["id"].(string))
		}
	}()
}

func (s *source) ack(id string) { s.acked.Store(id, true); s.ackCount.Add(1) }

func (s *source) halt() { s.stop.Store(true); s.wg.Wait() }

// target is an empty database and file store of engine.
type target struct {
	db    *store.DB
	files *files.Local
	dir   string
}

func newTarget(t *testing.T, engine string) target {
	t.Helper()
	dir := t.TempDir()
	db, err := store.Open(context.Background(), storetest.Options(t, engine, dir))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	blobs, err := files.NewLocal(filepath.Join(dir, "files"))
	if err != nil {
		t.Fatal(err)
	}
	return target{db: db, files: blobs, dir: dir}
}

func readManifest(t *testing.T, path string) backup.Manifest {
	t.Helper()
	m, err := backup.ReadManifest(path)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestBackupUnderWritesRestoresIntoEachEngine backs up a server under write load, restores
// the archive into each engine, and checks the result: the audit chains verify, every
// row counted in the manifest is there, every acknowledged write from before the backup
// began is in it, every file is byte-identical, and a second backup of the restored
// database has the same tables, member for member, as the first (after a trip through
// the other engine too).
func TestBackupUnderWritesRestoresIntoEachEngine(t *testing.T) {
	ctx := context.Background()
	for _, engine := range storetest.Engines() {
		t.Run("from_"+engine, func(t *testing.T) {
			src := newSource(t, engine)
			src.write(t)
			for src.ackCount.Load() < 6 {
				time.Sleep(20 * time.Millisecond)
			}
			var before []string
			src.acked.Range(func(k, _ any) bool { before = append(before, k.(string)); return true })
			archive := filepath.Join(t.TempDir(), "stshub.tar")
			st, err := backup.Create(ctx, src.env.App.DB(), src.files, archive)
			src.halt()
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("backup of %s under load: %d tables, %d rows, %d files (%d bytes) in %s; %d writes acknowledged meanwhile",
				engine, st.Tables, st.Rows, st.Blobs, st.BlobBytes, st.Elapsed, src.ackCount.Load()-int64(len(before)))
			m := readManifest(t, archive)
			if m.Engine != engine || len(m.Blobs) < 13 {
				t.Fatalf("manifest: engine %s, %d files", m.Engine, len(m.Blobs))
			}
			for _, to := range storetest.Engines() {
				t.Run("into_"+to, func(t *testing.T) {
					tg := newTarget(t, to)
					if _, err := backup.Restore(ctx, tg.db, tg.files, archive, quiet); err != nil {
						t.Fatal(err)
					}
					checkRestored(t, tg, m, src, before)
					// Back again: the archive of the restored database (through the other
					// engine, and back to the first when they differ) has the same tables.
					again := filepath.Join(t.TempDir(), "again.tar.gz")
					if _, err := backup.Create(ctx, tg.db, tg.files, again); err != nil {
						t.Fatal(err)
					}
					if to != engine {
						back := newTarget(t, engine)
						if _, err := backup.Restore(ctx, back.db, back.files, again, quiet); err != nil {
							t.Fatal(err)
						}
						again = filepath.Join(t.TempDir(), "back.tar")
						if _, err := backup.Create(ctx, back.db, back.files, again); err != nil {
							t.Fatal(err)
						}
					}
					m2 := readManifest(t, again)
					for i, tm := range m.Tables {
						if got := m2.Tables[i]; got.Name != tm.Name || got.Rows != tm.Rows || got.SHA256 != tm.SHA256 {
							t.Errorf("table %s after the round trip: %d rows, %s; before: %d rows, %s", tm.Name, got.Rows, got.SHA256, tm.Rows, tm.SHA256)
						}
					}
				})
			}
		})
	}
}

func checkRestored(t *testing.T, tg target, m backup.Manifest, src *source, acked []string) {
	t.Helper()
	ctx := context.Background()
	svc, err := service.New(tg.db, service.Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	reports, err := svc.VerifyAudit(ctx, "")
	if err != nil || len(reports) < 2 {
		t.Fatalf("audit verify after restore: %d chains, %v", len(reports), err)
	}
	sqlDB := tg.db.Pools()
	pool := sqlDB["main"]
	if pool == nil {
		pool = sqlDB["reader"]
	}
	for _, tm := range m.Tables {
		var n int64
		if err := pool.QueryRowContext(ctx, `SELECT count(*) FROM `+tm.Name).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != tm.Rows {
			t.Errorf("table %s: %d rows restored, the manifest has %d", tm.Name, n, tm.Rows)
		}
	}
	for _, id := range acked {
		var n int
		query := `SELECT (SELECT count(*) FROM rooms WHERE id = ?) + (SELECT count(*) FROM documents WHERE id = ?)`
		if tg.db.Dialect() == store.Postgres {
			query = `SELECT (SELECT count(*) FROM rooms WHERE id = $1) + (SELECT count(*) FROM documents WHERE id = $2)`
		}
		if err := pool.QueryRowContext(ctx, query, id, id).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("%s, acknowledged before the backup began, is not in the restored database", id)
		}
	}
	for _, b := range m.Blobs {
		if want, got := readBlob(t, src.files, b.SHA256), readBlob(t, tg.files, b.SHA256); !bytes.Equal(want, got) {
			t.Errorf("file %s differs after the restore (%d bytes, was %d)", b.SHA256, len(got), len(want))
		}
	}
}

func readBlob(t *testing.T, s files.Store, sha string) []byte {
	t.Helper()
	obj, err := s.Open(context.Background(), sha)
	if err != nil {
		t.Fatalf("open %s: %v", sha, err)
	}
	defer obj.Close()
	data, err := io.ReadAll(obj)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestRestoreRefusesADamagedArchive damages one byte of a table, one of a file, cuts the
// archive short, and restores each into a fresh target: every one is refused, leaving no
// row in the database and no file in the store.
func TestRestoreRefusesADamagedArchive(t *testing.T) {
	ctx := context.Background()
	engine := storetest.Engines()[len(storetest.Engines())-1]
	src := newSource(t, engine)
	archive := filepath.Join(t.TempDir(), "stshub.tar")
	if _, err := backup.Create(ctx, src.env.App.DB(), src.files, archive); err != nil {
		t.Fatal(err)
	}
	m := readManifest(t, archive)
	cases := map[string]func(name string, data []byte) []byte{
		"a table row": func(name string, data []byte) []byte {
			if name == "tables/audit_entries.jsonl" {
				data[len(data)/2] ^= 0x01
			}
			return data
		},
		"a file": func(name string, data []byte) []byte {
			if name == "blobs/"+m.Blobs[len(m.Blobs)-1].SHA256 {
				data[len(data)/2] ^= 0x01
			}
			return data
		},
		"a newer schema": func(name string, data []byte) []byte {
			if name == "manifest.json" {
				return bytes.Replace(data, []byte(fmt.Sprintf(`"schema_version": %d`, m.SchemaVersion)), []byte(`"schema_version": 99999`), 1)
			}
			return data
		},
		"a missing file": func(name string, data []byte) []byte {
			if name == "blobs/"+m.Blobs[0].SHA256 {
				return nil
			}
			return data
		},
	}
	for name, damage := range cases {
		for _, to := range storetest.Engines() {
			t.Run(name+"/into_"+to, func(t *testing.T) {
				damaged := rewrite(t, archive, damage)
				tg := newTarget(t, to)
				if _, err := backup.Restore(ctx, tg.db, tg.files, damaged, quiet); err == nil {
					t.Fatal("a damaged archive was restored")
				} else {
					t.Log(err)
				}
				checkEmpty(t, tg)
			})
		}
	}
	t.Run("cut short", func(t *testing.T) {
		data, err := os.ReadFile(archive)
		if err != nil {
			t.Fatal(err)
		}
		short := filepath.Join(t.TempDir(), "short.tar")
		if err := os.WriteFile(short, data[:len(data)*2/3], 0o600); err != nil {
			t.Fatal(err)
		}
		tg := newTarget(t, "sqlite")
		if _, err := backup.Restore(ctx, tg.db, tg.files, short, quiet); err == nil {
			t.Fatal("a truncated archive was restored")
		}
		checkEmpty(t, tg)
	})
	t.Run("a target with data", func(t *testing.T) {
		if _, err := backup.Restore(ctx, src.env.App.DB(), src.files, archive, quiet); err == nil {
			t.Fatal("restored into a database that holds data")
		}
	})
}

// rewrite copies the archive at path, passing each member's content through damage
// (nil drops the member).
func rewrite(t *testing.T, path string, damage func(name string, data []byte) []byte) string {
	t.Helper()
	in, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out := filepath.Join(t.TempDir(), "damaged.tar")
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tr, tw := tar.NewReader(in), tar.NewWriter(f)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		if data = damage(hdr.Name, data); data == nil {
			continue
		}
		hdr.Size = int64(len(data))
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return out
}

func checkEmpty(t *testing.T, tg target) {
	t.Helper()
	full, err := tg.db.NonEmptyTables(context.Background())
	if err != nil || len(full) > 0 {
		t.Errorf("after a refused restore the target holds rows in %v (%v)", full, err)
	}
	var stored []string
	_ = filepath.WalkDir(filepath.Join(tg.dir, "files"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !files.IsSpoolOwner(d.Name()) { // the live store's lock is no stored file
			stored = append(stored, p)
		}
		return nil
	})
	if len(stored) > 0 {
		t.Errorf("after a refused restore the file store holds %v", stored)
	}
}

// TestRestoreOfAnOlderSchemaMigratesItsRows backs up a database one migration behind this
// build and restores it into each engine: the target is migrated to the backup's version,
// loaded, and then migrated the rest of the way, as the source would have been.
func TestRestoreOfAnOlderSchemaMigratesItsRows(t *testing.T) {
	ctx := context.Background()
	latest := store.LatestSchemaVersion()
	src := newTarget(t, "sqlite")
	if err := src.db.MigrateTo(ctx, latest-1); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	if _, err := src.db.Pools()["writer"].ExecContext(ctx, `INSERT INTO users (id, email, name, password_hash, role, created_at, updated_at)
		VALUES ('u1', 'old@example.com', 'Old', 'x', 'user', ?, ?)`, now, now); err != nil {
		t.Fatal(err)
	}
	archive := filepath.Join(t.TempDir(), "old.tar")
	if _, err := backup.Create(ctx, src.db, src.files, archive); err != nil {
		t.Fatal(err)
	}
	if m := readManifest(t, archive); m.SchemaVersion != latest-1 {
		t.Fatalf("the manifest has schema version %d, want %d", m.SchemaVersion, latest-1)
	}
	for _, engine := range storetest.Engines() {
		t.Run("into_"+engine, func(t *testing.T) {
			tg := newTarget(t, engine)
			if _, err := backup.Restore(ctx, tg.db, tg.files, archive, quiet); err != nil {
				t.Fatal(err)
			}
			if v, err := tg.db.SchemaVersion(ctx); err != nil || v != latest {
				t.Errorf("after the restore the schema is at %d (%v), want %d", v, err, latest)
			}
			u, err := tg.db.Read().UserByEmail(ctx, "old@example.com")
			if err != nil || u.ID != "u1" || !u.CreatedAt.Equal(now) {
				t.Errorf("restored user: %+v, %v; want u1 created at %s", u, err, now)
			}
		})
	}
}
