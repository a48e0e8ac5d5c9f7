package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/clearance"
)

// TestQueryPlans runs every query the API (and the background scans) make against a seeded
// database of a few hundred rooms, after ANALYZE, and asks the engine how it would run each
// one: no large table may be read in full. The exact production SQL is captured by calling
// the store's own methods through a recording connection (planRecorder below).
//
// SQLite: EXPLAIN QUERY PLAN must not show "SCAN <large table>" (a full table or full index
// scan; "SEARCH" is an index lookup).
//
// PostgreSQL (when STSHUB_TEST_DATABASE_URL is set): EXPLAIN (FORMAT JSON) with sequential
// scans, hash joins and merge joins switched off must reach every large table through an
// index condition: no Seq Scan, and no index scan without an Index Cond (a full scan in index
// order). That asks whether an index can serve each access, the way SQLite's nested loops
// do; whether the planner prefers a hash or merge join over a whole table at some size is
// its cost decision (on the bench's 2,000 rooms, the room list of a user in 50 of them
// hash-joins a sequential scan of all rooms: 1.3 ms against 0.13 ms by index lookups, and
// it turns to the lookups as the table grows). Each statement is checked twice: with the
// custom plan for the actual arguments, and with the generic plan a prepared statement
// switches to after five runs (pgx caches prepared statements), which cannot use a partial
// index whose predicate depends on a parameter's value.
func TestQueryPlans(t *testing.T) {
	engines := []string{"sqlite"}
	if os.Getenv("STSHUB_TEST_DATABASE_URL") != "" {
		engines = append(engines, "postgres")
	}
	for _, engine := range engines {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			db := openPlanDB(t, engine)
			rooms := *planRooms
			if testing.Short() {
				rooms = min(rooms, 60)
			}
			start := time.Now()
			w := seedPlanData(t, db, rooms)
			if err := db.Analyze(ctx); err != nil {
				t.Fatal(err)
			}
			t.Logf("seeded %d rooms (%d rows) in %s", rooms, w.rows, time.Since(start).Round(time.Millisecond))
			for _, c := range planCases(w) {
				t.Run(c.name, func(t *testing.T) {
					rec := &planRecorder{c: db.read}
					if err := c.call(ctx, Q{c: rec, d: db.dialect}); err != nil {
						t.Fatalf("call: %v", err)
					}
					if len(rec.stmts) == 0 {
						t.Fatal("the call ran no SQL")
					}
					for _, st := range rec.stmts {
						if !explainable(st.text) {
							continue
						}
						modes := []string{""}
						if db.dialect == Postgres {
							modes = []string{"force_custom_plan", "force_generic_plan"}
						}
						for _, mode := range modes {
							plan, bad, err := explainPlan(ctx, db, st, mode)
							if err != nil {
								t.Fatalf("explain %s: %v", oneLineSQL(st.text), err)
							}
							if bad != "" {
								t.Errorf("full scan of a large table (%s) %s\nquery: %s\nplan:\n%s", bad, mode, oneLineSQL(st.text), plan)
							}
						}
					}
				})
			}
		})
	}
}

var planRooms = flag.Int("plans.rooms", 300, "rooms seeded by TestQueryPlans")

// planRecorder is the hook that captures the production SQL: a conn that remembers every
// statement (in the engine's own syntax, after rebind) with its arguments. Queries run for
// real, so the store methods get their rows; writes are only recorded, never executed.
type planRecorder struct {
	c     conn
	mu    sync.Mutex
	stmts []capturedSQL
}

type capturedSQL struct {
	text string
	args []any
}

func (r *planRecorder) record(query string, args []any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stmts = append(r.stmts, capturedSQL{text: query, args: args})
}

func (r *planRecorder) ExecContext(_ context.Context, query string, args ...any) (sql.Result, error) {
	r.record(query, args)
	return driverResult(1), nil
}

func (r *planRecorder) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	r.record(query, args)
	return r.c.QueryContext(ctx, query, args...)
}

func (r *planRecorder) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	r.record(query, args)
	return r.c.QueryRowContext(ctx, query, args...)
}

// driverResult is the result of a write the recorder did not run: n rows affected.
type driverResult int64

func (n driverResult) LastInsertId() (int64, error) { return 0, nil }
func (n driverResult) RowsAffected() (int64, error) { return int64(n), nil }

func explainable(query string) bool {
	head := strings.ToUpper(strings.TrimSpace(query))
	return strings.HasPrefix(head, "SELECT") || strings.HasPrefix(head, "UPDATE") || strings.HasPrefix(head, "DELETE")
}

var spaces = regexp.MustCompile(`\s+`)

func oneLineSQL(s string) string { return spaces.ReplaceAllString(strings.TrimSpace(s), " ") }

// smallTables may be read in full: the catalogue, the checklist templates and the
// coastal-state table have a few dozen rows whatever the number of rooms. Aliases are listed with their tables. (SQLite's
// "SCAN CONSTANT ROW" is the one-row FROM of a SELECT without a table.)
var smallTables = map[string]bool{"document_types": true, "t": true, "checklist_templates": true, "coastal_areas": true, "CONSTANT": true}

// smallIndex reports whether a PostgreSQL index belongs to a small table (by its name).
func smallIndex(name string) bool {
	return strings.HasPrefix(name, "document_types_") || strings.HasPrefix(name, "checklist_templates_")
}

// sqliteScan matches a full scan in EXPLAIN QUERY PLAN: "SCAN d", "SCAN documents USING INDEX x".
var sqliteScan = regexp.MustCompile(`^SCAN (\S+)`)

// explainPlan returns the engine's plan for one captured statement as text and, when it
// reads a large table in full, what it scans.
// On PostgreSQL, mode is the plan_cache_mode to plan under.
func explainPlan(ctx context.Context, db *DB, st capturedSQL, mode string) (plan, bad string, err error) {
	if db.dialect == SQLite {
		rows, err := db.read.QueryContext(ctx, `EXPLAIN QUERY PLAN `+st.text, st.args...)
		if err != nil {
			return "", "", err
		}
		defer rows.Close()
		var b strings.Builder
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				return "", "", err
			}
			fmt.Fprintf(&b, "  %s\n", detail)
			if m := sqliteScan.FindStringSubmatch(detail); m != nil && !smallTables[m[1]] && bad == "" {
				bad = detail
			}
		}
		return b.String(), bad, rows.Err()
	}
	c, err := db.read.Conn(ctx)
	if err != nil {
		return "", "", err
	}
	defer c.Close()
	// Any full scan left with these off means no index can serve that access.
	for _, set := range []string{`SET enable_seqscan = off`, `SET enable_hashjoin = off`, `SET enable_mergejoin = off`,
		`SET plan_cache_mode = ` + mode} {
		if _, err := c.ExecContext(ctx, set); err != nil {
			return "", "", err
		}
	}
	defer c.ExecContext(context.WithoutCancel(ctx), `RESET ALL`) //nolint:errcheck
	// A prepared statement, so that plan_cache_mode decides between the custom and the
	// generic plan, as it does for the application's cached statements.
	name := "plan_check"
	if _, err := c.ExecContext(ctx, `PREPARE `+name+` AS `+st.text); err != nil {
		return "", "", err
	}
	defer c.ExecContext(context.WithoutCancel(ctx), `DEALLOCATE `+name) //nolint:errcheck
	var out string
	call := name
	if len(st.args) > 0 {
		// EXECUTE's arguments cannot be bound through EXPLAIN: they go in as literals.
		literals := make([]string, len(st.args))
		for i, a := range st.args {
			if literals[i], err = pgLiteral(a); err != nil {
				return "", "", err
			}
		}
		call += "(" + strings.Join(literals, ", ") + ")"
	}
	if err := c.QueryRowContext(ctx, `EXPLAIN (FORMAT JSON) EXECUTE `+call).Scan(&out); err != nil {
		return "", "", err
	}
	var doc []struct {
		Plan pgPlanNode `json:"Plan"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || len(doc) == 0 {
		return out, "", fmt.Errorf("read plan: %v", err)
	}
	var b strings.Builder
	doc[0].Plan.walk(0, func(depth int, n pgPlanNode) {
		fmt.Fprintf(&b, "  %s%s\n", strings.Repeat("  ", depth), n.describe())
		if bad != "" {
			return
		}
		switch {
		case n.NodeType == "Seq Scan" && !smallTables[n.Relation]:
			bad = "Seq Scan on " + n.Relation
		case (n.NodeType == "Index Scan" || n.NodeType == "Index Only Scan") && n.IndexCond == "" && !smallTables[n.Relation]:
			bad = n.NodeType + " of all of " + n.Relation + " using " + n.Index
		case n.NodeType == "Bitmap Index Scan" && n.IndexCond == "" && !smallIndex(n.Index):
			bad = "Bitmap Index Scan of all of " + n.Index
		}
	})
	return b.String(), bad, nil
}

// pgLiteral writes a captured argument as a PostgreSQL literal.
func pgLiteral(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "NULL", nil
	case string:
		return "'" + strings.ReplaceAll(x, "'", "''") + "'", nil
	case *string:
		if x == nil {
			return "NULL", nil
		}
		return pgLiteral(*x)
	case time.Time:
		return "'" + x.UTC().Format(time.RFC3339Nano) + "'", nil
	case bool:
		return fmt.Sprint(x), nil
	case int, int64:
		return fmt.Sprint(x), nil
	}
	return "", fmt.Errorf("no literal for %T", v)
}

// pgPlanNode is the part of a PostgreSQL JSON plan node the check reads.
type pgPlanNode struct {
	NodeType  string       `json:"Node Type"`
	Relation  string       `json:"Relation Name"`
	Alias     string       `json:"Alias"`
	Index     string       `json:"Index Name"`
	IndexCond string       `json:"Index Cond"`
	Filter    string       `json:"Filter"`
	Plans     []pgPlanNode `json:"Plans"`
}

func (n pgPlanNode) walk(depth int, fn func(int, pgPlanNode)) {
	fn(depth, n)
	for _, c := range n.Plans {
		c.walk(depth+1, fn)
	}
}

func (n pgPlanNode) describe() string {
	s := n.NodeType
	if n.Relation != "" {
		s += " on " + n.Relation
	}
	if n.Index != "" {
		s += " using " + n.Index
	}
	if n.IndexCond != "" {
		s += " cond " + n.IndexCond
	}
	if n.Filter != "" {
		s += " filter " + n.Filter
	}
	return s
}

func openPlanDB(t *testing.T, engine string) *DB {
	t.Helper()
	ctx := context.Background()
	opts := Options{SQLitePath: filepath.Join(t.TempDir(), "plans.db")}
	if engine == "postgres" {
		u, drop, err := FreshPostgresSchema(ctx, os.Getenv("STSHUB_TEST_DATABASE_URL"), "plans_")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = drop() })
		opts = Options{PostgresURL: u}
	}
	db, err := Open(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

// planWorld is what the cases need to know about the seeded data.
type planWorld struct {
	rows       int
	heavyUser  string // a party of 50 rooms
	lightUser  string
	tokenHash  string
	email      string
	room       string
	roomIDs    []string // the heavy user's rooms
	party      string
	vessel     string
	document   string
	sha        string
	snapshot   string
	checklist  string
	actor      string
	beforeSeq  int64
	now        time.Time
	typeCode   string
	vesselType string
}

// seedPlanData fills db with rooms rooms shaped like real ones: 6 parties (one broker per 50
// rooms), 2 vessels, 50 documents with 3 versions on average, 300 audit entries, sign-offs,
// checklists, notices and snapshots; 4 users per room with a session each.
func seedPlanData(t *testing.T, db *DB, rooms int) planWorld {
	t.Helper()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(7, 11))
	now := time.Now().UTC().Truncate(time.Microsecond)
	id := func() string { return uuid.Must(uuid.NewV7()).String() }
	w := planWorld{now: now}

	cat := clearance.DefaultCatalogue()
	for i := range 7 {
		cat = append(cat, clearance.DocumentType{Code: fmt.Sprintf("EXTRA_%d", i), Name: "Extra", SuppliedBy: "seller",
			Scope: clearance.ScopeRoom, Criticality: clearance.CriticalityLow, Expiry: clearance.ExpiryNone, RequiredByDefault: true, Active: true})
	}
	err := db.InTx(ctx, func(tx Q) error {
		for _, ct := range cat {
			if err := tx.CreateDocumentType(ctx, ct, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	heavy := max(1, rooms/50)
	nUsers := heavy + rooms*4
	users := make([]User, nUsers)
	var sessions []Session
	for i := range users {
		users[i] = User{ID: id(), Email: fmt.Sprintf("u%05d@plans.test", i), Name: fmt.Sprintf("User %d", i), Role: "user",
			PasswordHash: "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g", CreatedAt: now, UpdatedAt: now}
		sessions = append(sessions, Session{TokenHash: fmt.Sprintf("%064x", i), UserID: users[i].ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour)})
	}
	err = db.InTx(ctx, func(tx Q) error {
		if err := tx.SeedUsers(ctx, users); err != nil {
			return err
		}
		return tx.SeedSessions(ctx, sessions)
	})
	if err != nil {
		t.Fatal(err)
	}
	w.heavyUser, w.lightUser, w.tokenHash, w.email = users[0].ID, users[heavy].ID, sessions[0].TokenHash, users[0].Email

	roles := []string{"broker", "charterer", "owner", "seller", "buyer", "sts_provider"}
	actions := []string{audit.ActionDocumentUploaded, audit.ActionDocumentApproved, audit.ActionDocumentRejected,
		audit.ActionChecklistItemChecked, audit.ActionApprovalRecorded, audit.ActionRoomUpdated, audit.ActionPartyAdded}
	shas := []string{strings.Repeat("a", 64), strings.Repeat("b", 64), strings.Repeat("c", 64)}
	const batchRooms = 25
	for first := 0; first < rooms; first += batchRooms {
		var b SeedBatch
		for ri := first; ri < min(rooms, first+batchRooms); ri++ {
			created := now.Add(-time.Duration(30+rng.IntN(30)) * 24 * time.Hour)
			room := Room{ID: id(), Title: fmt.Sprintf("Room %d", ri), Location: "Off Malta", STSETA: now.Add(72 * time.Hour),
				Status: "clearing", CreatedBy: users[ri%heavy].ID, CreatedAt: created, UpdatedAt: created}
			b.Rooms = append(b.Rooms, room)
			var partyIDs, partyUsers []string
			for pi, role := range roles {
				u := users[ri%heavy]
				if pi > 0 {
					u = users[heavy+(ri*4+pi-1)%(rooms*4)]
				}
				p := Party{ID: id(), RoomID: room.ID, UserID: &u.ID, Email: u.Email, Name: u.Name, Role: role, AddedBy: room.CreatedBy, AddedAt: created}
				if pi == 5 && ri%10 == 0 {
					p.RemovedAt = &now
				}
				b.Parties = append(b.Parties, p)
				partyIDs, partyUsers = append(partyIDs, p.ID), append(partyUsers, u.ID)
			}
			var vesselIDs []string
			for vi, role := range []clearance.VesselRole{clearance.VesselDischarging, clearance.VesselReceiving} {
				v := Vessel{ID: id(), RoomID: room.ID, CreatedAt: created.Add(time.Duration(vi) * time.Minute), UpdatedAt: created,
					VesselParticulars: clearance.VesselParticulars{Name: fmt.Sprintf("MT %d-%d", ri, vi), IMO: fmt.Sprintf("9%06d", ri*2+vi), Role: role}}
				b.Vessels = append(b.Vessels, v)
				vesselIDs = append(vesselIDs, v.ID)
				for phase := 1; phase <= 5; phase++ {
					c := Checklist{ID: id(), RoomID: room.ID, VesselID: v.ID, Phase: phase, CreatedAt: v.CreatedAt}
					for pos := 1; pos <= 12; pos++ {
						it := ChecklistItem{ID: id(), ChecklistID: c.ID, RoomID: room.ID, Position: pos, Text: "Item"}
						if rng.IntN(3) == 0 {
							it.Answer, it.AnsweredBy, it.AnswererEmail, it.AnsweredAt = clearance.AnswerYes, partyUsers[2], "x@plans.test", &created
						}
						c.Items = append(c.Items, it)
					}
					if rng.IntN(3) == 0 {
						c.Signatures = append(c.Signatures, ChecklistSignature{ID: id(), Side: clearance.POACSide, SignedBy: partyUsers[2],
							SignerEmail: "x@plans.test", SignedAt: created})
					}
					b.Checklists = append(b.Checklists, c)
				}
				b.Notices = append(b.Notices, CoastalNotice{ID: id(), RoomID: room.ID, VesselID: v.ID, NotifiedAt: created, Reference: "N-1",
					ETAAtNotice: room.STSETA, RecordedBy: partyUsers[0], RecorderEmail: "x@plans.test", RecordedAt: created})
			}
			for k, role := range roles { // the owner party acts for both ships
				if role == "owner" {
					b.Parties[len(b.Parties)-len(roles)+k].VesselIDs = vesselIDs
				}
			}
			var docID, vesselType, typeCode, sha string
			roomDocs := len(b.Documents)
			for _, ct := range cat {
				vessels := []string{""}
				if ct.Scope == clearance.ScopeVessel {
					vessels = vesselIDs
				}
				for _, vid := range vessels {
					d := Document{ID: id(), RoomID: room.ID, TypeCode: ct.Code, Status: "missing", Criticality: string(ct.Criticality),
						Required: true, CreatedAt: created, UpdatedAt: created}
					if vid != "" {
						d.VesselID = &vid
					}
					n := rng.IntN(7)
					for k := 1; k <= n; k++ {
						v := DocumentVersion{ID: id(), DocumentID: d.ID, RoomID: room.ID, Number: k, SHA256: shas[rng.IntN(len(shas))],
							Size: 1000, ContentType: "application/pdf", Filename: "f.pdf", UploadedBy: partyUsers[2], UploaderEmail: "x@plans.test",
							UploadedAt: created.Add(time.Duration(k) * time.Hour)}
						if ct.Expiry == clearance.ExpiryDate {
							exp := now.AddDate(0, 0, rng.IntN(400)).Truncate(24 * time.Hour)
							v.ExpiresOn = &exp
						}
						if ct.Expiry == clearance.ExpiryPointInTime {
							at := now.Add(-time.Duration(rng.IntN(100)) * time.Hour)
							v.PerformedAt = &at
						}
						b.Versions = append(b.Versions, v)
						d.VersionCount, d.ExpiresOn, d.PerformedAt = k, v.ExpiresOn, v.PerformedAt
						d.Status = []string{"under_review", "approved", "approved", "rejected"}[rng.IntN(4)]
						sha = v.SHA256
					}
					b.Documents = append(b.Documents, d)
					if vid != "" && d.VersionCount > 0 {
						docID, vesselType = d.ID, ct.Code
					} else if vid == "" {
						typeCode = ct.Code
					}
				}
			}
			for k := range 3 {
				a := Approval{ID: id(), RoomID: room.ID, PartyID: partyIDs[1+k], UserID: partyUsers[1+k], Email: "x@plans.test",
					Role: roles[1+k], Status: "approved", DecidedAt: created.Add(time.Duration(k) * time.Hour)}
				// Each approval covers the room's documents, as a sign-off records them.
				a.Coverage = &clearance.Coverage{Chain: clearance.ChainPosition{Seq: int64(k + 1), Hash: "h"}}
				for _, d := range b.Documents[roomDocs:] {
					a.Coverage.Documents = append(a.Coverage.Documents, clearance.CoveredDocument{DocumentID: d.ID, TypeCode: d.TypeCode,
						TypeName: d.TypeCode, VersionNumber: d.VersionCount, Status: clearance.DocStatus(d.Status), Criticality: clearance.Criticality(d.Criticality)})
				}
				b.Approvals = append(b.Approvals, a)
			}
			for k := range 2 {
				done := created
				b.Snapshots = append(b.Snapshots, Snapshot{ID: id(), RoomID: room.ID, Title: "Snapshot", Type: "pdf", Status: "completed",
					IncludeDocuments: true, State: []byte(`{}`), CreatedBy: partyUsers[0], CreatorEmail: "x@plans.test",
					CreatedAt: created.Add(time.Duration(k) * time.Hour), CompletedAt: &done, FileSHA256: shas[k], FileSize: 1000,
					ContentType: "application/pdf"})
			}
			var head audit.Head
			for k := range 250 + rng.IntN(101) {
				actor := rng.IntN(6)
				e := audit.Entry{ID: id(), Scope: room.ID, TS: created.Add(time.Duration(k) * time.Minute), ActorID: partyUsers[actor],
					ActorEmail: "x@plans.test", Action: actions[rng.IntN(len(actions))], TargetType: "room", TargetID: room.ID,
					Meta: []byte(`{"k":1}`), RequestID: "r", IP: "127.0.0.1"}
				audit.Seal(&e, head)
				head = audit.HeadOf(e)
				b.Audit = append(b.Audit, e)
			}
			if ri%heavy == 0 { // one of the heavy user's rooms: the cases look into the last of them
				w.roomIDs = append(w.roomIDs, room.ID)
				w.room, w.party, w.vessel, w.actor, w.beforeSeq = room.ID, partyIDs[1], vesselIDs[0], partyUsers[1], head.Seq/2
				w.snapshot, w.checklist = b.Snapshots[len(b.Snapshots)-1].ID, b.Checklists[len(b.Checklists)-1].ID
				w.document, w.vesselType, w.typeCode, w.sha = docID, vesselType, typeCode, sha
			}
		}
		w.rows += b.Rows()
		if err := db.InTx(ctx, func(tx Q) error { return tx.SeedRooms(ctx, b) }); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

type planCase struct {
	name string
	call func(ctx context.Context, q Q) error
}

// planCases are the store calls behind the API's lists and lookups, the background scans,
// and the writes whose WHERE clause is not a primary key.
func planCases(w planWorld) []planCase {
	return []planCase{
		{"SessionUser", func(ctx context.Context, q Q) error { _, _, err := q.SessionUser(ctx, w.tokenHash, w.now); return err }},
		{"UserByEmail", func(ctx context.Context, q Q) error { _, err := q.UserByEmail(ctx, w.email); return err }},
		{"ListUsers", func(ctx context.Context, q Q) error { _, err := q.ListUsers(ctx, "u00100@plans.test", 50); return err }},
		{"ListRoomsForUser", func(ctx context.Context, q Q) error {
			_, err := q.ListRoomsForUser(ctx, w.heavyUser, false, "", 51)
			return err
		}},
		{"ListRoomsForUser/next", func(ctx context.Context, q Q) error {
			_, err := q.ListRoomsForUser(ctx, w.heavyUser, false, w.roomIDs[len(w.roomIDs)/2], 51)
			return err
		}},
		{"ListRoomsForUser/light", func(ctx context.Context, q Q) error {
			_, err := q.ListRoomsForUser(ctx, w.lightUser, false, "", 51)
			return err
		}},
		{"ListRoomsForUser/archived", func(ctx context.Context, q Q) error {
			_, err := q.ListRoomsForUser(ctx, w.heavyUser, true, "", 51)
			return err
		}},
		{"ListKeptRooms/archived", func(ctx context.Context, q Q) error { _, err := q.ListKeptRooms(ctx, KeptArchived, "", 51); return err }},
		{"ListKeptRooms/deleted", func(ctx context.Context, q Q) error { _, err := q.ListKeptRooms(ctx, KeptDeleted, "", 51); return err }},
		{"MembershipOf", func(ctx context.Context, q Q) error { _, err := q.MembershipOf(ctx, w.room, w.heavyUser); return err }},
		{"RoomByID", func(ctx context.Context, q Q) error { _, err := q.RoomByID(ctx, w.room); return err }},
		{"ListParties", func(ctx context.Context, q Q) error { _, err := q.ListParties(ctx, w.room, false); return err }},
		{"ListParties/removed", func(ctx context.Context, q Q) error { _, err := q.ListParties(ctx, w.room, true); return err }},
		{"ActiveParty", func(ctx context.Context, q Q) error { _, err := q.ActiveParty(ctx, w.room, w.party); return err }},
		{"CountActivePartiesWithRole", func(ctx context.Context, q Q) error {
			_, err := q.CountActivePartiesWithRole(ctx, w.room, []string{"broker", "charterer"})
			return err
		}},
		{"BindInvitations", func(ctx context.Context, q Q) error {
			_, err := q.BindInvitations(ctx, "new@plans.test", w.lightUser)
			return err
		}},
		{"ListVessels", func(ctx context.Context, q Q) error { _, err := q.ListVessels(ctx, w.room); return err }},
		{"VesselRecords", func(ctx context.Context, q Q) error { _, err := q.VesselRecords(ctx, w.room, w.vessel); return err }},
		{"ListDocuments", func(ctx context.Context, q Q) error { _, err := q.ListDocuments(ctx, w.room); return err }},
		{"RoomsWithTypeInClearance", func(ctx context.Context, q Q) error { _, err := q.RoomsWithTypeInClearance(ctx, "Q88"); return err }},
		{"AnyRequiredNotApproved", func(ctx context.Context, q Q) error {
			_, err := q.AnyRequiredNotApproved(ctx, w.room, clearance.CriticalityHigh)
			return err
		}},
		{"ListDocumentProgress", func(ctx context.Context, q Q) error { _, err := q.ListDocumentProgress(ctx, w.roomIDs); return err }},
		{"RoomProgress", func(ctx context.Context, q Q) error {
			_, _, err := q.RoomProgress(ctx, w.room, w.now, planCutoffs(w.now))
			return err
		}},
		{"LapseCandidates", func(ctx context.Context, q Q) error {
			_, err := q.LapseCandidates(ctx, w.heavyUser, w.now, planCutoffs(w.now))
			return err
		}},
		{"DocumentByID", func(ctx context.Context, q Q) error { _, err := q.DocumentByID(ctx, w.room, w.document); return err }},
		{"FindDocument/room", func(ctx context.Context, q Q) error {
			_, err := q.FindDocument(ctx, w.room, w.typeCode, "")
			return err
		}},
		{"FindDocument/vessel", func(ctx context.Context, q Q) error {
			_, err := q.FindDocument(ctx, w.room, w.vesselType, w.vessel)
			return err
		}},
		{"ListQuestions/document", func(ctx context.Context, q Q) error {
			_, err := q.ListQuestions(ctx, w.room, QuestionFilter{DocumentID: w.document})
			return err
		}},
		{"ListQuestions/open", func(ctx context.Context, q Q) error {
			_, err := q.ListQuestions(ctx, w.room, QuestionFilter{OpenOnly: true})
			return err
		}},
		{"QuestionCounts", func(ctx context.Context, q Q) error { _, err := q.QuestionCounts(ctx, w.room, ""); return err }},
		{"QuestionByID", func(ctx context.Context, q Q) error {
			_, err := q.QuestionByID(ctx, w.room, w.document, "q-none")
			if errors.Is(err, apperr.ErrNotFound) {
				err = nil
			}
			return err
		}},
		{"DeleteUnusedVesselDocuments", func(ctx context.Context, q Q) error {
			_, err := q.DeleteUnusedVesselDocuments(ctx, w.room, w.vessel)
			return err
		}},
		{"ExpiringForUser/heavy", func(ctx context.Context, q Q) error {
			_, err := q.ExpiringForUser(ctx, w.heavyUser, w.now.AddDate(0, 0, 30), 500)
			return err
		}},
		{"AgingEvidenceForUser/heavy", func(ctx context.Context, q Q) error {
			_, err := q.AgingEvidenceForUser(ctx, w.heavyUser, []EvidenceCutoff{{TypeCode: "SIRE", PerformedBefore: w.now.AddDate(0, 0, -150)},
				{TypeCode: "SANCTIONS", PerformedBefore: w.now.AddDate(0, 0, 23)}}, 500)
			return err
		}},
		{"ListCoastalAreas", func(ctx context.Context, q Q) error { _, err := q.ListCoastalAreas(ctx, true); return err }},
		{"CoastalArea", func(ctx context.Context, q Q) error {
			_, err := q.CoastalArea(ctx, "MT-HURDS")
			if errors.Is(err, apperr.ErrNotFound) {
				return nil // the plan database seeds no table; the statement ran
			}
			return err
		}},
		{"ExpiringForUser/light", func(ctx context.Context, q Q) error {
			_, err := q.ExpiringForUser(ctx, w.lightUser, w.now.AddDate(0, 0, 30), 500)
			return err
		}},
		{"ApprovedExpiringBefore", func(ctx context.Context, q Q) error {
			_, err := q.ApprovedExpiringBefore(ctx, w.now, nil, 1000)
			return err
		}},
		{"ApprovedExpiringBefore/page", func(ctx context.Context, q Q) error {
			day := w.now.AddDate(0, 0, -30)
			_, err := q.ApprovedExpiringBefore(ctx, w.now, &Document{ID: w.document, ExpiresOn: &day}, 1000)
			return err
		}},
		{"ApprovedPointInTime", func(ctx context.Context, q Q) error {
			_, err := q.ApprovedPointInTime(ctx, "SANCTIONS", w.now, 1000)
			return err
		}},
		{"ListRoomVersions", func(ctx context.Context, q Q) error { _, err := q.ListRoomVersions(ctx, w.room); return err }},
		{"DocumentWithVersions", func(ctx context.Context, q Q) error {
			_, _, _, err := q.DocumentWithVersions(ctx, w.room, w.document)
			return err
		}},
		{"VersionByID/latest", func(ctx context.Context, q Q) error {
			_, err := q.VersionByID(ctx, w.room, w.document, "")
			return err
		}},
		{"HoldBlob", func(ctx context.Context, q Q) error { return q.HoldBlob(ctx, "h", w.sha, w.now, w.now.Add(time.Hour)) }},
		{"CheckHold", func(ctx context.Context, q Q) error {
			if err := q.CheckHold(ctx, "h", w.sha, w.now); !errors.Is(err, errHoldExpired) {
				return err
			}
			return nil
		}},
		{"BlobKept", func(ctx context.Context, q Q) error { _, err := q.BlobKept(ctx, w.sha, w.now); return err }},
		{"BeginBlobDeletion", func(ctx context.Context, q Q) error {
			_, err := q.BeginBlobDeletion(ctx, w.sha, w.now, w.now.Add(time.Minute))
			return err
		}},
		{"ListAudit", func(ctx context.Context, q Q) error {
			_, err := q.ListAudit(ctx, w.room, AuditFilter{Limit: 51})
			return err
		}},
		{"ListAudit/before", func(ctx context.Context, q Q) error {
			_, err := q.ListAudit(ctx, w.room, AuditFilter{BeforeSeq: w.beforeSeq, Limit: 51})
			return err
		}},
		{"ListAudit/action", func(ctx context.Context, q Q) error {
			_, err := q.ListAudit(ctx, w.room, AuditFilter{Action: audit.ActionDocumentApproved, Limit: 51})
			return err
		}},
		{"ListAudit/actor", func(ctx context.Context, q Q) error {
			_, err := q.ListAudit(ctx, w.room, AuditFilter{ActorID: w.actor, Limit: 51})
			return err
		}},
		{"ListAudit/action+actor+before", func(ctx context.Context, q Q) error {
			_, err := q.ListAudit(ctx, w.room, AuditFilter{Action: audit.ActionDocumentUploaded, ActorID: w.actor, BeforeSeq: w.beforeSeq, Limit: 51})
			return err
		}},
		{"AuditHead", func(ctx context.Context, q Q) error { _, err := q.AuditHead(ctx, w.room); return err }},
		{"AuditStateHead", func(ctx context.Context, q Q) error { _, _, err := q.AuditStateHead(ctx, w.room); return err }},
		{"EachAudit", func(ctx context.Context, q Q) error {
			return q.EachAudit(ctx, w.room, func(audit.Entry) error { return nil })
		}},
		{"ListSnapshots", func(ctx context.Context, q Q) error { _, err := q.ListSnapshots(ctx, w.room, "", 51); return err }},
		{"ListSnapshots/next", func(ctx context.Context, q Q) error {
			_, err := q.ListSnapshots(ctx, w.room, w.snapshot, 51)
			return err
		}},
		{"SnapshotByID", func(ctx context.Context, q Q) error { _, err := q.SnapshotByID(ctx, w.room, w.snapshot); return err }},
		{"ListApprovals", func(ctx context.Context, q Q) error { _, err := q.ListApprovals(ctx, w.room); return err }},
		{"CurrentApprovals", func(ctx context.Context, q Q) error { _, err := q.CurrentApprovals(ctx, w.room); return err }},
		{"CurrentDecisions", func(ctx context.Context, q Q) error { _, err := q.CurrentDecisions(ctx, w.room); return err }},
		{"SignOffChecks", func(ctx context.Context, q Q) error { _, err := q.SignOffChecks(ctx, w.room); return err }},
		{"CoverableDocuments", func(ctx context.Context, q Q) error { _, err := q.CoverableDocuments(ctx, w.room); return err }},
		{"RecordApproval", func(ctx context.Context, q Q) error {
			return q.RecordApproval(ctx, Approval{ID: "x", RoomID: w.room, PartyID: w.party, Status: "approved", DecidedAt: w.now})
		}},
		{"RecordApproval/coverage", func(ctx context.Context, q Q) error {
			return q.RecordApproval(ctx, Approval{ID: "y", RoomID: w.room, PartyID: w.party, Status: "approved", DecidedAt: w.now,
				Coverage: &clearance.Coverage{Documents: []clearance.CoveredDocument{{DocumentID: "d", TypeCode: "Q88", Status: "approved", Criticality: "high"}}}})
		}},
		{"ListChecklists", func(ctx context.Context, q Q) error { _, err := q.ListChecklists(ctx, w.room); return err }},
		{"ChecklistByID", func(ctx context.Context, q Q) error { _, err := q.ChecklistByID(ctx, w.room, w.checklist); return err }},
		{"ListChecklists/phases", func(ctx context.Context, q Q) error { _, err := q.ListChecklists(ctx, w.room, 1, 2); return err }},
		{"ListMilestones", func(ctx context.Context, q Q) error { _, err := q.ListMilestones(ctx, w.room); return err }},
		{"ListCoastalNotices", func(ctx context.Context, q Q) error { _, err := q.ListCoastalNotices(ctx, w.room); return err }},
		{"LatestCoastalNotices", func(ctx context.Context, q Q) error { _, err := q.LatestCoastalNotices(ctx, w.room); return err }},
		{"DeleteUserSessions", func(ctx context.Context, q Q) error { return q.DeleteUserSessions(ctx, w.lightUser) }},
		{"DeleteExpiredSessions", func(ctx context.Context, q Q) error { _, err := q.DeleteExpiredSessions(ctx, w.now); return err }},
	}
}

// planCutoffs are evidence cutoffs of two of the seed catalogue's point-in-time types.
func planCutoffs(now time.Time) []EvidenceCutoff {
	return []EvidenceCutoff{{TypeCode: "SIRE", PerformedBefore: now.AddDate(0, 0, -180)}, {TypeCode: "SANCTIONS", PerformedBefore: now.AddDate(0, 0, -7)}}
}
