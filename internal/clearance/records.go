// Records of an operation as the store keeps them: the rows the service reads and writes and
// the API and the web UI show. They are plain values; the rules about them are in this
// package's other files, and the store (package store) reads and writes them.

package clearance

import (
	"slices"
	"time"

	"github.com/stshub/stshub/internal/authz"
)

// Vessel is a ship taking part in a room's operation.
type Vessel struct {
	ID     string
	RoomID string
	VesselParticulars
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Party is a company's seat in a room. UserID is nil while the invited e-mail has no
// account; a removed party keeps its row with RemovedAt set.
type Party struct {
	ID        string
	RoomID    string
	UserID    *string
	Email     string
	Name      string
	Role      string
	AddedBy   string
	AddedAt   time.Time
	RemovedAt *time.Time
	// VesselIDs are the vessels the party acts for (authz.ActsForVessels), in binding order.
	VesselIDs []string
}

// BoundTo reports whether the party acts for vessel vesselID.
func (p Party) BoundTo(vesselID string) bool { return slices.Contains(p.VesselIDs, vesselID) }

// Checklist is one phase's checklist of one vessel in a room, with its items in order and
// the signatures it has (one per side, checklistsign.go). VesselName is read from the vessel.
type Checklist struct {
	ID         string
	RoomID     string
	VesselID   string
	VesselName string
	Phase      int
	CreatedAt  time.Time
	Items      []ChecklistItem
	Signatures []ChecklistSignature
}

// ChecklistItem is one item of a room's checklist, copied from a template, with its answer
// (Answer "" while unanswered) and who gave it.
type ChecklistItem struct {
	ID            string
	ChecklistID   string
	RoomID        string
	Position      int
	Text          string
	Required      bool
	Answer        ChecklistAnswer
	Remark        string
	AnsweredBy    string
	AnswererEmail string
	AnsweredAt    *time.Time
}

// ChecklistTemplate is one item of a phase's checklist template (the platform's, edited by
// admins). Rooms copy the active items when a vessel is added.
type ChecklistTemplate struct {
	ID       string
	Phase    int
	Position int
	Text     string
	// Required items answered "no" keep the checklist from being signed.
	Required  bool
	Active    bool
	UpdatedAt time.Time
}

// NoticeRecord records that the coastal state was notified of a vessel's STS operation (or
// gave permission), with the room's ETA when it was recorded. A vessel's latest recorded
// notice is the one in force: it states what the coastal state knows as of its recording
// (even when it is entered after the fact with an earlier notified_at). VesselName is read
// from the vessel.
type NoticeRecord struct {
	ID            string
	RoomID        string
	VesselID      string
	VesselName    string
	Kind          NoticeKind
	NotifiedAt    time.Time
	Reference     string
	ETAAtNotice   time.Time
	RecordedBy    string
	RecorderEmail string
	RecordedAt    time.Time
}

// DocumentVersion is one uploaded file of a document; immutable once written.
type DocumentVersion struct {
	ID            string
	DocumentID    string
	RoomID        string
	Number        int
	SHA256        string
	Size          int64
	ContentType   string
	Filename      string
	ExpiresOn     *time.Time
	PerformedAt   *time.Time
	Notes         string
	UploadedBy    string
	UploaderEmail string
	UploadedAt    time.Time
	// OnBehalfOf is the supplier's role a coordinator uploaded it for; "" when the
	// supplier uploaded it (clearance.MaySupply).
	OnBehalfOf authz.Role
	// A screening's (IsScreening) outcome, provider, remark and what it screened; zero for
	// any other document.
	Outcome  Outcome
	Provider string
	Remark   string
	Subjects *ScreeningSubjects
}

// Snapshot is a captured room state and, once rendered, its file.
type Snapshot struct {
	ID               string
	RoomID           string
	Title            string
	Type             string // pdf, json or csv
	Status           string // generating, completed or failed
	IncludeDocuments bool
	IncludeActivity  bool
	IncludeApprovals bool
	State            []byte // the captured report.State, as JSON
	CreatedBy        string
	CreatorEmail     string
	CreatedAt        time.Time
	CompletedAt      *time.Time
	FileSHA256       string
	FileSize         int64
	ContentType      string
	FailureReason    string
}

// Approval is one sign-off decision of a party. The party's current decision is the one
// not superseded; the others are its history.
type Approval struct {
	ID           string
	RoomID       string
	PartyID      string
	UserID       string
	Email        string
	Role         string
	Status       string // approved, rejected or withdrawn
	Notes        string
	DecidedAt    time.Time
	SupersededAt *time.Time
	PartyRemoved bool // the party has since been removed from the room
	// Coverage is what the decision covered (nil for a withdrawal, and for a decision
	// recorded before coverage was: it counts as it did then).
	Coverage *Coverage
	// CoverageDigest is Coverage.Digest() as recorded with the decision and its trail entry.
	CoverageDigest string
}
