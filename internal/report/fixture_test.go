package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/authz"
)

// at is a fixed UTC time in March 2026, the month of the Malta operation.
func at(day, hour, minute int) time.Time {
	return time.Date(2026, time.March, day, hour, minute, 0, 0, time.UTC)
}

func ptr[T any](v T) *T { return &v }

// hexOf is a stable, realistic-looking SHA-256 for fixture content.
func hexOf(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// Parties of the Malta operation (docs/domain.md), with the owners of both ships, and the first
// buyer, replaced mid-operation.
const (
	broker     = "ops@vallettashipbrokers.com.mt"
	charterer  = "vetting@mediterra-trading.ch"
	provider   = "ops@hurdmarine.com.mt"
	seller     = "marketing@nacm.com.ly"
	oldBuyer   = "crude@morskoy-broker.example"
	buyer      = "crude.supply@adriatic-refining.hr"
	aegeanOwn  = "technical@elliniki-naftilia.gr"
	levantOwn  = "fleet@levante-armatrice.it"
	greekName  = "Ελληνική Ναυτιλία"
	russian    = "Морской Брокер"
	italian    = "Società Armatrice Levante S.p.A."
	aegeanID   = "0195a1c4-5d20-7a61-b3f0-2c7e9d41a801"
	levantID   = "0195a1c4-6e31-7b72-84a1-3d8fae52b902"
	snapshotID = "0195d8e2-41a7-7c3b-9f52-6a1e0b8c4d93"
)

// malta is the Malta demo room of docs/domain.md as captured on 12 March 2026, two days before the
// ships meet: most documents approved, LEVANT PIONEER's SIRE report rejected as too old,
// the JPO still missing, the MSDS under review, the price-cap attestation waived, and the
// first buyer replaced (its sign-off kept but no longer counting).
func malta() (State, Meta) {
	s := State{
		Schema:     Schema,
		CapturedAt: time.Date(2026, time.March, 12, 9, 29, 58, 123000000, time.UTC),
		Room: Room{
			ID:       "0195a1c4-3b7e-7f10-8c2d-5e9b4a7d2f01",
			Title:    "Hurd's Bank STS — AEGEAN SERENITY to LEVANT PIONEER, March 2026",
			Location: "Hurd's Bank, Malta (35°54′N 014°40′E), at anchor",
			STSETA:   at(14, 6, 0),
			STSEnd:   at(15, 18, 0),
			Description: "Crude oil STS at anchor. MT AEGEAN SERENITY discharges 80,000 t of Es Sider crude " +
				"into MT LEVANT PIONEER. POAC: Capt. Mario Vella (Hurd Marine STS Ltd).\n" +
				"Coastal-state notice to Transport Malta due 48 h before the operation; redo if the ETA moves by more than 6 h.",
			CargoType:       "Es Sider crude",
			CargoQuantity:   ptr(80000.0),
			CargoClass:      "oil",
			CoastalArea:     "MT-HURDS",
			CoastalAreaName: "Malta — Hurd's Bank",
			Status:          "clearing",
			CreatedBy:       Person{Name: "Joseph Camilleri", Email: broker},
			CreatedAt:       at(2, 8, 0),
		},
		Progress: Progress{Required: 20, Approved: 17},
		Blockers: []Blocker{
			{Gate: "clearance", Criticality: "high", Reason: "Joint Plan of Operation (incl. mooring plan): missing", DocumentID: "doc-jpo"},
			{Gate: "clearance", Criticality: "high", Reason: "SIRE 2.0 inspection report — MT LEVANT PIONEER: rejected: a new version is needed", DocumentID: "doc-levant-sire"},
			{Gate: "clearance", Criticality: "high", Reason: "Cargo hose test certificates: expires on 2026-03-14, before the operation ends", DocumentID: "doc-18"},
			{Gate: "commencement", Criticality: "high", Reason: "MT LEVANT PIONEER: no notice to Malta — Hurd's Bank recorded (due 48 h before the ETA)"},
			{Gate: "commencement", Criticality: "medium", Reason: "Safety data sheet of cargo (and previous cargo): awaiting review", DocumentID: "doc-msds"},
		},
		Vessels: []Vessel{
			{ID: aegeanID, Role: "discharging", Name: "MT AEGEAN SERENITY", IMO: "9372145", Flag: "Malta",
				MMSI: "248731000", CallSign: "9HA4817", VesselType: "crude_oil_tanker", DWT: ptr(115800),
				SizeClass: "Aframax", LOA: ptr(249.9), Beam: ptr(44.0), BuiltYear: ptr(2008),
				ClassSociety: "Lloyd's Register", PIClub: "Gard", RegisteredOwner: "Aegean Serenity Shipping Ltd",
				RegisteredOwnerIMO: "5354210", DOCCompany: greekName, DOCCompanyIMO: "5812079"},
			{ID: levantID, Role: "receiving", Name: "MT LEVANT PIONEER", IMO: "9455832", Flag: "Liberia",
				MMSI: "636019284", CallSign: "D5QR7", VesselType: "crude_oil_tanker", DWT: ptr(105300),
				SizeClass: "Aframax", LOA: ptr(243.8), Beam: ptr(42.0), BuiltYear: ptr(2011),
				ClassSociety: "DNV", PIClub: "Skuld", RegisteredOwner: italian,
				DOCCompany: "Levante Ship Management Srl"}, // company numbers not recorded
		},
		Parties: []Party{
			{Email: broker, Name: "Valletta Shipbrokers Ltd", Role: "broker", AddedAt: at(2, 8, 0)},
			{Email: charterer, Name: "Mediterra Trading SA", Role: "charterer", AddedAt: at(2, 8, 5)},
			{Email: provider, Name: "Hurd Marine STS Ltd", Role: "sts_provider", AddedAt: at(2, 8, 7)},
			{Email: seller, Name: "North Africa Crude Marketing", Role: "seller", AddedAt: at(2, 8, 9)},
			{Email: aegeanOwn, Name: greekName, Role: "owner", AddedAt: at(2, 8, 12)},
			{Email: levantOwn, Name: italian, Role: "owner", AddedAt: at(2, 8, 14)},
			{Email: oldBuyer, Name: russian, Role: "buyer", AddedAt: at(2, 8, 16), RemovedAt: ptr(at(10, 14, 20))},
			{Email: buyer, Name: "Adriatic Refining d.d.", Role: "buyer", AddedAt: at(10, 14, 25)},
		},
		Checklists: []Checklist{{VesselID: aegeanID, VesselName: "MT AEGEAN SERENITY", Phase: 1, Title: "Pre-fixture information",
			Lacks: "awaits the signature of the POAC",
			Items: []ChecklistItem{
				{Position: 1, Text: "Vessel particulars questionnaires (VPQ / Q88) exchanged between the ship operators", Required: true,
					Answer: "yes", AnsweredBy: &Person{Name: "Capt. Nikos Papadakis", Email: aegeanOwn}, AnsweredAt: ptr(at(9, 10, 0))},
				{Position: 2, Text: "Vapour balancing or vapour return arrangements agreed where required", Required: false,
					Answer: "not_applicable", Remark: "crude oil, no vapour return", AnsweredBy: &Person{Name: "Capt. Nikos Papadakis", Email: aegeanOwn}, AnsweredAt: ptr(at(9, 10, 2))},
				{Position: 3, Text: "=HYPERLINK(\"http://x\") injected item text", Required: true,
					Answer: "yes", AnsweredBy: &Person{Email: provider}, AnsweredAt: ptr(at(9, 10, 4))},
			},
			Signatures: []ChecklistSignature{
				{Side: aegeanID, SideName: "MT AEGEAN SERENITY's side", SignedBy: &Person{Name: "Capt. Nikos Papadakis", Email: aegeanOwn}, SignedAt: ptr(at(9, 11, 0))},
				{Side: levantID, SideName: "MT LEVANT PIONEER's side", SignedBy: &Person{Name: "Capt. Marco Rossi", Email: levantOwn}, SignedAt: ptr(at(9, 11, 30))},
				{Side: "poac", SideName: "the POAC"},
			}}},
		Notices: []Notice{{VesselName: "MT AEGEAN SERENITY", Kind: "notice", Reference: "TM-STS-2026/0311", NotifiedAt: at(11, 8, 0),
			ETAAtNotice: at(14, 6, 0), RecordedBy: Person{Name: "Capt. Nikos Papadakis", Email: aegeanOwn}, RecordedAt: at(11, 8, 5)}},
		Warnings:   []string{"Port state control inspection history — MT LEVANT PIONEER: missing (informative)"},
		Milestones: []Milestone{},
		Questions: []Question{{ID: "0195a000-0000-7000-8000-00000000q001", DocumentID: "doc-q88-aegean", TypeCode: "Q88",
			TypeName: "Q88 tanker questionnaire", VesselName: "MT AEGEAN SERENITY", AddressedTo: "owner", Status: "resolved",
			AskedAt: at(9, 14, 0), Messages: []QuestionMessage{
				{Kind: "question", Text: "The Q88 shows the old manifold height (2.1 m): please re-issue with the current one.",
					Author: Person{Name: "Elena Borg", Email: "vetting@mediterra.test"}, Role: "charterer", At: at(9, 14, 0)},
				{Kind: "reply", Text: "=cmd|' /C calc'!A0 Re-issued as version 2, manifold height 2.4 m.",
					Author: Person{Name: "Capt. Nikos Papadakis", Email: aegeanOwn}, Role: "owner", At: at(9, 16, 30)},
				{Kind: "resolved", Author: Person{Name: "Elena Borg", Email: "vetting@mediterra.test"}, Role: "charterer", At: at(9, 17, 0)},
			}}},
		Audit:    AuditHead{},
		Sections: Sections{Documents: true, Activity: true, Approvals: true},
	}

	// Documents: eight per vessel, then five for the operation as a whole.
	type docSpec struct {
		code, name, crit, status, expires string
		vessel                            *Vessel
		uploader                          string
		uploaded                          time.Time
		versions                          int
	}
	av, lv := &s.Vessels[0], &s.Vessels[1]
	specs := []docSpec{
		{"Q88", "Q88 tanker questionnaire", "high", "approved", "", av, aegeanOwn, at(3, 9, 12), 1},
		{"SIRE", "SIRE 2.0 inspection report", "high", "approved", "", av, aegeanOwn, at(3, 9, 40), 1},
		{"CLASS", "Class certificate / class status", "high", "approved", "2028-06-30", av, aegeanOwn, at(3, 10, 2), 1},
		{"IOPP", "IOPP certificate + Supplement Form B", "high", "approved", "2028-06-30", av, aegeanOwn, at(3, 10, 5), 1},
		{"ISM_SMC", "ISM Safety Management Certificate", "high", "approved", "2027-11-14", av, aegeanOwn, at(3, 10, 9), 1},
		{"PI_COE", "P&I certificate of entry", "high", "approved", "2027-02-20", av, aegeanOwn, at(3, 10, 31), 2},
		{"CLC", "CLC certificate (oil pollution liability)", "high", "approved", "2027-02-20", av, aegeanOwn, at(3, 10, 33), 1},
		{"SANCTIONS", "Sanctions screening", "high", "approved", "", av, charterer, at(11, 15, 0), 1},
		{"Q88", "Q88 tanker questionnaire", "high", "approved", "", lv, levantOwn, at(4, 7, 50), 1},
		{"SIRE", "SIRE 2.0 inspection report", "high", "rejected", "", lv, levantOwn, at(4, 8, 15), 1},
		{"CLASS", "Class certificate / class status", "high", "approved", "2029-01-31", lv, levantOwn, at(4, 8, 20), 1},
		{"IOPP", "IOPP certificate + Supplement Form B", "high", "approved", "2029-01-31", lv, levantOwn, at(4, 8, 22), 1},
		{"ISM_SMC", "ISM Safety Management Certificate", "high", "approved", "2026-12-03", lv, levantOwn, at(4, 8, 25), 1},
		{"PI_COE", "P&I certificate of entry", "high", "approved", "2027-02-20", lv, levantOwn, at(4, 8, 41), 1},
		{"CLC", "CLC certificate (oil pollution liability)", "high", "approved", "2027-02-20", lv, levantOwn, at(4, 8, 44), 1},
		{"SANCTIONS", "Sanctions screening", "high", "approved", "", lv, charterer, at(11, 15, 5), 1},
		{"FENDER", "Fender certificates (ISO 17357-1)", "high", "approved", "2026-09-30", nil, provider, at(5, 11, 0), 1},
		{"HOSE", "Cargo hose test certificates", "high", "approved", "2026-03-14", nil, provider, at(5, 11, 4), 1},
		{"JPO", "Joint Plan of Operation (incl. mooring plan)", "high", "missing", "", nil, "", time.Time{}, 0},
		{"MSDS", "Safety data sheet of cargo (and previous cargo)", "medium", "under_review", "", nil, seller, at(11, 17, 45), 1},
		{"PRICE_CAP", "Price-cap attestation / cargo origin evidence", "medium", "missing", "", nil, "", time.Time{}, 0},
	}
	ids := map[string]string{"JPO": "doc-jpo", "MSDS": "doc-msds"}
	for i, sp := range specs {
		d := Document{ID: fmt.Sprintf("doc-%02d", i+1), TypeCode: sp.code, TypeName: sp.name, Criticality: sp.crit,
			Required: true, Status: sp.status, ExpiresOn: sp.expires, Versions: sp.versions}
		if id, ok := ids[sp.code]; ok {
			d.ID = id
		}
		slug := "room"
		if sp.vessel != nil {
			d.VesselID, d.VesselName = sp.vessel.ID, sp.vessel.Name
			slug = map[string]string{aegeanID: "aegean-serenity", levantID: "levant-pioneer"}[sp.vessel.ID]
		}
		if sp.vessel == lv && sp.code == "SIRE" {
			d.ID = "doc-levant-sire"
		}
		if sp.expires != "" {
			end, _ := time.Parse(time.DateOnly, sp.expires)
			d.ValidUntil = ptr(end.AddDate(0, 0, 1))
			if sp.code == "PI_COE" || sp.code == "CLC" { // the P&I year ends at noon GMT
				d.ExpiryTime, d.ValidUntil = "12:00 GMT", ptr(end.Add(12*time.Hour))
			}
		}
		if sp.versions > 0 {
			file := fmt.Sprintf("%s-%s-v%d.pdf", slug, sp.code, sp.versions)
			d.LatestVersion = &Version{Number: sp.versions, SHA256: hexOf(file), Size: int64(180000 + 7919*i),
				ContentType: "application/pdf", Filename: file, UploadedBy: sp.uploader, UploadedAt: sp.uploaded}
		}
		switch {
		case sp.status == "approved":
			d.ReviewedBy, d.ReviewedAt = charterer, ptr(sp.uploaded.Add(26*time.Hour+15*time.Minute))
		case sp.status == "rejected":
			d.ReviewedBy, d.ReviewedAt = charterer, ptr(at(6, 16, 30))
			d.ReviewReason = "Inspection of 2025-08-14 is older than the 180 days Mediterra accepts; provide a SIRE 2.0 report after 2025-09-14."
		}
		if sp.code == "SANCTIONS" {
			d.PerformedAt = ptr(sp.uploaded.Add(-30 * time.Minute))
			d.ValidUntil = ptr(d.PerformedAt.AddDate(0, 0, 7))
			d.ReviewedAt = ptr(sp.uploaded.Add(45 * time.Minute))
			other := map[bool]string{true: "MT LEVANT PIONEER (IMO 9455832)", false: "MT AEGEAN SERENITY (IMO 9372145)"}[sp.vessel == av]
			d.Screening = &Screening{Outcome: "clear", Provider: "Dow Jones Risk & Compliance", Remark: "No hits on the vessel, its owner, manager or counterparties.",
				Vessel: sp.vessel.Name + " (IMO " + sp.vessel.IMO + ")", RegisteredOwner: sp.vessel.RegisteredOwner, Manager: sp.vessel.DOCCompany,
				Counterparties:    []string{"Mediterra Trading SA", "North Africa Crude Marketing", "Adriatic Refining"},
				CounterpartyShips: []string{other}}
		}
		if sp.code == "PRICE_CAP" {
			d.Required = false
			d.WaiveReason = "Libyan-origin crude outside the G7 price-cap regime; attestation not applicable."
			d.ReviewedBy, d.ReviewedAt = charterer, ptr(at(5, 9, 0))
		}
		d.Validity = fixtureValidity(d, s.Room, s.CapturedAt)
		if d.ReviewedBy != "" {
			d.Reviewer = &Person{Name: "Claudia Brunner", Email: d.ReviewedBy}
		}
		s.Documents = append(s.Documents, d)
	}

	s.Approvals = []Approval{
		{Email: oldBuyer, Role: "buyer", Status: "approved", Notes: "Cargo nomination accepted.",
			DecidedAt: at(6, 11, 2), Counts: false},
		{Email: provider, Role: "sts_provider", Status: "approved",
			Notes: "Fenders and hoses certified; POAC Capt. Mario Vella confirmed for 14 March.", DecidedAt: at(11, 10, 5), Counts: false,
			// Signed before the sanctions screenings were uploaded: stale.
			Stale: true, ChangesSince: []string{"Sanctions screening of MT AEGEAN SERENITY: v1 uploaded (none at the sign-off)",
				"Sanctions screening of MT LEVANT PIONEER: v1 uploaded (none at the sign-off)"},
			Coverage: coverageOf(s.Documents, 26, "SANCTIONS")},
		{Email: charterer, Role: "charterer", Status: "approved",
			Notes:     "Both vessels acceptable, subject to a current SIRE 2.0 report for LEVANT PIONEER before commencement.",
			DecidedAt: at(11, 16, 40), Counts: true, Coverage: coverageOf(s.Documents, 29)},
	}

	// Thirty audit entries, hash-chained, with their recorded details, put in words as the
	// capture does (audit.Names); their targets are UUIDs, which the PDF must not print.
	type entry struct {
		ts            time.Time
		actor, action string
		meta          map[string]any
	}
	doc := func(code, vessel string, version int) map[string]any {
		return map[string]any{"type": code, "vessel_id": vessel, "version": version}
	}
	party := func(email, role string) map[string]any { return map[string]any{"email": email, "role": role} }
	entries := []entry{
		{at(2, 8, 0), broker, "room_created", map[string]any{"title": s.Room.Title}},
		{at(2, 8, 5), broker, "party_added", party(charterer, "charterer")},
		{at(2, 8, 7), broker, "party_added", party(provider, "sts_provider")},
		{at(2, 8, 9), broker, "party_added", party(seller, "seller")},
		{at(2, 8, 12), broker, "party_added", party(aegeanOwn, "owner")},
		{at(2, 8, 14), broker, "party_added", party(levantOwn, "owner")},
		{at(2, 8, 16), broker, "party_added", party(oldBuyer, "buyer")},
		{at(2, 8, 30), broker, "vessel_added", map[string]any{"name": "MT AEGEAN SERENITY", "imo": "9372145"}},
		{at(2, 8, 33), broker, "vessel_added", map[string]any{"name": "MT LEVANT PIONEER", "imo": "9455832"}},
		{at(2, 9, 0), broker, "room_status_changed", map[string]any{"from": "draft", "to": "clearing"}},
		{at(3, 9, 40), aegeanOwn, "document_uploaded", doc("SIRE", aegeanID, 1)},
		{at(3, 10, 31), aegeanOwn, "document_uploaded", doc("PI_COE", aegeanID, 2)},
		{at(4, 8, 15), levantOwn, "document_uploaded", doc("SIRE", levantID, 1)},
		{at(4, 8, 41), levantOwn, "document_uploaded", doc("PI_COE", levantID, 1)},
		{at(4, 11, 55), charterer, "document_approved", doc("SIRE", aegeanID, 1)},
		{at(5, 9, 0), charterer, "requirement_waived", map[string]any{"type": "PRICE_CAP", "vessel_id": "", "reason": "outside the G7 price-cap regime"}},
		{at(5, 11, 0), provider, "document_uploaded", doc("FENDER", "", 1)},
		{at(5, 11, 4), provider, "document_uploaded", doc("HOSE", "", 1)},
		{at(6, 11, 2), oldBuyer, "approval_recorded", map[string]any{"status": "approved", "role": "buyer"}},
		{at(6, 13, 20), charterer, "document_approved", doc("FENDER", "", 1)},
		{at(6, 16, 30), charterer, "document_rejected", doc("SIRE", levantID, 1)},
		{at(10, 14, 20), broker, "party_removed", party(oldBuyer, "buyer")},
		{at(10, 14, 25), broker, "party_added", party(buyer, "buyer")},
		{at(11, 10, 5), provider, "approval_recorded", map[string]any{"status": "approved", "role": "sts_provider"}},
		{at(11, 15, 0), charterer, "document_uploaded", doc("SANCTIONS", aegeanID, 1)},
		{at(11, 15, 5), charterer, "document_uploaded", doc("SANCTIONS", levantID, 1)},
		{at(11, 15, 45), charterer, "document_approved", doc("SANCTIONS", aegeanID, 1)},
		{at(11, 15, 50), charterer, "document_approved", doc("SANCTIONS", levantID, 1)},
		{at(11, 16, 40), charterer, "approval_recorded", map[string]any{"status": "approved", "role": "charterer"}},
		{at(11, 17, 45), seller, "document_uploaded", doc("MSDS", "", 1)},
	}
	names := audit.Names{Vessels: map[string]string{aegeanID: "MT AEGEAN SERENITY", levantID: "MT LEVANT PIONEER"}, People: map[string]string{},
		Role: func(r string) string { return authz.Role(r).Label() }}
	for _, p := range s.Parties {
		names.People[p.Email] = p.Name
	}
	names.People[charterer] = "Claudia Brunner" // the account's name, before the party's
	prev := ""
	for i, e := range entries {
		seq := int64(i + 1)
		meta, _ := json.Marshal(e.meta)
		target := fmt.Sprintf("%s %s-7000-8000-%012d", e.action, hexOf(e.action)[:13], seq)
		h := hexOf(fmt.Sprintf("%s|%d|%s|%s|%s|%s", prev, seq, e.ts.Format(time.RFC3339), e.actor, e.action, meta))
		ae := audit.Entry{Seq: seq, TS: e.ts, ActorEmail: e.actor, Action: e.action, Meta: meta}
		s.Activity = append(s.Activity, Activity{Seq: seq, TS: e.ts, Actor: e.actor, ActorName: names.People[e.actor], Action: e.action,
			Description: names.Describe(ae), Target: target, Hash: h})
		prev = h
	}
	s.Audit = AuditHead{Seq: int64(len(entries)), Hash: prev}

	m := Meta{
		ID:        snapshotID,
		Title:     "Pre-arrival vetting pack — 12 March 2026",
		CreatedBy: charterer,
		CreatedAt: time.Date(2026, time.March, 12, 9, 30, 0, 0, time.UTC),
	}
	return s, m
}

// coverageOf is a sign-off's coverage of the required documents at chain position seq, as
// they are in the fixture except the types in missing, which had no version yet.
func coverageOf(docs []Document, seq int64, missing ...string) *Coverage {
	c := &Coverage{Chain: AuditHead{Seq: seq, Hash: hexOf(fmt.Sprintf("entry-%d", seq))}, Documents: []CoveredDocument{}}
	for _, d := range docs {
		if !d.Required {
			continue
		}
		cd := CoveredDocument{TypeCode: d.TypeCode, TypeName: d.TypeName, Vessel: d.VesselName, Status: d.Status}
		if d.LatestVersion != nil && !slices.Contains(missing, d.TypeCode) {
			cd.Version, cd.SHA256 = d.LatestVersion.Number, d.LatestVersion.SHA256
		} else {
			cd.Status = "missing"
		}
		c.Documents = append(c.Documents, cd)
	}
	c.Digest = hexOf(fmt.Sprint(c.Chain, c.Documents))
	return c
}

// fixtureValidity words a fixture document's validity against the operation window at
// capture as the capture does (clearance.WindowValidity), for the validity kinds the
// fixture has: an expiry date or point-in-time evidence (ValidUntil), or no expiry.
func fixtureValidity(d Document, r Room, now time.Time) string {
	at := ""
	if d.ValidUntil != nil {
		at = d.ValidUntil.Format("2006-01-02 15:04 UTC")
	}
	if d.ExpiresOn != "" {
		at = d.ExpiresOn
		if d.ExpiryTime != "" {
			at += " at " + d.ExpiryTime
		}
	}
	switch u := d.ValidUntil; {
	case d.LatestVersion == nil:
		return ""
	case u == nil:
		return "no expiry: valid for this operation"
	case !now.Before(*u):
		return "expired on " + at
	case u.Before(r.STSEnd):
		return "lapses during the operation on " + at
	}
	return "valid throughout"
}
