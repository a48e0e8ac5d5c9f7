package clearance

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/stshub/stshub/internal/apperr"
)

// The phase checklists of the CDI/ICS/OCIMF/SIGTTO Ship to Ship Transfer Guide
// (docs/domain.md, "Phase checklists"): checklist 1 is exchanged at fixture, 2–5 are completed and signed
// per ship as the operation proceeds. Their items are data: admins edit the templates, and a
// vessel added to a room gets a copy of the active items of each phase.
const (
	FirstChecklistPhase = 1
	LastChecklistPhase  = 5
	// MaxChecklistText is the longest item text, in characters.
	MaxChecklistText = 500
	// MaxChecklistPosition bounds an item's position within its phase.
	MaxChecklistPosition = 10000
)

var phaseTitles = [...]string{
	1: "Pre-fixture information",
	2: "Before operations commence",
	3: "Before run-in and mooring",
	4: "Before cargo transfer",
	5: "Before unmooring",
}

// ChecklistPhases lists the phases 1–5 in order.
func ChecklistPhases() []int {
	return []int{1, 2, 3, 4, 5}
}

// PreOperationPhases are the checklists complete before the operation commences (the
// commencement gate); the later phases each stand before a milestone (Milestone.Phase).
func PreOperationPhases() []int { return []int{1, 2} }

// PhaseTitle is the title of checklist phase (1–5), or "" for another number.
func PhaseTitle(phase int) string {
	if phase < FirstChecklistPhase || phase > LastChecklistPhase {
		return ""
	}
	return phaseTitles[phase]
}

// ChecklistName names a phase's checklist for people: "checklist 2 (Before operations commence)".
func ChecklistName(phase int) string {
	if t := PhaseTitle(phase); t != "" {
		return fmt.Sprintf("checklist %d (%s)", phase, t)
	}
	return fmt.Sprintf("checklist %d", phase)
}

// ChecklistTemplateItem is one item of a phase's checklist template.
type ChecklistTemplateItem struct {
	Phase    int
	Position int
	Text     string
	// Required items answered "no" keep a checklist from being signed (the defaults all are).
	Required bool
}

// Normalize trims the text and checks every field, naming the invalid ones by their JSON names.
func (t *ChecklistTemplateItem) Normalize() error {
	var c apperr.Collector
	t.Text = strings.TrimSpace(t.Text)
	if t.Phase < FirstChecklistPhase || t.Phase > LastChecklistPhase {
		c.Add("phase", fmt.Sprintf("must be between %d and %d", FirstChecklistPhase, LastChecklistPhase))
	}
	if t.Position < 1 || t.Position > MaxChecklistPosition {
		c.Add("position", fmt.Sprintf("must be between 1 and %d", MaxChecklistPosition))
	}
	checkRequired(&c, "text", t.Text, MaxChecklistText)
	return c.Err()
}

//go:embed checklists.json
var defaultChecklistsJSON []byte

type checklistFile struct {
	Phases []struct {
		Phase int      `json:"phase"`
		Items []string `json:"items"`
	} `json:"phases"`
}

// DefaultChecklists returns the default template items of phases 1–5, by phase and position
// (positions count from 1 within each phase), as a fresh slice.
func DefaultChecklists() []ChecklistTemplateItem {
	var f checklistFile
	if err := json.Unmarshal(defaultChecklistsJSON, &f); err != nil {
		// The file is embedded at build time and checked by the tests.
		panic("clearance: checklists.json: " + err.Error())
	}
	var out []ChecklistTemplateItem
	for _, p := range f.Phases {
		for i, text := range p.Items {
			out = append(out, ChecklistTemplateItem{Phase: p.Phase, Position: i + 1, Text: text, Required: true})
		}
	}
	return out
}
