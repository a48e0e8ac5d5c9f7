package audit

import "slices"

// Action names stored in Entry.Action. They are part of the stored trail: never rename
// or reuse one, only add new ones (and list them in Actions).
const (
	// Rooms.
	ActionRoomCreated       = "room_created"        // Room created.
	ActionRoomUpdated       = "room_updated"        // Room details changed.
	ActionRoomDeleted       = "room_deleted"        // Room deleted.
	ActionRoomStatusChanged = "room_status_changed" // Room moved to another status.
	ActionRoomArchived      = "room_archived"       // Room archived (read-only, kept for the record).
	ActionRoomUnarchived    = "room_unarchived"     // Room taken out of the archive.

	// Parties.
	ActionPartyAdded   = "party_added"   // Party added to a room.
	ActionPartyUpdated = "party_updated" // Party details changed.
	ActionPartyRemoved = "party_removed" // Party removed from a room.

	// Vessels.
	ActionVesselAdded   = "vessel_added"   // Vessel added to a room.
	ActionVesselUpdated = "vessel_updated" // Vessel details changed.
	ActionVesselRemoved = "vessel_removed" // Vessel removed from a room.

	// Documents.
	ActionDocumentUploaded = "document_uploaded" // Document uploaded to a room.
	ActionDocumentApproved = "document_approved" // Document approved.
	ActionDocumentRejected = "document_rejected" // Document rejected.
	ActionDocumentExpired  = "document_expired"  // Document passed its expiry date.
	// A version of a document downloaded.
	ActionDocumentDownloaded = "document_downloaded"
	// A version of a document shown in the browser (its preview): once per person, version
	// and hour, however often the page is opened in it.
	ActionDocumentPreviewed = "document_previewed"

	// Requirements.
	ActionRequirementAdded  = "requirement_added"  // Document requirement added to a room.
	ActionRequirementWaived = "requirement_waived" // Document requirement waived.

	// Approvals.
	ActionApprovalRecorded  = "approval_recorded"  // Party's approval recorded.
	ActionApprovalWithdrawn = "approval_withdrawn" // Party's approval withdrawn.

	// Checklists.
	// Checklist item checked (before items had answers: migration 00016 reads these as "yes").
	ActionChecklistItemChecked  = "checklist_item_checked"
	ActionChecklistItemAnswered = "checklist_item_answered"  // Checklist item answered yes, no or not applicable.
	ActionChecklistSigned       = "checklist_signed"         // Checklist signed for one side.
	ActionChecklistUnchecked    = "checklist_item_unchecked" // Checklist item's answer cleared.

	// Operational milestones.
	ActionMilestoneRecorded = "milestone_recorded" // Operational milestone recorded (mooring, transfer, unmooring).

	// Coastal-state notices.
	ActionNoticeRecorded = "coastal_notice_recorded" // Coastal-state notice or permission recorded.

	// Snapshots.
	ActionSnapshotCreated   = "snapshot_created"   // Room snapshot created.
	ActionSnapshotCompleted = "snapshot_completed" // Room snapshot completed.
	ActionSnapshotFailed    = "snapshot_failed"    // Room snapshot failed.
	ActionSnapshotDeleted   = "snapshot_deleted"   // Room snapshot deleted.
	// A snapshot's file downloaded.
	ActionSnapshotDownloaded = "snapshot_downloaded"
	// The room's audit trail exported (CSV).
	ActionActivityExported = "activity_exported"

	// Platform administration.
	ActionAdminRoomAccess = "admin_room_access" // Platform admin accessed a room.

	// Users and sessions.
	ActionUserCreated    = "user_created"    // User account created.
	ActionUserUpdated    = "user_updated"    // User account changed.
	ActionPasswordReset  = "password_reset"  // User's password reset.
	ActionLoginSucceeded = "login_succeeded" // Successful login.
	ActionLoginFailed    = "login_failed"    // Failed login attempt.
	ActionLogout         = "logout"          // User logged out.
	// Accounts people manage (issue 22).
	ActionPasswordChanged        = "password_changed"         // User changed their own password.
	ActionPasswordResetRequested = "password_reset_requested" // Password reset link asked for (by e-mail or by an admin).
	ActionUserDisabled           = "user_disabled"            // Admin disabled an account: its sessions end.
	ActionUserEnabled            = "user_enabled"             // Admin enabled a disabled account.
	// NotificationPreferencesUpdated: a user changed what they are e-mailed (with the changes).
	ActionNotificationPreferencesUpdated = "notification_preferences_updated"

	// Invitations (a room's trail for a room invitation, the platform's for the platform's).
	ActionInvitationSent     = "invitation_sent"     // Invitation link sent to an e-mail without an account.
	ActionInvitationResent   = "invitation_resent"   // Invitation sent again with a new link; the old one stops working.
	ActionInvitationRevoked  = "invitation_revoked"  // Invitation withdrawn; its link stops working.
	ActionInvitationAccepted = "invitation_accepted" // Invitation accepted: the account was made.

	// Catalogue.
	ActionCatalogueChanged = "catalogue_changed" // Platform catalogue changed.
	// ActionCoastalAreaChanged: the coastal-state table changed.
	ActionCoastalAreaChanged = "coastal_area_changed"

	// Screenings and holds.
	// ActionScreeningNeedsRerun: a party change left a screening needing a re-run.
	ActionScreeningNeedsRerun = "screening_needs_rerun"
	// ActionHoldPlaced: a screening match took over the hold of a room already on hold.
	ActionHoldPlaced = "room_hold_placed"

	// Questions on documents (RFIs). Their entries name the document (target "document")
	// and carry the question's ID and the message's text in their meta.
	ActionQuestionOpened   = "question_opened"   // A question opened on a document, addressed to its supplier.
	ActionQuestionReplied  = "question_replied"  // A reply added to a question's thread.
	ActionQuestionResolved = "question_resolved" // A question resolved by its asker or a reviewer.
	ActionQuestionReopened = "question_reopened" // A resolved question reopened.
)

// Actions returns every Action constant, in declaration order, as a fresh slice.
func Actions() []string {
	return []string{
		ActionRoomCreated,
		ActionRoomUpdated,
		ActionRoomDeleted,
		ActionRoomStatusChanged,
		ActionRoomArchived,
		ActionRoomUnarchived,
		ActionPartyAdded,
		ActionPartyUpdated,
		ActionPartyRemoved,
		ActionVesselAdded,
		ActionVesselUpdated,
		ActionVesselRemoved,
		ActionDocumentUploaded,
		ActionDocumentApproved,
		ActionDocumentRejected,
		ActionDocumentExpired,
		ActionDocumentDownloaded,
		ActionDocumentPreviewed,
		ActionRequirementAdded,
		ActionRequirementWaived,
		ActionApprovalRecorded,
		ActionApprovalWithdrawn,
		ActionChecklistItemChecked,
		ActionChecklistItemAnswered,
		ActionChecklistSigned,
		ActionChecklistUnchecked,
		ActionMilestoneRecorded,
		ActionNoticeRecorded,
		ActionSnapshotCreated,
		ActionSnapshotCompleted,
		ActionSnapshotFailed,
		ActionSnapshotDeleted,
		ActionSnapshotDownloaded,
		ActionActivityExported,
		ActionAdminRoomAccess,
		ActionUserCreated,
		ActionUserUpdated,
		ActionPasswordReset,
		ActionLoginSucceeded,
		ActionLoginFailed,
		ActionLogout,
		ActionPasswordChanged,
		ActionPasswordResetRequested,
		ActionUserDisabled,
		ActionUserEnabled,
		ActionNotificationPreferencesUpdated,
		ActionInvitationSent,
		ActionInvitationResent,
		ActionInvitationRevoked,
		ActionInvitationAccepted,
		ActionCatalogueChanged,
		ActionCoastalAreaChanged,
		ActionScreeningNeedsRerun,
		ActionHoldPlaced,
		ActionQuestionOpened,
		ActionQuestionReplied,
		ActionQuestionResolved,
		ActionQuestionReopened,
	}
}

// IsAction reports whether a is one of the Action constants.
func IsAction(a string) bool {
	return slices.Contains(Actions(), a)
}
