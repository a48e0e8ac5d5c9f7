package api_test

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/report"
	"github.com/stshub/stshub/internal/service"
	"github.com/stshub/stshub/internal/store"
)

// domainLists are the closed lists the API may publish as enums, by name.
func domainLists() map[string][]string {
	return map[string][]string{
		"authz.Roles":                 names(authz.Roles()),
		"authz.SupplierRoles":         names(authz.SupplierRoles()),
		"authz.CreatorRoles":          names(authz.CreatorRoles()),
		"authz.PlatformRoles":         names(authz.PlatformRoles()),
		"clearance.RoomStatuses":      names(clearance.RoomStatuses()),
		"clearance.DocStatuses":       names(clearance.DocStatuses()),
		"clearance.Criticalities":     names(clearance.Criticalities()),
		"clearance.DocScopes":         names(clearance.DocScopes()),
		"clearance.ExpiryKinds":       names(clearance.ExpiryKinds()),
		"clearance.CargoClasses":      names(clearance.CargoClasses()),
		"clearance.VesselRoles":       names(clearance.VesselRoles()),
		"clearance.SignOffStatuses":   names(clearance.SignOffStatuses()),
		"clearance.NoticeKinds":       names(clearance.NoticeKinds()),
		"clearance.NoticeRegimes":     names(clearance.NoticeRegimes()),
		"clearance.GateNames":         names(clearance.GateNames()),
		"clearance.BlockerKinds":      clearance.BlockerKinds(),
		"clearance.Milestones":        names(clearance.Milestones()),
		"clearance.ChecklistAnswers":  names(clearance.ChecklistAnswers()),
		"report.Formats":              names(report.Formats()),
		"report.SnapshotStatuses":     names(report.SnapshotStatuses()),
		"store.Dialects":              dialectNames(),
		"clearance.Outcomes":          names(clearance.Outcomes()),
		"clearance.HoldSources":       names(clearance.HoldSources()),
		"clearance.WindowFits":        names(clearance.WindowFits()),
		"clearance.Deliveries":        names(clearance.Deliveries()),
		"clearance.NotificationKinds": notificationKinds(),
		"clearance.TaskKinds":         clearance.TaskKinds(),
		"clearance.QuestionStatuses":  names(clearance.QuestionStatuses()),
		"clearance.MessageKinds":      names(clearance.MessageKinds()),
		"authz.LinkStatuses":          authz.LinkStatuses(),
		"service.Deliveries":          service.Deliveries(),
	}
}

func notificationKinds() []string {
	var out []string
	for _, k := range clearance.NotificationKinds() {
		out = append(out, string(k.Kind))
	}
	return out
}

// dialectNames are the engines /readyz names.
func dialectNames() []string {
	var out []string
	for _, d := range store.Dialects() {
		out = append(out, d.String())
	}
	return out
}

func names[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

// TestOpenAPIEnumsAreDomainLists reads the published description and fails when an enum
// is not exactly one of the domain lists (a hand-written enum tag that went stale, or a
// list spelt out again), when a domain list is published nowhere, or when one of the
// fields below does not carry its list.
func TestOpenAPIEnumsAreDomainLists(t *testing.T) {
	env := apptest.New(t, "sqlite")
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Properties map[string]struct {
					Enum  []any `json:"enum"`
					Items struct {
						Enum []any `json:"enum"`
					} `json:"items"` // a list of values from a list: the enum of its items
				} `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	env.Do("GET", "/api/v1/openapi.json", "", nil).JSON(&doc)

	lists := domainLists()
	listOf := func(enum []any) string {
		got := make([]string, len(enum))
		for i, v := range enum {
			got[i] = fmt.Sprint(v)
		}
		for name, l := range lists {
			if slices.Equal(got, l) {
				return name
			}
		}
		return ""
	}
	published := map[string]string{} // schema.property → list name
	used := map[string]bool{}
	for schema, s := range doc.Components.Schemas {
		for prop, p := range s.Properties {
			enum, key := p.Enum, schema+"."+prop
			if len(p.Items.Enum) > 0 {
				enum, key = p.Items.Enum, key+"[]"
			}
			if len(enum) < 2 {
				continue // none, or a constant answer (/healthz's "ok"), not a list
			}
			name := listOf(enum)
			if name == "" {
				t.Errorf("%s has enum %v, which is no domain list", key, enum)
				continue
			}
			published[key], used[name] = name, true
		}
	}
	for name := range lists {
		if !used[name] {
			t.Errorf("%s is published in no enum", name)
		}
	}
	want := map[string]string{
		"AddPartyInputBody.role":                 "authz.Roles",
		"ChangePartyInputBody.role":              "authz.Roles",
		"CreateRoomInputBody.role":               "authz.CreatorRoles",
		"DocTypeInput.supplied_by":               "authz.SupplierRoles",
		"UpdateTypeInputBody.supplied_by":        "authz.SupplierRoles",
		"DocTypeInput.also_supplied_by[]":        "authz.SupplierRoles",
		"UpdateTypeInputBody.also_supplied_by[]": "authz.SupplierRoles",
		"DocTypeInput.visible_to[]":              "authz.Roles",
		"UpdateTypeInputBody.visible_to[]":       "authz.Roles",
		"DocTypeInput.cargo_classes[]":           "clearance.CargoClasses",
		"UpdateTypeInputBody.cargo_classes[]":    "clearance.CargoClasses",
		"CreateUserInputBody.role":               "authz.PlatformRoles",
		"UserJSON.role":                          "authz.PlatformRoles",
		"RoomJSON.status":                        "clearance.RoomStatuses",
		"ChangeStatusInputBody.status":           "clearance.RoomStatuses",
		"DocumentJSON.status":                    "clearance.DocStatuses",
		"DocumentJSON.criticality":               "clearance.Criticalities",
		"DocTypeInput.scope":                     "clearance.DocScopes",
		"DocTypeInput.expiry":                    "clearance.ExpiryKinds",
		"VesselFields.role":                      "clearance.VesselRoles",
		"VesselJSON.role":                        "clearance.VesselRoles",
		"RecordSignOffInputBody.status":          "clearance.SignOffStatuses",
		"ApprovalJSON.status":                    "clearance.SignOffStatuses",
		"CreateSnapshotInputBody.snapshot_type":  "report.Formats",
		"SnapshotJSON.snapshot_type":             "report.Formats",
		"SnapshotJSON.status":                    "report.SnapshotStatuses",
	}
	var wrong []string
	for key, name := range want {
		if published[key] != name {
			wrong = append(wrong, fmt.Sprintf("%s: %q, want %q", key, published[key], name))
		}
	}
	sort.Strings(wrong)
	if len(wrong) > 0 {
		t.Errorf("fields without their list:\n%s", strings.Join(wrong, "\n"))
	}
}

// TestEnumInputValidatedFromList: huma refuses a value outside the list with a 422 that
// names the list's values, and the creator role keeps its default.
func TestEnumInputValidatedFromList(t *testing.T) {
	env := apptest.New(t, "sqlite")
	env.CreateUser("broker@example.test")
	token := env.Login("broker@example.test")
	room := must(t, env.Do("POST", "/api/v1/rooms", token, map[string]any{
		"title": "Malta crude STS", "location": "Hurd's Bank, Malta", "sts_eta": "2026-03-14T08:00:00+01:00"}), 201)
	if room["my_role"] != string(authz.Broker) {
		t.Errorf("creator's default role %v, want broker", room["my_role"])
	}
	res := env.Do("POST", "/api/v1/rooms/"+room["id"].(string)+"/snapshots", token, map[string]any{"snapshot_type": "docx"})
	if res.Status != 422 {
		t.Fatalf("snapshot_type docx: %d %s", res.Status, res.Body)
	}
	for _, f := range report.Formats() {
		if !strings.Contains(string(res.Body), string(f)) {
			t.Errorf("the 422 does not name %s: %s", f, res.Body)
		}
	}
}
