package api_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/store"
)

// The callers of the matrix: one party per room role, then a user who is no party, a party
// that was removed, a platform admin who is no party, and nobody at all.
const (
	outsider  = "outsider"
	removed   = "removed"
	admin     = "admin"
	anonymous = "anonymous"
)

func callers() []string {
	var out []string
	for _, r := range authz.Roles() {
		out = append(out, string(r))
	}
	return append(out, outsider, removed, admin, anonymous)
}

func emailOf(caller string) string {
	if caller == admin {
		return apptest.AdminEmail
	}
	return caller + "@matrix.test"
}

// roomFixture is a room with one party per role, a removed party and a vessel, plus a
// second room the callers have nothing to do with.
type roomFixture struct {
	room, vessel string
	document     string            // the vessel's Q88, uploaded and under review
	spareVessel  string            // a vessel with no uploads, which may be removed
	snapshot     string            // a JSON snapshot of the room
	checklist    string            // the vessel's checklist 1
	item         string            // its first item, unanswered
	signable     string            // the vessel's checklist 5, every item answered
	template     string            // the first checklist template item
	question     string            // an open question on the document, asked by the broker
	party        map[string]string // caller → party ID
	otherRoom    string
	otherVessel  string
	otherParty   string
	otherDoc     string
	otherSnap    string
	invitation   string // a room invitation: the viewer party invitee@matrix.test, who has no account
	platformInv  string // an invitation to the platform
	user         string // an account the admin may change
}

// kind says who may call a route.
type kind int

const (
	inRoom        kind = iota // a room action: the matrix decides
	authenticated             // anyone signed in
	adminOnly                 // platform admins
	adminAccess               // platform admins who are not yet parties
	public                    // anyone
)

// vesselOfRoute says which of the fixture's vessels a route acts for: the owner's party is
// bound to the fixture vessel and to no other.
type vesselOfRoute int

const (
	noVessel    vesselOfRoute = iota
	boundVessel               // f.vessel: the owner party acts for it
	spareVessel               // f.spareVessel: no party acts for it
)

type route struct {
	method, pattern string
	kind            kind
	action          authz.Action
	ok              int
	mutates         bool
	audit           string // the room audit action a success records
	// The rules beyond the role table (internal/authz/scope.go, internal/clearance/supply.go):
	vessel  vesselOfRoute // the vessel a per-vessel action is for, whose binding it may need
	docType string        // the catalogue type an upload supplies
	askOn   string        // the catalogue type of the document a new question is about (its supplier may not ask)
	// resolves: the route resolves or reopens the fixture's question, the broker's: for the
	// asker or a reviewer only.
	resolves bool
	party    authz.Role // the role of the party a party change touches
	grant    authz.Role // the role a party change gives
	path     func(f roomFixture) string
	body     func(f roomFixture) any
}

func roomPath(suffix string) func(f roomFixture) string {
	return func(f roomFixture) string { return "/api/v1/rooms/" + f.room + suffix }
}

func documentPath(suffix string) func(f roomFixture) string {
	return func(f roomFixture) string { return "/api/v1/rooms/" + f.room + "/documents/" + f.document + suffix }
}

func snapshotPath(suffix string) func(f roomFixture) string {
	return func(f roomFixture) string { return "/api/v1/rooms/" + f.room + "/snapshots/" + f.snapshot + suffix }
}

func questionPath(suffix string) func(f roomFixture) string {
	return func(f roomFixture) string {
		return "/api/v1/rooms/" + f.room + "/documents/" + f.document + "/questions/" + f.question + suffix
	}
}

func fixed(p string) func(roomFixture) string { return func(roomFixture) string { return p } }

func routes() []route {
	vesselBody := func(roomFixture) any {
		return map[string]any{"name": "MT NORDIC STAR", "imo": "IMO 9380362", "role": "receiving", "mmsi": "257123450", "dwt": 105300}
	}
	return []route{
		{method: "POST", pattern: "/auth/login", kind: public, ok: 200, path: fixed("/api/v1/auth/login")},
		{method: "POST", pattern: "/auth/logout", kind: authenticated, ok: 204, path: fixed("/api/v1/auth/logout")},
		{method: "GET", pattern: "/auth/me", kind: authenticated, ok: 200, path: fixed("/api/v1/auth/me")},
		{method: "POST", pattern: "/users", kind: adminOnly, ok: 201, mutates: true, path: fixed("/api/v1/users"),
			body: func(roomFixture) any {
				return map[string]string{"email": "fresh-" + newSuffix() + "@matrix.test", "name": "Fresh", "password": apptest.Password}
			}},
		{method: "GET", pattern: "/users", kind: adminOnly, ok: 200, path: fixed("/api/v1/users")},
		{method: "PATCH", pattern: "/users/{user_id}", kind: adminOnly, ok: 200, mutates: true,
			path: func(f roomFixture) string { return "/api/v1/users/" + f.user },
			body: func(roomFixture) any { return map[string]any{"role": "user", "disabled": false} }},
		{method: "POST", pattern: "/users/{user_id}/password-reset", kind: adminOnly, ok: 202, mutates: true,
			path: func(f roomFixture) string { return "/api/v1/users/" + f.user + "/password-reset" }},
		// Changing one's password ends one's sessions: the matrix sends a wrong current
		// password, which every signed-in caller is told about alike.
		{method: "POST", pattern: "/auth/password", kind: authenticated, ok: 422, path: fixed("/api/v1/auth/password"),
			body: func(roomFixture) any {
				return map[string]string{"current_password": "not the password at all", "new_password": "another long password"}
			}},
		{method: "PATCH", pattern: "/auth/me", kind: authenticated, ok: 200, path: fixed("/api/v1/auth/me"),
			body: func(roomFixture) any { return map[string]string{"name": "Matrix caller"} }},
		// The link routes answer anyone alike; accounts_test.go follows real links.
		{method: "POST", pattern: "/auth/password-reset", kind: public, ok: 202, path: fixed("/api/v1/auth/password-reset"),
			body: func(roomFixture) any { return map[string]string{"email": "nobody"} }},
		{method: "POST", pattern: "/auth/password-reset/confirm", kind: public, ok: 422, path: fixed("/api/v1/auth/password-reset/confirm"),
			body: func(roomFixture) any { return map[string]string{} }},
		{method: "POST", pattern: "/invitations/accept", kind: public, ok: 422, path: fixed("/api/v1/invitations/accept"),
			body: func(roomFixture) any { return map[string]string{} }},
		{method: "GET", pattern: "/invitations", kind: adminOnly, ok: 200, path: fixed("/api/v1/invitations")},
		{method: "POST", pattern: "/invitations", kind: adminOnly, ok: 201, mutates: true, path: fixed("/api/v1/invitations"),
			body: func(roomFixture) any { return map[string]string{"email": "platform-" + newSuffix() + "@matrix.test"} }},
		{method: "POST", pattern: "/invitations/{invitation_id}/resend", kind: adminOnly, ok: 200, mutates: true,
			path: func(f roomFixture) string { return "/api/v1/invitations/" + f.platformInv + "/resend" }},
		{method: "DELETE", pattern: "/invitations/{invitation_id}", kind: adminOnly, ok: 204, mutates: true,
			path: func(f roomFixture) string { return "/api/v1/invitations/" + f.platformInv }},
		{method: "GET", pattern: "/rooms/{room_id}/invitations", action: authz.ManageParties, ok: 200, path: roomPath("/invitations")},
		{method: "POST", pattern: "/rooms/{room_id}/invitations/{invitation_id}/resend", action: authz.ManageParties, ok: 200, mutates: true,
			audit: "invitation_resent", party: authz.Viewer,
			path: func(f roomFixture) string {
				return "/api/v1/rooms/" + f.room + "/invitations/" + f.invitation + "/resend"
			}},
		{method: "DELETE", pattern: "/rooms/{room_id}/invitations/{invitation_id}", action: authz.ManageParties, ok: 204, mutates: true,
			audit: "invitation_revoked", party: authz.Viewer,
			path: func(f roomFixture) string { return "/api/v1/rooms/" + f.room + "/invitations/" + f.invitation }},
		{method: "POST", pattern: "/rooms", kind: authenticated, ok: 201, mutates: true, path: fixed("/api/v1/rooms"),
			body: func(roomFixture) any {
				return map[string]string{"title": "Skaw STS", "location": "Skaw", "sts_eta": "2026-02-19T06:00:00Z"}
			}},
		{method: "GET", pattern: "/rooms", kind: authenticated, ok: 200, path: fixed("/api/v1/rooms")},
		{method: "GET", pattern: "/rooms/{room_id}", action: authz.ViewRoom, ok: 200, path: roomPath("")},
		{method: "PATCH", pattern: "/rooms/{room_id}", action: authz.UpdateRoom, ok: 200, mutates: true, audit: "room_updated",
			path: roomPath(""), body: func(roomFixture) any { return map[string]string{"title": "Malta STS (amended)"} }},
		{method: "DELETE", pattern: "/rooms/{room_id}", action: authz.DeleteRoom, ok: 204, mutates: true, audit: "room_deleted", path: roomPath("")},
		{method: "GET", pattern: "/rooms/{room_id}/permissions", action: authz.ViewRoom, ok: 200, path: roomPath("/permissions")},
		// The fixture's room is a draft: those who may archive it meet the rule that it must be
		// finished first, and it is not archived (records_test.go walks the rest).
		{method: "POST", pattern: "/rooms/{room_id}/archive", action: authz.ArchiveRoom, ok: 409, path: roomPath("/archive")},
		{method: "POST", pattern: "/rooms/{room_id}/unarchive", action: authz.ArchiveRoom, ok: 409, path: roomPath("/unarchive")},
		{method: "GET", pattern: "/admin/rooms", kind: adminOnly, ok: 200, path: fixed("/api/v1/admin/rooms?state=archived")},
		{method: "POST", pattern: "/rooms/{room_id}/admin-access", kind: adminAccess, ok: 201, mutates: true, audit: "party_added",
			path: roomPath("/admin-access"), body: func(roomFixture) any { return map[string]string{"reason": "support ticket 4711"} }},
		{method: "GET", pattern: "/rooms/{room_id}/parties", action: authz.ViewRoom, ok: 200, path: roomPath("/parties")},
		{method: "POST", pattern: "/rooms/{room_id}/parties", action: authz.ManageParties, ok: 201, mutates: true, audit: "party_added", grant: authz.Viewer,
			path: roomPath("/parties"), body: func(roomFixture) any { return map[string]string{"email": "terminal@matrix.test", "role": "viewer"} }},
		{method: "PATCH", pattern: "/rooms/{room_id}/parties/{party_id}", action: authz.ManageParties, ok: 200, mutates: true, audit: "party_updated",
			party: authz.Viewer, grant: authz.Buyer,
			path: func(f roomFixture) string { return "/api/v1/rooms/" + f.room + "/parties/" + f.party["viewer"] },
			body: func(roomFixture) any { return map[string]string{"role": "buyer"} }},
		{method: "DELETE", pattern: "/rooms/{room_id}/parties/{party_id}", action: authz.ManageParties, ok: 204, mutates: true, audit: "party_removed",
			party: authz.Viewer,
			path:  func(f roomFixture) string { return "/api/v1/rooms/" + f.room + "/parties/" + f.party["viewer"] }},
		{method: "GET", pattern: "/rooms/{room_id}/vessels", action: authz.ViewRoom, ok: 200, path: roomPath("/vessels")},
		{method: "POST", pattern: "/rooms/{room_id}/vessels", action: authz.ManageVessels, ok: 201, mutates: true, audit: "vessel_added",
			path: roomPath("/vessels"), body: vesselBody},
		{method: "GET", pattern: "/rooms/{room_id}/vessels/{vessel_id}", action: authz.ViewRoom, ok: 200,
			path: func(f roomFixture) string { return "/api/v1/rooms/" + f.room + "/vessels/" + f.vessel }},
		{method: "PATCH", pattern: "/rooms/{room_id}/vessels/{vessel_id}", action: authz.ManageVessels, ok: 200, mutates: true, audit: "vessel_updated",
			vessel: boundVessel,
			path:   func(f roomFixture) string { return "/api/v1/rooms/" + f.room + "/vessels/" + f.vessel },
			body:   func(roomFixture) any { return map[string]string{"flag": "Malta"} }},
		{method: "DELETE", pattern: "/rooms/{room_id}/vessels/{vessel_id}", action: authz.ManageVessels, ok: 204, mutates: true, audit: "vessel_removed",
			vessel: spareVessel,
			path:   func(f roomFixture) string { return "/api/v1/rooms/" + f.room + "/vessels/" + f.spareVessel }},
		{method: "GET", pattern: "/rooms/{room_id}/activities", action: authz.ViewActivity, ok: 200, path: roomPath("/activities")},
		{method: "GET", pattern: "/rooms/{room_id}/activities/verify", action: authz.ViewActivity, ok: 200, path: roomPath("/activities/verify")},
		{method: "GET", pattern: "/rooms/{room_id}/activities/export", action: authz.ExportActivity, ok: 200, audit: "activity_exported",
			path: roomPath("/activities/export")},
		{method: "GET", pattern: "/rooms/{room_id}/summary", action: authz.ViewRoom, ok: 200, path: roomPath("/summary")},
		{method: "GET", pattern: "/rooms/{room_id}/tasks", action: authz.ViewRoom, ok: 200, path: roomPath("/tasks")},
		{method: "GET", pattern: "/me/tasks", kind: authenticated, ok: 200, path: fixed("/api/v1/me/tasks")},
		{method: "GET", pattern: "/rooms/{room_id}/approvals", action: authz.ViewRoom, ok: 200, path: roomPath("/approvals")},
		{method: "POST", pattern: "/rooms/{room_id}/approvals", action: authz.SignOff, ok: 201, mutates: true, audit: "approval_recorded",
			path: roomPath("/approvals"), body: func(roomFixture) any { return map[string]string{"status": "approved", "notes": "in order"} }},
		{method: "POST", pattern: "/rooms/{room_id}/status", action: authz.ChangeRoomStatus, ok: 200, mutates: true, audit: "room_status_changed",
			path: roomPath("/status"), body: func(roomFixture) any { return map[string]string{"status": "clearing"} }},
		{method: "GET", pattern: "/document-types", kind: authenticated, ok: 200, path: fixed("/api/v1/document-types")},
		{method: "POST", pattern: "/document-types", kind: adminOnly, ok: 201, mutates: true, path: fixed("/api/v1/document-types"),
			body: func(roomFixture) any {
				return map[string]any{"code": "GAS_" + newSuffix(), "name": "Gas-freeing certificate", "supplied_by": "owner",
					"scope": "vessel", "criticality": "medium", "expiry": "none"}
			}},
		{method: "PATCH", pattern: "/document-types/{code}", kind: adminOnly, ok: 200, mutates: true, path: fixed("/api/v1/document-types/PRICE_CAP"),
			body: func(roomFixture) any { return map[string]any{"description": "Where applicable " + newSuffix()} }},
		{method: "GET", pattern: "/coastal-areas", kind: authenticated, ok: 200, path: fixed("/api/v1/coastal-areas")},
		{method: "POST", pattern: "/coastal-areas", kind: adminOnly, ok: 201, mutates: true, path: fixed("/api/v1/coastal-areas"),
			body: func(roomFixture) any {
				return map[string]any{"code": "XX-" + newSuffix(), "name": "Test anchorage", "regime": "notice", "source": "matrix test"}
			}},
		{method: "PATCH", pattern: "/coastal-areas/{code}", kind: adminOnly, ok: 200, mutates: true, path: fixed("/api/v1/coastal-areas/EU"),
			body: func(roomFixture) any { return map[string]any{"source": "EU rule, checked " + newSuffix()} }},
		{method: "GET", pattern: "/documents/expiring", kind: authenticated, ok: 200, path: fixed("/api/v1/documents/expiring?days=30")},
		{method: "GET", pattern: "/rooms/{room_id}/documents", action: authz.ViewRoom, ok: 200, path: roomPath("/documents")},
		{method: "POST", pattern: "/rooms/{room_id}/documents", action: authz.UploadDocument, ok: 201, mutates: true, audit: "document_uploaded",
			vessel: boundVessel, docType: "CLASS",
			path: roomPath("/documents"), body: func(f roomFixture) any {
				return upload{fields: []string{"type", "CLASS", "vessel_id", f.vessel, "expires_on", "2027-06-30"}, filename: "class.pdf", content: apptest.PDF("Class LR")}
			}},
		{method: "GET", pattern: "/rooms/{room_id}/documents/{document_id}", action: authz.ViewRoom, ok: 200, path: documentPath("")},
		{method: "GET", pattern: "/rooms/{room_id}/documents/{document_id}/questions", action: authz.ViewRoom, ok: 200, path: documentPath("/questions")},
		{method: "POST", pattern: "/rooms/{room_id}/documents/{document_id}/questions", action: authz.AskQuestion, ok: 201, mutates: true,
			audit: "question_opened", askOn: "Q88", path: documentPath("/questions"),
			body: func(roomFixture) any { return map[string]string{"text": "Manifold height: 2.1 m or 2.4 m?"} }},
		{method: "GET", pattern: "/rooms/{room_id}/documents/{document_id}/questions/{question_id}", action: authz.ViewRoom, ok: 200,
			path: questionPath("")},
		{method: "POST", pattern: "/rooms/{room_id}/documents/{document_id}/questions/{question_id}/replies", action: authz.AskQuestion, ok: 201,
			mutates: true, audit: "question_replied", path: questionPath("/replies"),
			body: func(roomFixture) any { return map[string]string{"text": "2.4 m since the refit; version 2 follows."} }},
		{method: "POST", pattern: "/rooms/{room_id}/documents/{document_id}/questions/{question_id}/resolve", action: authz.AskQuestion, ok: 200,
			mutates: true, audit: "question_resolved", resolves: true, path: questionPath("/resolve"),
			body: func(roomFixture) any { return map[string]string{"note": "answered"} }},
		// The fixture's question is open: those who may reopen it meet the rule that it must be
		// resolved first.
		{method: "POST", pattern: "/rooms/{room_id}/documents/{document_id}/questions/{question_id}/reopen", action: authz.AskQuestion, ok: 409,
			resolves: true, path: questionPath("/reopen")},
		{method: "GET", pattern: "/rooms/{room_id}/documents/{document_id}/download", action: authz.ViewRoom, ok: 200, audit: "document_downloaded",
			path: documentPath("/download")},
		{method: "GET", pattern: "/rooms/{room_id}/documents/{document_id}/preview", action: authz.ViewRoom, ok: 200, audit: "document_previewed",
			path: documentPath("/preview")},
		{method: "POST", pattern: "/rooms/{room_id}/documents/{document_id}/approve", action: authz.ReviewDocument, ok: 200, mutates: true,
			audit: "document_approved", path: documentPath("/approve")},
		{method: "POST", pattern: "/rooms/{room_id}/documents/{document_id}/reject", action: authz.ReviewDocument, ok: 200, mutates: true,
			audit: "document_rejected", path: documentPath("/reject"), body: func(roomFixture) any { return map[string]string{"reason": "Q88 out of date"} }},
		{method: "POST", pattern: "/rooms/{room_id}/documents/{document_id}/waive", action: authz.ManageRequirements, ok: 200, mutates: true,
			audit: "requirement_waived", path: documentPath("/waive"), body: func(roomFixture) any { return map[string]string{"reason": "not applicable"} }},
		{method: "POST", pattern: "/rooms/{room_id}/snapshots", action: authz.CreateSnapshot, ok: 202, mutates: true, audit: "snapshot_created",
			path: roomPath("/snapshots"), body: func(roomFixture) any { return map[string]any{"snapshot_type": "pdf"} }},
		{method: "GET", pattern: "/rooms/{room_id}/snapshots", action: authz.ViewRoom, ok: 200, path: roomPath("/snapshots")},
		{method: "GET", pattern: "/rooms/{room_id}/snapshots/{snapshot_id}", action: authz.ViewRoom, ok: 200, path: snapshotPath("")},
		{method: "GET", pattern: "/rooms/{room_id}/snapshots/{snapshot_id}/download", action: authz.ViewRoom, ok: 200, audit: "snapshot_downloaded",
			path: snapshotPath("/download")},
		{method: "DELETE", pattern: "/rooms/{room_id}/snapshots/{snapshot_id}", action: authz.DeleteSnapshot, ok: 204, mutates: true,
			audit: "snapshot_deleted", path: snapshotPath("")},
		{method: "POST", pattern: "/rooms/{room_id}/requirements", action: authz.ManageRequirements, ok: 201, mutates: true, audit: "requirement_added",
			path: roomPath("/requirements"), body: func(roomFixture) any { return map[string]string{"type": "PRICE_CAP"} }},
		{method: "GET", pattern: "/checklist-templates", kind: authenticated, ok: 200, path: fixed("/api/v1/checklist-templates")},
		{method: "GET", pattern: "/me/notifications", kind: authenticated, ok: 200, path: fixed("/api/v1/me/notifications")},
		{method: "POST", pattern: "/me/notifications/read", kind: authenticated, ok: 200, path: fixed("/api/v1/me/notifications/read")},
		// No caller has a notification of this ID: everyone's own rows only (notifications_test.go
		// tries another user's).
		{method: "POST", pattern: "/me/notifications/{notification_id}/read", kind: authenticated, ok: 404,
			path: fixed("/api/v1/me/notifications/0190a0a0-0000-7000-8000-000000000000/read")},
		{method: "GET", pattern: "/me/notification-preferences", kind: authenticated, ok: 200, path: fixed("/api/v1/me/notification-preferences")},
		{method: "PUT", pattern: "/me/notification-preferences", kind: authenticated, ok: 200, mutates: true,
			path: fixed("/api/v1/me/notification-preferences"), body: func(roomFixture) any {
				return map[string]any{"items": []map[string]string{{"kind": "room_cleared", "delivery": "digest"}}}
			}},
		{method: "POST", pattern: "/checklist-templates", kind: adminOnly, ok: 201, mutates: true, path: fixed("/api/v1/checklist-templates"),
			body: func(roomFixture) any {
				return map[string]any{"phase": 1, "text": "Gangway arrangement agreed " + newSuffix()}
			}},
		{method: "PATCH", pattern: "/checklist-templates/{template_id}", kind: adminOnly, ok: 200, mutates: true,
			path: func(f roomFixture) string { return "/api/v1/checklist-templates/" + f.template },
			body: func(roomFixture) any { return map[string]any{"text": "Q88 exchanged " + newSuffix()} }},
		{method: "GET", pattern: "/rooms/{room_id}/checklists", action: authz.ViewRoom, ok: 200, path: roomPath("/checklists")},
		{method: "POST", pattern: "/rooms/{room_id}/checklists/{checklist_id}/items/{item_id}", action: authz.CheckChecklistItem, ok: 200, mutates: true,
			audit: "checklist_item_answered", vessel: boundVessel, path: func(f roomFixture) string {
				return "/api/v1/rooms/" + f.room + "/checklists/" + f.checklist + "/items/" + f.item
			},
			body: func(roomFixture) any {
				return map[string]any{"answer": "not_applicable", "remark": "matrix " + newSuffix()}
			}},
		{method: "POST", pattern: "/rooms/{room_id}/checklists/{checklist_id}/sign", action: authz.SignChecklist, ok: 200, mutates: true,
			audit: "checklist_signed", vessel: boundVessel, path: func(f roomFixture) string { return "/api/v1/rooms/" + f.room + "/checklists/" + f.signable + "/sign" }},
		{method: "GET", pattern: "/rooms/{room_id}/milestones", action: authz.ViewRoom, ok: 200, path: roomPath("/milestones")},
		// The fixture's room is not in operation: a caller the rules let through meets the
		// lifecycle's 409.
		{method: "POST", pattern: "/rooms/{room_id}/milestones", action: authz.RecordMilestone, ok: 409, path: roomPath("/milestones"),
			body: func(roomFixture) any { return map[string]string{"milestone": "mooring_started"} }},
		{method: "GET", pattern: "/rooms/{room_id}/notices", action: authz.ViewRoom, ok: 200, path: roomPath("/notices")},
		{method: "POST", pattern: "/rooms/{room_id}/notices", action: authz.RecordNotice, ok: 201, mutates: true, audit: "coastal_notice_recorded",
			vessel: boundVessel,
			path:   roomPath("/notices"), body: func(f roomFixture) any {
				return map[string]any{"vessel_id": f.vessel, "notified_at": "2026-03-11T08:00:00Z", "reference": "MT-VLT-2026-031"}
			}},
	}
}

// suffixes numbers the fixtures' e-mail addresses; the engines' matrices run in parallel.
var suffixes atomic.Int64

func newSuffix() string { return fmt.Sprint(suffixes.Add(1)) }

// expected is the status the matrix implies for caller on r.
func (r route) expected(caller string) int {
	switch r.kind {
	case public:
		return r.ok
	case authenticated:
		if caller == anonymous {
			return 401
		}
		return r.ok
	case adminOnly:
		switch caller {
		case anonymous:
			return 401
		case admin:
			return r.ok
		}
		return 403
	case adminAccess:
		switch caller {
		case anonymous:
			return 401
		case admin:
			return r.ok
		}
		return 404
	}
	switch caller {
	case anonymous:
		return 401
	case outsider, removed, admin:
		return 404
	}
	role := authz.Role(caller)
	if !authz.Can(role, r.action) {
		return 403
	}
	return r.beyondTheTable(role)
}

// beyondTheTable applies, to a role the table lets act, the rules of issue 17 in the order
// the service applies them: binding, supply, grant ceiling.
func (r route) beyondTheTable(role authz.Role) int {
	if r.vessel != noVessel && authz.MayActForVessel(role, r.action, r.vessel == boundVessel && role == authz.Owner) != nil {
		return 403
	}
	if r.docType != "" {
		if _, err := clearance.MaySupply(seedType(r.docType), role); err != nil {
			return 403
		}
	}
	if r.askOn != "" && clearance.MayAsk(seedType(r.askOn), role, role == authz.Owner) != nil {
		return 403
	}
	if r.resolves && !authz.Can(role, authz.ReviewDocument) {
		return 403
	}
	if r.party != "" && authz.MayGrant(role, r.party) != nil {
		return 403
	}
	if r.grant != "" && authz.MayGrant(role, r.grant) != nil {
		return 403
	}
	return r.ok
}

// seedType is the seed catalogue's type code, which the tests' installations have unchanged.
func seedType(code string) clearance.DocumentType {
	for _, t := range clearance.DefaultCatalogue() {
		if t.Code == code {
			return t
		}
	}
	panic("no seed type " + code)
}

type matrixEnv struct {
	*apptest.Env
	tokens map[string]string
}

func newMatrixEnv(t *testing.T, env *apptest.Env) *matrixEnv {
	m := &matrixEnv{Env: env, tokens: map[string]string{}}
	for _, c := range callers() {
		switch c {
		case anonymous:
			continue
		case admin:
		default:
			env.CreateUser(emailOf(c))
		}
		m.tokens[c] = env.Login(emailOf(c))
	}
	return m
}

// fixtureParts are the optional parts of a fixture, each costly: a route that changes the
// room needs a fresh one, but only with the parts it acts on.
type fixtureParts struct {
	signable  bool // checklist 5 with every item answered
	snapshot  bool // a JSON snapshot
	otherRoom bool // the second room, which the callers have nothing to do with
}

// newRoom builds a whole fixture through the API, as a broker would.
func (m *matrixEnv) newRoom(t *testing.T) roomFixture {
	t.Helper()
	return m.buildRoom(t, fixtureParts{signable: true, snapshot: true, otherRoom: true})
}

// freshFixture is what a successful call of r gets to change: a room with the parts r acts
// on, or, for a platform route, the shared fixture with fresh platform records (the
// invitation and the account it may change).
func (m *matrixEnv) freshFixture(t *testing.T, r route, shared roomFixture) roomFixture {
	t.Helper()
	if r.kind != inRoom && r.kind != adminAccess {
		f := shared
		f.platformInv, f.user = m.platformRecords(t)
		return f
	}
	return m.buildRoom(t, fixtureParts{signable: strings.HasSuffix(r.pattern, "/sign"), snapshot: strings.Contains(r.pattern, "{snapshot_id}")})
}

// platformRecords makes an invitation to the platform and an account an admin may change.
func (m *matrixEnv) platformRecords(t *testing.T) (invitation, user string) {
	t.Helper()
	admin := m.tokens[admin]
	inv := m.Do("POST", "/api/v1/invitations", admin, map[string]string{"email": "platform-" + newSuffix() + "@matrix.test"})
	u := m.Do("POST", "/api/v1/users", admin, map[string]string{"email": "changed-" + newSuffix() + "@matrix.test", "name": "Changed", "password": apptest.Password})
	if inv.Status != 201 || u.Status != 201 {
		t.Fatalf("fixture: invitation %d %s, user %d %s", inv.Status, inv.Body, u.Status, u.Body)
	}
	return inv.Map()["id"].(string), u.Map()["id"].(string)
}

// buildRoom builds a fixture through the API, as a broker would, with the parts asked for.
func (m *matrixEnv) buildRoom(t *testing.T, parts fixtureParts) roomFixture {
	t.Helper()
	broker := m.tokens["broker"]
	must := func(res *apptest.Response, status int) map[string]any {
		t.Helper()
		if res.Status != status {
			t.Fatalf("fixture: %d %s", res.Status, res.Body)
		}
		if len(res.Body) == 0 {
			return nil
		}
		return res.Map()
	}
	room := func(title string) string {
		return must(m.Do("POST", "/api/v1/rooms", broker, map[string]string{"title": title, "location": "Hurd's Bank, Malta", "sts_eta": "2026-03-14T08:00:00Z"}), 201)["id"].(string)
	}
	f := roomFixture{room: room("Malta STS"), party: map[string]string{}}
	for _, c := range callers()[1:len(authz.Roles())] {
		f.party[c] = must(m.Do("POST", "/api/v1/rooms/"+f.room+"/parties", broker, map[string]string{"email": emailOf(c), "role": c}), 201)["id"].(string)
	}
	invited := must(m.Do("POST", "/api/v1/rooms/"+f.room+"/parties", broker, map[string]string{"email": "invitee-" + newSuffix() + "@matrix.test", "role": "viewer"}), 201)
	f.invitation = invited["invitation"].(map[string]any)["id"].(string)
	f.platformInv, f.user = m.platformRecords(t)
	gone := must(m.Do("POST", "/api/v1/rooms/"+f.room+"/parties", broker, map[string]string{"email": emailOf(removed), "role": "buyer"}), 201)["id"].(string)
	must(m.Do("DELETE", "/api/v1/rooms/"+f.room+"/parties/"+gone, broker, nil), 204)
	f.vessel = must(m.Do("POST", "/api/v1/rooms/"+f.room+"/vessels", broker, map[string]any{"name": "MT AEGEAN SERENITY", "imo": "9372145", "role": "discharging",
		"party_ids": []string{f.party["owner"]}}), 201)["id"].(string)
	f.spareVessel = must(m.Do("POST", "/api/v1/rooms/"+f.room+"/vessels", broker, map[string]any{"name": "MT LEVANT PIONEER", "imo": "9455832", "role": "receiving"}), 201)["id"].(string)
	// The owner acts for the vessel and supplies its Q88; the broker may not upload it for it.
	f.document = must(m.Upload(f.room, m.tokens["owner"], []string{"type", "Q88", "vessel_id", f.vessel}, "q88.pdf", apptest.PDF("Q88 AEGEAN SERENITY")), 201)["id"].(string)
	f.question = must(m.Do("POST", "/api/v1/rooms/"+f.room+"/documents/"+f.document+"/questions", broker,
		map[string]string{"text": "Which manifold height is current?"}), 201)["id"].(string)
	var lists struct {
		Items []struct {
			ID       string `json:"id"`
			VesselID string `json:"vessel_id"`
			Phase    int    `json:"phase"`
			Items    []struct {
				ID string `json:"id"`
			} `json:"items"`
		} `json:"items"`
	}
	m.Do("GET", "/api/v1/rooms/"+f.room+"/checklists", broker, nil).JSON(&lists)
	for _, c := range lists.Items {
		switch {
		case c.VesselID != f.vessel:
		case c.Phase == 1:
			f.checklist, f.item = c.ID, c.Items[0].ID
		case c.Phase == 5:
			f.signable = c.ID
			if !parts.signable {
				continue
			}
			for _, it := range c.Items {
				must(m.Do("POST", "/api/v1/rooms/"+f.room+"/checklists/"+c.ID+"/items/"+it.ID, m.tokens["owner"], map[string]any{"answer": "yes"}), 200)
			}
		}
	}
	var templates struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	m.Do("GET", "/api/v1/checklist-templates", broker, nil).JSON(&templates)
	f.template = templates.Items[0].ID

	if parts.snapshot {
		f.snapshot = must(m.Do("POST", "/api/v1/rooms/"+f.room+"/snapshots", broker, map[string]any{"snapshot_type": "json"}), 202)["id"].(string)
	}
	if !parts.otherRoom {
		return f
	}
	f.otherRoom = room("Another operation")
	f.otherVessel = must(m.Do("POST", "/api/v1/rooms/"+f.otherRoom+"/vessels", broker, map[string]any{"name": "MT OTHER", "imo": "9074729", "role": "receiving"}), 201)["id"].(string)
	f.otherParty = must(m.Do("POST", "/api/v1/rooms/"+f.otherRoom+"/parties", broker, map[string]string{"email": "someone@matrix.test", "role": "viewer"}), 201)["id"].(string)
	// A type the broker may upload on its supplier's behalf: the callers have no owner there.
	f.otherDoc = must(m.Upload(f.otherRoom, broker, []string{"type", "POAC"}, "poac.pdf", apptest.PDF("Other POAC")), 201)["id"].(string)
	f.otherSnap = must(m.Do("POST", "/api/v1/rooms/"+f.otherRoom+"/snapshots", broker, map[string]any{"snapshot_type": "csv"}), 202)["id"].(string)
	return f
}

// upload is a route body sent as multipart/form-data.
type upload struct {
	fields   []string
	filename string
	content  []byte
}

func (m *matrixEnv) call(t *testing.T, r route, f roomFixture, caller string) *apptest.Response {
	t.Helper()
	token := m.tokens[caller]
	if r.pattern == "/auth/logout" && caller != anonymous {
		token = m.Login(emailOf(caller)) // a token of its own, so the others stay alive
	}
	var body any
	if r.body != nil {
		body = r.body(f)
	}
	if r.pattern == "/auth/login" {
		body = map[string]string{"email": apptest.AdminEmail, "password": apptest.Password}
	}
	if up, ok := body.(upload); ok {
		data, ct := apptest.Multipart(up.fields, up.filename, up.content)
		return m.DoWith(r.method, r.path(f), token, data, ct)
	}
	return m.Do(r.method, r.path(f), token, body)
}

// TestEveryRouteForEveryCaller walks every route of the API × every room role, a non-party,
// a removed party, a platform admin and an anonymous caller, and checks the status the
// permission matrix implies. A route missing from the table fails the test.
func TestEveryRouteForEveryCaller(t *testing.T) {
	t.Parallel()
	apptest.ForEachEngineParallel(t, func(t *testing.T, env *apptest.Env) {
		m := newMatrixEnv(t, env)
		shared := m.newRoom(t)
		waitSnapshot(t, env, m.tokens["broker"], shared.room, shared.snapshot)
		ctx := context.Background()
		trailBefore, err := env.App.DB().Read().ListAudit(ctx, shared.room, store.AuditFilter{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range routes() {
			for _, caller := range callers() {
				want := r.expected(caller)
				f := shared
				succeeds := want == r.ok
				if r.mutates && succeeds {
					f = m.freshFixture(t, r, shared)
				}
				res := m.call(t, r, f, caller)
				if res.Status != want {
					t.Errorf("%s %s as %s: %d, want %d: %s", r.method, r.pattern, caller, res.Status, want, res.Body)
					continue
				}
				if !succeeds && res.Header.Get("Content-Type") != "application/problem+json" {
					t.Errorf("%s %s as %s: refusal is not problem+json", r.method, r.pattern, caller)
				}
				if succeeds && r.audit != "" {
					assertAudited(t, env, f.room, res.Header.Get("X-Request-Id"), r.audit, emailOf(caller))
				}
			}
		}
		trailAfter, err := env.App.DB().Read().ListAudit(ctx, shared.room, store.AuditFilter{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		// Downloads and trail exports are recorded, on the shared room too: they change nothing else.
		trailAfter = slices.DeleteFunc(trailAfter, func(e audit.Entry) bool {
			return e.Action == audit.ActionDocumentDownloaded || e.Action == audit.ActionDocumentPreviewed || e.Action == audit.ActionSnapshotDownloaded ||
				e.Action == audit.ActionActivityExported
		})
		if len(trailAfter) != len(trailBefore) {
			t.Errorf("refused calls changed the shared room: trail grew from %d to %d entries", len(trailBefore), len(trailAfter))
		}
		assertEveryOperationCovered(t, env)
	})
}

// assertAudited checks that the request recorded action by email in the room's trail.
func assertAudited(t *testing.T, env *apptest.Env, roomID, requestID, action, email string) {
	t.Helper()
	entries, err := env.App.DB().Read().ListAudit(context.Background(), roomID, store.AuditFilter{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.RequestID == requestID && e.Action == action && e.ActorEmail == email {
			return
		}
	}
	t.Errorf("request %s recorded no %s by %s", requestID, action, email)
}

// assertEveryOperationCovered fails when the published API has an operation the table lacks.
func assertEveryOperationCovered(t *testing.T, env *apptest.Env) {
	var doc struct {
		Paths map[string]map[string]any `json:"paths"`
	}
	env.Do("GET", "/api/v1/openapi.json", "", nil).JSON(&doc)
	covered := map[string]bool{}
	for _, r := range routes() {
		covered[r.method+" "+r.pattern] = true
	}
	var missing []string
	for path, ops := range doc.Paths {
		if _, ok := ops["servers"]; ok {
			continue // outside /api/v1: the probes and metrics, which take no credentials
		}
		for method := range ops {
			key := strings.ToUpper(method) + " " + path
			if !covered[key] {
				missing = append(missing, key)
			}
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("routes without a row in the matrix test: %v", missing)
	}
}

// TestCrossRoomIDs: a party of room A naming room B's vessels or parties under room A's
// path gets 404, and room B itself is 404 to it.
func TestCrossRoomIDs(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		m := newMatrixEnv(t, env)
		f := m.newRoom(t)
		charterer := m.tokens["charterer"]
		cases := []struct{ method, path string }{
			{"GET", "/api/v1/rooms/" + f.room + "/vessels/" + f.otherVessel},
			{"PATCH", "/api/v1/rooms/" + f.room + "/vessels/" + f.otherVessel},
			{"DELETE", "/api/v1/rooms/" + f.room + "/vessels/" + f.otherVessel},
			{"PATCH", "/api/v1/rooms/" + f.room + "/parties/" + f.otherParty},
			{"DELETE", "/api/v1/rooms/" + f.room + "/parties/" + f.otherParty},
			{"GET", "/api/v1/rooms/" + f.room + "/documents/" + f.otherDoc},
			{"GET", "/api/v1/rooms/" + f.room + "/documents/" + f.otherDoc + "/download"},
			{"POST", "/api/v1/rooms/" + f.room + "/documents/" + f.otherDoc + "/approve"},
			{"POST", "/api/v1/rooms/" + f.room + "/documents/" + f.otherDoc + "/waive"},
			{"GET", "/api/v1/rooms/" + f.room + "/snapshots/" + f.otherSnap},
			{"GET", "/api/v1/rooms/" + f.room + "/snapshots/" + f.otherSnap + "/download"},
			{"DELETE", "/api/v1/rooms/" + f.room + "/snapshots/" + f.otherSnap},
			{"GET", "/api/v1/rooms/" + f.otherRoom},
			{"GET", "/api/v1/rooms/" + f.otherRoom + "/vessels"},
			{"GET", "/api/v1/rooms/" + f.otherRoom + "/activities"},
		}
		for _, c := range cases {
			var body any
			switch {
			case c.method == "PATCH" && strings.Contains(c.path, "/vessels/"):
				body = map[string]string{"flag": "Panama"}
			case c.method == "PATCH":
				body = map[string]string{"role": "buyer"}
			case strings.HasSuffix(c.path, "/waive"):
				body = map[string]string{"reason": "not needed"}
			}
			// Room A's IDs mixed with room B's: asked by the broker, who is a party of both
			// and may do everything, so only the room filter can refuse. Room B itself: asked
			// by the charterer, who is a party of room A only.
			token := charterer
			if strings.HasPrefix(c.path, "/api/v1/rooms/"+f.room+"/") {
				token = m.tokens["broker"]
			}
			if res := m.Do(c.method, c.path, token, body); res.Status != http.StatusNotFound {
				t.Errorf("%s %s: %d, want 404: %s", c.method, c.path, res.Status, res.Body)
			}
		}
		// Nothing of the other room changed.
		res := m.Do("GET", "/api/v1/rooms/"+f.otherRoom+"/vessels/"+f.otherVessel, m.tokens["broker"], nil)
		if res.Status != 200 || res.Map()["flag"] != "" {
			t.Errorf("other room's vessel: %d %s", res.Status, res.Body)
		}
		// An unknown room and a syntactically odd ID are the same 404.
		for _, id := range []string{"00000000-0000-0000-0000-000000000000", "x'; DROP TABLE rooms; --"} {
			if res := m.Do("GET", "/api/v1/rooms/"+strings.ReplaceAll(id, " ", "%20"), charterer, nil); res.Status != http.StatusNotFound {
				t.Errorf("room %q: %d", id, res.Status)
			}
		}
	})
}
