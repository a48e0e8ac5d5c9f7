package clearance

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestPhaseTitle(t *testing.T) {
	tests := []struct {
		phase int
		title string
		name  string
	}{
		{1, "Pre-fixture information", "checklist 1 (Pre-fixture information)"},
		{2, "Before operations commence", "checklist 2 (Before operations commence)"},
		{3, "Before run-in and mooring", "checklist 3 (Before run-in and mooring)"},
		{4, "Before cargo transfer", "checklist 4 (Before cargo transfer)"},
		{5, "Before unmooring", "checklist 5 (Before unmooring)"},
		{0, "", "checklist 0"},
		{6, "", "checklist 6"},
		{-1, "", "checklist -1"},
	}
	for _, tt := range tests {
		if got := PhaseTitle(tt.phase); got != tt.title {
			t.Errorf("PhaseTitle(%d) = %q, want %q", tt.phase, got, tt.title)
		}
		if got := ChecklistName(tt.phase); got != tt.name {
			t.Errorf("ChecklistName(%d) = %q, want %q", tt.phase, got, tt.name)
		}
	}
}

func TestDefaultChecklists(t *testing.T) {
	items := DefaultChecklists()
	perPhase := map[int]int{}
	seen := map[string]bool{}
	prev := ChecklistTemplateItem{}
	for i, it := range items {
		perPhase[it.Phase]++
		// In phase order, positions 1, 2, 3… within each phase.
		if it.Phase < prev.Phase || (it.Phase == prev.Phase && it.Position != prev.Position+1) || (it.Phase != prev.Phase && it.Position != 1) {
			t.Errorf("item %d (%d.%d) out of order after %d.%d", i, it.Phase, it.Position, prev.Phase, prev.Position)
		}
		prev = it
		norm := it
		if err := norm.Normalize(); err != nil {
			t.Errorf("item %d.%d invalid: %v", it.Phase, it.Position, err)
		}
		if norm.Text != it.Text {
			t.Errorf("item %d.%d has surrounding space: %q", it.Phase, it.Position, it.Text)
		}
		if strings.HasSuffix(it.Text, ".") {
			t.Errorf("item %d.%d ends with a full stop: %q", it.Phase, it.Position, it.Text)
		}
		key := strings.ToLower(it.Text)
		if seen[key] {
			t.Errorf("item %d.%d repeats %q", it.Phase, it.Position, it.Text)
		}
		seen[key] = true
	}
	tests := []struct {
		phase    int
		min, max int
		mentions []string // words some item of the phase must contain
	}{
		{1, 15, 19, []string{"Q88", "displacement", "freeboard", "manifold", "safe working load", "STS operations plan", "OCIMF Mooring Equipment Guidelines", "previous cargo"}},
		{2, 8, 15, []string{"Checklist 1", "joint plan of operation", "hours of rest", "tested", "Rendezvous"}},
		{3, 6, 15, []string{"Checklist 2", "Fenders", "Mooring stations"}},
		{4, 8, 18, []string{"Checklist 3", "Moorings checked", "fenders", "hoses connected", "Emergency shutdown"}},
		{5, 5, 12, []string{"drained", "disconnected", "Final cargo quantities"}},
	}
	for _, tt := range tests {
		if n := perPhase[tt.phase]; n < tt.min || n > tt.max {
			t.Errorf("phase %d has %d items, want %d–%d", tt.phase, n, tt.min, tt.max)
		}
		for _, word := range tt.mentions {
			found := false
			for _, it := range items {
				if it.Phase == tt.phase && strings.Contains(strings.ToLower(it.Text), strings.ToLower(word)) {
					found = true
				}
			}
			if !found {
				t.Errorf("phase %d: no item mentions %q", tt.phase, word)
			}
		}
	}
	if len(perPhase) != 5 {
		t.Errorf("phases present: %v, want 1–5", perPhase)
	}
	// A fresh slice each time: callers may not change the defaults.
	items[0].Text = "changed"
	if DefaultChecklists()[0].Text == "changed" {
		t.Error("DefaultChecklists shares its slice")
	}
}

func TestChecklistTemplateItemNormalize(t *testing.T) {
	valid := func() ChecklistTemplateItem {
		return ChecklistTemplateItem{Phase: 4, Position: 3, Text: "Cargo hoses connected"}
	}
	tests := []struct {
		name   string
		edit   func(*ChecklistTemplateItem)
		fields []string
		text   string
	}{
		{name: "valid", edit: func(*ChecklistTemplateItem) {}, text: "Cargo hoses connected"},
		{name: "trimmed", edit: func(c *ChecklistTemplateItem) { c.Text = "  Hoses drained \n" }, text: "Hoses drained"},
		{name: "first phase, first position", edit: func(c *ChecklistTemplateItem) { c.Phase, c.Position = 1, 1 }, text: "Cargo hoses connected"},
		{name: "last phase, last position", edit: func(c *ChecklistTemplateItem) { c.Phase, c.Position = 5, MaxChecklistPosition }, text: "Cargo hoses connected"},
		{name: "longest text, in characters", edit: func(c *ChecklistTemplateItem) { c.Text = repeat("é", MaxChecklistText) }, text: repeat("é", MaxChecklistText)},
		{name: "phase 0", edit: func(c *ChecklistTemplateItem) { c.Phase = 0 }, fields: []string{"phase"}},
		{name: "phase 6", edit: func(c *ChecklistTemplateItem) { c.Phase = 6 }, fields: []string{"phase"}},
		{name: "position 0", edit: func(c *ChecklistTemplateItem) { c.Position = 0 }, fields: []string{"position"}},
		{name: "position too large", edit: func(c *ChecklistTemplateItem) { c.Position = MaxChecklistPosition + 1 }, fields: []string{"position"}},
		{name: "blank text", edit: func(c *ChecklistTemplateItem) { c.Text = " \t" }, fields: []string{"text"}},
		{name: "text too long", edit: func(c *ChecklistTemplateItem) { c.Text = repeat("a", MaxChecklistText+1) }, fields: []string{"text"}},
		{name: "everything wrong", edit: func(c *ChecklistTemplateItem) { c.Phase, c.Position, c.Text = 9, -1, "" }, fields: []string{"phase", "position", "text"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := valid()
			tt.edit(&c)
			err := c.Normalize()
			assertFields(t, err, tt.fields)
			if err == nil && (c.Text != tt.text || utf8.RuneCountInString(c.Text) > MaxChecklistText) {
				t.Errorf("text = %q, want %q", c.Text, tt.text)
			}
		})
	}
}
