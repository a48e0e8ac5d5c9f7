package api

import (
	"encoding/json"
	"time"

	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/service"
)

// The JSON shapes of the API's resources.

type userJSON struct {
	ID        string       `json:"id"`
	Email     string       `json:"email"`
	Name      string       `json:"name"`
	Role      platformRole `json:"role"`
	CreatedAt time.Time    `json:"created_at"`
	Disabled  bool         `json:"disabled,omitempty" doc:"a platform admin disabled the account: it cannot sign in"`
}

func userOf(u authz.User) userJSON {
	return userJSON{ID: u.ID, Email: u.Email, Name: u.Name, Role: platformRole(u.Role), CreatedAt: u.CreatedAt, Disabled: u.DisabledAt != nil}
}

type progressJSON struct {
	Required int `json:"required" doc:"required document slots"`
	Approved int `json:"approved" doc:"required documents approved"`
}

type roomJSON struct {
	ID            string       `json:"id"`
	Title         string       `json:"title"`
	Location      string       `json:"location"`
	STSETA        time.Time    `json:"sts_eta"`
	Description   string       `json:"description"`
	CargoType     string       `json:"cargo_type"`
	CargoQuantity *float64     `json:"cargo_quantity" doc:"tonnes"`
	Status        roomStatus   `json:"status"`
	StatusReason  string       `json:"status_reason,omitempty" doc:"why the room is on hold or cancelled"`
	CreatedBy     string       `json:"created_by"`
	CreatedAt     time.Time    `json:"created_at"`
	UpdatedAt     time.Time    `json:"updated_at"`
	MyRole        string       `json:"my_role" doc:"the caller's role in this room"`
	Progress      progressJSON `json:"progress"`
	ArchivedAt    *time.Time   `json:"archived_at,omitempty" doc:"when the room was archived (read-only, out of the default list); absent when it is not"`
	DeletedAt     *time.Time   `json:"deleted_at,omitempty" doc:"when the draft room was deleted; only platform admins with admin access see a deleted room"`
	CargoClass    cargoClass   `json:"cargo_class" doc:"decides which documents and rules apply (MARPOL Annex I papers and notices are for oil)"`
	STSEnd        time.Time    `json:"sts_end" doc:"the expected end of the operation; certificates are judged valid through it"`
	DurationHours float64      `json:"duration_hours" doc:"the operation window's length, sts_end minus sts_eta (48 h unless stated)"`
	CoastalArea   string       `json:"coastal_area" doc:"code of the coastal state or area whose notice rule applies (GET /coastal-areas); empty until named"`
	Hold          *holdJSON    `json:"hold,omitempty" doc:"the hold of a room on hold (not given in room lists)"`
}

type holdJSON struct {
	Source   holdSource `json:"source" doc:"screening: a screening came back a match; manual: a party put the room on hold"`
	Owner    roomRole   `json:"owner" doc:"the role that may lift it: the charterer (compliance) for a screening hold, the placing role for a manual one"`
	Reason   string     `json:"reason"`
	PlacedBy string     `json:"placed_by" doc:"e-mail"`
	PlacedAt time.Time  `json:"placed_at"`
	// OwnerPresent false: the room has no active party of the owner's role, so any role that
	// moves the status may lift the hold, with a reason.
	OwnerPresent bool `json:"owner_present" doc:"false when the room has no party of the owner's role: then any role that moves the status may lift it, with a reason"`
}

func holdOf(h *clearance.Hold, ownerAbsent bool) *holdJSON {
	if h == nil {
		return nil
	}
	return &holdJSON{Source: holdSource(h.Source), Owner: roomRole(h.Owner), Reason: h.Reason,
		PlacedBy: h.PlacedByEmail, PlacedAt: h.PlacedAt, OwnerPresent: !ownerAbsent}
}

func roomOf(v service.RoomView) roomJSON {
	r := v.Room
	return roomJSON{ID: r.ID, Title: r.Title, Location: r.Location, STSETA: r.STSETA, Description: r.Description,
		CargoType: r.CargoType, CargoQuantity: r.CargoQuantity, Status: roomStatus(r.Status), StatusReason: r.StatusReason, CreatedBy: r.CreatedBy,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, MyRole: string(v.Role), ArchivedAt: r.ArchivedAt, DeletedAt: r.DeletedAt,
		Progress:   progressJSON{Required: v.Progress.Required, Approved: v.Progress.Approved},
		CargoClass: cargoClass(r.CargoClass), STSEnd: r.WindowEnd(), DurationHours: r.Length().Hours(), CoastalArea: r.CoastalArea,
		Hold: holdOf(v.Hold, v.HoldOwnerAbsent)}
}

type blockerJSON struct {
	Kind        blockerKind `json:"kind"`
	Gate        gateName    `json:"gate" doc:"the gate it blocks: clearance (and so commencement), or commencement only"`
	DocumentID  string      `json:"document_id,omitempty"`
	PartyID     string      `json:"party_id,omitempty"`
	TypeCode    string      `json:"type_code,omitempty"`
	VesselID    string      `json:"vessel_id,omitempty"`
	Criticality criticality `json:"criticality"`
	Reason      string      `json:"reason"`
	ActBy       []roomRole  `json:"act_by" doc:"the room roles that can remove it"`
}

func blockerOf(b clearance.Blocker) blockerJSON {
	return blockerJSON{Kind: blockerKind(b.Kind), Gate: gateName(b.Gate), DocumentID: b.DocumentID, PartyID: b.PartyID, TypeCode: b.TypeCode,
		VesselID: b.VesselID, Criticality: criticality(b.Criticality), Reason: b.Reason, ActBy: roomRoles(b.ActBy)}
}

type partyJSON struct {
	ID        string     `json:"id"`
	UserID    *string    `json:"user_id" doc:"null while the invited e-mail has no account"`
	Email     string     `json:"email"`
	Name      string     `json:"name"`
	Role      string     `json:"role"`
	AddedBy   string     `json:"added_by"`
	AddedAt   time.Time  `json:"added_at"`
	RemovedAt *time.Time `json:"removed_at,omitempty"`
	VesselIDs []string   `json:"vessel_ids" doc:"the vessels the party acts for (owners and STS providers)"`
}

func partyOf(p clearance.Party) partyJSON {
	vessels := p.VesselIDs
	if vessels == nil {
		vessels = []string{}
	}
	return partyJSON{ID: p.ID, UserID: p.UserID, Email: p.Email, Name: p.Name, Role: p.Role, AddedBy: p.AddedBy,
		AddedAt: p.AddedAt, RemovedAt: p.RemovedAt, VesselIDs: vessels}
}

type vesselJSON struct {
	ID                 string     `json:"id"`
	RoomID             string     `json:"room_id"`
	Name               string     `json:"name"`
	IMO                string     `json:"imo"`
	Role               vesselRole `json:"role"`
	Flag               string     `json:"flag"`
	MMSI               string     `json:"mmsi"`
	CallSign           string     `json:"call_sign"`
	VesselType         string     `json:"vessel_type"`
	DWT                *int       `json:"dwt"`
	LOA                *float64   `json:"loa"`
	Beam               *float64   `json:"beam"`
	BuiltYear          *int       `json:"built_year"`
	ClassSociety       string     `json:"class_society"`
	PIClub             string     `json:"pi_club"`
	RegisteredOwner    string     `json:"registered_owner"`
	RegisteredOwnerIMO string     `json:"registered_owner_imo" doc:"the registered owner's IMO company number, 7 digits; empty when not recorded"`
	DOCCompany         string     `json:"doc_company"`
	DOCCompanyIMO      string     `json:"doc_company_imo" doc:"the DOC company's IMO company number, 7 digits; empty when not recorded"`
	SizeClass          string     `json:"size_class" doc:"MR, LR1, Aframax, Suezmax, VLCC or ULCC from the DWT, for an oil tanker (or a vessel_type naming no cargo); empty for gas carriers, chemical tankers, other ships and below 25,000 DWT"`
	Warnings           []string   `json:"warnings" doc:"what looks wrong in the particulars without stopping the vessel being saved, in words: an MMSI whose MID names another flag state than flag; empty when nothing does"`
	CreatedAt          time.Time  `json:"created_at"`
	UpdatedAt          time.Time  `json:"updated_at"`
}

func vesselOf(v clearance.Vessel) vesselJSON {
	out := vesselJSON{ID: v.ID, RoomID: v.RoomID, Name: v.Name, IMO: v.IMO, Role: vesselRole(v.Role), Flag: v.Flag,
		MMSI: v.MMSI, CallSign: v.CallSign, VesselType: v.VesselType, DWT: v.DWT, LOA: v.LOA, Beam: v.Beam,
		BuiltYear: v.BuiltYear, ClassSociety: v.ClassSociety, PIClub: v.PIClub, RegisteredOwner: v.RegisteredOwner,
		RegisteredOwnerIMO: v.RegisteredOwnerIMO, DOCCompany: v.DOCCompany, DOCCompanyIMO: v.DOCCompanyIMO,
		Warnings: clearance.VesselWarnings(v.VesselParticulars), CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt}
	if out.Warnings == nil {
		out.Warnings = []string{} // always an array
	}
	if v.DWT != nil {
		out.SizeClass = clearance.TankerSizeClass(*v.DWT, v.VesselType)
	}
	return out
}

type activityJSON struct {
	ID         string          `json:"id"`
	Seq        int64           `json:"seq" doc:"position in the room's hash chain"`
	TS         time.Time       `json:"ts"`
	Actor      string          `json:"actor" doc:"e-mail of who did it ('system' for the server itself)"`
	ActorID    string          `json:"actor_id"`
	Action     string          `json:"action"`
	TargetType string          `json:"target_type"`
	TargetID   string          `json:"target_id"`
	Meta       json.RawMessage `json:"meta"`
	RequestID  string          `json:"request_id"`
	PrevHash   string          `json:"prev_hash"`
	Hash       string          `json:"hash"`
}

func activityOf(e audit.Entry) activityJSON {
	return activityJSON{ID: e.ID, Seq: e.Seq, TS: e.TS, Actor: e.ActorEmail, ActorID: e.ActorID, Action: e.Action,
		TargetType: e.TargetType, TargetID: e.TargetID, Meta: e.Meta, RequestID: e.RequestID, PrevHash: e.PrevHash, Hash: e.Hash}
}

type permissionsJSON struct {
	RoomID  string         `json:"room_id"`
	Role    authz.Role     `json:"role"`
	Actions []authz.Action `json:"actions"`
}

// list is the shape of every list response.
type list[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor,omitempty" doc:"pass as ?cursor= for the next page; absent on the last page"`
}

func listOf[S, T any](items []S, next string, convert func(S) T) list[T] {
	out := make([]T, len(items))
	for i, it := range items {
		out[i] = convert(it)
	}
	return list[T]{Items: out, NextCursor: next}
}

// PageQuery is the query of every paginated list.
type PageQuery struct {
	Cursor string `query:"cursor" doc:"next_cursor of the previous page"`
	Limit  int    `query:"limit" minimum:"1" maximum:"200" default:"50"`
}

func (p PageQuery) request() service.PageRequest {
	return service.PageRequest{Cursor: p.Cursor, Limit: p.Limit}
}

// RoomPath is the path of everything inside a room.
type RoomPath struct {
	RoomID string `path:"room_id" maxLength:"64"`
}

func roomRoles(roles []authz.Role) []roomRole {
	out := make([]roomRole, len(roles))
	for i, r := range roles {
		out[i] = roomRole(r)
	}
	return out
}
