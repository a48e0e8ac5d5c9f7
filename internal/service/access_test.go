package service_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/service"
)

// accessRoom is a room with a broker, a charterer, the owner of its one vessel and a buyer,
// each signed in.
type accessRoom struct {
	svc                             *service.Service
	room, vessel                    string
	broker, charterer, owner, buyer service.Actor
	brokerParty, chartererParty     string
}

func newAccessRoom(t *testing.T, env *apptest.Env) accessRoom {
	t.Helper()
	svc, ctx := env.App.Service(), t.Context()
	login := func(email string) service.Actor {
		env.CreateUser(email)
		l, err := svc.Login(ctx, email, apptest.Password)
		if err != nil {
			t.Fatal(err)
		}
		return service.Actor{UserID: l.User.ID, Email: l.User.Email}
	}
	a := accessRoom{svc: svc, broker: login("broker@valletta.test"), charterer: login("vetting@mediterra.test"),
		owner: login("ops@aegean.test"), buyer: login("crude@adriatic.test")}
	room, err := svc.CreateRoom(ctx, a.broker, service.NewRoom{RoomFields: clearance.RoomFields{Title: "Malta STS",
		Location: "Hurd's Bank", STSETA: env.Now().AddDate(0, 0, 10)}})
	if err != nil {
		t.Fatal(err)
	}
	a.room = room.ID
	parties, err := svc.ListParties(ctx, a.broker, a.room, false)
	if err != nil {
		t.Fatal(err)
	}
	a.brokerParty = parties[0].ID
	add := func(who service.Actor, role string) string {
		p, err := svc.AddParty(ctx, a.broker, a.room, service.NewParty{Email: who.Email, Role: role})
		if err != nil {
			t.Fatal(err)
		}
		return p.ID
	}
	a.chartererParty = add(a.charterer, "charterer")
	ownerParty := add(a.owner, "owner")
	add(a.buyer, "buyer")
	v, err := svc.AddVessel(ctx, a.broker, a.room, clearance.VesselParticulars{Name: "MT AEGEAN SERENITY", IMO: "9372145",
		Role: clearance.VesselDischarging}, ownerParty)
	if err != nil {
		t.Fatal(err)
	}
	a.vessel = v.ID
	return a
}

func (a accessRoom) upload(t *testing.T, by service.Actor, code, vessel string, fields ...string) (service.DocumentView, error) {
	t.Helper()
	in := service.UploadInput{TypeCode: code, VesselID: vessel, Filename: code + ".pdf", File: bytes.NewReader(apptest.PDF(code))}
	for i := 0; i+1 < len(fields); i += 2 {
		in.SetField(fields[i], fields[i+1])
	}
	return a.svc.Upload(t.Context(), by, a.room, in)
}

// TestLastManagerIsAnAcceptedParty: an invited e-mail without an account manages nothing
// yet, so it does not let the last accepted manager go.
func TestLastManagerIsAnAcceptedParty(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		a := newAccessRoom(t, env)
		ctx := t.Context()
		invited, err := a.svc.AddParty(ctx, a.broker, a.room, service.NewParty{Email: "chartering@nowhere.test", Role: "broker"})
		if err != nil || invited.UserID != nil {
			t.Fatalf("invite a broker without an account: %+v, %v", invited, err)
		}
		if err := a.svc.RemoveParty(ctx, a.charterer, a.room, invited.ID); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("the charterer removes a broker: %v, want 403 (grant ceiling)", err)
		}
		// The broker and the charterer are the accepted managers; the charterer goes first.
		if err := a.svc.RemoveParty(ctx, a.broker, a.room, a.chartererParty); err != nil {
			t.Fatalf("remove the charterer: %v", err)
		}
		err = a.svc.RemoveParty(ctx, a.broker, a.room, a.brokerParty)
		if !errors.Is(err, apperr.ErrConflict) || !strings.Contains(err.Error(), "last party that can manage parties") {
			t.Errorf("the last accepted manager leaves, an invitation remaining: %v, want 409", err)
		}
		if err := a.svc.RemoveParty(ctx, a.broker, a.room, invited.ID); err != nil {
			t.Errorf("withdraw the invitation: %v", err)
		}
		role := "viewer"
		if _, err := a.svc.UpdateParty(ctx, a.broker, a.room, a.brokerParty, service.PartyPatch{Role: &role}); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("the broker demotes itself: %v, want 403 (own role)", err)
		}
	})
}

// TestOnBehalfUploadIsRecorded: a coordinator's upload for the supplier names the supplier
// in the version and in the trail; a type that does not allow it is refused.
func TestOnBehalfUploadIsRecorded(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		a := newAccessRoom(t, env)
		doc, err := a.upload(t, a.broker, "JPO", "")
		if err != nil {
			t.Fatal(err)
		}
		if got := doc.Versions[0].OnBehalfOf; got != "sts_provider" {
			t.Errorf("version on behalf of %q, want sts_provider", got)
		}
		entries, _, err := a.svc.ListActivities(t.Context(), a.broker, a.room, service.ActivityFilter{Action: audit.ActionDocumentUploaded})
		if err != nil || len(entries) != 1 || !strings.Contains(string(entries[0].Meta), `"on_behalf_of":"sts_provider"`) {
			t.Errorf("trail: %v, %v", entries, err)
		}
		if _, err := a.upload(t, a.broker, "FENDER", "", "expires_on", env.Now().AddDate(1, 0, 0).Format("2006-01-02")); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("the broker uploads FENDER: %v, want 403", err)
		}
		if _, err := a.upload(t, a.owner, "Q88", a.vessel); err != nil {
			t.Errorf("the bound owner uploads its Q88: %v", err)
		}
	})
}

// TestConfidentialDocumentsAreAbsent: the buyer's lists, trail, summary and live news leave out the
// SIRE report, and say only that something confidential is outstanding.
func TestConfidentialDocumentsAreAbsent(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		a := newAccessRoom(t, env)
		ctx := t.Context()
		sire, err := a.upload(t, a.owner, "SIRE", a.vessel, "performed_at", env.Now().AddDate(0, -1, 0).UTC().Format("2006-01-02T15:04:05Z"))
		if err != nil {
			t.Fatal(err)
		}
		has := func(who service.Actor) bool {
			docs, err := a.svc.ListDocuments(ctx, who, a.room)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range docs {
				if d.ID == sire.ID {
					return true
				}
			}
			return false
		}
		if !has(a.charterer) || !has(a.owner) || has(a.buyer) {
			t.Errorf("SIRE listed for charterer %v, owner %v, buyer %v; want true, true, false", has(a.charterer), has(a.owner), has(a.buyer))
		}
		if _, err := a.svc.GetDocument(ctx, a.buyer, a.room, sire.ID); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("the buyer reads the SIRE: %v, want 404", err)
		}
		if _, _, err := a.svc.OpenVersion(ctx, a.buyer, a.room, sire.ID, ""); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("the buyer downloads the SIRE: %v, want 404", err)
		}
		if a.svc.MayHearOf(ctx, a.buyer, a.room, "document", sire.ID) || !a.svc.MayHearOf(ctx, a.charterer, a.room, "document", sire.ID) {
			t.Error("live news of the SIRE: the buyer must not hear of it, the charterer must")
		}
		trailNames := func(who service.Actor) bool {
			entries, _, err := a.svc.ListActivities(ctx, who, a.room, service.ActivityFilter{Action: audit.ActionDocumentUploaded})
			if err != nil {
				t.Fatal(err)
			}
			return len(entries) == 1 && entries[0].TargetID == sire.ID
		}
		if !trailNames(a.charterer) || trailNames(a.buyer) {
			t.Errorf("the SIRE upload in the trail: charterer %v, buyer %v; want true, false", trailNames(a.charterer), trailNames(a.buyer))
		}
		summary, err := a.svc.GetRoomSummary(ctx, a.buyer, a.room)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range summary.Blockers {
			if b.TypeCode == "SIRE" || b.TypeCode == "VETTING" || b.TypeCode == "SANCTIONS" || b.TypeCode == "AIS" {
				t.Errorf("the buyer's blockers name %s", b.TypeCode)
			}
		}
		if !slicesContainsPart(summary.Warnings, "confidential") {
			t.Errorf("the buyer's warnings do not say confidential documents are outstanding: %q", summary.Warnings)
		}
	})
}

func slicesContainsPart(list []string, part string) bool {
	for _, s := range list {
		if strings.Contains(s, part) {
			return true
		}
	}
	return false
}
