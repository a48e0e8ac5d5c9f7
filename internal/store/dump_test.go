package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/stshub/stshub/internal/store"
	"github.com/stshub/stshub/internal/store/storetest"
)

// TestDataTablesLoadInOrderAndMatchAcrossEngines reads the data tables of a migrated
// database on each engine: no migration or job-queue table is among them, each comes
// after every table it references, and — when both engines run — both have the same
// tables and columns, of kinds a restore converts between (the same kind, or int and bool).
func TestDataTablesLoadInOrderAndMatchAcrossEngines(t *testing.T) {
	ctx := context.Background()
	byEngine := map[string][]store.Table{}
	for _, engine := range storetest.Engines() {
		db := storetest.Open(t, engine)
		tables, err := db.DataTables(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var seen []string
		for _, tb := range tables {
			if tb.Name == "goose_db_version" || strings.HasPrefix(tb.Name, "river_") {
				t.Errorf("%s: %s is not data", engine, tb.Name)
			}
			if len(tb.Key) == 0 {
				t.Errorf("%s: %s has no key to order its rows by", engine, tb.Name)
			}
			seen = append(seen, tb.Name)
		}
		// References: a few the schema must have, each after the table it points to.
		for _, ref := range [][2]string{{"rooms", "users"}, {"parties", "rooms"}, {"documents", "document_types"},
			{"document_versions", "documents"}, {"checklist_items", "checklists"}, {"approvals", "parties"}} {
			child, parent := slices.Index(seen, ref[0]), slices.Index(seen, ref[1])
			if child < 0 || parent < 0 || child < parent {
				t.Errorf("%s: %s (at %d) must load after %s (at %d)", engine, ref[0], child, ref[1], parent)
			}
		}
		byEngine[engine] = tables
	}
	lite, pg := byEngine["sqlite"], byEngine["postgres"]
	if pg == nil {
		t.Log(storetest.EnvPostgresURL + " is not set: the engines are not compared")
		return
	}
	if len(lite) != len(pg) {
		t.Fatalf("sqlite has %d data tables, postgres %d", len(lite), len(pg))
	}
	// A restore matches columns by name, so only the names and kinds must agree.
	for i := range lite {
		a, b := lite[i], pg[i]
		if a.Name != b.Name || len(a.Columns) != len(b.Columns) {
			t.Errorf("table %d: sqlite %s (%d columns), postgres %s (%d columns)", i, a.Name, len(a.Columns), b.Name, len(b.Columns))
			continue
		}
		for _, ca := range a.Columns {
			j := slices.IndexFunc(b.Columns, func(c store.Column) bool { return c.Name == ca.Name })
			if j < 0 {
				t.Errorf("%s.%s: on sqlite only", a.Name, ca.Name)
				continue
			}
			cb := b.Columns[j]
			if ca.Kind != cb.Kind && (ca.Kind != store.KindInt || cb.Kind != store.KindBool) {
				t.Errorf("%s.%s: %s on sqlite, %s on postgres; a restore cannot convert between them", a.Name, ca.Name, ca.Kind, cb.Kind)
			}
		}
	}
}
