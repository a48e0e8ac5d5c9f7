package service

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/report"
	"github.com/stshub/stshub/internal/store"
)

// What a snapshot says in words beside the room's facts: its warnings and its audit
// excerpt, with people by name and e-mail.

// reportWarnings are the warnings the room page shows m (the gate's notes m may see, and
// how many it may not), then what looks wrong in a vessel's particulars.
func (s *Service) reportWarnings(ctx context.Context, q store.Q, m store.Membership, gate gateReading, vessels []clearance.Vessel) ([]string, error) {
	notes, hidden, err := s.visibleBlockers(ctx, q, m, gate.Notes)
	if err != nil {
		return nil, err
	}
	out := []string{}
	for _, n := range notes {
		out = append(out, n.Reason)
	}
	if hidden > 0 {
		out = append(out, fmt.Sprintf("%d informative document(s) confidential to the coordinators and the vessel's own party "+
			"are not yet cleared; they are not shown", hidden))
	}
	for _, v := range vessels {
		for _, w := range clearance.VesselWarnings(v.VesselParticulars) {
			out = append(out, v.Name+": "+w)
		}
	}
	return out, nil
}

// captureActivity puts the audit excerpt's entries, oldest first, into the state in words
// (audit.Names.Describe), naming the room's vessels and, by their accounts, the parties and
// actors the entries name.
func (s *Service) captureActivity(ctx context.Context, q store.Q, entries []audit.Entry, vessels []clearance.Vessel, st *report.State) error {
	if len(entries) == 0 {
		return nil
	}
	var emails []string
	for _, e := range entries {
		if e.ActorEmail != "" {
			emails = append(emails, strings.ToLower(e.ActorEmail))
		}
	}
	n, err := namesOf(ctx, q, vessels, st.Parties, emails)
	if err != nil {
		return err
	}
	for _, e := range entries {
		st.Activity = append(st.Activity, report.Activity{Seq: e.Seq, TS: e.TS, Actor: e.ActorEmail,
			ActorName: n.People[strings.ToLower(e.ActorEmail)], Action: e.Action, Description: n.Describe(e),
			Target: e.TargetType + " " + e.TargetID, Hash: e.Hash})
	}
	return nil
}

// trailNames names a room's vessels and its parties' people (removed ones included), for
// the trail's CSV export in words.
func (s *Service) trailNames(ctx context.Context, q store.Q, roomID string) (audit.Names, error) {
	vessels, err := q.ListVessels(ctx, roomID)
	if err != nil {
		return audit.Names{}, err
	}
	parties, err := q.ListParties(ctx, roomID, true)
	if err != nil {
		return audit.Names{}, err
	}
	ps := make([]report.Party, len(parties))
	for i, p := range parties {
		ps[i] = report.Party{Email: p.Email, Name: p.Name}
	}
	return namesOf(ctx, q, vessels, ps, nil)
}

// namesOf names the vessels by ID and people by e-mail: the parties, and the accounts of
// the parties and of the further e-mails (actors no longer parties), by their accounts'
// names first.
func namesOf(ctx context.Context, q store.Q, vessels []clearance.Vessel, parties []report.Party, emails []string) (audit.Names, error) {
	n := audit.Names{Vessels: map[string]string{}, People: map[string]string{}, Role: roleWords}
	for _, v := range vessels {
		n.Vessels[v.ID] = v.Name
	}
	for _, p := range parties {
		emails = append(emails, strings.ToLower(p.Email))
	}
	slices.Sort(emails)
	names, err := q.UserNamesByEmail(ctx, slices.Compact(emails))
	if err != nil {
		return audit.Names{}, err
	}
	for email, name := range names {
		if name != "" {
			n.People[strings.ToLower(email)] = name
		}
	}
	for _, p := range parties {
		if key := strings.ToLower(p.Email); p.Name != "" && n.People[key] == "" {
			n.People[key] = p.Name
		}
	}
	return n, nil
}

// roleWords names a party role for people, for the trail in words.
func roleWords(code string) string { return authz.Role(code).Label() }
