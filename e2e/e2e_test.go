package e2e_test

import (
	"database/sql"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" driver, to tamper with the stored audit trail

	// The "pgx" driver is registered by internal/store, which storetest imports.
	"github.com/stshub/stshub/internal/store/storetest"
)

// TestRestartKeepsSessions checks that rooms and sessions live in the database, not in
// the process: a token issued before a clean restart still works after it, until logout.
func TestRestartKeepsSessions(t *testing.T) {
	forEachEngine(t, func(t *testing.T, st storage) {
		createAdmin(t, st)
		addr := freeAddr(t)
		serveArgs := append([]string{"--addr", addr}, st.args()...)

		s1 := startServer(t, addr, nil, "", serveArgs...)
		ready := s1.do(http.MethodGet, "/readyz", "", nil)
		if want := `"database":"` + st.engine + `"`; !strings.Contains(string(ready.body), want) {
			t.Fatalf("GET /readyz: got %s, want it to contain %s", ready, want)
		}
		if r := s1.do(http.MethodGet, "/healthz", "", nil); r.status != http.StatusOK {
			t.Fatalf("GET /healthz: got %s, want 200", r)
		}
		token := s1.login()
		room := s1.createRoom(token, "MT Alpha / MT Beta lightering")
		s1.stopCleanly(syscall.SIGTERM)

		// The logs are JSON lines and say where the server listened and that it stopped.
		listening := s1.logRecord("listening")
		if listening["addr"] != addr || listening["database"] != st.engine {
			t.Fatalf("listening log record: got %v, want addr %s and database %s", listening, addr, st.engine)
		}
		s1.logRecord("stopped")

		// Same address, same data: the old token still signs in and the room is still there.
		s2 := startServer(t, addr, nil, "", serveArgs...)
		var me userBody
		s2.api(http.MethodGet, "/auth/me", token, nil, http.StatusOK, &me)
		if me.Email != adminEmail || me.Role != "admin" {
			t.Fatalf("GET /auth/me after restart: got %+v", me)
		}
		var rooms struct {
			Items []roomBody `json:"items"`
		}
		s2.api(http.MethodGet, "/rooms", token, nil, http.StatusOK, &rooms)
		if len(rooms.Items) != 1 || rooms.Items[0].ID != room.ID || rooms.Items[0].Title != room.Title {
			t.Fatalf("GET /rooms after restart: got %+v, want just room %+v", rooms.Items, room)
		}
		if !rooms.Items[0].STSETA.Equal(time.Date(2026, 3, 14, 8, 0, 0, 0, time.UTC)) {
			t.Fatalf("GET /rooms after restart: sts_eta %v, want 2026-03-14T08:00:00Z", rooms.Items[0].STSETA)
		}

		// Logout kills the token at once.
		s2.api(http.MethodPost, "/auth/logout", token, nil, http.StatusNoContent, nil)
		r := s2.api(http.MethodGet, "/auth/me", token, nil, http.StatusUnauthorized, nil)
		if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
			t.Fatalf("GET /auth/me after logout: Content-Type %q, want application/problem+json", ct)
		}
		s2.api(http.MethodPost, "/auth/logout", token, nil, http.StatusUnauthorized, nil)
		s2.stopCleanly(syscall.SIGINT)

		if st.engine == "sqlite" {
			assertExists(t, st.sqlitePath())
		} else {
			assertMissing(t, st.sqlitePath())
		}
	})
}

// TestAuditVerifyDetectsTampering checks `stshub audit verify` end to end: a clean trail
// verifies, and an entry changed behind the product's back is named.
func TestAuditVerifyDetectsTampering(t *testing.T) {
	forEachEngine(t, func(t *testing.T, st storage) {
		createAdmin(t, st)
		addr := freeAddr(t)
		s := startServer(t, addr, nil, "", append([]string{"--addr", addr}, st.args()...)...)
		token := s.login()
		changed := s.createRoom(token, "Room to be changed")
		untouched := s.createRoom(token, "Room left alone")
		var patched roomBody
		s.api(http.MethodPatch, "/rooms/"+changed.ID, token, map[string]string{"title": "changed"}, http.StatusOK, &patched)
		if patched.Title != "changed" {
			t.Fatalf("PATCH /rooms/%s: title %q, want %q", changed.ID, patched.Title, "changed")
		}
		s.stopCleanly(syscall.SIGTERM)

		verify := func(args ...string) cliResult {
			t.Helper()
			return runCLI(t, nil, append(append([]string{"audit", "verify"}, args...), st.args()...)...)
		}

		// Untampered: every chain (platform and both rooms) verifies.
		res := verify()
		if res.code != 0 || !strings.Contains(res.stdout, "verified 3 chain(s)") {
			t.Fatalf("audit verify on an untouched trail: want exit 0 and %q\n%s", "verified 3 chain(s)", res)
		}
		for _, scope := range []string{"platform", changed.ID, untouched.ID} {
			if !strings.Contains(res.stdout, "ok  "+scope) {
				t.Fatalf("audit verify: no ok line for %s\n%s", scope, res)
			}
		}

		// Tamper with the room_updated entry directly in the database.
		tamperedID := tamperRoomUpdated(t, st, changed.ID)

		res = verify()
		if res.code == 0 {
			t.Fatalf("audit verify after tampering: want a non-zero exit code\n%s", res)
		}
		badLine := lineWithPrefix(res.stdout, "BAD")
		if badLine == "" || !strings.Contains(badLine, tamperedID) || !strings.Contains(badLine, changed.ID) {
			t.Fatalf("audit verify after tampering: want a line starting with BAD naming entry %s of room %s\n%s", tamperedID, changed.ID, res)
		}
		if !strings.Contains(res.stderr, "verification failed") {
			t.Fatalf("audit verify after tampering: stderr does not say the verification failed\n%s", res)
		}

		// The room nobody tampered with still verifies on its own; the changed one does not.
		res = verify("--room", untouched.ID)
		if res.code != 0 || !strings.Contains(res.stdout, "verified 1 chain(s)") || !strings.Contains(res.stdout, "ok  "+untouched.ID) {
			t.Fatalf("audit verify --room %s (untouched): want exit 0 and one verified chain\n%s", untouched.ID, res)
		}
		res = verify("--room", changed.ID)
		if res.code == 0 || !strings.Contains(lineWithPrefix(res.stdout, "BAD"), tamperedID) {
			t.Fatalf("audit verify --room %s (tampered): want a non-zero exit and a BAD line naming %s\n%s", changed.ID, tamperedID, res)
		}
	})
}

// tamperRoomUpdated rewrites the actor of the one room_updated entry, which must belong to
// roomID, and returns that entry's ID.
func tamperRoomUpdated(t *testing.T, st storage, roomID string) string {
	t.Helper()
	driver, dsn := "sqlite", st.sqlitePath()
	if st.engine == "postgres" {
		driver, dsn = "pgx", st.dbURL
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatalf("open %s database: %v", st.engine, err)
	}
	defer db.Close()
	var id, scope string
	if err := db.QueryRow(`SELECT id, scope FROM audit_entries WHERE action = 'room_updated'`).Scan(&id, &scope); err != nil {
		t.Fatalf("select the room_updated audit entry: %v", err)
	}
	if scope != roomID {
		t.Fatalf("room_updated entry %s is in scope %s, want room %s", id, scope, roomID)
	}
	res, err := db.Exec(`UPDATE audit_entries SET actor_email = 'mallory@example.com' WHERE action = 'room_updated'`)
	if err != nil {
		t.Fatalf("tamper with the audit trail: %v", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		t.Fatalf("tamper with the audit trail: %d rows changed (%v), want 1", n, err)
	}
	return id
}

// lineWithPrefix returns the first line of s that starts with prefix, or "".
func lineWithPrefix(s, prefix string) string {
	for line := range strings.Lines(s) {
		if strings.HasPrefix(line, prefix) {
			return strings.TrimRight(line, "\n")
		}
	}
	return ""
}

// migration is one line of `stshub migrate status`.
type migration struct {
	version int
	state   string
	name    string
}

func migrateStatus(t *testing.T, st storage) []migration {
	t.Helper()
	res := mustRunCLI(t, nil, append([]string{"migrate", "status"}, st.args()...)...)
	var out []migration
	for line := range strings.Lines(res.stdout) {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if len(f) != 3 {
			t.Fatalf("migrate status: cannot read line %q\n%s", line, res)
		}
		v, err := strconv.Atoi(f[0])
		if err != nil {
			t.Fatalf("migrate status: bad version in %q\n%s", line, res)
		}
		out = append(out, migration{version: v, state: f[1], name: f[2]})
	}
	if len(out) == 0 {
		t.Fatalf("migrate status listed no migrations\n%s", res)
	}
	for i := 1; i < len(out); i++ {
		if out[i].version <= out[i-1].version {
			t.Fatalf("migrate status: versions not ascending: %v", out)
		}
	}
	return out
}

// wantStates fails unless the migrations have exactly the given states, in order.
func wantStates(t *testing.T, when string, got []migration, states []string) {
	t.Helper()
	if len(got) != len(states) {
		t.Fatalf("%s: %d migrations listed, want %d: %v", when, len(got), len(states), got)
	}
	for i, m := range got {
		if m.state != states[i] {
			t.Fatalf("%s: migration %05d (%s) is %s, want %s; all: %v", when, m.version, m.name, m.state, states[i], got)
		}
	}
}

func repeat(state string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = state
	}
	return out
}

// TestMigrateCommands checks `stshub migrate up|down|status` on a fresh database, and that
// /readyz notices a schema rolled back under a running server.
func TestMigrateCommands(t *testing.T) {
	forEachEngine(t, func(t *testing.T, st storage) {
		migrate := func(args ...string) cliResult {
			t.Helper()
			return mustRunCLI(t, nil, append([]string{"migrate"}, append(args, st.args()...)...)...)
		}

		fresh := migrateStatus(t, st)
		n := len(fresh)
		wantStates(t, "status on a fresh database", fresh, repeat("pending", n))

		if res := migrate("up"); !strings.Contains(res.stdout, "migrated up") {
			t.Fatalf("migrate up: stdout lacks %q\n%s", "migrated up", res)
		}
		applied := migrateStatus(t, st)
		wantStates(t, "status after up", applied, repeat("applied", n))
		for i := range applied {
			if applied[i].version != fresh[i].version {
				t.Fatalf("status after up lists %v, before up %v", applied, fresh)
			}
		}

		if res := migrate("down"); !strings.Contains(res.stdout, "rolled back the latest migration") {
			t.Fatalf("migrate down: stdout lacks %q\n%s", "rolled back the latest migration", res)
		}
		wantStates(t, "status after one down", migrateStatus(t, st), append(repeat("applied", n-1), "pending"))

		if res := migrate("up"); !strings.Contains(res.stdout, "migrated up") {
			t.Fatalf("second migrate up: stdout lacks %q\n%s", "migrated up", res)
		}
		wantStates(t, "status after up again", migrateStatus(t, st), repeat("applied", n))

		// A schema rolled back under a running server makes it not ready (503, problem+json).
		addr := freeAddr(t)
		s := startServer(t, addr, nil, "", append([]string{"--addr", addr}, st.args()...)...)
		migrate("down")
		r := s.do(http.MethodGet, "/readyz", "", nil)
		if r.status != http.StatusServiceUnavailable || !strings.HasPrefix(r.header.Get("Content-Type"), "application/problem+json") {
			t.Fatalf("GET /readyz with a migration rolled back: got %s (Content-Type %q), want 503 problem+json", r, r.header.Get("Content-Type"))
		}
		s.stopCleanly(syscall.SIGTERM)

		// Roll everything back, then once more: nothing left is not an error.
		for range n - 1 {
			migrate("down")
		}
		wantStates(t, "status after rolling everything back", migrateStatus(t, st), repeat("pending", n))
		if res := migrate("down"); !strings.Contains(res.stdout, "nothing to roll back") {
			t.Fatalf("migrate down with nothing applied: stdout lacks %q\n%s", "nothing to roll back", res)
		}

		if res := runCLI(t, nil, append([]string{"migrate", "sideways"}, st.args()...)...); res.code != 2 {
			t.Fatalf("migrate sideways: want exit code 2 (usage)\n%s", res)
		}
	})
}

// TestServeFlagsAndEnv checks that serve takes its settings from STSHUB_* variables, that
// flags beat them, and that bad settings fail fast.
func TestServeFlagsAndEnv(t *testing.T) {
	t.Run("env", func(t *testing.T) {
		work := t.TempDir() // the working directory: the default ./data would land here
		dataDir := filepath.Join(t.TempDir(), "from-env")
		addr := freeAddr(t)
		s := startServer(t, addr, []string{"STSHUB_ADDR=" + addr, "STSHUB_DATA=" + dataDir}, work)
		assertExists(t, filepath.Join(dataDir, "stshub.db"))
		assertMissing(t, filepath.Join(work, "data"))
		if rec := s.logRecord("listening"); rec["addr"] != addr || rec["data"] != dataDir {
			t.Fatalf("listening log record: got %v, want addr %s and data %s", rec, addr, dataDir)
		}
		s.stopCleanly(syscall.SIGTERM)
	})

	t.Run("flags beat env", func(t *testing.T) {
		work := t.TempDir()
		envData := filepath.Join(t.TempDir(), "env-data")
		flagData := filepath.Join(t.TempDir(), "flag-data")
		addr := freeAddr(t)
		s := startServer(t, addr, []string{"STSHUB_ADDR=nonsense", "STSHUB_DATA=" + envData}, work,
			"--addr", addr, "--data", flagData)
		assertExists(t, filepath.Join(flagData, "stshub.db"))
		assertMissing(t, envData)
		s.stopCleanly(syscall.SIGINT)
	})

	t.Run("invalid addr", func(t *testing.T) {
		start := time.Now()
		res := runCLI(t, nil, "serve", "--addr", "nonsense", "--data", filepath.Join(t.TempDir(), "data"))
		if elapsed := time.Since(start); elapsed > 5*time.Second {
			t.Fatalf("serve --addr nonsense took %v to fail, want it to fail fast", elapsed)
		}
		if res.code == 0 || !strings.Contains(res.stderr, "nonsense") {
			t.Fatalf("serve --addr nonsense: want a non-zero exit and a message naming the address on stderr\n%s", res)
		}
	})

	t.Run("addr in use", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		res := runCLI(t, nil, "serve", "--addr", ln.Addr().String(), "--data", filepath.Join(t.TempDir(), "data"))
		if res.code == 0 || !strings.Contains(res.stderr, "address already in use") {
			t.Fatalf("serve on a busy port: want a non-zero exit and %q on stderr\n%s", "address already in use", res)
		}
	})

	// Several nodes on one PostgreSQL could not read each other's local files: without an S3
	// bucket serve is refused unless allowed for a single node (childEnv allows it).
	t.Run("postgres with local files", func(t *testing.T) {
		if os.Getenv(storetest.EnvPostgresURL) == "" {
			t.Skip(storetest.EnvPostgresURL + " is not set")
		}
		st := storage{engine: "postgres", dataDir: filepath.Join(t.TempDir(), "data"), dbURL: storetest.FreshPostgresSchema(t)}
		res := runCLI(t, []string{"STSHUB_SINGLE_NODE=false"}, append([]string{"serve", "--addr", freeAddr(t)}, st.args()...)...)
		if res.code != 1 || !strings.Contains(res.stderr, "works for one node only") || !strings.Contains(res.stderr, "--single-node") {
			t.Fatalf("serve on PostgreSQL with local files, not allowed for a single node: want exit code 1 and the reason\n%s", res)
		}
		addr := freeAddr(t)
		s := startServer(t, addr, []string{"STSHUB_SINGLE_NODE=false"}, "", append([]string{"--addr", addr, "--single-node"}, st.args()...)...)
		s.stopCleanly(syscall.SIGTERM)
	})

	t.Run("invalid env", func(t *testing.T) {
		res := runCLI(t, []string{"STSHUB_SESSION_TTL=forever"}, "serve", "--data", filepath.Join(t.TempDir(), "data"))
		if res.code != 2 || !strings.Contains(res.stderr, "STSHUB_SESSION_TTL") {
			t.Fatalf("serve with STSHUB_SESSION_TTL=forever: want exit code 2 and a message naming the variable\n%s", res)
		}
	})
}
