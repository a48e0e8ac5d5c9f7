package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/stshub/stshub/internal/clearance"
)

// Approval is the domain's record (clearance.Approval), read and written here.
type Approval = clearance.Approval

const approvalColumns = `a.id, a.room_id, a.party_id, a.user_id, a.email, a.role, a.status, a.notes, a.decided_at, a.superseded_at,
	a.coverage_recorded, a.chain_seq, a.chain_hash, a.coverage_digest`

func approvalRow() row[Approval] {
	var a Approval
	var superseded, removed sql.NullTime
	var recorded bool
	var chain clearance.ChainPosition
	return row[Approval]{
		dest: []any{&a.ID, &a.RoomID, &a.PartyID, &a.UserID, &a.Email, &a.Role, &a.Status, &a.Notes, &a.DecidedAt, &superseded,
			&recorded, &chain.Seq, &chain.Hash, &a.CoverageDigest, &removed},
		value: func() Approval {
			out := a
			out.DecidedAt = a.DecidedAt.UTC()
			out.SupersededAt = nullTime(superseded)
			out.PartyRemoved = removed.Valid
			if recorded {
				out.Coverage = &clearance.Coverage{Documents: []clearance.CoveredDocument{}, Chain: chain}
			}
			return out
		},
	}
}

// RecordApproval supersedes the party's current decision (if any) and stores a new one
// with its coverage (a.Coverage; nil records none).
func (q Q) RecordApproval(ctx context.Context, a Approval) error {
	if _, err := q.exec(ctx, `UPDATE approvals SET superseded_at = ? WHERE room_id = ? AND party_id = ? AND superseded_at IS NULL`, a.DecidedAt, a.RoomID, a.PartyID); err != nil {
		return fmt.Errorf("supersede approval: %w", err)
	}
	var chain clearance.ChainPosition
	if a.Coverage != nil {
		chain = a.Coverage.Chain
	}
	_, err := q.exec(ctx, `INSERT INTO approvals (id, room_id, party_id, user_id, email, role, status, notes, decided_at, superseded_at,
		coverage_recorded, chain_seq, chain_hash, coverage_digest)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?)`, a.ID, a.RoomID, a.PartyID, a.UserID, a.Email, a.Role, a.Status, a.Notes, a.DecidedAt,
		a.Coverage != nil, chain.Seq, chain.Hash, a.CoverageDigest)
	if err != nil {
		return fmt.Errorf("record approval: %w", q.d.classify(err))
	}
	if a.Coverage == nil {
		return nil
	}
	// One statement per coverageBatch documents (a room has a few dozen).
	docs := a.Coverage.Documents
	for len(docs) > 0 {
		batch := docs[:min(len(docs), coverageBatch)]
		docs = docs[len(batch):]
		args := make([]any, 0, 12*len(batch))
		for _, c := range batch {
			args = append(args, a.ID, a.RoomID, c.DocumentID, c.TypeCode, c.TypeName, c.VesselID, c.VesselName, c.VersionID, c.VersionNumber,
				c.SHA256, string(c.Status), string(c.Criticality))
		}
		values := strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?), ", len(batch)), ", ")
		if _, err := q.exec(ctx, `INSERT INTO approval_coverage (approval_id, room_id, document_id, type_code, type_name, vessel_id, vessel_name,
			version_id, version_number, sha256, status, criticality) VALUES `+values, args...); err != nil {
			return fmt.Errorf("record approval coverage: %w", q.d.classify(err))
		}
	}
	return nil
}

// coverageBatch is how many covered documents one INSERT writes (12 parameters each).
const coverageBatch = 200

// CoverableDocument is a document of a room as a sign-off records it: what the stale rule
// reads of it, and its latest version ("" and "" when it has none).
type CoverableDocument struct {
	CheckedDocument
	VersionID string
	SHA256    string
}

// CoverableDocuments returns a room's documents with their vessels' names and their latest
// versions, in one statement and in no particular order: what a sign-off records as its
// coverage.
func (q Q) CoverableDocuments(ctx context.Context, roomID string) ([]CoverableDocument, error) {
	rows, err := q.query(ctx, `SELECT d.id, d.type_code, d.vessel_id, v.name, d.required, d.criticality, d.status, d.version_count,
		d.expires_on, d.performed_at, dv.id, dv.sha256
		FROM documents d LEFT JOIN vessels v ON v.id = d.vessel_id
		LEFT JOIN document_versions dv ON dv.document_id = d.id AND dv.number = d.version_count
		WHERE d.room_id = ?`, roomID)
	if err != nil {
		return nil, fmt.Errorf("coverable documents: %w", err)
	}
	defer rows.Close()
	var out []CoverableDocument
	for rows.Next() {
		var d CoverableDocument
		var vessel, vesselName, version, sha sql.NullString
		var expires, performed sql.NullTime
		if err := rows.Scan(&d.ID, &d.TypeCode, &vessel, &vesselName, &d.Required, &d.Criticality, &d.Status, &d.VersionCount,
			&expires, &performed, &version, &sha); err != nil {
			return nil, fmt.Errorf("coverable documents: %w", err)
		}
		d.VesselID, d.VesselName, d.VersionID, d.SHA256 = vessel.String, vesselName.String, version.String, sha.String
		d.ExpiresOn, d.PerformedAt = nullTime(expires), nullTime(performed)
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("coverable documents: %w", err)
	}
	return out, nil
}

const coverageColumns = `c.document_id, c.type_code, c.type_name, c.vessel_id, c.vessel_name, c.version_id, c.version_number, c.sha256,
	c.status, c.criticality`

// listApprovals reads a room's approvals that match where, each with its covered
// documents: one statement, one row per covered document (or one for an approval without).
func (q Q) listApprovals(ctx context.Context, what, where, order string, args ...any) ([]Approval, error) {
	rows, err := q.query(ctx, `SELECT `+approvalColumns+`, p.removed_at, `+coverageColumns+` FROM approvals a
		JOIN parties p ON p.id = a.party_id
		LEFT JOIN approval_coverage c ON c.approval_id = a.id
		WHERE `+where+` ORDER BY `+order+`, c.type_code, c.vessel_id, c.document_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	r := approvalRow()
	var cDoc, cType, cName, cVessel, cVesselName, cVersion, cSHA, cStatus, cCrit sql.NullString
	var cNumber sql.NullInt64
	dest := append(r.dest, &cDoc, &cType, &cName, &cVessel, &cVesselName, &cVersion, &cNumber, &cSHA, &cStatus, &cCrit)
	var out []Approval
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		a := r.value()
		if n := len(out); n == 0 || out[n-1].ID != a.ID {
			out = append(out, a)
		}
		if cDoc.Valid {
			cov := out[len(out)-1].Coverage
			cov.Documents = append(cov.Documents, clearance.CoveredDocument{DocumentID: cDoc.String, TypeCode: cType.String, TypeName: cName.String,
				VesselID: cVessel.String, VesselName: cVesselName.String, VersionID: cVersion.String, VersionNumber: int(cNumber.Int64),
				SHA256: cSHA.String, Status: clearance.DocStatus(cStatus.String), Criticality: clearance.Criticality(cCrit.String)})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// ListApprovals returns a room's sign-off history, newest first, each marked when its
// party has been removed, with what it covered.
func (q Q) ListApprovals(ctx context.Context, roomID string) ([]Approval, error) {
	return q.listApprovals(ctx, "list approvals", `a.room_id = ?`, `a.decided_at DESC, a.id DESC`, roomID)
}

// CurrentApprovals returns the current decision of each active party of a room, with what
// it covered.
func (q Q) CurrentApprovals(ctx context.Context, roomID string) ([]Approval, error) {
	return q.listApprovals(ctx, "current approvals", `a.room_id = ? AND a.superseded_at IS NULL AND p.removed_at IS NULL`, `a.id`, roomID)
}

// Decision is an active party of a room with its current sign-off decision ("" when it has
// none).
type Decision struct {
	PartyID string
	Email   string
	Role    string
	Status  string
}

// CurrentDecisions returns every active party of a room with its current decision, in the
// order the parties were added: one read for what the clearance gate needs of sign-offs.
func (q Q) CurrentDecisions(ctx context.Context, roomID string) ([]Decision, error) {
	rows, err := q.query(ctx, `SELECT p.id, p.email, p.role, COALESCE(a.status, '') FROM parties p
		LEFT JOIN approvals a ON a.party_id = p.id AND a.superseded_at IS NULL
		WHERE p.room_id = ? AND p.removed_at IS NULL ORDER BY p.added_at, p.id`, roomID)
	if err != nil {
		return nil, fmt.Errorf("current decisions: %w", err)
	}
	var d Decision
	return collect(rows, "current decisions", row[Decision]{
		dest:  []any{&d.PartyID, &d.Email, &d.Role, &d.Status},
		value: func() Decision { return d },
	})
}

// SignOffCheck is one row of what the stale rule compares for a party's current approval:
// a document it covered, or a required document it did not, with that document now.
type SignOffCheck struct {
	PartyID string
	Covered *clearance.CoveredDocument // nil: a required document the approval did not cover
	Now     *CheckedDocument           // nil: the covered document is gone from the room
}

// CheckedDocument is what the stale rule reads of a document now.
type CheckedDocument struct {
	ID           string
	TypeCode     string
	VesselID     string // "" for a room document
	VesselName   string
	Bound        bool // the party is bound to the document's vessel
	Required     bool
	Criticality  clearance.Criticality
	Status       string
	VersionCount int
	ExpiresOn    *time.Time
	PerformedAt  *time.Time
}

// SignOffChecks returns, in one statement, for each active party's current approval that
// recorded its coverage: every document it covered with that document now, and every
// required document it did not cover. Approvals without recorded coverage give no row.
func (q Q) SignOffChecks(ctx context.Context, roomID string) ([]SignOffCheck, error) {
	return q.signOffChecks(ctx, `a.room_id = ?`, roomID)
}

// SignOffChecksOfParties is SignOffChecks for the current approvals of the parties
// partyIDs, whichever rooms they are in (a user's task list), in one statement.
func (q Q) SignOffChecksOfParties(ctx context.Context, partyIDs []string) ([]SignOffCheck, error) {
	if len(partyIDs) == 0 {
		return nil, nil
	}
	in, args := inList(partyIDs)
	return q.signOffChecks(ctx, `a.party_id IN `+in, args...)
}

// signOffChecks reads the sign-off checks of the current approvals that which (a condition
// on approvals a, with its args) selects.
func (q Q) signOffChecks(ctx context.Context, which string, args ...any) ([]SignOffCheck, error) {
	// The covered documents come first: SQLite types a compound select's columns by its
	// first select, and the dates must read as times.
	const now = `d.id, d.type_code, d.vessel_id, v.name, pv.party_id IS NOT NULL,
		d.required, d.criticality, d.status, d.version_count, d.expires_on, d.performed_at`
	const vessel = `LEFT JOIN vessels v ON v.id = d.vessel_id LEFT JOIN party_vessels pv ON pv.party_id = a.party_id AND pv.vessel_id = d.vessel_id`
	const current = `FROM approvals a JOIN parties p ON p.id = a.party_id AND p.removed_at IS NULL`
	where := which + ` AND a.superseded_at IS NULL AND a.status = 'approved' AND a.coverage_recorded`
	rows, err := q.query(ctx, `SELECT a.party_id, 1, `+coverageColumns+`, `+now+` `+current+`
		JOIN approval_coverage c ON c.approval_id = a.id
		LEFT JOIN documents d ON d.id = c.document_id AND d.room_id = a.room_id
		`+vessel+`
		WHERE `+where+`
		UNION ALL
		SELECT a.party_id, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, `+now+` `+current+`
		JOIN documents d ON d.room_id = a.room_id AND d.required
		`+vessel+`
		WHERE `+where+` AND NOT EXISTS (SELECT 1 FROM approval_coverage c WHERE c.approval_id = a.id AND c.document_id = d.id)`,
		slices.Concat(args, args)...)
	if err != nil {
		return nil, fmt.Errorf("sign-off checks: %w", err)
	}
	defer rows.Close()
	var out []SignOffCheck
	for rows.Next() {
		var party string
		var covered bool
		var cDoc, cType, cName, cVessel, cVesselName, cVersion, cSHA, cStatus, cCrit sql.NullString
		var cNumber sql.NullInt64
		var dID, dType, dVessel, dVesselName, dCrit, dStatus sql.NullString
		var bound, required sql.NullBool
		var versions sql.NullInt64
		var expires, performed sql.NullTime
		if err := rows.Scan(&party, &covered, &cDoc, &cType, &cName, &cVessel, &cVesselName, &cVersion, &cNumber, &cSHA, &cStatus, &cCrit,
			&dID, &dType, &dVessel, &dVesselName, &bound, &required, &dCrit, &dStatus, &versions, &expires, &performed); err != nil {
			return nil, fmt.Errorf("sign-off checks: %w", err)
		}
		ch := SignOffCheck{PartyID: party}
		if covered {
			ch.Covered = &clearance.CoveredDocument{DocumentID: cDoc.String, TypeCode: cType.String, TypeName: cName.String,
				VesselID: cVessel.String, VesselName: cVesselName.String, VersionID: cVersion.String, VersionNumber: int(cNumber.Int64),
				SHA256: cSHA.String, Status: clearance.DocStatus(cStatus.String), Criticality: clearance.Criticality(cCrit.String)}
		}
		if dID.Valid {
			ch.Now = &CheckedDocument{ID: dID.String, TypeCode: dType.String, VesselID: dVessel.String, VesselName: dVesselName.String,
				Bound: bound.Bool, Required: required.Bool, Criticality: clearance.Criticality(dCrit.String), Status: dStatus.String,
				VersionCount: int(versions.Int64), ExpiresOn: nullTime(expires), PerformedAt: nullTime(performed)}
		}
		out = append(out, ch)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sign-off checks: %w", err)
	}
	return out, nil
}
