package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/report"
	"github.com/stshub/stshub/internal/service"
)

// DemoPassword is the password of every demo user.
const DemoPassword = "sts-demo-2026!"

// demoUser is one login of the demo, with its role in the Malta room.
type demoUser struct {
	email, name, company, role string
}

// The Malta crude STS of the domain reference: one user per room role.
var demoUsers = []demoUser{
	{"broker@valletta-shipbrokers.demo", "Joanna Camilleri", "Valletta Shipbrokers", "broker"},
	{"vetting@mediterra-trading.demo", "Luca Ferrante", "Mediterra Trading SA", "charterer"},
	{"ops@aegean-tankers.demo", "Eleni Papadopoulou", "Aegean Tankers (MT AEGEAN SERENITY)", "owner"},
	{"ops@levant-shipping.demo", "Karim Haddad", "Levant Shipping (MT LEVANT PIONEER)", "owner"},
	{"crude@nacm.demo", "Amira Ben Salah", "North Africa Crude Marketing", "seller"},
	{"supply@adriatic-refining.demo", "Marko Horvat", "Adriatic Refining", "buyer"},
	{"poac@hurdmarine.demo", "Capt. Mario Vella", "Hurd Marine STS Ltd", "sts_provider"},
	{"observer@gard-pi.demo", "Ingrid Solberg", "P&I observer", "viewer"},
}

const demoAdmin = "admin@stshub.demo"

// LoadDemo creates the Malta demo operation with one user per role and writes their logins
// to out. Loading it twice is harmless: it only prints the logins again.
func LoadDemo(ctx context.Context, svc *service.Service, out io.Writer, now time.Time) error {
	if _, err := svc.EnsureAdmin(ctx, demoAdmin, DemoPassword, "Demo Admin", service.KeepExisting); err != nil {
		return err
	}
	admin, err := svc.Login(ctx, demoAdmin, DemoPassword)
	if err != nil {
		return fmt.Errorf("demo admin: %w", err)
	}
	adminActor := service.Actor{UserID: admin.User.ID, Email: admin.User.Email, Name: admin.User.Name, PlatformRole: admin.User.Role}
	actors := map[string]service.Actor{}
	fresh := true
	for _, u := range demoUsers {
		created, err := svc.CreateUser(ctx, adminActor, service.NewUser{Email: u.email, Name: u.name, Password: DemoPassword})
		if errors.Is(err, apperr.ErrConflict) {
			fresh = false
			break
		}
		if err != nil {
			return err
		}
		actors[u.email] = service.Actor{UserID: created.ID, Email: created.Email, Name: created.Name, PlatformRole: created.Role}
	}
	if fresh {
		if err := buildMaltaRoom(ctx, svc, actors, now); err != nil {
			return err
		}
		fmt.Fprintln(out, "Loaded the Malta crude STS demo (Hurd's Bank, MT AEGEAN SERENITY → MT LEVANT PIONEER).")
	} else {
		fmt.Fprintln(out, "The demo is already loaded.")
	}
	fmt.Fprintf(out, "\nEvery demo user's password is %s\n\n", DemoPassword)
	fmt.Fprintf(out, "  %-34s %-13s %s\n", "e-mail", "role", "company")
	fmt.Fprintf(out, "  %-34s %-13s %s\n", demoAdmin, "admin", "platform administrator")
	for _, u := range demoUsers {
		fmt.Fprintf(out, "  %-34s %-13s %s\n", u.email, u.role, u.company)
	}
	return nil
}

func buildMaltaRoom(ctx context.Context, svc *service.Service, actors map[string]service.Actor, now time.Time) error {
	broker := actors[demoUsers[0].email]
	charterer := actors[demoUsers[1].email]
	ownerA, ownerB := actors[demoUsers[2].email], actors[demoUsers[3].email]
	provider := actors[demoUsers[6].email]
	qty := 80000.0
	eta := now.UTC().Truncate(24*time.Hour).AddDate(0, 0, 10).Add(8 * time.Hour)
	hours := 36.0 // the ships meet on the 14th at 08:00 and part on the 15th at 20:00
	room, err := svc.CreateRoom(ctx, broker, service.NewRoom{Role: "broker", RoomFields: clearance.RoomFields{
		Title: "Malta crude STS — AEGEAN SERENITY / LEVANT PIONEER", Location: "Hurd's Bank, Malta (35°54′N 014°40′E), at anchor",
		STSETA: eta, CargoType: "Es Sider crude", CargoQuantity: &qty, CargoClass: clearance.CargoOil, CoastalArea: "MT-HURDS",
		Description: "Lightering of 80,000 t Es Sider crude from MT AEGEAN SERENITY to MT LEVANT PIONEER. POAC: Capt. Mario Vella (Hurd Marine STS Ltd)."},
		DurationHours: &hours})
	if err != nil {
		return err
	}
	partyOf := map[string]string{} // e-mail → party ID
	for _, u := range demoUsers[1:] {
		p, err := svc.AddParty(ctx, broker, room.ID, service.NewParty{Email: u.email, Role: u.role, Name: u.company})
		if err != nil {
			return err
		}
		partyOf[u.email] = p.ID
	}
	intp := func(v int) *int { return &v }
	fp := func(v float64) *float64 { return &v }
	aegean, err := svc.AddVessel(ctx, broker, room.ID, clearance.VesselParticulars{Name: "MT AEGEAN SERENITY", IMO: "9372145",
		Role: clearance.VesselDischarging, Flag: "Malta", MMSI: "248731000", VesselType: "Crude oil tanker", DWT: intp(115800),
		LOA: fp(249.9), Beam: fp(44), BuiltYear: intp(2008), ClassSociety: "Lloyd's Register", PIClub: "Gard",
		RegisteredOwner: "Aegean Serenity Shipping Ltd", RegisteredOwnerIMO: "5354210",
		DOCCompany: "Aegean Tankers Management SA", DOCCompanyIMO: "5812079"}, partyOf[ownerA.Email])
	if err != nil {
		return err
	}
	levant, err := svc.AddVessel(ctx, broker, room.ID, clearance.VesselParticulars{Name: "MT LEVANT PIONEER", IMO: "9455832",
		Role: clearance.VesselReceiving, Flag: "Liberia", MMSI: "636019284", VesselType: "Crude oil tanker", DWT: intp(105300),
		LOA: fp(243.8), Beam: fp(42), BuiltYear: intp(2011), ClassSociety: "DNV", PIClub: "Skuld",
		RegisteredOwner: "Levant Pioneer Inc.", RegisteredOwnerIMO: "6127338",
		DOCCompany: "Levant Shipping Co.", DOCCompanyIMO: "5903115"}, partyOf[ownerB.Email])
	if err != nil {
		return err
	}
	day := func(d int) string { return now.AddDate(0, 0, d).Format(time.DateOnly) }
	ago := func(d int) string { return now.AddDate(0, 0, -d).UTC().Format(time.RFC3339) }
	type upload struct {
		by       service.Actor
		code     string
		vessel   string
		expires  string
		performs string
		approve  bool
		reject   string
	}
	uploads := []upload{
		{ownerA, "Q88", aegean.ID, "", "", true, ""},
		{ownerA, "CLASS", aegean.ID, day(400), "", true, ""},
		{ownerA, "IOPP", aegean.ID, day(900), "", true, ""},
		{ownerA, "ISM_SMC", aegean.ID, day(700), "", true, ""},
		{ownerA, "PI_COE", aegean.ID, nextFeb20(now), "", true, ""},
		{ownerA, "SIRE", aegean.ID, "", ago(60), true, ""},
		{ownerB, "Q88", levant.ID, "", "", false, ""},
		{ownerB, "SIRE", levant.ID, "", ago(210), false, "The SIRE 2.0 report is 7 months old; our limit is 6 months. Please provide the latest inspection."},
		{ownerB, "PI_COE", levant.ID, nextFeb20(now), "", false, ""},
		{provider, "FENDER", "", day(300), "", true, ""},
		{provider, "HOSE", "", day(150), "", true, ""},
		{provider, "JPO", "", "", "", false, ""},
	}
	for _, u := range uploads {
		body, err := report.Certificate(u.code+" — demo document", []string{"Issued for the Malta crude STS demo operation.",
			"This file stands in for the real " + u.code + " document."}, now)
		if err != nil {
			return err
		}
		doc, err := svc.Upload(ctx, u.by, room.ID, service.UploadInput{TypeCode: u.code, VesselID: u.vessel, ExpiresOn: u.expires,
			PerformedAt: u.performs, Filename: u.code + ".pdf", File: bytes.NewReader(body)})
		if err != nil {
			return fmt.Errorf("demo upload %s: %w", u.code, err)
		}
		switch {
		case u.approve:
			var a service.ApproveInput
			if doc.Window.NeedsAcknowledgement() { // the P&I year ends on 20 February: near it, within the window
				a = service.ApproveInput{AcknowledgeLapse: true, Note: "The entry renews on 20 February; the owner sends the renewed certificate before the ships meet."}
			}
			_, err = svc.ApproveDocument(ctx, charterer, room.ID, doc.ID, a)
		case u.reject != "":
			_, err = svc.RejectDocument(ctx, charterer, room.ID, doc.ID, u.reject)
		}
		if err != nil {
			return fmt.Errorf("demo review %s: %w", u.code, err)
		}
	}
	// The discharging ship's manager has notified Malta; the receiving ship's notice is still
	// to come: one of the reasons the room cannot commence yet.
	if _, err := svc.RecordNotice(ctx, ownerA, room.ID, aegean.ID, string(clearance.KindNotice), now.Add(-2*time.Hour), "TM-MT/STS/2026/118"); err != nil {
		return err
	}
	if err := demoChecklists(ctx, svc, room.ID, aegean.ID, levant.ID, ownerA, ownerB); err != nil {
		return err
	}
	if _, err := svc.ChangeRoomStatus(ctx, broker, room.ID, "clearing", ""); err != nil {
		return err
	}
	seller := actors[demoUsers[4].email]
	if _, err := svc.RecordSignOff(ctx, seller, room.ID, service.SignOffApproved, "Cargo documents in order."); err != nil {
		return err
	}
	return nil
}

// nextFeb20 is the end of the current P&I year: the next 20 February.
// demoChecklists answers the pre-fixture checklists as the ship operators would have by
// now: MT AEGEAN SERENITY's is answered and signed by both ships, the POAC's signature still
// awaited; MT LEVANT PIONEER's has a "no" to the manifold question, which keeps it from
// being signed until the receiving ship confirms its manifold height.
func demoChecklists(ctx context.Context, svc *service.Service, roomID, aegean, levant string, ownerA, ownerB service.Actor) error {
	cl, err := svc.ListChecklists(ctx, ownerA, roomID)
	if err != nil {
		return err
	}
	answer := func(who service.Actor, c clearance.Checklist, pos int, a clearance.ChecklistAnswer, remark string) error {
		_, err := svc.AnswerChecklistItem(ctx, who, roomID, c.ID, c.Items[pos].ID, service.ChecklistAnswerInput{Answer: string(a), Remark: remark})
		return err
	}
	for _, c := range cl.Lists {
		if c.Phase != 1 {
			continue
		}
		who := map[string]service.Actor{aegean: ownerA, levant: ownerB}[c.VesselID]
		for i, it := range c.Items {
			a, remark := clearance.AnswerYes, ""
			switch {
			case strings.Contains(it.Text, "Vapour balancing"):
				a, remark = clearance.AnswerNotApplicable, "crude oil at anchor: no vapour return"
			case c.VesselID == levant && strings.Contains(it.Text, "manifolds above the waterline"):
				a, remark = clearance.AnswerNo, "manifold height at the final draft still to be confirmed by the receiving ship"
			}
			if err := answer(who, c, i, a, remark); err != nil {
				return fmt.Errorf("demo checklist answer: %w", err)
			}
		}
		if c.VesselID == aegean {
			for _, s := range []struct {
				who  service.Actor
				side string
			}{{ownerA, aegean}, {ownerB, levant}} {
				if _, err := svc.SignChecklist(ctx, s.who, roomID, c.ID, s.side); err != nil {
					return fmt.Errorf("demo checklist signature: %w", err)
				}
			}
		}
	}
	return nil
}

func nextFeb20(now time.Time) string {
	y := now.Year()
	if !now.Before(time.Date(y, 2, 20, 0, 0, 0, 0, time.UTC)) {
		y++
	}
	return fmt.Sprintf("%d-02-20", y)
}
