package audit

import (
	"regexp"
	"testing"
)

func TestActionValues(t *testing.T) {
	// The stored names are a contract: this table must only ever grow.
	tests := []struct{ got, want string }{
		{ActionRoomCreated, "room_created"},
		{ActionRoomUpdated, "room_updated"},
		{ActionRoomDeleted, "room_deleted"},
		{ActionRoomStatusChanged, "room_status_changed"},
		{ActionPartyAdded, "party_added"},
		{ActionPartyUpdated, "party_updated"},
		{ActionPartyRemoved, "party_removed"},
		{ActionVesselAdded, "vessel_added"},
		{ActionVesselUpdated, "vessel_updated"},
		{ActionVesselRemoved, "vessel_removed"},
		{ActionDocumentUploaded, "document_uploaded"},
		{ActionDocumentApproved, "document_approved"},
		{ActionDocumentRejected, "document_rejected"},
		{ActionDocumentExpired, "document_expired"},
		{ActionRequirementAdded, "requirement_added"},
		{ActionRequirementWaived, "requirement_waived"},
		{ActionApprovalRecorded, "approval_recorded"},
		{ActionApprovalWithdrawn, "approval_withdrawn"},
		{ActionChecklistItemChecked, "checklist_item_checked"},
		{ActionChecklistSigned, "checklist_signed"},
		{ActionChecklistUnchecked, "checklist_item_unchecked"},
		{ActionChecklistItemAnswered, "checklist_item_answered"},
		{ActionMilestoneRecorded, "milestone_recorded"},
		{ActionNoticeRecorded, "coastal_notice_recorded"},
		{ActionSnapshotCreated, "snapshot_created"},
		{ActionSnapshotCompleted, "snapshot_completed"},
		{ActionSnapshotFailed, "snapshot_failed"},
		{ActionSnapshotDeleted, "snapshot_deleted"},
		{ActionAdminRoomAccess, "admin_room_access"},
		{ActionUserCreated, "user_created"},
		{ActionUserUpdated, "user_updated"},
		{ActionPasswordReset, "password_reset"},
		{ActionLoginSucceeded, "login_succeeded"},
		{ActionLoginFailed, "login_failed"},
		{ActionLogout, "logout"},
		{ActionCatalogueChanged, "catalogue_changed"},
		{ActionCoastalAreaChanged, "coastal_area_changed"},
		{ActionScreeningNeedsRerun, "screening_needs_rerun"},
		{ActionHoldPlaced, "room_hold_placed"},
		{ActionRoomArchived, "room_archived"},
		{ActionRoomUnarchived, "room_unarchived"},
		{ActionDocumentDownloaded, "document_downloaded"},
		{ActionDocumentPreviewed, "document_previewed"},
		{ActionSnapshotDownloaded, "snapshot_downloaded"},
		{ActionActivityExported, "activity_exported"},
		{ActionPasswordChanged, "password_changed"},
		{ActionPasswordResetRequested, "password_reset_requested"},
		{ActionUserDisabled, "user_disabled"},
		{ActionUserEnabled, "user_enabled"},
		{ActionNotificationPreferencesUpdated, "notification_preferences_updated"},
		{ActionInvitationSent, "invitation_sent"},
		{ActionInvitationResent, "invitation_resent"},
		{ActionInvitationRevoked, "invitation_revoked"},
		{ActionInvitationAccepted, "invitation_accepted"},
		{ActionQuestionOpened, "question_opened"},
		{ActionQuestionReplied, "question_replied"},
		{ActionQuestionResolved, "question_resolved"},
		{ActionQuestionReopened, "question_reopened"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("action constant = %q, want %q", tt.got, tt.want)
		}
		if !IsAction(tt.want) {
			t.Errorf("IsAction(%q) = false", tt.want)
		}
	}
	if got := len(Actions()); got != len(tests) {
		t.Errorf("Actions() has %d names, the table %d", got, len(tests))
	}
}

func TestActionsUniqueAndSnakeCase(t *testing.T) {
	snake := regexp.MustCompile(`^[a-z]+(_[a-z]+)*$`)
	seen := map[string]bool{}
	for _, a := range Actions() {
		if !snake.MatchString(a) {
			t.Errorf("action %q is not snake_case", a)
		}
		if seen[a] {
			t.Errorf("action %q listed twice", a)
		}
		seen[a] = true
	}
}

func TestActionsIsACopy(t *testing.T) {
	Actions()[0] = "mutated"
	if Actions()[0] != ActionRoomCreated {
		t.Fatal("Actions() shares its backing array")
	}
	if IsAction("mutated") || IsAction("") {
		t.Fatal("IsAction accepts an unknown name")
	}
}
