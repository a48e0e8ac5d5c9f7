package web_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/service"
)

// partyRow is the parties-panel row of the party with id.
func partyRow(t *testing.T, p page, partyID string) string {
	t.Helper()
	i := strings.Index(p.Body, `data-party-id="`+partyID+`"`)
	if i < 0 {
		t.Fatalf("no row for party %s", partyID)
	}
	row := p.Body[i:]
	if j := strings.Index(row, "</tr>"); j >= 0 {
		row = row[:j]
	}
	return row
}

// docRow is the document-checklist row of the document with id.
func docRow(t *testing.T, p page, docID string) string {
	t.Helper()
	i := strings.Index(p.Body, `id="doc-`+docID+`"`)
	if i < 0 {
		t.Fatalf("no row for document %s", docID)
	}
	row := p.Body[i:]
	if j := strings.Index(row, "</tr>"); j >= 0 {
		row = row[:j]
	}
	return row
}

// TestPartiesPanelBindsVessels: the panel names each owner's ships, a manager changes the
// binding and invites an owner with its ships, and a refusal is shown in the panel.
func TestPartiesPanelBindsVessels(t *testing.T) {
	env := apptest.New(t, "sqlite")
	f := newFixture(t, env)
	ctx := context.Background()
	svc := env.App.Service()
	levant, err := svc.AddVessel(ctx, f.broker, f.room, clearance.VesselParticulars{Name: "MT LEVANT PIONEER", IMO: "9455832",
		Role: clearance.VesselReceiving})
	if err != nil {
		t.Fatal(err)
	}
	broker := signedIn(t, env, brokerEmail)

	parties := broker.get(f.roomPath("/parties"), hx...)
	expectStatus(t, "parties section", parties, http.StatusOK)
	row := partyRow(t, parties, f.ownerParty)
	for _, want := range []string{"MT AEGEAN SERENITY", `data-testid="party-vessels-form"`,
		`name="vessel_ids" value="` + f.vessel + `" checked`, `name="vessel_ids" value="` + levant.ID + `"`} {
		if !strings.Contains(row, want) {
			t.Errorf("the owner's row lacks %q:\n%s", want, row)
		}
	}
	if strings.Contains(row, `value="`+levant.ID+`" checked`) {
		t.Errorf("the owner's row shows the Levant as bound")
	}
	expectContains(t, "add-party form", parties, `data-testid="add-party-form"`, `name="vessel_ids" value="`+levant.ID+`"`)

	// The broker binds the owner to both ships.
	bind := f.roomPath("/parties/" + f.ownerParty + "/vessels")
	expectRedirect(t, "bind both", broker.post(bind, url.Values{"vessel_ids": {f.vessel, levant.ID}}), f.anchor("parties"))
	if got := boundOf(t, f, f.ownerParty); !slices.Equal(got, []string{f.vessel, levant.ID}) {
		t.Fatalf("after binding both the owner is bound to %v", got)
	}
	row = partyRow(t, broker.get(f.roomPath("/parties"), hx...), f.ownerParty)
	if !strings.Contains(row, "MT AEGEAN SERENITY, MT LEVANT PIONEER") {
		t.Errorf("the owner's row does not name both ships:\n%s", row)
	}
	// With htmx: 204 and the section re-fetches itself.
	res := broker.post(bind, url.Values{"vessel_ids": {levant.ID}}, hx...)
	expectStatus(t, "bind the Levant only (htmx)", res, http.StatusNoContent)
	if got := boundOf(t, f, f.ownerParty); !slices.Equal(got, []string{levant.ID}) {
		t.Fatalf("after binding the Levant only the owner is bound to %v", got)
	}

	// A party that acts room-wide is not bound: refused, and the panel says why.
	charterer := partyOf(t, f, chartererEmail)
	res = broker.post(f.roomPath("/parties/"+charterer.ID+"/vessels"), url.Values{"vessel_ids": {f.vessel}}, hx...)
	expectStatus(t, "bind the charterer", res, http.StatusUnprocessableEntity)
	expectContains(t, "bind the charterer", res, `id="parties"`, "acts for the whole room")

	// Inviting an owner with its ship binds the new party.
	expectRedirect(t, "invite an owner with a ship", broker.post(f.roomPath("/parties"), url.Values{"email": {"ops@levant.test"},
		"role": {"owner"}, "vessel_ids": {levant.ID}}), f.anchor("parties"))
	if got := partyOf(t, f, "ops@levant.test"); !slices.Equal(got.VesselIDs, []string{levant.ID}) {
		t.Fatalf("the invited owner is bound to %v", got.VesselIDs)
	}
	// A viewer with a ship is refused, and the form keeps the ship checked.
	res = broker.post(f.roomPath("/parties"), url.Values{"email": {"watch@levant.test"}, "role": {"viewer"},
		"vessel_ids": {levant.ID}}, hx...)
	expectStatus(t, "invite a viewer with a ship", res, http.StatusUnprocessableEntity)
	expectContains(t, "invite a viewer with a ship", res, `data-testid="add-party-form"`, `value="`+levant.ID+`" checked`)

	// The add-vessel form binds the chosen owner.
	form := broker.get(f.roomPath("/vessels/new"))
	expectContains(t, "vessel form", form, `data-testid="vessel-parties"`, `name="party_ids" value="`+f.ownerParty+`"`)
	expectMissing(t, "vessel form", form, `name="party_ids" value="`+charterer.ID+`"`)
	expectRedirect(t, "add a vessel for the owner", broker.post(f.roomPath("/vessels"), url.Values{"name": {"MT THIRD"},
		"imo": {"9074729"}, "role": {"receiving"}, "party_ids": {f.ownerParty}}), f.anchor("vessels"))
	if got := boundOf(t, f, f.ownerParty); len(got) != 2 {
		t.Fatalf("after the new vessel the owner is bound to %v, want the Levant and the new one", got)
	}
}

// TestControlsFollowTheBinding: an owner sees upload, removal and checklist controls only
// for its own ship; a version's uploader is not offered its review; a document type the
// caller may not see is not on its page; an upload on a supplier's behalf says so.
func TestControlsFollowTheBinding(t *testing.T) {
	env := apptest.New(t, "sqlite")
	f := newFixture(t, env)
	ctx := context.Background()
	svc := env.App.Service()
	levant, err := svc.AddVessel(ctx, f.broker, f.room, clearance.VesselParticulars{Name: "MT LEVANT PIONEER", IMO: "9455832",
		Role: clearance.VesselReceiving})
	if err != nil {
		t.Fatal(err)
	}
	env.CreateUser("desk@buyer.test")
	if _, err := svc.AddParty(ctx, f.broker, f.room, service.NewParty{Email: "desk@buyer.test", Role: "buyer"}); err != nil {
		t.Fatal(err)
	}

	// The owner acts for the Aegean only.
	owner := signedIn(t, env, ownerEmail)
	room := owner.get(f.page("documents"))
	expectStatus(t, "owner's room page", room, http.StatusOK)
	levantQ88 := vesselDoc(t, f, "Q88", levant.ID)
	if r := docRow(t, room, levantQ88); strings.Contains(r, "Upload") {
		t.Errorf("the owner is offered an upload of the Levant's Q88:\n%s", r)
	}
	if r := docRow(t, room, f.q88); !strings.Contains(r, "Upload") {
		t.Errorf("the owner is not offered an upload of its own Q88:\n%s", r)
	}
	if n := strings.Count(owner.get(f.page("parties")).Body, `data-testid="remove-vessel"`); n != 1 {
		t.Errorf("the owner has %d remove-vessel buttons, want 1 (its own ship)", n)
	}
	expectMissing(t, "owner's Levant Q88", owner.get(f.roomPath("/documents/"+levantQ88)), `data-testid="upload-form"`)
	checks := owner.get(f.roomPath("/checklists"), hx...)
	// It signs both ships' checklists, each for its own ship's side only.
	if n := strings.Count(checks.Body, ">Sign for MT AEGEAN SERENITY&#39;s side<"); n != 10 {
		t.Errorf("the owner may sign %d checklists for its ship, want 10 (both ships')", n)
	}
	if n := strings.Count(checks.Body, ">Sign for "); n != 10 {
		t.Errorf("the owner is offered %d signatures in all, want 10 (none for the other ship or the POAC)", n)
	}

	// The charterer supplies the vetting acceptance; it may not review its own.
	vetting := vesselDoc(t, f, "VETTING", f.vessel)
	if _, err := svc.Upload(ctx, f.charterer, f.room, service.UploadInput{TypeCode: "VETTING", VesselID: f.vessel,
		PerformedAt: env.Now().Add(-time.Hour).UTC().Format(time.RFC3339), Filename: "vetting.pdf",
		File: bytes.NewReader(apptest.PDF("VETTING"))}); err != nil {
		t.Fatal(err)
	}
	charterer := signedIn(t, env, chartererEmail)
	chRoom := charterer.get(f.page("documents"))
	if r := docRow(t, chRoom, vetting); strings.Contains(r, `data-testid="approve-button"`) ||
		!strings.Contains(r, "uploaded by you — another reviewer must decide") {
		t.Errorf("the charterer's own VETTING row:\n%s", r)
	}
	if r := docRow(t, chRoom, f.q88); !strings.Contains(r, `data-testid="approve-button"`) {
		t.Errorf("the charterer is not offered the owner's Q88 to approve:\n%s", r)
	}
	chDoc := charterer.get(f.roomPath("/documents/" + vetting))
	expectContains(t, "charterer's own VETTING", chDoc, `data-testid="own-upload"`)
	expectMissing(t, "charterer's own VETTING", chDoc, `data-testid="approve-button"`, `data-testid="reject-form"`)
	brokerPage := signedIn(t, env, brokerEmail)
	if r := docRow(t, brokerPage.get(f.page("documents")), vetting); !strings.Contains(r, `data-testid="approve-button"`) {
		t.Errorf("the broker is not offered the charterer's VETTING to approve:\n%s", r)
	}

	// SIRE is confidential to the broker, the charterer and the ship's own owner.
	sire := regexp.MustCompile(`data-doc-type="SIRE"|SIRE 2.0`)
	if !sire.MatchString(brokerPage.get(f.page("documents")).Body) {
		t.Fatal("the broker's room page has no SIRE")
	}
	buyer := signedIn(t, env, "desk@buyer.test")
	bRoom := buyer.get(f.page("documents"))
	expectStatus(t, "buyer's room page", bRoom, http.StatusOK)
	if m := sire.FindString(bRoom.Body); m != "" {
		t.Errorf("the buyer's room page shows %q", m)
	}
	expectMissing(t, "buyer's room page", bRoom, "/documents/"+vesselDoc(t, f, "SIRE", f.vessel))
	expectStatus(t, "buyer opens the SIRE", buyer.get(f.roomPath("/documents/"+vesselDoc(t, f, "SIRE", f.vessel))), http.StatusNotFound)

	// The broker uploads the JPO for the STS provider, who supplies it.
	jpo := f.docID(t, "JPO", false)
	jpoPage := brokerPage.get(f.roomPath("/documents/" + jpo))
	expectContains(t, "broker's JPO page", jpoPage, `data-testid="upload-form"`, `data-testid="upload-on-behalf"`)
	if _, err := svc.Upload(ctx, f.broker, f.room, service.UploadInput{TypeCode: "JPO", Filename: "jpo.pdf",
		File: bytes.NewReader(apptest.PDF("JPO"))}); err != nil {
		t.Fatal(err)
	}
	if r := docRow(t, brokerPage.get(f.page("documents")), jpo); !strings.Contains(r, "uploaded on behalf of the STS provider") {
		t.Errorf("the JPO row does not say it was uploaded on the provider's behalf:\n%s", r)
	}
	expectContains(t, "JPO versions", brokerPage.get(f.roomPath("/documents/"+jpo)), "uploaded on behalf of the STS provider")
}

// TestRoleSelectsFollowTheGrantCeiling: a charterer is offered no broker role and cannot
// touch the broker's party; nobody changes their own role.
func TestRoleSelectsFollowTheGrantCeiling(t *testing.T) {
	env := apptest.New(t, "sqlite")
	f := newFixture(t, env)
	broker := signedIn(t, env, brokerEmail)
	charterer := signedIn(t, env, chartererEmail)
	brokerParty, chartererParty := partyOf(t, f, brokerEmail), partyOf(t, f, chartererEmail)

	bp := broker.get(f.roomPath("/parties"), hx...)
	expectContains(t, "broker's parties", bp, `<option value="broker"`)
	if r := partyRow(t, bp, brokerParty.ID); strings.Contains(r, `data-testid="party-role-form"`) {
		t.Errorf("the broker is offered to change its own role:\n%s", r)
	}
	if r := partyRow(t, bp, chartererParty.ID); !strings.Contains(r, `data-testid="party-role-form"`) {
		t.Errorf("the broker is not offered to change the charterer's role:\n%s", r)
	}

	cp := charterer.get(f.roomPath("/parties"), hx...)
	expectStatus(t, "charterer's parties", cp, http.StatusOK)
	expectContains(t, "charterer's parties", cp, `data-testid="add-party-form"`, `<option value="owner"`)
	expectMissing(t, "charterer's parties", cp, `<option value="broker"`)
	r := partyRow(t, cp, brokerParty.ID)
	if strings.Contains(r, `data-testid="party-role-form"`) || strings.Contains(r, `data-testid="remove-party"`) {
		t.Errorf("the charterer is offered to change or remove the broker:\n%s", r)
	}
	if r := partyRow(t, cp, chartererParty.ID); strings.Contains(r, `data-testid="party-role-form"`) {
		t.Errorf("the charterer is offered to change its own role:\n%s", r)
	}
	if r := partyRow(t, cp, f.ownerParty); !strings.Contains(r, `data-testid="party-role-form"`) {
		t.Errorf("the charterer is not offered to change the owner's role:\n%s", r)
	}

	// Posted anyway: refused, with the reason in the panel.
	res := charterer.post(f.roomPath("/parties/"+f.ownerParty+"/role"), url.Values{"role": {"broker"}}, hx...)
	expectStatus(t, "charterer makes the owner broker", res, http.StatusForbidden)
	expectContains(t, "charterer makes the owner broker", res, `id="parties"`, "may not give or change the role broker")
	res = broker.post(f.roomPath("/parties/"+brokerParty.ID+"/role"), url.Values{"role": {"charterer"}})
	expectStatus(t, "broker changes its own role", res, http.StatusForbidden)
	expectContains(t, "broker changes its own role", res, "No one changes their own role")
}

func partyOf(t *testing.T, f fixture, email string) clearance.Party {
	t.Helper()
	parties, err := f.env.App.Service().ListParties(context.Background(), f.broker, f.room, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range parties {
		if p.Email == email {
			return p
		}
	}
	t.Fatalf("no party %s", email)
	return clearance.Party{}
}

func boundOf(t *testing.T, f fixture, partyID string) []string {
	t.Helper()
	parties, err := f.env.App.Service().ListParties(context.Background(), f.broker, f.room, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range parties {
		if p.ID == partyID {
			return p.VesselIDs
		}
	}
	t.Fatalf("no party %s", partyID)
	return nil
}

// vesselDoc is the document slot of a type for one vessel.
func vesselDoc(t *testing.T, f fixture, code, vesselID string) string {
	t.Helper()
	docs, err := f.env.App.Service().ListDocuments(context.Background(), f.broker, f.room)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		if d.TypeCode == code && d.VesselID != nil && *d.VesselID == vesselID {
			return d.ID
		}
	}
	t.Fatalf("no %s slot for vessel %s", code, vesselID)
	return ""
}
