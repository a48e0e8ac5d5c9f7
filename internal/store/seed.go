package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/clearance"
)

// Bulk inserts for filling a database with generated data: cmd/stshub-bench and the
// query-plan test seed hundreds of thousands of rows through them. They write many rows
// per statement inside the caller's transaction (DB.InTx) and check nothing a use case
// would: the caller hands in valid rows, and audit entries already sealed into chains
// (audit.Seal, in order, per scope). No use case calls them.

// maxSeedParams keeps one statement under both engines' limits on bound parameters
// (SQLite 32766, PostgreSQL 65535).
const maxSeedParams = 30000

// seedRows is a table's multi-row INSERT under construction.
type seedRows struct {
	table, columns string
	cols           int
	args           []any
}

func newSeedRows(table, columns string) *seedRows {
	return &seedRows{table: table, columns: columns, cols: strings.Count(columns, ",") + 1}
}

func (r *seedRows) add(values ...any) {
	if len(values) != r.cols {
		panic(fmt.Sprintf("seed %s: %d values for %d columns", r.table, len(values), r.cols))
	}
	r.args = append(r.args, values...)
}

// insert writes the rows, as few statements as the parameter limit allows. The placeholders
// are written for the engine directly: the statement texts vary with the row count, and
// going through rebind would keep each one in its cache for the life of the process.
func (q Q) insertSeedRows(ctx context.Context, r *seedRows) error {
	perStmt := maxSeedParams / r.cols
	n := len(r.args) / r.cols
	for start := 0; start < n; start += perStmt {
		end := min(n, start+perStmt)
		text := `INSERT INTO ` + r.table + ` (` + r.columns + `) VALUES ` + q.d.seedPlaceholders(end-start, r.cols)
		if _, err := q.c.ExecContext(ctx, text, r.args[start*r.cols:end*r.cols]...); err != nil {
			return fmt.Errorf("seed %s: %w", r.table, err)
		}
	}
	return nil
}

// seedPlaceholders returns rows tuples of cols placeholders in the engine's own syntax.
func (d Dialect) seedPlaceholders(rows, cols int) string {
	if d != Postgres {
		return valueRows(rows, cols)
	}
	var b strings.Builder
	b.Grow(rows * cols * 7)
	n := 0
	for i := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for j := range cols {
			if j > 0 {
				b.WriteString(", ")
			}
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		}
		b.WriteByte(')')
	}
	return b.String()
}

// SeedUsers inserts users.
func (q Q) SeedUsers(ctx context.Context, users []User) error {
	r := newSeedRows("users", userColumns)
	for _, u := range users {
		r.add(u.ID, u.Email, u.Name, u.Role, u.PasswordHash, u.CreatedAt, u.UpdatedAt, u.DisabledAt)
	}
	return q.insertSeedRows(ctx, r)
}

// SeedSessions inserts sessions (token hashes only, as CreateSession does).
func (q Q) SeedSessions(ctx context.Context, sessions []Session) error {
	r := newSeedRows("sessions", "token_hash, user_id, created_at, expires_at")
	for _, s := range sessions {
		r.add(s.TokenHash, s.UserID, s.CreatedAt, s.ExpiresAt)
	}
	return q.insertSeedRows(ctx, r)
}

// SeedBatch is a batch of whole rooms with everything in them. Audit holds each room's
// chain from its first entry, sealed and in order; its last entry per scope becomes the
// scope's head. The scopes must have no trail yet.
type SeedBatch struct {
	Rooms      []Room
	Parties    []Party
	Vessels    []Vessel
	Documents  []Document
	Versions   []DocumentVersion
	Approvals  []Approval
	Checklists []Checklist // with their Items and Signatures
	Notices    []CoastalNotice
	Snapshots  []Snapshot
	Audit      []audit.Entry
}

// Rows counts the rows the batch writes.
func (b SeedBatch) Rows() int {
	n := len(b.Rooms) + len(b.Parties) + len(b.Vessels) + len(b.Documents) + len(b.Versions) + len(b.Approvals) +
		len(b.Checklists) + len(b.Notices) + len(b.Snapshots) + len(b.Audit)
	for _, c := range b.Checklists {
		n += len(c.Items) + len(c.Signatures)
	}
	for _, p := range b.Parties {
		n += len(p.VesselIDs)
	}
	return n + len(b.heads())
}

// heads returns the last entry of each scope of the batch's audit entries.
func (b SeedBatch) heads() map[string]audit.Head {
	heads := map[string]audit.Head{}
	for _, e := range b.Audit {
		if h, ok := heads[e.Scope]; !ok || e.Seq > h.Seq {
			heads[e.Scope] = audit.HeadOf(e)
		}
	}
	return heads
}

// SeedRooms inserts a batch of rooms with their parties, vessels, documents, versions,
// sign-offs, checklists, notices, snapshots and audit trails, and records each trail's head.
func (q Q) SeedRooms(ctx context.Context, b SeedBatch) error {
	rooms := newSeedRows("rooms", strings.ReplaceAll(roomColumns, "r.", ""))
	for _, r := range b.Rooms {
		rooms.add(r.ID, r.Title, r.Location, r.STSETA, r.Description, r.CargoType, r.CargoQuantity, r.Status, r.StatusReason,
			r.CreatedBy, r.CreatedAt, r.UpdatedAt, r.ClearedAt, r.ArchivedAt, r.DeletedAt, cargoClassOf(r), operationMinutes(r), r.CoastalArea)
	}
	parties := newSeedRows("parties", partyColumns)
	for _, p := range b.Parties {
		parties.add(p.ID, p.RoomID, p.UserID, p.Email, p.Name, p.Role, p.AddedBy, p.AddedAt, p.RemovedAt)
	}
	bindings := newSeedRows("party_vessels", "party_id, vessel_id, room_id, bound_at")
	for _, p := range b.Parties {
		for _, v := range p.VesselIDs {
			bindings.add(p.ID, v, p.RoomID, p.AddedAt)
		}
	}
	vessels := newSeedRows("vessels", vesselColumns)
	for _, v := range b.Vessels {
		args := append([]any{v.ID, v.RoomID}, vesselArgs(v)...)
		vessels.add(append(args, v.CreatedAt, v.UpdatedAt)...)
	}
	docs := newSeedRows("documents", documentColumns)
	for _, d := range b.Documents {
		docs.add(d.ID, d.RoomID, d.TypeCode, d.VesselID, d.Status, d.Criticality, d.Required, d.WaiveReason, d.WaivedBy,
			d.WaiverEmail, d.WaivedAt, d.Notes, d.ReviewReason, d.ReviewedBy, d.ReviewerEmail, d.ReviewedAt, d.VersionCount,
			d.ExpiresOn, d.PerformedAt, d.CreatedAt, d.UpdatedAt, outcomeValue(d.Outcome), d.RerunReason)
	}
	versions := newSeedRows("document_versions", versionColumns)
	for _, v := range b.Versions {
		versions.add(v.ID, v.DocumentID, v.RoomID, v.Number, v.SHA256, v.Size, v.ContentType, v.Filename, v.ExpiresOn,
			v.PerformedAt, v.Notes, v.UploadedBy, v.UploaderEmail, v.UploadedAt, v.OnBehalfOf, outcomeValue(v.Outcome), v.Provider,
			v.Remark, subjectsText(v.Subjects))
	}
	approvals := newSeedRows("approvals", strings.ReplaceAll(approvalColumns, "a.", ""))
	coverage := newSeedRows("approval_coverage", "approval_id, room_id, "+strings.ReplaceAll(coverageColumns, "c.", ""))
	for _, a := range b.Approvals {
		var chain clearance.ChainPosition
		if a.Coverage != nil {
			chain = a.Coverage.Chain
			for _, c := range a.Coverage.Documents {
				coverage.add(a.ID, a.RoomID, c.DocumentID, c.TypeCode, c.TypeName, c.VesselID, c.VesselName, c.VersionID, c.VersionNumber,
					c.SHA256, string(c.Status), string(c.Criticality))
			}
		}
		approvals.add(a.ID, a.RoomID, a.PartyID, a.UserID, a.Email, a.Role, a.Status, a.Notes, a.DecidedAt, a.SupersededAt,
			a.Coverage != nil, chain.Seq, chain.Hash, a.CoverageDigest)
	}
	lists := newSeedRows("checklists", "id, room_id, vessel_id, phase, created_at")
	items := newSeedRows("checklist_items", checklistItemColumns)
	signatures := newSeedRows("checklist_signatures", "id, room_id, checklist_id, side, party_id, signed_by, signer_email, signed_at")
	for _, c := range b.Checklists {
		lists.add(c.ID, c.RoomID, c.VesselID, c.Phase, c.CreatedAt)
		for _, it := range c.Items {
			items.add(it.ID, c.ID, c.RoomID, it.Position, it.Text, it.Required, it.Answer, it.Remark, it.AnsweredBy, it.AnswererEmail, it.AnsweredAt)
		}
		for _, sg := range c.Signatures {
			signatures.add(sg.ID, c.RoomID, c.ID, sg.Side, sg.PartyID, sg.SignedBy, sg.SignerEmail, sg.SignedAt)
		}
	}
	notices := newSeedRows("coastal_notices", "id, room_id, vessel_id, notified_at, reference, eta_at_notice, recorded_by, recorder_email, recorded_at, kind")
	for _, n := range b.Notices {
		notices.add(n.ID, n.RoomID, n.VesselID, n.NotifiedAt, n.Reference, n.ETAAtNotice, n.RecordedBy, n.RecorderEmail, n.RecordedAt, noticeKindOf(n))
	}
	snaps := newSeedRows("snapshots", snapshotColumns)
	for _, s := range b.Snapshots {
		snaps.add(s.ID, s.RoomID, s.Title, s.Type, s.Status, s.IncludeDocuments, s.IncludeActivity, s.IncludeApprovals,
			string(s.State), s.CreatedBy, s.CreatorEmail, s.CreatedAt, s.CompletedAt, s.FileSHA256, s.FileSize, s.ContentType,
			s.FailureReason)
	}
	entries := newSeedRows("audit_entries", auditColumns)
	for _, e := range b.Audit {
		entries.add(e.ID, e.Scope, e.Seq, e.TS, e.ActorID, e.ActorEmail, e.Action, e.TargetType, e.TargetID, string(e.Meta),
			e.RequestID, e.IP, e.PrevHash, e.Hash)
	}
	heads := newSeedRows("audit_heads", "scope, seq, hash")
	for scope, h := range b.heads() {
		heads.add(scope, h.Seq, h.Hash)
	}
	// Parents before children, for the foreign keys.
	for _, r := range []*seedRows{rooms, parties, vessels, bindings, docs, versions, approvals, coverage, lists, items, signatures, notices, snaps, entries, heads} {
		if err := q.insertSeedRows(ctx, r); err != nil {
			return err
		}
	}
	return nil
}

// CountRooms counts every room, deleted ones too (the bench refuses a database that has any).
func (q Q) CountRooms(ctx context.Context) (int, error) {
	var n int
	if err := q.queryRow(ctx, `SELECT COUNT(*) FROM rooms`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count rooms: %w", err)
	}
	return n, nil
}

// ReopenReview puts an approved document of a room back under review and touches nothing
// else (its review columns stay as the approval left them). The bench's approvals act on the
// same seeded documents in every timed slice; between slices it readies them with this. No
// use case calls it: in the product an approval is undone only by a new version.
func (q Q) ReopenReview(ctx context.Context, roomID, id string) error {
	if _, err := q.exec(ctx, `UPDATE documents SET status = 'under_review' WHERE room_id = ? AND id = ? AND status = 'approved'`,
		roomID, id); err != nil {
		return fmt.Errorf("reopen review: %w", err)
	}
	return nil
}

// Analyze refreshes the planner's statistics, as PostgreSQL's autovacuum would after a bulk
// load (SQLite has no such daemon: a freshly seeded file would otherwise have none).
//
// On SQLite it keeps the per-index row counts (sqlite_stat1) and drops the sampled values
// (sqlite_stat4): with samples, a plan depends on the values bound to it, so SQLite throws
// a cached statement away and plans it again whenever a parameter changes, which undoes
// the statement cache. The store's queries are equality look-ups on selective keys, which
// the row counts plan as well.
func (db *DB) Analyze(ctx context.Context) error {
	if db.dialect == Postgres {
		if _, err := db.write.ExecContext(ctx, `ANALYZE`); err != nil {
			return fmt.Errorf("analyze: %w", err)
		}
		return nil
	}
	return db.InTx(ctx, func(q Q) error {
		if _, err := q.c.ExecContext(ctx, `ANALYZE`); err != nil {
			return fmt.Errorf("analyze: %w", err)
		}
		if _, err := q.c.ExecContext(ctx, `DELETE FROM sqlite_stat4`); err != nil {
			return fmt.Errorf("analyze: %w", err)
		}
		if _, err := q.c.ExecContext(ctx, `ANALYZE sqlite_schema`); err != nil {
			return fmt.Errorf("analyze: %w", err)
		}
		return nil
	})
}

// Settle brings the database to a resting state after a burst of writes: PostgreSQL's
// VACUUM ANALYZE (what autovacuum does, soon after such a burst) or, on SQLite, a
// checkpoint of the whole WAL into the database file and an empty page cache on the
// writer, so that a run does not find the pages the run before it touched already in
// its cache. For the bench, between operations.
func (db *DB) Settle(ctx context.Context) error {
	queries := []string{`PRAGMA wal_checkpoint(TRUNCATE)`, `PRAGMA shrink_memory`}
	if db.dialect == Postgres {
		queries = []string{`VACUUM (ANALYZE)`}
	}
	for _, query := range queries {
		if _, err := db.write.ExecContext(ctx, query); err != nil {
			return fmt.Errorf("settle: %w", err)
		}
	}
	return nil
}

// FreshPostgresSchema creates an empty schema named prefix + random hex on the server of
// baseURL and returns a URL whose connections use it, and a function that drops it with
// everything in it. For throwaway databases (the bench) on a shared server.
func FreshPostgresSchema(ctx context.Context, baseURL, prefix string) (schemaURL string, drop func() error, err error) {
	u, err := url.Parse(baseURL)
	if err != nil {
		return "", nil, fmt.Errorf("database url: %w", err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := prefix + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", baseURL)
	if err != nil {
		return "", nil, fmt.Errorf("open postgres: %w", err)
	}
	defer admin.Close()
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		return "", nil, fmt.Errorf("create schema: %w", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	drop = func() error {
		admin, err := sql.Open("pgx", baseURL)
		if err != nil {
			return err
		}
		defer admin.Close()
		_, err = admin.ExecContext(context.Background(), `DROP SCHEMA `+schema+` CASCADE`)
		return err
	}
	return u.String(), drop, nil
}
