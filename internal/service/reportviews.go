package service

import (
	"time"

	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/report"
	"github.com/stshub/stshub/internal/store"
)

// The conversions from stored rows to the plain values the report package renders.

func reportRoom(r store.Room) report.Room {
	return report.Room{ID: r.ID, Title: r.Title, Location: r.Location, STSETA: r.STSETA, STSEnd: r.WindowEnd(), Description: r.Description,
		CargoType: r.CargoType, CargoQuantity: r.CargoQuantity, CargoClass: string(r.CargoClass), CoastalArea: r.CoastalArea,
		Status: r.Status, CreatedAt: r.CreatedAt}
}

func reportVessel(v clearance.Vessel) report.Vessel {
	out := report.Vessel{ID: v.ID, Role: string(v.Role), Name: v.Name, IMO: v.IMO, Flag: v.Flag, MMSI: v.MMSI, CallSign: v.CallSign,
		VesselType: v.VesselType, DWT: v.DWT, LOA: v.LOA, Beam: v.Beam, BuiltYear: v.BuiltYear, ClassSociety: v.ClassSociety,
		PIClub: v.PIClub, RegisteredOwner: v.RegisteredOwner, RegisteredOwnerIMO: v.RegisteredOwnerIMO,
		DOCCompany: v.DOCCompany, DOCCompanyIMO: v.DOCCompanyIMO}
	if v.DWT != nil {
		out.SizeClass = clearance.TankerSizeClass(*v.DWT, v.VesselType)
	}
	return out
}

func reportDocument(v DocumentView, room store.Room, now time.Time) report.Document {
	d := report.Document{ID: v.ID, TypeCode: v.TypeCode, TypeName: v.Type.Name, VesselID: deref(v.VesselID), VesselName: v.VesselName,
		Criticality: v.Criticality, Required: v.Required, Status: string(v.EffectiveStatus), ExpiresOn: dateString(v.ExpiresOn),
		PerformedAt: v.PerformedAt, ValidUntil: v.ValidUntil, WaiveReason: v.WaiveReason, ReviewedBy: v.ReviewerEmail,
		ReviewedAt: v.ReviewedAt, ReviewReason: v.ReviewReason, Versions: v.VersionCount}
	if len(v.Versions) > 0 { // a document with nothing uploaded has no validity to judge
		d.Validity = clearance.JudgeWindow(validity(v.Document, v.Type), now, room.STSETA, room.WindowEnd()).Brief
	}
	if v.ReviewerEmail != "" && v.ReviewedAt != nil {
		d.Reviewer = &report.Person{Email: v.ReviewerEmail} // named with the state's other people
	}
	if end := v.Type.ValidityEnd(); end != nil && v.ExpiresOn != nil {
		d.ExpiryTime = end.String()
	}
	if len(v.Versions) > 0 {
		lv := v.Versions[0]
		d.LatestVersion = &report.Version{Number: lv.Number, SHA256: lv.SHA256, Size: lv.Size, ContentType: lv.ContentType,
			Filename: lv.Filename, UploadedBy: lv.UploaderEmail, UploadedAt: lv.UploadedAt}
		if clearance.IsScreening(v.TypeCode) {
			d.Screening = reportScreening(lv, v.RerunReason)
		}
	}
	return d
}

// reportScreening is what a screening's latest version lv found and covered, in words.
func reportScreening(lv clearance.DocumentVersion, rerun string) *report.Screening {
	out := &report.Screening{Outcome: string(lv.Outcome), Provider: lv.Provider, Remark: lv.Remark, Counterparties: []string{},
		CounterpartyShips: []string{}, RerunReason: rerun}
	named := func(name, imo string) string {
		switch {
		case imo == "":
			return name
		case name == "":
			return "IMO " + imo
		}
		return name + " (IMO " + imo + ")"
	}
	if s := lv.Subjects; s != nil {
		out.Vessel, out.RegisteredOwner, out.Manager = named(s.Vessel.Name, s.Vessel.IMO), named(s.RegisteredOwner.Name, s.RegisteredOwner.IMO),
			named(s.Manager.Name, s.Manager.IMO)
		out.Counterparties = append(out.Counterparties, s.Counterparties...)
		for _, c := range s.CounterpartyShips {
			out.CounterpartyShips = append(out.CounterpartyShips, named(c.Name, c.IMO))
		}
	}
	return out
}

// reportHold is a room's current hold for a snapshot; nil for none.
func reportHold(h *clearance.Hold) *report.Hold {
	if h == nil {
		return nil
	}
	return &report.Hold{Source: string(h.Source), Owner: string(h.Owner), Reason: h.Reason, PlacedBy: h.PlacedByEmail, PlacedAt: h.PlacedAt}
}

// progressOf is the clearance rule for a room's document progress.
func progressOf(states []clearance.DocumentState, now time.Time) (required, approved int) {
	return clearance.Progress(states, now)
}

func reportChecklists(lists []clearance.Checklist, sides []clearance.SignatureSide) []report.Checklist {
	out := make([]report.Checklist, len(lists))
	for i, c := range lists {
		st := clearance.StateOf(c, sides)
		rc := report.Checklist{VesselID: c.VesselID, VesselName: c.VesselName, Phase: c.Phase, Title: clearance.PhaseTitle(c.Phase),
			Complete: st.Complete(), Lacks: st.Lacks(len(c.Items)), Items: make([]report.ChecklistItem, len(c.Items))}
		for j, it := range c.Items {
			ri := report.ChecklistItem{Position: it.Position, Text: it.Text, Required: it.Required, Answer: string(it.Answer),
				Remark: it.Remark, AnsweredAt: it.AnsweredAt}
			if it.Answer != "" {
				ri.AnsweredBy = &report.Person{Email: it.AnswererEmail}
			}
			rc.Items[j] = ri
		}
		for _, sd := range sides {
			rs := report.ChecklistSignature{Side: sd.Side, SideName: sd.Label()}
			if sg, ok := c.SignatureOf(sd.Side); ok {
				at := sg.SignedAt
				rs.SignedBy, rs.SignedAt = &report.Person{Name: sg.SignerName, Email: sg.SignerEmail}, &at
			}
			rc.Signatures = append(rc.Signatures, rs)
		}
		out[i] = rc
	}
	return out
}

func reportNotices(notices []clearance.NoticeRecord) []report.Notice {
	out := make([]report.Notice, len(notices))
	for i, n := range notices {
		out[i] = report.Notice{VesselName: n.VesselName, Kind: string(n.Kind), Reference: n.Reference, NotifiedAt: n.NotifiedAt,
			ETAAtNotice: n.ETAAtNotice, RecordedBy: report.Person{Email: n.RecorderEmail}, RecordedAt: n.RecordedAt}
	}
	return out
}

func reportMilestones(milestones []clearance.MilestoneRecord) []report.Milestone {
	out := make([]report.Milestone, len(milestones))
	for i, m := range milestones {
		out[i] = report.Milestone{Milestone: string(m.Milestone), Label: m.Milestone.Label(), OccurredAt: m.OccurredAt,
			RecordedBy: report.Person{Name: m.RecorderName, Email: m.RecorderEmail}, RecordedAt: m.RecordedAt}
	}
	return out
}

func reportQuestions(questions []QuestionView) []report.Question {
	out := make([]report.Question, len(questions))
	for i, q := range questions {
		rq := report.Question{ID: q.ID, DocumentID: q.DocumentID, TypeCode: q.TypeCode, TypeName: q.TypeName, VesselName: q.VesselName,
			AddressedTo: string(q.AddressedTo), Status: string(q.Status), AskedAt: q.AskedAt,
			Messages: make([]report.QuestionMessage, len(q.Messages))}
		for j, m := range q.Messages {
			rq.Messages[j] = report.QuestionMessage{Kind: string(m.Kind), Text: m.Text, Author: report.Person{Name: m.AuthorName, Email: m.AuthorEmail},
				Role: string(m.AuthorRole), At: m.CreatedAt}
		}
		out[i] = rq
	}
	return out
}
