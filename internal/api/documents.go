package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/service"
)

type docTypeRefJSON struct {
	Code        string      `json:"code"`
	Name        string      `json:"name"`
	Criticality criticality `json:"criticality"`
	Scope       docScope    `json:"scope"`
	Expiry      expiryKind  `json:"expiry"`
}

type versionJSON struct {
	ID          string     `json:"id"`
	Number      int        `json:"number"`
	SHA256      string     `json:"sha256"`
	Size        int64      `json:"size"`
	ContentType string     `json:"content_type" doc:"sniffed from the content, never taken from the client"`
	Filename    string     `json:"filename"`
	ExpiresOn   *string    `json:"expires_on" doc:"YYYY-MM-DD"`
	PerformedAt *time.Time `json:"performed_at"`
	Notes       string     `json:"notes"`
	UploadedBy  string     `json:"uploaded_by" doc:"user ID"`
	UploaderEm  string     `json:"uploaded_by_email"`
	UploadedAt  time.Time  `json:"uploaded_at"`
	// What a version of a screening (SANCTIONS, AIS) records beyond its file; absent for
	// any other document.
	Outcome  *outcome                     `json:"outcome,omitempty" doc:"a screening's outcome; a match puts the room on a compliance hold and is never approved"`
	Provider string                       `json:"provider,omitempty" doc:"who ran the screening"`
	Remark   string                       `json:"remark,omitempty" doc:"the screening's remark: what matched, or why it is clear"`
	Subjects *clearance.ScreeningSubjects `json:"subjects,omitempty" doc:"what was screened: the vessel, its registered owner and manager, the counterparties and the other ships of the transfer"`
}

// outcomeOf is a version's outcome for the JSON: nil for a version that has none.
func outcomeOf(v clearance.DocumentVersion) *outcome {
	if v.Outcome == "" {
		return nil
	}
	o := outcome(v.Outcome)
	return &o
}

type reviewJSON struct {
	By     string    `json:"by" doc:"e-mail of the reviewer"`
	At     time.Time `json:"at"`
	Reason string    `json:"reason,omitempty"`
}

type waiverJSON struct {
	By     string    `json:"by"`
	At     time.Time `json:"at"`
	Reason string    `json:"reason"`
}

type documentJSON struct {
	ID                     string         `json:"id"`
	RoomID                 string         `json:"room_id"`
	Type                   docTypeRefJSON `json:"type"`
	VesselID               *string        `json:"vessel_id" doc:"null for a document of the whole room"`
	VesselName             string         `json:"vessel_name,omitempty"`
	Status                 docStatus      `json:"status" doc:"in effect now: an approved document past its validity is expired"`
	Criticality            criticality    `json:"criticality"`
	Required               bool           `json:"required" doc:"false when waived or uploaded without being required"`
	Waiver                 *waiverJSON    `json:"waiver,omitempty"`
	ExpiresOn              *string        `json:"expires_on" doc:"of the latest version, YYYY-MM-DD"`
	PerformedAt            *time.Time     `json:"performed_at" doc:"of the latest version, for point-in-time evidence"`
	ValidUntil             *time.Time     `json:"valid_until" doc:"first instant the latest version is no longer valid"`
	ExpiresDuringOperation bool           `json:"expires_during_operation"`
	Validity               validityJSON   `json:"validity" doc:"the latest version's validity against the operation window, whatever its review status: an upload whose expiry is past says expired here"`
	Notes                  string         `json:"notes"`
	Review                 *reviewJSON    `json:"review,omitempty"`
	Versions               []versionJSON  `json:"versions" doc:"newest first"`
	UpdatedAt              time.Time      `json:"updated_at"`
	// A screening's: its latest version's outcome, provider, remark and subjects, and
	// whether it must be re-run.
	Outcome     *outcome                     `json:"outcome,omitempty" doc:"a screening's latest outcome: clear, potential_match or confirmed_match"`
	Provider    string                       `json:"provider,omitempty" doc:"who ran the latest screening"`
	Remark      string                       `json:"remark,omitempty"`
	Subjects    *clearance.ScreeningSubjects `json:"subjects,omitempty" doc:"what the latest screening screened"`
	NeedsRerun  *bool                        `json:"needs_rerun,omitempty" doc:"a screening only: a party change since it was run left it needing a re-run (a new version)"`
	RerunReason string                       `json:"rerun_reason,omitempty" doc:"what the screening does not cover"`
	Questions   questionCountsJSON           `json:"questions" doc:"the questions on it by status; GET …/questions lists them with their threads"`
}

type validityJSON struct {
	Fit  windowFit `json:"fit" doc:"valid_throughout the window, lapses_during_operation (valid now, not until the window ends: approving a certificate then needs acknowledge_lapse; point-in-time evidence is re-run before commencement), expired, no_expiry, or undated (no date recorded)"`
	Text string    `json:"text" doc:"the same in words, with the dates"`
}

func dateOf(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.Format(time.DateOnly)
	return &s
}

func versionOf(v clearance.DocumentVersion) versionJSON {
	return versionJSON{ID: v.ID, Number: v.Number, SHA256: v.SHA256, Size: v.Size, ContentType: v.ContentType, Filename: v.Filename,
		ExpiresOn: dateOf(v.ExpiresOn), PerformedAt: v.PerformedAt, Notes: v.Notes, UploadedBy: v.UploadedBy,
		UploaderEm: v.UploaderEmail, UploadedAt: v.UploadedAt, Outcome: outcomeOf(v), Provider: v.Provider, Remark: v.Remark,
		Subjects: v.Subjects}
}

func documentOf(d service.DocumentView) documentJSON {
	out := documentJSON{ID: d.ID, RoomID: d.RoomID, VesselID: d.VesselID, VesselName: d.VesselName,
		Type:   docTypeRefJSON{Code: d.Type.Code, Name: d.Type.Name, Criticality: criticality(d.Type.Criticality), Scope: docScope(d.Type.Scope), Expiry: expiryKind(d.Type.Expiry)},
		Status: docStatus(d.EffectiveStatus), Criticality: criticality(d.Criticality), Required: d.Required, ExpiresOn: dateOf(d.ExpiresOn),
		PerformedAt: d.PerformedAt, ValidUntil: d.ValidUntil, ExpiresDuringOperation: d.ExpiresDuringOperation, Notes: d.Notes,
		Validity: validityJSON{Fit: windowFit(d.Window.Fit), Text: d.Window.Text},
		Versions: make([]versionJSON, len(d.Versions)), UpdatedAt: d.UpdatedAt,
		Questions: questionCountsJSON{Open: d.Questions.Open, Resolved: d.Questions.Resolved}}
	for i, v := range d.Versions {
		out.Versions[i] = versionOf(v)
	}
	if clearance.IsScreening(d.TypeCode) {
		if len(d.Versions) > 0 {
			v := out.Versions[0]
			out.Outcome, out.Provider, out.Remark, out.Subjects = v.Outcome, v.Provider, v.Remark, v.Subjects
		}
		rerun := d.RerunReason != ""
		out.NeedsRerun, out.RerunReason = &rerun, d.RerunReason
	}
	if d.WaivedAt != nil {
		out.Waiver = &waiverJSON{By: d.WaiverEmail, At: *d.WaivedAt, Reason: d.WaiveReason}
	}
	if d.ReviewedAt != nil {
		out.Review = &reviewJSON{By: d.ReviewerEmail, At: *d.ReviewedAt, Reason: d.ReviewReason}
	}
	return out
}

// DocumentPath is the path of one document.
type DocumentPath struct {
	RoomPath
	DocumentID string `path:"document_id" maxLength:"64"`
}

type listDocumentsInput struct {
	RoomPath
	Status      docStatus    `query:"status" doc:"the status in effect now (an approved document past its validity is expired)"`
	VesselID    string       `query:"vessel_id" maxLength:"64" doc:"one vessel's documents; room for the operation's own"`
	Criticality criticality  `query:"criticality"`
	Supplier    supplierRole `query:"supplier" doc:"the role that supplies the document's type"`
	NeedsMe     bool         `query:"needs_me" doc:"true keeps the documents the caller has a task on (GET /rooms/{room_id}/tasks)"`
	Q           string       `query:"q" maxLength:"200" doc:"text in the type's code or name, or in a version's file name (any case)"`
}

type reasonInput struct {
	DocumentPath
	Body struct {
		Reason string `json:"reason" maxLength:"2000"`
	}
}

type approveInput struct {
	DocumentPath
	// Optional: a document valid through the operation window is approved with no body.
	Body *struct {
		AcknowledgeLapse bool   `json:"acknowledge_lapse,omitempty" doc:"confirms approving a document that lapses before the operation window ends (validity.fit lapses_during_operation); needs a note"`
		Note             string `json:"note,omitempty" maxLength:"2000" doc:"recorded in the trail entry of the approval; required with acknowledge_lapse"`
	}
}

type addRequirementInput struct {
	RoomPath
	Body struct {
		Type     string `json:"type" maxLength:"32" doc:"catalogue code, e.g. PRICE_CAP"`
		VesselID string `json:"vessel_id,omitempty" maxLength:"64" doc:"required for per-vessel types"`
	}
}

type documentOutput struct {
	Body documentJSON
}

type documentsOutput struct {
	Body list[documentJSON]
}

type summaryOutput struct {
	Body struct {
		roomJSON
		Cleared     bool                `json:"cleared" doc:"the clearance gate passes: a discharging and a receiving vessel, every high-criticality requirement approved and valid through the operation window (point-in-time evidence: valid now), every signing party approved"`
		MayCommence bool                `json:"may_commence" doc:"the commencement gate passes too: every medium-criticality requirement, point-in-time evidence valid through the window, the coastal state's notice or permission, checklists 1 and 2 of every vessel"`
		Blockers    []blockerJSON       `json:"blockers" doc:"the clearance gate's blockers, then the commencement gate's; most urgent first within each (a missing ship, lapsing or matched evidence, rejected, awaiting review, missing, notices, checklists, sign-offs), more critical first among equals"`
		Warnings    []string            `json:"warnings" doc:"what blocks nothing yet needs attention: informative requirements, confidential blockers not shown"`
		Operation   operationJSON       `json:"operation" doc:"the operation's milestones and what the next one waits for"`
		Questions   questionSummaryJSON `json:"questions" doc:"the open questions on documents: how many the caller sees, and those addressed to its party"`
	}
}

type expiringInput struct {
	Days int `query:"days" minimum:"0" maximum:"366" default:"30"`
}

type expiringJSON struct {
	documentJSON
	RoomTitle string `json:"room_title"`
}

type expiringOutput struct {
	Body list[expiringJSON]
}

func (h *Handlers) registerDocuments(a huma.API) {
	tags := []string{"documents"}
	huma.Register(a, huma.Operation{OperationID: "list-documents", Method: http.MethodGet, Path: "/rooms/{room_id}/documents", Tags: tags,
		Summary: "A room's documents: one per requirement, with their versions", Security: authed,
		Description: "The query parameters narrow the list (all of them at once); an empty list means nothing matched. A value not in its list is 422."},
		func(ctx context.Context, in *listDocumentsInput) (*documentsOutput, error) {
			docs, err := h.svc.FindDocuments(ctx, actorOf(ctx), in.RoomID, service.DocumentFilter{Status: string(in.Status),
				VesselID: in.VesselID, Criticality: string(in.Criticality), Supplier: string(in.Supplier), NeedsMe: in.NeedsMe, Text: in.Q})
			if err != nil {
				return nil, err
			}
			return &documentsOutput{Body: listOf(docs, "", documentOf)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "get-document", Method: http.MethodGet, Path: "/rooms/{room_id}/documents/{document_id}", Tags: tags,
		Summary: "One document with its versions", Security: authed},
		func(ctx context.Context, in *DocumentPath) (*documentOutput, error) {
			d, err := h.svc.GetDocument(ctx, actorOf(ctx), in.RoomID, in.DocumentID)
			return documentResult(d, err)
		})
	huma.Register(a, huma.Operation{OperationID: "approve-document", Method: http.MethodPost, Path: "/rooms/{room_id}/documents/{document_id}/approve", Tags: tags,
		Summary: "Approve the latest version", Security: authed, Description: "409 when the document is not under review or the version is no longer valid. " +
			"A certificate whose version lapses before the operation window ends (validity.fit lapses_during_operation, type.expiry expires) is approved only with " +
			"`{\"acknowledge_lapse\": true, \"note\": \"why it is acceptable\"}`: without acknowledge_lapse the answer is 409 saying when it lapses, " +
			"without the note 422 naming note. The note goes into the approval's trail entry."},
		func(ctx context.Context, in *approveInput) (*documentOutput, error) {
			var a service.ApproveInput
			if in.Body != nil {
				a = service.ApproveInput{AcknowledgeLapse: in.Body.AcknowledgeLapse, Note: in.Body.Note}
			}
			d, err := h.svc.ApproveDocument(ctx, actorOf(ctx), in.RoomID, in.DocumentID, a)
			return documentResult(d, err)
		})
	huma.Register(a, huma.Operation{OperationID: "reject-document", Method: http.MethodPost, Path: "/rooms/{room_id}/documents/{document_id}/reject", Tags: tags,
		Summary: "Reject the latest version, with a reason", Security: authed},
		func(ctx context.Context, in *reasonInput) (*documentOutput, error) {
			d, err := h.svc.RejectDocument(ctx, actorOf(ctx), in.RoomID, in.DocumentID, in.Body.Reason)
			return documentResult(d, err)
		})
	huma.Register(a, huma.Operation{OperationID: "waive-requirement", Method: http.MethodPost, Path: "/rooms/{room_id}/documents/{document_id}/waive", Tags: tags,
		Summary: "Stop requiring a document, with a reason", Security: authed},
		func(ctx context.Context, in *reasonInput) (*documentOutput, error) {
			d, err := h.svc.WaiveRequirement(ctx, actorOf(ctx), in.RoomID, in.DocumentID, in.Body.Reason)
			return documentResult(d, err)
		})
	huma.Register(a, huma.Operation{OperationID: "add-requirement", Method: http.MethodPost, Path: "/rooms/{room_id}/requirements", Tags: tags,
		Summary: "Require a document type (again)", Security: authed, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *addRequirementInput) (*documentOutput, error) {
			d, err := h.svc.AddRequirement(ctx, actorOf(ctx), in.RoomID, in.Body.Type, in.Body.VesselID)
			return documentResult(d, err)
		})
	huma.Register(a, huma.Operation{OperationID: "room-summary", Method: http.MethodGet, Path: "/rooms/{room_id}/summary", Tags: []string{"rooms"},
		Summary: "A room with its progress and what blocks each of its gates, clearance and commencement", Security: authed},
		func(ctx context.Context, in *RoomPath) (*summaryOutput, error) {
			s, err := h.svc.GetRoomSummary(ctx, actorOf(ctx), in.RoomID)
			if err != nil {
				return nil, err
			}
			out := &summaryOutput{}
			out.Body.roomJSON, out.Body.Cleared, out.Body.MayCommence = roomOf(s.RoomView), s.Cleared, s.MayCommence
			out.Body.Blockers = listOf(s.Blockers, "", blockerOf).Items
			out.Body.Warnings, out.Body.Operation = s.Warnings, operationOf(s.Operation)
			out.Body.Questions = questionSummaryOf(s.Questions)
			if out.Body.Warnings == nil {
				out.Body.Warnings = []string{}
			}
			return out, nil
		})
	huma.Register(a, huma.Operation{OperationID: "expiring-documents", Method: http.MethodGet, Path: "/documents/expiring", Tags: tags,
		Summary: "Approved certificates expiring, and point-in-time evidence ageing out, within ?days= across the caller's rooms, soonest first", Security: authed},
		func(ctx context.Context, in *expiringInput) (*expiringOutput, error) {
			docs, err := h.svc.ExpiringDocuments(ctx, actorOf(ctx), in.Days)
			if err != nil {
				return nil, err
			}
			return &expiringOutput{Body: listOf(docs, "", func(e service.ExpiringDocument) expiringJSON {
				return expiringJSON{documentJSON: documentOf(e.DocumentView), RoomTitle: e.RoomTitle}
			})}, nil
		})
}

func documentResult(d service.DocumentView, err error) (*documentOutput, error) {
	if err != nil {
		return nil, err
	}
	return &documentOutput{Body: documentOf(d)}, nil
}
