package clearance

import "testing"

// TestListMessages: the validation messages are built from the lists and read as before.
func TestListMessages(t *testing.T) {
	if _, err := ParseRoomStatus("sailing"); err == nil ||
		err.Error() != "must be one of draft, clearing, cleared, in_operation, completed, cancelled, on_hold" {
		t.Errorf("ParseRoomStatus: %v", err)
	}
	if _, err := ParseVesselRole("tug"); err == nil || err.Error() != "must be discharging or receiving" {
		t.Errorf("ParseVesselRole: %v", err)
	}
	bad := DocumentType{Code: "X1", Name: "x", SuppliedBy: "viewer", Scope: "fleet", Criticality: "urgent", Expiry: "never"}
	err := bad.Normalize()
	want := map[string]string{
		"supplied_by": "must be a room role that supplies documents",
		"scope":       "must be vessel or room",
		"criticality": "must be high, medium or low",
		"expiry":      "must be expires, point_in_time or none",
	}
	for f, m := range want {
		if got := messageOf(err, f); got != m {
			t.Errorf("%s: %q, want %q", f, got, m)
		}
	}
	for _, v := range VesselRoles() {
		if _, err := ParseVesselRole(string(v)); err != nil {
			t.Errorf("ParseVesselRole(%s): %v", v, err)
		}
	}
	for _, s := range RoomStatuses() {
		if _, err := ParseRoomStatus(string(s)); err != nil {
			t.Errorf("ParseRoomStatus(%s): %v", s, err)
		}
	}
}
