package e2e_test

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/backup"
	"github.com/stshub/stshub/internal/store/storetest"
)

// TestBackupAndRestoreWithTheBinary runs `stshub backup` against a server under upload
// load, restores the archive with `stshub restore` into a new folder or database of each
// engine, and checks it with `stshub audit verify`, a byte comparison of every file and a
// server started on it. It reports the backup's throughput beside the disk's, measured in
// the same run. A damaged archive is refused, leaving nothing behind.
func TestBackupAndRestoreWithTheBinary(t *testing.T) {
	forEachEngine(t, func(t *testing.T, src storage) {
		createAdmin(t, src)
		addr := freeAddr(t)
		s := startServer(t, addr, nil, "", append([]string{"--addr", addr}, src.args()...)...)
		token := s.login()
		room := s.createRoom(token, "MT AEGEAN SERENITY / MT NORDIC STAR lightering")
		provider := s.addPartyUser(token, room.ID, "poac@hurdmarine.test", "sts_provider")
		upload := func(size int) {
			s.uploadDocument(provider, room.ID, []string{"type", "FENDER", "expires_on", time.Now().AddDate(1, 0, 0).Format(time.DateOnly)},
				"fender.pdf", randomPDF(t, size))
		}
		// Some tens of MiB, so the throughput means something.
		for range 24 {
			upload(1 << 20)
		}
		var stop atomic.Bool
		var during atomic.Int64
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				upload(256 << 10)
				during.Add(1)
			}
		}()
		archive := filepath.Join(t.TempDir(), "stshub-backup.tar")
		res := mustRunCLI(t, nil, append([]string{"backup", archive}, src.args()...)...)
		stop.Store(true)
		wg.Wait()
		disk := diskWriteMiBps(t, filepath.Dir(archive), 64<<20)
		t.Logf("%s (%d uploads acknowledged during the run); the disk writes %.0f MiB/s (64 MiB, fsynced, same folder)",
			strings.TrimSpace(res.stdout), during.Load(), disk)
		m, err := backup.ReadManifest(archive)
		if err != nil {
			t.Fatal(err)
		}
		// A second server on the same folder is refused, naming the holder.
		second := runCLI(t, nil, append([]string{"serve", "--addr", freeAddr(t)}, src.args()...)...)
		if second.code == 0 || !strings.Contains(second.stderr, fmt.Sprintf("pid %d", s.cmd.Process.Pid)) {
			t.Errorf("a second serve on the same data folder: %s", second)
		}
		s.stopCleanly(syscall.SIGTERM)

		for _, engine := range []string{"sqlite", "postgres"} {
			t.Run("into_"+engine, func(t *testing.T) {
				to := storage{engine: engine, dataDir: filepath.Join(t.TempDir(), "data")}
				if engine == "postgres" {
					if os.Getenv(storetest.EnvPostgresURL) == "" {
						t.Skip(storetest.EnvPostgresURL + " is not set")
					}
					to.dbURL = storetest.FreshPostgresSchema(t)
				}
				res := mustRunCLI(t, nil, append([]string{"restore", archive}, to.args()...)...)
				t.Log(strings.TrimSpace(res.stdout))
				verify := mustRunCLI(t, nil, append([]string{"audit", "verify"}, to.args()...)...)
				if !strings.Contains(verify.stdout, "verified ") {
					t.Errorf("audit verify after the restore:\n%s", verify)
				}
				for _, b := range m.Blobs {
					want, err := os.ReadFile(filepath.Join(src.dataDir, "files", b.SHA256[:2], b.SHA256))
					if err != nil {
						t.Fatal(err)
					}
					got, err := os.ReadFile(filepath.Join(to.dataDir, "files", b.SHA256[:2], b.SHA256))
					if err != nil || !bytes.Equal(got, want) {
						t.Errorf("file %s after the restore: %d bytes (%v), want the original %d", b.SHA256, len(got), err, len(want))
					}
				}
				// A restore into a target that now holds data is refused.
				if again := runCLI(t, nil, append([]string{"restore", archive}, to.args()...)...); again.code != 1 || !strings.Contains(again.stderr, "not empty") {
					t.Errorf("a second restore into the same target: %s", again)
				}
				addr := freeAddr(t)
				r := startServer(t, addr, nil, "", append([]string{"--addr", addr}, to.args()...)...)
				var docs struct {
					Items []struct {
						ID           string `json:"id"`
						VersionCount int    `json:"version_count"`
					} `json:"items"`
				}
				r.api(http.MethodGet, "/rooms/"+room.ID+"/documents?type=FENDER", r.login(), nil, http.StatusOK, &docs)
				if len(docs.Items) == 0 {
					t.Errorf("the restored server does not list the room's documents")
				}
				r.stopCleanly(syscall.SIGTERM)
			})
		}

		t.Run("damaged", func(t *testing.T) {
			data, err := os.ReadFile(archive)
			if err != nil {
				t.Fatal(err)
			}
			data[len(data)/2] ^= 0xff // in the middle of a file's bytes
			damaged := filepath.Join(t.TempDir(), "damaged.tar")
			if err := os.WriteFile(damaged, data, 0o600); err != nil {
				t.Fatal(err)
			}
			to := storage{engine: "sqlite", dataDir: filepath.Join(t.TempDir(), "data")}
			res := runCLI(t, nil, append([]string{"restore", damaged}, to.args()...)...)
			if res.code != 1 || !strings.Contains(res.stderr, "restore refused") {
				t.Errorf("restore of a damaged archive: %s", res)
			}
			if _, err := os.Stat(to.sqlitePath()); !os.IsNotExist(err) {
				t.Errorf("a refused restore left %s behind (%v)", to.sqlitePath(), err)
			}
		})
	})
}

// TestServeRefusesADamagedSQLiteFile damages the pages of a stopped server's database
// and expects the next `stshub serve` to refuse to start, saying why.
func TestServeRefusesADamagedSQLiteFile(t *testing.T) {
	st := storage{engine: "sqlite", dataDir: filepath.Join(t.TempDir(), "data")}
	createAdmin(t, st)
	f, err := os.OpenFile(st.sqlitePath(), os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	info, _ := f.Stat()
	for off := int64(3 * 4096); off+4096 < info.Size(); off += 3 * 4096 {
		if _, err := f.WriteAt(bytes.Repeat([]byte{0xa5}, 4096), off); err != nil {
			t.Fatal(err)
		}
	}
	f.Close()
	res := runCLI(t, nil, append([]string{"serve", "--addr", freeAddr(t)}, st.args()...)...)
	if res.code != 1 || !strings.Contains(res.stderr, "integrity check") {
		t.Errorf("serve on a damaged database file: %s", res)
	}
}

// randomPDF is size bytes that sniff as a PDF and do not compress.
func randomPDF(t *testing.T, size int) []byte {
	b := make([]byte, size)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	copy(b, "%PDF-1.7\n%")
	return b
}

// diskWriteMiBps writes n bytes to a file in dir, fsyncs it, and returns the rate.
func diskWriteMiBps(t *testing.T, dir string, n int) float64 {
	t.Helper()
	f, err := os.CreateTemp(dir, "disk-speed-*")
	if err != nil {
		t.Fatal(err)
	}
	defer os.Remove(f.Name())
	defer f.Close()
	buf := randomPDF(t, 1<<20)
	start := time.Now()
	for written := 0; written < n; written += len(buf) {
		if _, err := f.Write(buf); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Sync(); err != nil {
		t.Fatal(err)
	}
	return float64(n) / (1 << 20) / time.Since(start).Seconds()
}
