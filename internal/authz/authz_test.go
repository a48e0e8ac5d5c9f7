package authz

import "testing"

// TestMatrix is the whole permission matrix as one table: every role × every action.
// Changing who may do what means changing this table on purpose.
func TestMatrix(t *testing.T) {
	const (
		y = true
		n = false
	)
	//                          broker charterer owner seller buyer sts_provider viewer
	want := map[Action][7]bool{
		ViewRoom:           {y, y, y, y, y, y, y},
		UpdateRoom:         {y, y, n, n, n, n, n},
		DeleteRoom:         {y, n, n, n, n, n, n},
		ChangeRoomStatus:   {y, y, n, n, n, n, n},
		ManageParties:      {y, y, n, n, n, n, n},
		ManageVessels:      {y, y, y, n, n, n, n},
		UploadDocument:     {y, y, y, y, y, y, n},
		ReviewDocument:     {y, y, n, n, n, n, n},
		ManageRequirements: {y, y, n, n, n, n, n},
		SignOff:            {n, y, y, y, y, y, n},
		CheckChecklistItem: {n, y, y, n, n, y, n},
		SignChecklist:      {n, n, y, n, n, y, n},
		RecordNotice:       {y, n, y, n, n, n, n},
		RecordMilestone:    {n, n, y, n, n, y, n},
		CreateSnapshot:     {y, y, y, n, n, y, n},
		DeleteSnapshot:     {y, n, n, n, n, n, n},
		ViewActivity:       {y, y, y, y, y, y, y},
		ExportActivity:     {y, y, n, n, n, n, n},
		AskQuestion:        {y, y, y, y, y, y, n},
		ArchiveRoom:        {y, y, n, n, n, n, n},
	}
	if len(want) != len(Actions()) {
		t.Fatalf("table has %d actions, Actions() has %d: every action needs a row", len(want), len(Actions()))
	}
	for _, a := range Actions() {
		row, ok := want[a]
		if !ok {
			t.Errorf("action %s has no row in the table", a)
			continue
		}
		for i, r := range Roles() {
			if got := Can(r, a); got != row[i] {
				t.Errorf("Can(%s, %s) = %v, want %v", r, a, got, row[i])
			}
		}
	}
}

func TestUnknownRoleAndActionMayDoNothing(t *testing.T) {
	for _, a := range Actions() {
		if Can(Role("admin"), a) || Can(Role(""), a) {
			t.Errorf("an unknown role may %s", a)
		}
	}
	if Can(Broker, Action("launch_missiles")) {
		t.Error("an unknown action is allowed")
	}
}

func TestParseRole(t *testing.T) {
	for _, r := range Roles() {
		if got, err := ParseRole(string(r)); err != nil || got != r {
			t.Errorf("ParseRole(%q) = %q, %v", r, got, err)
		}
	}
	for _, s := range []string{"", "Broker", "admin", "owner "} {
		if _, err := ParseRole(s); err == nil {
			t.Errorf("ParseRole(%q) accepted", s)
		}
	}
}

func TestAllowedAndRolesThatCan(t *testing.T) {
	if got := Allowed(Viewer); len(got) != 2 || got[0] != ViewRoom || got[1] != ViewActivity {
		t.Errorf("Allowed(viewer) = %v", got)
	}
	if got := RolesThatCan(DeleteRoom); len(got) != 1 || got[0] != Broker {
		t.Errorf("RolesThatCan(delete_room) = %v", got)
	}
}
