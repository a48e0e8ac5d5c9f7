// Package report renders snapshots: the captured state of a clearance room as a PDF
// report, a JSON document or a CSV checklist.
//
// It works only on the plain State value below, captured by the service layer in the same
// transaction that created the snapshot; it never touches the database. Rendering is
// deterministic: the same State gives the same JSON and CSV bytes. JSON and CSV hold only
// the room's state, so two snapshots of an unchanged room are byte-identical; the PDF adds
// the snapshot's own identity (ID, time, author) on its cover and footers.
package report

import (
	"strings"
	"time"
)

// Schema identifies the version of the JSON snapshot format.
const Schema = "stshub.snapshot/v1"

// State is a room as it stood at one moment. Field order is the JSON key order.
type State struct {
	Schema     string    `json:"schema"`
	CapturedAt time.Time `json:"-"` // when the state was read; shown in the PDF only
	Room       Room      `json:"room"`
	Progress   Progress  `json:"progress"`
	Blockers   []Blocker `json:"blockers"`
	// Warnings say what blocks nothing yet deserves attention (the room page's warnings:
	// informative requirements, a vessel's particulars that disagree), in words.
	Warnings  []string   `json:"warnings"`
	Vessels   []Vessel   `json:"vessels"`
	Parties   []Party    `json:"parties"`
	Documents []Document `json:"documents,omitzero"`
	Approvals []Approval `json:"approvals,omitzero"`
	// Checklists, Notices and Milestones are the operation's own records (operation.go).
	Checklists []Checklist `json:"checklists"`
	Notices    []Notice    `json:"notices"`
	Milestones []Milestone `json:"milestones"`
	// Questions are the questions on documents with their threads (questions.go).
	Questions []Question `json:"questions"`
	Activity  []Activity `json:"activity,omitzero"`
	Audit     AuditHead  `json:"audit"`
	Sections  Sections   `json:"sections"`
}

// Sections records which optional sections the snapshot includes.
type Sections struct {
	Documents bool `json:"documents"`
	Activity  bool `json:"activity"`
	Approvals bool `json:"approvals"`
}

// Room is the operation itself.
type Room struct {
	ID       string    `json:"id"`
	Title    string    `json:"title"`
	Location string    `json:"location"`
	STSETA   time.Time `json:"sts_eta"`
	// STSEnd is the expected end of the operation: the window runs from STSETA to it.
	STSEnd time.Time `json:"sts_end"`
	// CargoClass is oil, chemical or gas: which documents and rules apply.
	CargoClass string `json:"cargo_class"`
	// CoastalArea is the code of the coastal state or area whose rule applies ("" when none
	// was named), CoastalAreaName its name.
	CoastalArea     string    `json:"coastal_area"`
	CoastalAreaName string    `json:"coastal_area_name"`
	Description     string    `json:"description"`
	CargoType       string    `json:"cargo_type"`
	CargoQuantity   *float64  `json:"cargo_quantity"`
	Status          string    `json:"status"`
	CreatedBy       Person    `json:"created_by"`
	CreatedAt       time.Time `json:"created_at"`
	// Hold is the hold of a room on hold; nil otherwise.
	Hold *Hold `json:"hold,omitempty"`
}

// Hold is a room's hold: what placed it, the role that alone may lift it, and why.
type Hold struct {
	Source   string    `json:"source"` // screening or manual
	Owner    string    `json:"owner"`  // the role that may lift it
	Reason   string    `json:"reason"`
	PlacedBy string    `json:"placed_by"` // e-mail
	PlacedAt time.Time `json:"placed_at"`
}

// Progress counts required documents and approved ones.
type Progress struct {
	Required int `json:"required"`
	Approved int `json:"approved"`
}

// Blocker is one reason the room is not cleared (gate clearance) or may not commence its
// operation (gate commencement).
type Blocker struct {
	Gate        string `json:"gate"`
	Criticality string `json:"criticality"`
	Reason      string `json:"reason"`
	DocumentID  string `json:"document_id,omitempty"`
}

// Vessel is a ship of the operation with its particulars.
type Vessel struct {
	ID                 string   `json:"id"`
	Role               string   `json:"role"`
	Name               string   `json:"name"`
	IMO                string   `json:"imo"`
	Flag               string   `json:"flag"`
	MMSI               string   `json:"mmsi"`
	CallSign           string   `json:"call_sign"`
	VesselType         string   `json:"vessel_type"`
	DWT                *int     `json:"dwt"`
	SizeClass          string   `json:"size_class"` // oil tankers only (clearance.TankerSizeClass)
	LOA                *float64 `json:"loa"`
	Beam               *float64 `json:"beam"`
	BuiltYear          *int     `json:"built_year"`
	ClassSociety       string   `json:"class_society"`
	PIClub             string   `json:"pi_club"`
	RegisteredOwner    string   `json:"registered_owner"`
	RegisteredOwnerIMO string   `json:"registered_owner_imo"`
	DOCCompany         string   `json:"doc_company"`
	DOCCompanyIMO      string   `json:"doc_company_imo"`
}

// Party is a company's seat in the room; a removed one is listed with RemovedAt.
type Party struct {
	Email     string     `json:"email"`
	Name      string     `json:"name"`
	Role      string     `json:"role"`
	AddedAt   time.Time  `json:"added_at"`
	RemovedAt *time.Time `json:"removed_at,omitempty"`
}

// Document is one document requirement with its latest version.
type Document struct {
	ID          string `json:"id"`
	TypeCode    string `json:"type_code"`
	TypeName    string `json:"type_name"`
	VesselID    string `json:"vessel_id"`
	VesselName  string `json:"vessel_name"`
	Criticality string `json:"criticality"`
	Required    bool   `json:"required"`
	Status      string `json:"status"`
	ExpiresOn   string `json:"expires_on"` // YYYY-MM-DD or ""
	// ExpiryTime is the time of day, and its zone, the validity ends on ExpiresOn where the
	// type says so ("12:00 GMT" for the P&I year); "" when valid through that day (UTC).
	ExpiryTime  string     `json:"expiry_time,omitempty"`
	PerformedAt *time.Time `json:"performed_at"`
	ValidUntil  *time.Time `json:"valid_until"`
	WaiveReason string     `json:"waive_reason,omitempty"`
	ReviewedBy  string     `json:"reviewed_by"` // e-mail
	// Reviewer is who approved or rejected the latest version, by name and e-mail; nil
	// while it awaits review. ReviewedAt is when.
	Reviewer      *Person    `json:"reviewer"`
	ReviewedAt    *time.Time `json:"reviewed_at"`
	ReviewReason  string     `json:"review_reason,omitempty"`
	Versions      int        `json:"versions"`
	LatestVersion *Version   `json:"latest_version"`
	// Validity is the latest version's validity against the operation window, in words
	// (clearance.WindowValidity): "valid throughout", "lapses during the operation on …",
	// "expired on …"; "" with nothing uploaded.
	Validity string `json:"validity"`
	// Screening is a screening's (SANCTIONS, AIS) outcome and what it screened; nil for
	// any other document, and for a screening without versions.
	Screening *Screening `json:"screening,omitempty"`
}

// Screening is what a screening's latest version found and covered.
type Screening struct {
	Outcome  string `json:"outcome"` // clear, potential_match, confirmed_match; "" when never recorded
	Provider string `json:"provider"`
	Remark   string `json:"remark"`
	// Subjects in words: "MT AEGEAN SERENITY (IMO 9372145)", "Aegean Tankers Inc (IMO 5354210)".
	Vessel            string   `json:"vessel"`
	RegisteredOwner   string   `json:"registered_owner"`
	Manager           string   `json:"manager"`
	Counterparties    []string `json:"counterparties"`
	CounterpartyShips []string `json:"counterparty_ships"`
	// RerunReason says what a party change left unscreened; "" when nothing.
	RerunReason string `json:"rerun_reason,omitempty"`
}

// Subjects is the screening's subjects in one line, for the PDF and the CSV.
func (s Screening) Subjects() string {
	var parts []string
	for _, p := range [][2]string{{"vessel", s.Vessel}, {"registered owner", s.RegisteredOwner}, {"manager", s.Manager},
		{"counterparties", strings.Join(s.Counterparties, ", ")}, {"other ships", strings.Join(s.CounterpartyShips, ", ")}} {
		if p[1] != "" {
			parts = append(parts, p[0]+": "+p[1])
		}
	}
	return strings.Join(parts, "; ")
}

// Version is an uploaded file.
type Version struct {
	Number      int       `json:"number"`
	SHA256      string    `json:"sha256"`
	Size        int64     `json:"size"`
	ContentType string    `json:"content_type"`
	Filename    string    `json:"filename"`
	UploadedBy  string    `json:"uploaded_by"` // e-mail
	UploadedAt  time.Time `json:"uploaded_at"`
}

// Approval is one party's sign-off.
type Approval struct {
	Email     string    `json:"email"`
	Name      string    `json:"name"` // the account's name, "" when it has none
	Role      string    `json:"role"`
	Status    string    `json:"status"`
	Notes     string    `json:"notes"`
	DecidedAt time.Time `json:"decided_at"`
	Counts    bool      `json:"counts"` // false for a removed party's, a superseded or a stale sign-off
	// Stale: the party's current approval, given before a change to what it covered; it
	// does not count, and ChangesSince says what changed.
	Stale        bool     `json:"stale"`
	ChangesSince []string `json:"changes_since,omitzero"`
	// Coverage is what the decision covered; nil for a withdrawal and for a decision
	// recorded before coverage was.
	Coverage *Coverage `json:"coverage"`
}

// Coverage is what a sign-off covered: the room's audit chain position before its own
// entry, the digest its trail entry carries, and the required documents at their versions.
type Coverage struct {
	Chain     AuditHead         `json:"chain"`
	Digest    string            `json:"digest"`
	Documents []CoveredDocument `json:"documents"`
}

// CoveredDocument is one document as a sign-off saw it (Version 0: nothing uploaded).
type CoveredDocument struct {
	TypeCode string `json:"type_code"`
	TypeName string `json:"type_name"`
	Vessel   string `json:"vessel,omitempty"`
	Version  int    `json:"version"`
	SHA256   string `json:"sha256,omitempty"`
	Status   string `json:"status"`
}

// Activity is one audit entry: Description says in words what it did (audit.Names), the
// actor by name and e-mail; Action and Target are the recorded codes, for machines.
type Activity struct {
	Seq         int64     `json:"seq"`
	TS          time.Time `json:"ts"`
	Actor       string    `json:"actor"` // e-mail, "" for the system
	ActorName   string    `json:"actor_name"`
	Action      string    `json:"action"`
	Description string    `json:"description"`
	Target      string    `json:"target"`
	Hash        string    `json:"hash"`
}

// AuditHead is the audit entry the state reflects: the room's latest change before the
// capture (snapshot bookkeeping entries excluded, since they do not change the room).
type AuditHead struct {
	Seq  int64  `json:"seq"`
	Hash string `json:"hash"`
}

// Meta is a snapshot's identity, printed on the PDF.
type Meta struct {
	ID        string
	Title     string
	CreatedBy string
	CreatedAt time.Time
}
