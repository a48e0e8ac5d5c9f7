package audit

import (
	"encoding/json"
	"regexp"
	"testing"
)

// TestDescribe puts entries in words from the details the service records: people by name
// and e-mail, vessels by name, never an ID.
func TestDescribe(t *testing.T) {
	const vessel = "0195a1c4-5d20-7a61-b3f0-2c7e9d41a801"
	n := Names{Vessels: map[string]string{vessel: "MT LEVANT PIONEER"}, People: map[string]string{"jane@mediterra.test": "Jane Doe"},
		Role: func(r string) string { return map[string]string{"sts_provider": "STS provider"}[r] }}
	for _, c := range []struct {
		action string
		meta   map[string]any
		actor  string
		want   string
	}{
		{ActionDocumentApproved, map[string]any{"type": "Q88", "vessel_id": vessel, "version": 2}, "jane@mediterra.test",
			"Jane Doe <jane@mediterra.test> approved Q88 v2 of MT LEVANT PIONEER"},
		{ActionDocumentRejected, map[string]any{"type": "SIRE", "vessel_id": vessel, "version": 1, "reason": "too old"}, "jane@mediterra.test",
			"Jane Doe <jane@mediterra.test> rejected SIRE v1 of MT LEVANT PIONEER: “too old”"},
		{ActionApprovalRecorded, map[string]any{"status": "approved", "role": "charterer", "notes": ""}, "jane@mediterra.test",
			"Jane Doe <jane@mediterra.test> signed off as charterer"},
		{ActionApprovalRecorded, map[string]any{"status": "rejected", "role": "sts_provider", "notes": "fenders"}, "ops@hurd.test",
			"ops@hurd.test refused to sign off as STS provider: “fenders”"},
		{ActionApprovalWithdrawn, map[string]any{"status": "withdrawn", "role": "charterer"}, "jane@mediterra.test",
			"Jane Doe <jane@mediterra.test> withdrew the sign-off as charterer"},
		{ActionNotificationPreferencesUpdated, map[string]any{"changes": map[string]any{
			"room_cleared": map[string]any{"from": "immediate", "to": "off"}, "review_requested": map[string]any{"from": "immediate", "to": "digest"}}},
			"jane@mediterra.test", "Jane Doe <jane@mediterra.test> changed their e-mail notification settings (review requested: digest, room cleared: off)"},
		{ActionNotificationPreferencesUpdated, map[string]any{"changes": map[string]any{"room_cleared": "not a change"}}, "jane@mediterra.test",
			"Jane Doe <jane@mediterra.test> changed their e-mail notification settings (room cleared: default)"},
		{ActionPartyAdded, map[string]any{"email": "JANE@mediterra.test", "role": "charterer"}, "broker@valletta.test",
			"broker@valletta.test added Jane Doe <JANE@mediterra.test> as charterer"},
		// A vessel the names do not know (removed since) is left out, not shown by ID.
		{ActionDocumentUploaded, map[string]any{"type": "HOSE", "vessel_id": "0195a1c4-0000-7000-8000-000000000000", "version": 1, "filename": "h.pdf"},
			"ops@hurd.test", "ops@hurd.test uploaded HOSE v1 (h.pdf)"},
		{ActionDocumentExpired, map[string]any{"type": "CLASS", "vessel_id": vessel, "valid_until": "2026-03-15T00:00:00Z"}, "",
			"The system marked CLASS of MT LEVANT PIONEER expired (valid until 2026-03-15 00:00 UTC)"},
		{ActionRoomStatusChanged, map[string]any{"from": "clearing", "to": "cleared", "automatic": true}, "",
			"The system moved the room from clearing to cleared (automatic)"},
		{ActionChecklistItemAnswered, map[string]any{"vessel_name": "MT LEVANT PIONEER", "phase": 2, "position": 3, "text": "Fenders rigged", "answer": "not_applicable"},
			"jane@mediterra.test", "Jane Doe <jane@mediterra.test> answered “not applicable” to item 3 (Fenders rigged) of checklist 2 of MT LEVANT PIONEER"},
		{ActionRequirementWaived, map[string]any{"type": "PRICE_CAP", "vessel_id": "", "reason": "not applicable"}, "jane@mediterra.test",
			"Jane Doe <jane@mediterra.test> waived PRICE_CAP: “not applicable”"},
		{ActionVesselUpdated, map[string]any{"name": "MT LEVANT PIONEER", "imo": "9455832", "changes": map[string]any{"flag": 1, "call_sign": 1}},
			"broker@valletta.test", "broker@valletta.test changed the vessel MT LEVANT PIONEER (IMO 9455832) (call sign, flag)"},
		{ActionSnapshotCreated, map[string]any{"title": "Pack", "snapshot_type": "pdf"}, "jane@mediterra.test",
			"Jane Doe <jane@mediterra.test> created a PDF snapshot “Pack”"},
		{ActionDocumentPreviewed, map[string]any{"type": "Q88", "vessel_id": vessel, "version_id": vessel, "version": 2, "filename": "q88.pdf"},
			"jane@mediterra.test", "Jane Doe <jane@mediterra.test> viewed Q88 v2 of MT LEVANT PIONEER in the browser"},
		{ActionLoginFailed, nil, "x@y.test", "x@y.test login failed"},
	} {
		meta, _ := json.Marshal(c.meta)
		e := Entry{Action: c.action, ActorEmail: c.actor, Meta: meta, TargetType: "document", TargetID: vessel}
		if got := n.Sentence(e); got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.action, got, c.want)
		}
	}
}

// TestDescribeEveryAction: every action has words, and none shows an ID, whatever its
// details hold.
func TestDescribeEveryAction(t *testing.T) {
	uuid := regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-`)
	id := "0195a1c4-5d20-7a61-b3f0-2c7e9d41a801"
	meta, _ := json.Marshal(map[string]any{"vessel_id": id, "checklist_id": id, "version_id": id, "room_id": id, "party_ids": []string{id}})
	for _, a := range Actions() {
		for _, m := range []json.RawMessage{nil, meta, json.RawMessage(`not json`)} {
			got := Names{}.Describe(Entry{Action: a, Meta: m, TargetID: id})
			if got == "" || uuid.MatchString(got) {
				t.Errorf("%s with %s: %q", a, m, got)
			}
		}
	}
	if Label(ActionApprovalRecorded) != "sign-off recorded" || Label(ActionDocumentApproved) != "document approved" {
		t.Error("labels")
	}
}
