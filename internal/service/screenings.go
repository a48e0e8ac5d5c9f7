package service

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/store"
)

// screeningInput is what an upload of a screening says beyond its file: the outcome, the
// provider, a remark and whatever of its subjects the form names (the rest defaults from
// the room, clearance.DefaultSubjects).
type screeningInput struct {
	outcome  clearance.Outcome
	provider string
	remark   string
	subjects clearance.ScreeningSubjects
}

// The upload form's screening fields (UploadInput.SetField).
const (
	fieldOutcome           = "outcome"
	fieldProvider          = "provider"
	fieldRemark            = "remark"
	fieldRegisteredOwner   = "registered_owner"
	fieldManager           = "manager"
	fieldCounterparties    = "counterparties"
	fieldCounterpartyShips = "counterparty_ships"
)

// checkScreening validates the screening fields of an upload of type t into c: required
// (outcome, provider; a remark for a match) for a screening type, refused for any other.
func checkScreening(c *apperr.Collector, t clearance.DocumentType, in *UploadInput) screeningInput {
	var out screeningInput
	if !clearance.IsScreening(t.Code) {
		for _, f := range [][2]string{{fieldOutcome, in.Outcome}, {fieldProvider, in.Provider}, {fieldRemark, in.Remark},
			{fieldRegisteredOwner, in.RegisteredOwner}, {fieldManager, in.Manager}, {fieldCounterparties, in.Counterparties},
			{fieldCounterpartyShips, in.CounterpartyShips}} {
			if strings.TrimSpace(f[1]) != "" {
				c.Add(f[0], "does not apply: "+t.Code+" is not a screening")
			}
		}
		return out
	}
	o, err := clearance.ParseOutcome(in.Outcome)
	if err != nil {
		c.Add(fieldOutcome, "is required for a screening and "+err.Error())
	}
	out.outcome = o
	out.provider, out.remark = strings.TrimSpace(in.Provider), strings.TrimSpace(in.Remark)
	if out.provider == "" || len([]rune(out.provider)) > maxSubjectLen {
		c.Add(fieldProvider, fmt.Sprintf("is required for a screening (who ran it) and at most %d characters", maxSubjectLen))
	}
	switch {
	case len([]rune(out.remark)) > 2000:
		c.Add(fieldRemark, "must be at most 2000 characters")
	case out.remark == "" && o.IsMatch():
		c.Add(fieldRemark, "is required for a "+o.Text()+": say what matched")
	}
	out.subjects.RegisteredOwner.Name = strings.TrimSpace(in.RegisteredOwner)
	out.subjects.Manager.Name = strings.TrimSpace(in.Manager)
	for _, f := range [][2]string{{fieldRegisteredOwner, out.subjects.RegisteredOwner.Name}, {fieldManager, out.subjects.Manager.Name}} {
		if len([]rune(f[1])) > maxSubjectLen {
			c.Add(f[0], fmt.Sprintf("must be at most %d characters", maxSubjectLen))
		}
	}
	// Company names may hold commas ("Acme, Inc."): counterparties are one a line or
	// separated by semicolons; IMO numbers by commas too.
	out.subjects.Counterparties = splitList(in.Counterparties, "\n;")
	if len(out.subjects.Counterparties) > maxSubjects || slices.ContainsFunc(out.subjects.Counterparties, func(n string) bool { return len([]rune(n)) > maxSubjectLen }) {
		c.Add(fieldCounterparties, fmt.Sprintf("must be at most %d names of at most %d characters each", maxSubjects, maxSubjectLen))
	}
	ships := splitList(in.CounterpartyShips, "\n;,")
	if len(ships) > maxSubjects {
		c.Add(fieldCounterpartyShips, fmt.Sprintf("must be at most %d IMO numbers", maxSubjects))
		ships = nil
	}
	for _, imo := range ships {
		n, err := clearance.NormalizeShipIMO(imo)
		if err != nil {
			c.Add(fieldCounterpartyShips, "must list IMO ship numbers: "+imo+": "+err.Error())
			break
		}
		out.subjects.CounterpartyShips = append(out.subjects.CounterpartyShips, clearance.ScreenedShip{IMO: n})
	}
	return out
}

// The bounds of what a screening's upload names.
const (
	maxSubjectLen = 200 // characters of a provider's or a company's name
	maxSubjects   = 50  // counterparties, or other ships
)

// splitList reads a list typed in one field, its entries separated by any of seps.
func splitList(s, seps string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(seps, r) }) {
		if p := strings.TrimSpace(part); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// screeningRoom is what a screening of vesselID ("" for a room-wide one) is judged against:
// the vessel's particulars, the other ships of the transfer and the active parties.
func screeningRoom(ctx context.Context, q store.Q, roomID, vesselID string) (clearance.ScreeningRoom, error) {
	var r clearance.ScreeningRoom
	vessels, err := q.ListVessels(ctx, roomID)
	if err != nil {
		return r, err
	}
	for _, v := range vessels {
		if v.ID == vesselID {
			r.Vessel = v.VesselParticulars
		} else {
			r.Others = append(r.Others, v.VesselParticulars)
		}
	}
	parties, err := q.ListParties(ctx, roomID, false)
	if err != nil {
		return r, err
	}
	for _, p := range parties {
		r.Parties = append(r.Parties, clearance.ScreeningParty{Role: authz.Role(p.Role), Name: partyLabel(p)})
	}
	return r, nil
}

// screeningState is what the clearance rules read of document d as a screening.
func screeningState(d store.Document) clearance.ScreeningState {
	return clearance.ScreeningState{Outcome: d.Outcome, RerunReason: d.RerunReason}
}

// partyLabel names a party in a re-run's cause: its company, or its e-mail.
func partyLabel(p clearance.Party) string {
	if p.Name != "" {
		return p.Name
	}
	return p.Email
}

// screeningLabel names a screening document: its type and, for a vessel's, the vessel.
func screeningLabel(code, vesselName string) string {
	if vesselName == "" {
		return code
	}
	return code + " — " + vesselName
}

// markScreeningsForRerun marks the room's screenings whose subjects no longer cover the
// room (clearance.Uncovered) — after a counterparty joined, a ship was added or a ship's
// IMO number changed — as needing a re-run, each with its reason in the trail. cause says
// what changed. Until a new version is uploaded such a screening blocks like missing
// evidence (clearance.ScreeningProblem) and cannot be approved.
func (s *Service) markScreeningsForRerun(ctx context.Context, tx store.Q, actor Actor, roomID, cause string) error {
	docs, err := tx.ListDocuments(ctx, roomID)
	if err != nil {
		return err
	}
	now := s.now()
	rooms := map[string]clearance.ScreeningRoom{}
	for _, d := range docs {
		if !clearance.IsScreening(d.TypeCode) || d.VersionCount == 0 || d.RerunReason != "" {
			continue
		}
		vesselID := deref(d.VesselID)
		r, ok := rooms[vesselID]
		if !ok {
			if r, err = screeningRoom(ctx, tx, roomID, vesselID); err != nil {
				return err
			}
			rooms[vesselID] = r
		}
		latest, err := tx.VersionByID(ctx, roomID, d.ID, "")
		if err != nil {
			return err
		}
		var screened clearance.ScreeningSubjects // none recorded (an earlier upload): it covers nothing
		if latest.Subjects != nil {
			screened = *latest.Subjects
		}
		reason := clearance.Uncovered(d.TypeCode, screened, r)
		if reason == "" {
			continue
		}
		d.RerunReason, d.UpdatedAt = reason, now
		if err := tx.SaveDocument(ctx, d); err != nil {
			return err
		}
		if err := s.record(ctx, tx, actor, event{scope: roomID, action: audit.ActionScreeningNeedsRerun, targetType: "document", targetID: d.ID,
			meta: map[string]any{"type": d.TypeCode, "vessel_id": vesselID, "version": d.VersionCount, "reason": reason, "cause": cause}}); err != nil {
			return err
		}
	}
	return nil
}
