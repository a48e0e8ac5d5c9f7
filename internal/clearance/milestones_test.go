package clearance

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apperr"
)

// TestCheckMilestone: the milestone gates — status, order, time, and the checklist each
// milestone waits for.
func TestCheckMilestone(t *testing.T) {
	now := time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)
	moored := []MilestoneRecord{{Milestone: MilestoneMooringStarted, OccurredAt: now.Add(-3 * time.Hour), RecorderEmail: "poac@sts.test"}}
	transferring := append(append([]MilestoneRecord{}, moored...), MilestoneRecord{Milestone: MilestoneTransferStarted, OccurredAt: now.Add(-2 * time.Hour)})
	done := append(append([]MilestoneRecord{}, transferring...), MilestoneRecord{Milestone: MilestoneTransferCompleted, OccurredAt: now.Add(-time.Hour)})
	lacking := []string{"checklist 3 (Before run-in and mooring) of MT A: awaits the signature of the POAC"}
	cases := []struct {
		name     string
		m        Milestone
		in       MilestoneInput
		want     error
		says     string
		badField string
	}{
		{"mooring with checklist 3 complete", MilestoneMooringStarted, MilestoneInput{Status: StatusInOperation, At: now, Now: now}, nil, "", ""},
		{"mooring while checklist 3 lacks a signature", MilestoneMooringStarted,
			MilestoneInput{Status: StatusInOperation, Lacking: lacking, At: now, Now: now}, apperr.ErrConflict,
			"run-in and mooring started waits for checklist 3 (Before run-in and mooring): checklist 3 (Before run-in and mooring) of MT A: awaits the signature of the POAC", ""},
		{"mooring before the operation commenced", MilestoneMooringStarted, MilestoneInput{Status: StatusCleared, At: now, Now: now},
			apperr.ErrConflict, "the room is cleared", ""},
		{"mooring twice", MilestoneMooringStarted, MilestoneInput{Status: StatusInOperation, Recorded: moored, At: now, Now: now},
			apperr.ErrConflict, "already recorded, at 2026-03-14 09:00 UTC by poac@sts.test", ""},
		{"transfer before mooring", MilestoneTransferStarted, MilestoneInput{Status: StatusInOperation, At: now, Now: now},
			apperr.ErrConflict, "run-in and mooring started comes first, then cargo transfer started", ""},
		{"unmooring before the transfer completed", MilestoneUnmoored, MilestoneInput{Status: StatusInOperation, Recorded: transferring, At: now, Now: now},
			apperr.ErrConflict, "cargo transfer completed comes first", ""},
		{"transfer completed needs no checklist", MilestoneTransferCompleted, MilestoneInput{Status: StatusInOperation, Recorded: transferring, At: now, Now: now}, nil, "", ""},
		{"unmoored after the transfer", MilestoneUnmoored, MilestoneInput{Status: StatusInOperation, Recorded: done, At: now, Now: now}, nil, "", ""},
		{"a time 9 minutes ahead (clock skew)", MilestoneMooringStarted, MilestoneInput{Status: StatusInOperation, At: now.Add(9 * time.Minute), Now: now}, nil, "", ""},
		{"a time 11 minutes ahead", MilestoneMooringStarted, MilestoneInput{Status: StatusInOperation, At: now.Add(11 * time.Minute), Now: now}, nil, "", "occurred_at"},
		{"a time before the previous milestone", MilestoneTransferStarted,
			MilestoneInput{Status: StatusInOperation, Recorded: moored, At: now.Add(-4 * time.Hour), Now: now}, nil, "", "occurred_at"},
		{"a time before its checklist was complete (backdated)", MilestoneMooringStarted,
			MilestoneInput{Status: StatusInOperation, Ready: now.Add(-time.Hour), At: now.Add(-61 * time.Minute), Now: now}, nil, "", "occurred_at"},
		{"a time just after its checklist was complete", MilestoneMooringStarted,
			MilestoneInput{Status: StatusInOperation, Ready: now.Add(-time.Hour), At: now.Add(-59 * time.Minute), Now: now}, nil, "", ""},
		{"the same time as the previous milestone", MilestoneTransferStarted,
			MilestoneInput{Status: StatusInOperation, Recorded: moored, At: now.Add(-3 * time.Hour), Now: now}, nil, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := CheckMilestone(c.m, c.in)
			switch {
			case c.badField != "":
				assertFields(t, err, []string{c.badField})
			case c.want == nil && err != nil:
				t.Fatalf("want no error, got %v", err)
			case c.want != nil && (!errors.Is(err, c.want) || !strings.Contains(err.Error(), c.says)):
				t.Fatalf("want %v saying %q, got %v", c.want, c.says, err)
			}
		})
	}
}

// TestMilestonePhases: checklist 3 before mooring, 4 before the transfer, 5 before unmooring.
func TestMilestonePhases(t *testing.T) {
	want := map[Milestone]int{MilestoneMooringStarted: 3, MilestoneTransferStarted: 4, MilestoneTransferCompleted: 0, MilestoneUnmoored: 5}
	for _, m := range Milestones() {
		if m.Phase() != want[m] || m.Label() == "" {
			t.Errorf("%s: phase %d label %q", m, m.Phase(), m.Label())
		}
	}
	if next, ok := NextMilestone(nil); !ok || next != MilestoneMooringStarted {
		t.Fatalf("first: %s %v", next, ok)
	}
	all := make([]MilestoneRecord, len(Milestones()))
	if _, ok := NextMilestone(all); ok {
		t.Fatal("a next milestone after unmooring")
	}
}

// TestCompletionLacks: completion needs the unmooring and every checklist.
func TestCompletionLacks(t *testing.T) {
	unmoored := []MilestoneRecord{{Milestone: MilestoneMooringStarted}, {Milestone: MilestoneTransferStarted},
		{Milestone: MilestoneTransferCompleted}, {Milestone: MilestoneUnmoored}}
	if got := CompletionLacks(unmoored, nil); len(got) != 0 {
		t.Fatalf("unmoored, all complete: %v", got)
	}
	if got := CompletionLacks(unmoored[:3], nil); len(got) != 1 || got[0] != "the ships are not recorded as unmoored" {
		t.Fatalf("not unmoored: %v", got)
	}
	if got := CompletionLacks(unmoored, []string{"checklist 4 …"}); len(got) != 1 || got[0] != "checklist 4 …" {
		t.Fatalf("checklist 4 open: %v", got)
	}
}

// TestIncompleteChecklists: the phases asked for, the incomplete ones only, with reasons.
func TestIncompleteChecklists(t *testing.T) {
	done := answeredList(allYes, allRequired, "v-a", "v-b", POACSide)
	open := answeredList(allYes, allRequired, "v-a")
	open.ID, open.Phase = "c4", 4
	got := IncompleteChecklists([]Checklist{done, open}, twoShips)
	if len(got) != 1 || got[0].ID != "c4" ||
		got[0].Reason() != "checklist 4 (Before cargo transfer) of MT AEGEAN SERENITY: awaits the signatures of MT LEVANT PIONEER's side and the POAC" {
		t.Fatalf("incomplete: %+v", got)
	}
	if got := IncompleteChecklists([]Checklist{done, open}, twoShips, 3); len(got) != 0 {
		t.Fatalf("phase 3 only: %+v", got)
	}
}
