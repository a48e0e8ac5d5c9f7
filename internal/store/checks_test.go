package store_test

import (
	"context"
	"database/sql"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/report"
	"github.com/stshub/stshub/internal/store"
	"github.com/stshub/stshub/internal/store/storetest"
)

func names[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

// keptChecks are the CHECK (column IN (…)) constraints the rule of the package doc keeps,
// each with the domain list it must equal.
func keptChecks() map[string][]string {
	return map[string][]string{
		"users.role":                        authz.PlatformRoles(),
		"document_types.scope":              names(clearance.DocScopes()),
		"document_types.criticality":        names(clearance.Criticalities()),
		"document_types.expiry":             names(clearance.ExpiryKinds()),
		"documents.status":                  names(clearance.DocStatuses()),
		"documents.criticality":             names(clearance.Criticalities()),
		"snapshots.status":                  names(report.SnapshotStatuses()),
		"approvals.status":                  names(clearance.SignOffStatuses()),
		"rooms.cargo_class":                 names(clearance.CargoClasses()),
		"coastal_areas.regime":              names(clearance.NoticeRegimes()),
		"coastal_notices.kind":              names(clearance.NoticeKinds()),
		"checklist_items.answer":            append([]string{""}, names(clearance.ChecklistAnswers())...),
		"room_milestones.milestone":         names(clearance.Milestones()),
		"documents.outcome":                 names(clearance.Outcomes()),
		"document_versions.outcome":         names(clearance.Outcomes()),
		"room_holds.source":                 names(clearance.HoldSources()),
		"questions.status":                  names(clearance.QuestionStatuses()),
		"question_messages.kind":            names(clearance.MessageKinds()),
		"notifications.email":               names(clearance.Deliveries()),
		"notification_preferences.delivery": names(clearance.Deliveries()),
	}
}

// uncheckedLists are the columns of lists expected to grow: the rule says no CHECK.
var uncheckedLists = []string{"parties.role", "document_types.supplied_by", "snapshots.snapshot_type", "questions.addressed_to",
	"question_messages.author_role"}

// schemaChecks reads the CHECK constraints of the live schema: IN-lists by table.column,
// and BETWEEN ranges (as "lo..hi") by table.column. River's and goose's tables are not ours.
func schemaChecks(t *testing.T, db *store.DB) (in map[string][]string, ranges map[string]string) {
	t.Helper()
	ctx := context.Background()
	var pool *sql.DB
	for _, p := range db.Pools() {
		pool = p
		break
	}
	in, ranges = map[string][]string{}, map[string]string{}
	ours := func(table string) bool {
		return !strings.HasPrefix(table, "river_") && !strings.HasPrefix(table, "goose_") && !strings.HasPrefix(table, "sqlite_")
	}
	quoted := regexp.MustCompile(`'([^']*)'`)
	switch db.Dialect() {
	case store.SQLite:
		rows, err := pool.QueryContext(ctx, `SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND sql IS NOT NULL`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		inRe := regexp.MustCompile(`CHECK \((\w+) IN \(([^)]*)\)\)`)
		betweenRe := regexp.MustCompile(`CHECK \((\w+) BETWEEN (\d+) AND (\d+)\)`)
		anyCheck := regexp.MustCompile(`CHECK\s*\(`)
		for rows.Next() {
			var table, ddl string
			if err := rows.Scan(&table, &ddl); err != nil {
				t.Fatal(err)
			}
			if !ours(table) {
				continue
			}
			for _, m := range inRe.FindAllStringSubmatch(ddl, -1) {
				for _, v := range quoted.FindAllStringSubmatch(m[2], -1) {
					in[table+"."+m[1]] = append(in[table+"."+m[1]], v[1])
				}
			}
			for _, m := range betweenRe.FindAllStringSubmatch(ddl, -1) {
				ranges[table+"."+m[1]] = m[2] + ".." + m[3]
			}
			if n, known := len(anyCheck.FindAllString(ddl, -1)), len(inRe.FindAllString(ddl, -1))+len(betweenRe.FindAllString(ddl, -1)); n != known {
				t.Errorf("%s has a CHECK this test cannot read: %s", table, ddl)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	case store.Postgres:
		rows, err := pool.QueryContext(ctx, `SELECT r.relname, pg_get_constraintdef(c.oid) FROM pg_constraint c
			JOIN pg_class r ON r.oid = c.conrelid
			WHERE c.contype = 'c' AND r.relnamespace = current_schema()::regnamespace`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		// CHECK ((role = ANY (ARRAY['user'::text, 'admin'::text])))
		anyRe := regexp.MustCompile(`^CHECK \(\((\w+) = ANY \(ARRAY\[(.*)\]\)\)\)$`)
		// CHECK (((phase >= 1) AND (phase <= 5)))
		rangeRe := regexp.MustCompile(`^CHECK \(\(\((\w+) >= (\d+)\) AND \((\w+) <= (\d+)\)\)\)$`)
		for rows.Next() {
			var table, def string
			if err := rows.Scan(&table, &def); err != nil {
				t.Fatal(err)
			}
			if !ours(table) {
				continue
			}
			if m := anyRe.FindStringSubmatch(def); m != nil {
				for _, v := range quoted.FindAllStringSubmatch(m[2], -1) {
					in[table+"."+m[1]] = append(in[table+"."+m[1]], v[1])
				}
			} else if m := rangeRe.FindStringSubmatch(def); m != nil && m[1] == m[3] {
				ranges[table+"."+m[1]] = m[2] + ".." + m[4]
			} else {
				t.Errorf("%s has a CHECK this test cannot read: %s", table, def)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	}
	return in, ranges
}

// TestSchemaChecksMatchDomainLists reads the live schema on each engine and fails when a
// kept CHECK's list differs from its domain list, when a CHECK appears that the rule does
// not keep (on a list expected to grow, or anywhere not listed), or when a kept one is gone.
func TestSchemaChecksMatchDomainLists(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			in, ranges := schemaChecks(t, storetest.Open(t, engine))
			kept := keptChecks()
			for col, want := range kept {
				got, ok := in[col]
				switch {
				case !ok:
					t.Errorf("%s has no CHECK; the rule keeps one equal to %v", col, want)
				case !sameSet(got, want):
					t.Errorf("%s CHECK allows %v; its domain list is %v (write a migration)", col, got, want)
				}
			}
			for col, got := range in {
				if slices.Contains(uncheckedLists, col) {
					t.Errorf("%s has CHECK %v: the list is expected to grow, the rule says no CHECK", col, got)
				} else if _, ok := kept[col]; !ok {
					t.Errorf("%s has CHECK %v that no domain list backs: add it to keptChecks or drop it", col, got)
				}
			}
			phases := clearance.ChecklistPhases()
			wantRange := strconv.Itoa(phases[0]) + ".." + strconv.Itoa(phases[len(phases)-1])
			for _, col := range []string{"checklist_templates.phase", "checklists.phase"} {
				if ranges[col] != wantRange {
					t.Errorf("%s CHECK range %q, want %q (clearance.ChecklistPhases)", col, ranges[col], wantRange)
				}
			}
			if len(ranges) != 2 {
				t.Errorf("range CHECKs %v, want only the two phases", ranges)
			}
		})
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// TestSnapshotTypeUncheckedOnPopulatedDB walks migration 00010 down and up on a database
// with snapshots: the rows survive both ways, a new format is accepted only without the
// CHECK, the down refuses (changing nothing) while such a snapshot exists, and the
// snapshots table keeps its indexes.
func TestSnapshotTypeUncheckedOnPopulatedDB(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			db := storetest.Open(t, engine)
			pools := db.Pools()
			pool := pools["writer"] // SQLite's writer; PostgreSQL has one pool
			if pool == nil {
				pool = pools["main"]
			}
			now := time.Now().UTC().Truncate(time.Second)
			snap := func(id, typ string) store.Snapshot {
				return store.Snapshot{ID: id, RoomID: "r1", Title: "t", Type: typ, Status: "generating", State: []byte(`{}`),
					CreatedBy: "u1", CreatorEmail: "a@b.test", CreatedAt: now}
			}
			err := db.InTx(ctx, func(tx store.Q) error {
				if err := tx.CreateUser(ctx, store.User{ID: "u1", Email: "a@b.test", Name: "A", Role: "user", PasswordHash: "x", CreatedAt: now, UpdatedAt: now}); err != nil {
					return err
				}
				if err := tx.CreateRoom(ctx, store.Room{ID: "r1", Title: "R", Location: "L", STSETA: now, Status: "draft", CreatedBy: "u1", CreatedAt: now, UpdatedAt: now}); err != nil {
					return err
				}
				if err := tx.CreateSnapshot(ctx, snap("s1", "pdf")); err != nil {
					return err
				}
				return tx.CreateSnapshot(ctx, snap("s2", "xlsx")) // a format the code may add later
			})
			if err != nil {
				t.Fatalf("a snapshot of a new format is refused by the schema: %v", err)
			}
			downTo(t, db, 10) // the later migrations first: this test is about 00010's down
			if ok, err := db.MigrateDown(ctx); ok && err == nil {
				t.Fatal("down restored the CHECK over a snapshot outside it")
			}
			if _, err := pool.ExecContext(ctx, `DELETE FROM snapshots WHERE id = 's2'`); err != nil {
				t.Fatal(err)
			}
			if ok, err := db.MigrateDown(ctx); !ok || err != nil {
				t.Fatalf("down: %v %v", ok, err)
			}
			if err := db.InTx(ctx, func(tx store.Q) error { return tx.CreateSnapshot(ctx, snap("s3", "xlsx")) }); err == nil {
				t.Error("after down the old CHECK is not back")
			}
			if err := db.Migrate(ctx); err != nil {
				t.Fatalf("up again: %v", err)
			}
			got, err := db.Read().SnapshotByID(ctx, "r1", "s1")
			if err != nil || got.Type != "pdf" || got.Title != "t" || !got.CreatedAt.Equal(now) {
				t.Errorf("the snapshot after down and up: %+v, %v", got, err)
			}
			var indexes []string
			q := `SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'snapshots' AND sql IS NOT NULL ORDER BY name`
			if db.Dialect() == store.Postgres {
				q = `SELECT indexname FROM pg_indexes WHERE tablename = 'snapshots' AND schemaname = current_schema() AND indexname <> 'snapshots_pkey' ORDER BY indexname`
			}
			rows, err := pool.QueryContext(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			for rows.Next() {
				var n string
				if err := rows.Scan(&n); err != nil {
					t.Fatal(err)
				}
				indexes = append(indexes, n)
			}
			if want := []string{"snapshots_file_live", "snapshots_room"}; !slices.Equal(indexes, want) {
				t.Errorf("indexes of snapshots %v, want %v", indexes, want)
			}
		})
	}
}

// downTo rolls back every applied migration newer than version.
func downTo(t *testing.T, db *store.DB, version int64) {
	t.Helper()
	ctx := context.Background()
	statuses, err := db.MigrationStatuses(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range statuses {
		if st.Applied && st.Version > version {
			if ok, err := db.MigrateDown(ctx); !ok || err != nil {
				t.Fatalf("down from %d: %v %v", st.Version, ok, err)
			}
		}
	}
}
