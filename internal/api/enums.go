package api

import (
	"github.com/danielgtaylor/huma/v2"

	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/report"
	"github.com/stshub/stshub/internal/service"
)

// The closed lists of values the API takes and returns, one string type each. Their
// OpenAPI schema (and so huma's validation of input) is built from the domain list, so a
// value added there is offered, accepted and documented here with no edit. They marshal as
// plain strings; a DTO field of one of these types needs no enum tag (and must not have one:
// a tag would override the list).
type (
	roomRole       string // authz.Roles
	supplierRole   string // authz.SupplierRoles: the roles that supply documents
	creatorRole    string // authz.CreatorRoles: the roles a room's creator may take
	platformRole   string // authz.PlatformRoles
	roomStatus     string // clearance.RoomStatuses
	docStatus      string // clearance.DocStatuses
	criticality    string // clearance.Criticalities
	docScope       string // clearance.DocScopes
	expiryKind     string // clearance.ExpiryKinds
	cargoClass     string // clearance.CargoClasses
	vesselRole     string // clearance.VesselRoles
	signOffStatus  string // clearance.SignOffStatuses
	snapshotType   string // report.Formats
	snapshotStatus string // report.SnapshotStatuses
	keptState      string // service.KeptStates
	noticeKind     string // clearance.NoticeKinds
	noticeRegime   string // clearance.NoticeRegimes
	gateName       string // clearance.GateNames
	blockerKind    string // clearance.BlockerKinds
	milestoneName  string // clearance.Milestones
	answerName     string // clearance.ChecklistAnswers
	outcome        string // clearance.Outcomes
	holdSource     string // clearance.HoldSources
	questionStatus string // clearance.QuestionStatuses
	messageKind    string // clearance.MessageKinds
	taskKind       string // clearance.TaskKinds
	windowFit      string // clearance.WindowFits
	linkStatus     string // authz.LinkStatuses
)

func (roomRole) Schema(huma.Registry) *huma.Schema     { return enumSchema(authz.Roles()) }
func (supplierRole) Schema(huma.Registry) *huma.Schema { return enumSchema(authz.SupplierRoles()) }
func (creatorRole) Schema(huma.Registry) *huma.Schema  { return enumSchema(authz.CreatorRoles()) }
func (platformRole) Schema(huma.Registry) *huma.Schema { return enumSchema(authz.PlatformRoles()) }
func (roomStatus) Schema(huma.Registry) *huma.Schema   { return enumSchema(clearance.RoomStatuses()) }
func (docStatus) Schema(huma.Registry) *huma.Schema    { return enumSchema(clearance.DocStatuses()) }
func (criticality) Schema(huma.Registry) *huma.Schema  { return enumSchema(clearance.Criticalities()) }
func (docScope) Schema(huma.Registry) *huma.Schema     { return enumSchema(clearance.DocScopes()) }
func (expiryKind) Schema(huma.Registry) *huma.Schema   { return enumSchema(clearance.ExpiryKinds()) }
func (windowFit) Schema(huma.Registry) *huma.Schema    { return enumSchema(clearance.WindowFits()) }
func (cargoClass) Schema(huma.Registry) *huma.Schema   { return enumSchema(clearance.CargoClasses()) }
func (vesselRole) Schema(huma.Registry) *huma.Schema   { return enumSchema(clearance.VesselRoles()) }
func (signOffStatus) Schema(huma.Registry) *huma.Schema {
	return enumSchema(clearance.SignOffStatuses())
}
func (snapshotType) Schema(huma.Registry) *huma.Schema { return enumSchema(report.Formats()) }
func (snapshotStatus) Schema(huma.Registry) *huma.Schema {
	return enumSchema(report.SnapshotStatuses())
}
func (keptState) Schema(huma.Registry) *huma.Schema    { return enumSchema(service.KeptStates()) }
func (noticeKind) Schema(huma.Registry) *huma.Schema   { return enumSchema(clearance.NoticeKinds()) }
func (noticeRegime) Schema(huma.Registry) *huma.Schema { return enumSchema(clearance.NoticeRegimes()) }
func (gateName) Schema(huma.Registry) *huma.Schema     { return enumSchema(clearance.GateNames()) }
func (blockerKind) Schema(huma.Registry) *huma.Schema  { return enumSchema(clearance.BlockerKinds()) }
func (milestoneName) Schema(huma.Registry) *huma.Schema {
	return enumSchema(clearance.Milestones())
}
func (answerName) Schema(huma.Registry) *huma.Schema { return enumSchema(clearance.ChecklistAnswers()) }
func (outcome) Schema(huma.Registry) *huma.Schema    { return enumSchema(clearance.Outcomes()) }
func (holdSource) Schema(huma.Registry) *huma.Schema { return enumSchema(clearance.HoldSources()) }
func (questionStatus) Schema(huma.Registry) *huma.Schema {
	return enumSchema(clearance.QuestionStatuses())
}
func (messageKind) Schema(huma.Registry) *huma.Schema { return enumSchema(clearance.MessageKinds()) }
func (linkStatus) Schema(huma.Registry) *huma.Schema  { return enumSchema(authz.LinkStatuses()) }
func (taskKind) Schema(huma.Registry) *huma.Schema    { return enumSchema(clearance.TaskKinds()) }

// enumSchema is the schema huma writes for a string field with an enum tag, with the
// values of list in its order.
func enumSchema[T ~string](list []T) *huma.Schema {
	values := make([]any, len(list))
	for i, v := range list {
		values[i] = string(v)
	}
	return &huma.Schema{Type: huma.TypeString, Enum: values}
}
