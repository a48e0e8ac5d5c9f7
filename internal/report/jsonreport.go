package report

import (
	"bytes"
	"encoding/json"
)

// JSON renders the state as indented JSON with a fixed key order (the struct's), ending in
// a newline. The lists of included sections are written as [] when empty, so consumers need
// not tell null from empty; excluded sections are absent.
func JSON(s State) ([]byte, error) {
	s.Schema = Schema
	if s.Sections.Documents && s.Documents == nil {
		s.Documents = []Document{}
	}
	if s.Sections.Approvals && s.Approvals == nil {
		s.Approvals = []Approval{}
	}
	if s.Sections.Activity && s.Activity == nil {
		s.Activity = []Activity{}
	}
	if s.Blockers == nil {
		s.Blockers = []Blocker{}
	}
	if s.Warnings == nil {
		s.Warnings = []string{}
	}
	if s.Vessels == nil {
		s.Vessels = []Vessel{}
	}
	if s.Parties == nil {
		s.Parties = []Party{}
	}
	if s.Questions == nil {
		s.Questions = []Question{}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
