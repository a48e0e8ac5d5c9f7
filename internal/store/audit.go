package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/stshub/stshub/internal/audit"
)

// There is deliberately no UPDATE or DELETE of audit_entries anywhere in this package's code.
// (Migration 00009 rewrote the stored text of every ts once, to another layout of the same
// instant: the hashes cover the instant, so every chain verifies as before.)

const auditColumns = `id, scope, seq, ts, actor_id, actor_email, action, target_type, target_id, meta, request_id, ip, prev_hash, hash`

func auditRow() row[audit.Entry] {
	var e audit.Entry
	var meta string
	return row[audit.Entry]{
		dest: []any{&e.ID, &e.Scope, &e.Seq, &e.TS, &e.ActorID, &e.ActorEmail, &e.Action, &e.TargetType,
			&e.TargetID, &meta, &e.RequestID, &e.IP, &e.PrevHash, &e.Hash},
		value: func() audit.Entry {
			out := e
			out.TS = e.TS.UTC()
			out.Meta = []byte(meta)
			return out
		},
	}
}

// AppendAudit seals e onto the end of its scope's chain and stores it. It must run inside
// a transaction (DB.InTx) together with the change it records: the chain head row is
// locked until commit, so concurrent appends to one scope queue and never fork the chain.
func (q Q) AppendAudit(ctx context.Context, e audit.Entry) (audit.Entry, error) {
	if !q.InTx() {
		return audit.Entry{}, errors.New("append audit: not in a transaction")
	}
	head, err := q.lockAuditHead(ctx, e.Scope)
	if err != nil {
		return audit.Entry{}, err
	}
	audit.Seal(&e, head)
	const insertEntry = `INSERT INTO audit_entries (` + auditColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	const moveHead = `UPDATE audit_heads SET seq = ?, hash = ? WHERE scope = ?`
	entryArgs := []any{e.ID, e.Scope, e.Seq, e.TS, e.ActorID, e.ActorEmail, e.Action, e.TargetType, e.TargetID, string(e.Meta),
		e.RequestID, e.IP, e.PrevHash, e.Hash}
	if q.d == Postgres {
		// One round trip instead of two: every write's transaction ends with this append.
		if _, err := q.exec(ctx, `WITH moved AS (`+moveHead+`) `+insertEntry,
			append([]any{e.Seq, e.Hash, e.Scope}, entryArgs...)...); err != nil {
			return audit.Entry{}, fmt.Errorf("append audit: insert and move head: %w", err)
		}
		return e, nil
	}
	if _, err := q.exec(ctx, insertEntry, entryArgs...); err != nil {
		return audit.Entry{}, fmt.Errorf("append audit: insert: %w", err)
	}
	if _, err := q.exec(ctx, moveHead, e.Seq, e.Hash, e.Scope); err != nil {
		return audit.Entry{}, fmt.Errorf("append audit: move head: %w", err)
	}
	return e, nil
}

// lockAuditHead reads a scope's head, locking it until commit on PostgreSQL (SQLite's single
// writer serialises appends already). A scope's first entry creates its head; when two
// first entries race, ON CONFLICT lets the second wait for the first and read its head.
func (q Q) lockAuditHead(ctx context.Context, scope string) (audit.Head, error) {
	var head audit.Head
	headSQL := `SELECT seq, hash FROM audit_heads WHERE scope = ?` + q.d.forUpdate()
	err := q.queryRow(ctx, headSQL, scope).Scan(&head.Seq, &head.Hash)
	if errors.Is(err, sql.ErrNoRows) {
		if _, err := q.exec(ctx, `INSERT INTO audit_heads (scope, seq, hash) VALUES (?, 0, '') ON CONFLICT (scope) DO NOTHING`, scope); err != nil {
			return audit.Head{}, fmt.Errorf("append audit: head: %w", err)
		}
		err = q.queryRow(ctx, headSQL, scope).Scan(&head.Seq, &head.Hash)
	}
	if err != nil {
		return audit.Head{}, fmt.Errorf("append audit: lock head: %w", err)
	}
	return head, nil
}

// AuditFilter narrows a page of one scope's trail.
type AuditFilter struct {
	Action    string // exact action name, or "" for all
	ActorID   string // exact user ID, or "" for all
	BeforeSeq int64  // only entries with seq below this; 0 for the newest
	Limit     int
}

// ListAudit returns one page of a scope's trail, newest first.
func (q Q) ListAudit(ctx context.Context, scope string, f AuditFilter) ([]audit.Entry, error) {
	query := `SELECT ` + auditColumns + ` FROM audit_entries WHERE scope = ?`
	args := []any{scope}
	if f.Action != "" {
		query += ` AND action = ?`
		args = append(args, f.Action)
	}
	if f.ActorID != "" {
		query += ` AND actor_id = ?`
		args = append(args, f.ActorID)
	}
	if f.BeforeSeq > 0 {
		query += ` AND seq < ?`
		args = append(args, f.BeforeSeq)
	}
	query += ` ORDER BY seq DESC LIMIT ?`
	args = append(args, f.Limit)
	rows, err := q.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list audit: %w", err)
	}
	return collect(rows, "list audit", auditRow())
}

// AuditHead returns the latest link of a scope's chain (zero when none is recorded).
func (q Q) AuditHead(ctx context.Context, scope string) (audit.Head, error) {
	var h audit.Head
	err := q.queryRow(ctx, `SELECT seq, hash FROM audit_heads WHERE scope = ?`, scope).Scan(&h.Seq, &h.Hash)
	if err != nil {
		if err := notFoundOr("audit head", err); errors.Is(err, errNotFound) {
			return audit.Head{}, nil
		}
		return audit.Head{}, fmt.Errorf("audit head: %w", err)
	}
	return h, nil
}

// AuditScopes lists every scope that has a trail, in order: those with entries and those with
// a recorded head, so deleting either does not hide a chain from verification.
func (q Q) AuditScopes(ctx context.Context) ([]string, error) {
	rows, err := q.query(ctx, `SELECT scope FROM audit_entries UNION SELECT scope FROM audit_heads ORDER BY scope`)
	if err != nil {
		return nil, fmt.Errorf("audit scopes: %w", err)
	}
	return collect(rows, "audit scopes", stringRow())
}

// EachAudit calls fn with every entry of a scope in chain order (oldest first), streaming
// in batches so a long chain never sits in memory at once.
func (q Q) EachAudit(ctx context.Context, scope string, fn func(audit.Entry) error) error {
	const batch = 1000
	var after int64
	for {
		rows, err := q.query(ctx, `SELECT `+auditColumns+` FROM audit_entries WHERE scope = ? AND seq > ? ORDER BY seq LIMIT ?`, scope, after, batch)
		if err != nil {
			return fmt.Errorf("each audit: %w", err)
		}
		entries, err := collect(rows, "each audit", auditRow())
		if err != nil {
			return err
		}
		for _, e := range entries {
			if err := fn(e); err != nil {
				return err
			}
			after = e.Seq
		}
		if len(entries) < batch {
			return nil
		}
	}
}
