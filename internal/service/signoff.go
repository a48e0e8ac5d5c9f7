package service

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/report"
	"github.com/stshub/stshub/internal/store"
)

// Sign-off decisions a party may record, as the store's strings; "withdrawn" takes its
// decision back. The list is clearance.SignOffStatuses.
const (
	SignOffApproved  = string(clearance.SignOffApproved)
	SignOffRejected  = string(clearance.SignOffRejected)
	SignOffWithdrawn = string(clearance.SignOffWithdrawn)
)

// SignOffs is a room's sign-off history and who still has to decide.
type SignOffs struct {
	History []SignOff         // newest first; removed parties' decisions stay, marked
	Pending []clearance.Party // active parties that sign off and have no current approval that counts
	Signers int               // active parties whose role signs off (none: nobody can have signed)
}

// SignOff is one decision of the history as the caller sees it: what it covered and,
// for a party's current approval, what changed since (clearance.SignOffChanges). Both
// leave out the documents the caller may not see.
type SignOff struct {
	clearance.Approval
	// Stale: a current approval given before a change to what it covered; it does not count.
	Stale bool
	// Changes are what changed since a current approval, in words.
	Changes []clearance.SignOffChange
	// Counts: the party's current decision, the party still in the room, not a withdrawal
	// and not stale.
	Counts bool
}

// ListSignOffs returns a room's sign-off history, with each decision's coverage and
// staleness, and the parties still to sign off.
func (s *Service) ListSignOffs(ctx context.Context, actor Actor, roomID string) (SignOffs, error) {
	q := s.db.Read()
	m, err := authorizeMember(ctx, q, actor, roomID, authz.ViewRoom)
	if err != nil {
		return SignOffs{}, err
	}
	history, err := q.ListApprovals(ctx, roomID)
	if err != nil {
		return SignOffs{}, err
	}
	parties, err := q.ListParties(ctx, roomID, false)
	if err != nil {
		return SignOffs{}, err
	}
	types, err := s.catalogue(ctx, q)
	if err != nil {
		return SignOffs{}, err
	}
	// The parties' current decisions are in the history already.
	decided := map[string]string{}
	for _, a := range history {
		if a.SupersededAt == nil && !a.PartyRemoved {
			decided[a.PartyID] = a.Status
		}
	}
	decisions := make([]store.Decision, len(parties))
	byID := map[string]clearance.Party{}
	for i, p := range parties {
		byID[p.ID] = p
		decisions[i] = store.Decision{PartyID: p.ID, Email: p.Email, Role: p.Role, Status: decided[p.ID]}
	}
	states, err := s.judgeSignOffs(ctx, q, roomID, decisions, s.now())
	if err != nil {
		return SignOffs{}, err
	}
	sees := func(_, typeCode, vesselID string) bool {
		t, ok := types[typeCode]
		return ok && permit(m, request{action: authz.ViewRoom, docType: &t, vesselID: vesselID}) == nil
	}
	out := SignOffs{History: signOffHistory(history, states, sees), Signers: len(states)}
	for _, st := range states {
		if st.Status != clearance.SignOffApproved || len(st.Changes) > 0 {
			out.Pending = append(out.Pending, byID[st.PartyID])
		}
	}
	return out, nil
}

// signOffHistory is history with each decision's standing: a current approval with
// changes in states is stale and does not count. sees says whether the reader may see a
// document (by ID, type and vessel).
// SECURITY: what another party's sign-off covered, and what changed since, name only the
// documents the reader may see.
func signOffHistory(history []clearance.Approval, states []clearance.SignOffState, sees func(documentID, typeCode, vesselID string) bool) []SignOff {
	changes := map[string][]clearance.SignOffChange{}
	for _, st := range states {
		changes[st.PartyID] = st.Changes
	}
	out := make([]SignOff, 0, len(history))
	for _, a := range history {
		current := a.SupersededAt == nil && !a.PartyRemoved
		so := SignOff{Approval: a, Counts: current && a.Status != SignOffWithdrawn}
		if current && a.Status == SignOffApproved && len(changes[a.PartyID]) > 0 {
			so.Stale, so.Counts = true, false
			for _, c := range changes[a.PartyID] {
				if sees(c.DocumentID, c.TypeCode, c.VesselID) {
					so.Changes = append(so.Changes, c)
				}
			}
		}
		if a.Coverage != nil {
			cov := *a.Coverage
			cov.Documents = slices.DeleteFunc(slices.Clone(cov.Documents), func(d clearance.CoveredDocument) bool {
				return !sees(d.DocumentID, d.TypeCode, d.VesselID)
			})
			so.Coverage = &cov
		}
		out = append(out, so)
	}
	return out
}

// RecordSignOff records the caller's party's decision on the operation (approved, rejected,
// or withdrawn to take it back), with what it covers: the required documents the party
// sees, each at its version, and the room's chain position. The previous decision stays in
// the history. The room's clearance follows at once.
func (s *Service) RecordSignOff(ctx context.Context, actor Actor, roomID, status, notes string) (clearance.Approval, error) {
	notes = strings.TrimSpace(notes)
	var a clearance.Approval
	err := s.db.InTx(ctx, func(tx store.Q) error {
		party, err := authorizeMember(ctx, tx, actor, roomID, authz.SignOff)
		if err != nil {
			return err
		}
		var c apperr.Collector
		switch {
		case status == "": // the form offers no default: a decision is the party's to make
			c.Add("status", "is required: choose whether you approve or reject the operation")
		case !slices.Contains(clearance.SignOffStatuses(), clearance.SignOffStatus(status)):
			c.Add("status", "must be "+apperr.OneOf(clearance.SignOffStatuses()))
		}
		if status == SignOffRejected && notes == "" {
			c.Add("notes", "are required with a rejection: say what must change")
		}
		if len([]rune(notes)) > 2000 {
			c.Add("notes", "must be at most 2000 characters")
		}
		if err := c.Err(); err != nil {
			return err
		}
		if status == SignOffWithdrawn {
			current, err := tx.CurrentApprovals(ctx, roomID)
			if err != nil {
				return err
			}
			if !hasDecision(current, party.PartyID) {
				return fmt.Errorf("there is no sign-off to withdraw: %w", apperr.ErrConflict)
			}
		}
		now := s.now()
		a = clearance.Approval{ID: newID(), RoomID: roomID, PartyID: party.PartyID, UserID: actor.UserID, Email: party.Email, Role: party.Role,
			Status: status, Notes: notes, DecidedAt: now}
		meta := map[string]any{"status": status, "role": party.Role, "notes": notes}
		if status != SignOffWithdrawn {
			cov, err := s.coverageOf(ctx, tx, party, now)
			if err != nil {
				return err
			}
			a.Coverage, a.CoverageDigest = &cov, cov.Digest()
			meta["chain_seq"], meta["chain_hash"], meta["coverage_digest"] = cov.Chain.Seq, cov.Chain.Hash, a.CoverageDigest
			meta["covered_documents"] = len(cov.Documents)
		}
		if err := tx.RecordApproval(ctx, a); err != nil {
			return err
		}
		action := audit.ActionApprovalRecorded
		if status == SignOffWithdrawn {
			action = audit.ActionApprovalWithdrawn
		}
		if err := s.record(ctx, tx, actor, event{scope: roomID, action: action, targetType: "party", targetID: party.PartyID, meta: meta}); err != nil {
			return err
		}
		return s.followRoomGate(ctx, tx, actor, party.Room)
	})
	return a, err
}

// coverageOf is what a decision of m's party at now covers: the room's required documents
// it may see, each at its latest version, and the room's chain position before the
// decision's own entry (the room is locked, so nothing comes between). Two reads.
func (s *Service) coverageOf(ctx context.Context, tx store.Q, m store.Membership, now time.Time) (clearance.Coverage, error) {
	docs, err := tx.CoverableDocuments(ctx, m.Room.ID)
	if err != nil {
		return clearance.Coverage{}, err
	}
	types, err := s.catalogue(ctx, tx)
	if err != nil {
		return clearance.Coverage{}, err
	}
	head, err := tx.AuditHead(ctx, m.Room.ID)
	if err != nil {
		return clearance.Coverage{}, err
	}
	cov := clearance.Coverage{Documents: []clearance.CoveredDocument{}, Chain: clearance.ChainPosition{Seq: head.Seq, Hash: head.Hash}}
	for _, d := range docs {
		t, ok := types[d.TypeCode]
		// SECURITY: a sign-off covers only what its party may see.
		if !ok || permit(m, request{action: authz.ViewRoom, docType: &t, vesselID: d.VesselID}) != nil {
			continue
		}
		if sd := signedDocumentOf(t, d.CheckedDocument); clearance.Covers(sd) {
			cov.Documents = append(cov.Documents, clearance.Cover(sd, d.VersionID, d.SHA256, now))
		}
	}
	clearance.SortCovered(cov.Documents)
	return cov, nil
}

// signOffStates lists the active parties whose role signs off, with their current decision
// and, for an approval, what changed since it (a stale approval does not count): two reads,
// the second only when some party has approved.
func (s *Service) signOffStates(ctx context.Context, q store.Q, roomID string, now time.Time) ([]clearance.SignOffState, error) {
	decisions, err := q.CurrentDecisions(ctx, roomID)
	if err != nil {
		return nil, err
	}
	return s.judgeSignOffs(ctx, q, roomID, decisions, now)
}

// judgeSignOffs is signOffStates on decisions already read (every active party, with its
// current decision or "").
func (s *Service) judgeSignOffs(ctx context.Context, q store.Q, roomID string, decisions []store.Decision, now time.Time) ([]clearance.SignOffState, error) {
	var out []clearance.SignOffState
	roles := map[string]authz.Role{}
	approved := false
	for _, d := range decisions {
		if !authz.Can(authz.Role(d.Role), authz.SignOff) {
			continue
		}
		st := clearance.SignOffStatus(d.Status)
		if st != clearance.SignOffApproved && st != clearance.SignOffRejected {
			st = "" // undecided or withdrawn
		}
		approved = approved || st == clearance.SignOffApproved
		roles[d.PartyID] = authz.Role(d.Role)
		out = append(out, clearance.SignOffState{PartyID: d.PartyID, Email: d.Email, Role: d.Role, Status: st})
	}
	if !approved {
		return out, nil
	}
	changes, err := s.signOffChanges(ctx, q, roomID, roles, now)
	if err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].Status == clearance.SignOffApproved {
			out[i].Changes = changes[out[i].PartyID]
		}
	}
	return out, nil
}

// signOffChanges applies the stale rule to the current approvals of a room's parties
// (roles: their roles now), by party.
func (s *Service) signOffChanges(ctx context.Context, q store.Q, roomID string, roles map[string]authz.Role, now time.Time) (map[string][]clearance.SignOffChange, error) {
	checks, err := q.SignOffChecks(ctx, roomID)
	if err != nil {
		return nil, err
	}
	types, err := s.catalogue(ctx, q)
	if err != nil {
		return nil, err
	}
	return staleChanges(checks, roles, types, now), nil
}

// staleChanges applies the stale rule to the sign-off checks of the current approvals of
// parties (roles: their roles now), by party; a party with no change is absent.
func staleChanges(checks []store.SignOffCheck, roles map[string]authz.Role, types map[string]clearance.DocumentType, now time.Time) map[string][]clearance.SignOffChange {
	covered := map[string][]clearance.CoveredDocument{}
	current := map[string][]clearance.SignedDocument{}
	for _, ch := range checks {
		if ch.Now != nil {
			t := types[ch.Now.TypeCode]
			// A document the party may not see now neither makes its sign-off stale nor is
			// named to it.
			if !clearance.MaySee(t, roles[ch.PartyID], ch.Now.Bound) {
				continue
			}
			current[ch.PartyID] = append(current[ch.PartyID], signedDocumentOf(t, *ch.Now))
		}
		if ch.Covered != nil {
			covered[ch.PartyID] = append(covered[ch.PartyID], *ch.Covered)
		}
	}
	out := map[string][]clearance.SignOffChange{}
	for party := range roles {
		if c := clearance.SignOffChanges(covered[party], current[party], now); len(c) > 0 {
			out[party] = c
		}
	}
	return out
}

// signedDocumentOf is a document of type t now, as the stale rule reads it.
func signedDocumentOf(t clearance.DocumentType, d store.CheckedDocument) clearance.SignedDocument {
	return clearance.SignedDocument{VersionNumber: d.VersionCount, DocumentState: clearance.DocumentState{ID: d.ID, TypeCode: d.TypeCode,
		TypeName: t.Name, VesselID: d.VesselID, VesselName: d.VesselName, SuppliedBy: authz.Role(t.SuppliedBy), Criticality: d.Criticality,
		Required: d.Required, Status: clearance.DocStatus(d.Status), Validity: validityOf(t, d.ExpiresOn, d.PerformedAt)}}
}

// reportApprovals is a room's sign-off history for a snapshot, each decision with what it
// covered and whether it is stale at now; visible are the documents the snapshot's creator
// may see (the others are left out of the coverage and the changes).
func (s *Service) reportApprovals(ctx context.Context, tx store.Q, roomID string, visible map[string]bool, now time.Time) ([]report.Approval, error) {
	history, err := tx.ListApprovals(ctx, roomID)
	if err != nil {
		return nil, err
	}
	states, err := s.signOffStates(ctx, tx, roomID, now)
	if err != nil {
		return nil, err
	}
	sees := func(documentID, _, _ string) bool { return visible[documentID] }
	var out []report.Approval
	for _, so := range signOffHistory(history, states, sees) {
		ra := report.Approval{Email: so.Email, Role: so.Role, Status: so.Status, Notes: so.Notes, DecidedAt: so.DecidedAt,
			Counts: so.Counts, Stale: so.Stale}
		for _, c := range so.Changes {
			ra.ChangesSince = append(ra.ChangesSince, c.Text)
		}
		if cov := so.Coverage; cov != nil {
			ra.Coverage = &report.Coverage{Chain: report.AuditHead{Seq: cov.Chain.Seq, Hash: cov.Chain.Hash}, Digest: so.CoverageDigest,
				Documents: make([]report.CoveredDocument, len(cov.Documents))}
			for i, d := range cov.Documents {
				ra.Coverage.Documents[i] = report.CoveredDocument{TypeCode: d.TypeCode, TypeName: d.TypeName, Vessel: d.VesselName,
					Version: d.VersionNumber, SHA256: d.SHA256, Status: string(d.Status)}
			}
		}
		out = append(out, ra)
	}
	return out, nil
}

// staleSignOffs names the parties of the stale approvals among states ("e-mail (role)"),
// for the trail entry of an automatic move back to clearing.
func staleSignOffs(states []clearance.SignOffState) []string {
	var out []string
	for _, st := range states {
		if st.Status == clearance.SignOffApproved && len(st.Changes) > 0 {
			out = append(out, st.Email+" ("+st.Role+")")
		}
	}
	return out
}

func hasDecision(current []clearance.Approval, partyID string) bool {
	for _, a := range current {
		if a.PartyID == partyID && a.Status != SignOffWithdrawn {
			return true
		}
	}
	return false
}
