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
		Status: r.Status, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt}
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

func reportDocument(v DocumentView) report.Document {
	d := report.Document{ID: v.ID, TypeCode: v.TypeCode, TypeName: v.Type.Name, VesselID: deref(v.VesselID), VesselName: v.VesselName,
		Criticality: v.Criticality, Required: v.Required, Status: string(v.EffectiveStatus), ExpiresOn: dateString(v.ExpiresOn),
		PerformedAt: v.PerformedAt, ValidUntil: v.ValidUntil, WaiveReason: v.WaiveReason, ReviewedBy: v.ReviewerEmail,
		ReviewedAt: v.ReviewedAt, ReviewReason: v.ReviewReason, Versions: v.VersionCount}
	if end := v.Type.ValidityEnd(); end != nil && v.ExpiresOn != nil {
		d.ExpiryTime = end.String()
	}
	if len(v.Versions) > 0 {
		lv := v.Versions[0]
		d.LatestVersion = &report.Version{Number: lv.Number, SHA256: lv.SHA256, Size: lv.Size, ContentType: lv.ContentType,
			Filename: lv.Filename, UploadedBy: lv.UploaderEmail, UploadedAt: lv.UploadedAt}
	}
	return d
}

// progressOf is the clearance rule for a room's document progress.
func progressOf(states []clearance.DocumentState, now time.Time) (required, approved int) {
	return clearance.Progress(states, now)
}
