// Package authz holds who may do what, as data.
//
// A room party's role decides what it may do in that room; the permission matrix below
// is the single source of that decision. The service layer asks Can before every use
// case and list queries apply the same rule (membership) in SQL. Platform roles (admin,
// user) are separate: an admin manages users and the document catalogue but is not a
// party of any room until it takes explicit, audited access to one.
//
// The package is pure: no I/O, only the standard library.
package authz

import (
	"errors"
	"slices"
	"strings"

	"github.com/stshub/stshub/internal/apperr"
)

// Role is a party's role in one room.
type Role string

// The room roles (see docs/domain.md, "Roles").
const (
	Broker      Role = "broker"
	Charterer   Role = "charterer"
	Owner       Role = "owner"
	Seller      Role = "seller"
	Buyer       Role = "buyer"
	STSProvider Role = "sts_provider"
	Viewer      Role = "viewer"
)

// roles is the one list of room roles: its order is the order of every role list the
// product shows (API enums, selects, reports). A new role is added here, with its label
// below and its rows in the matrix; nothing else enumerates them (the database keeps no
// CHECK on a role, see the store package).
var roles = []Role{Broker, Charterer, Owner, Seller, Buyer, STSProvider, Viewer}

// roleLabels are the words for the roles, as written inside a sentence.
var roleLabels = map[Role]string{
	Broker:      "broker",
	Charterer:   "charterer",
	Owner:       "owner",
	Seller:      "seller",
	Buyer:       "buyer",
	STSProvider: "STS provider",
	Viewer:      "viewer",
}

// Roles lists every room role in a stable order.
func Roles() []Role { return slices.Clone(roles) }

// Label is the role in words, as written inside a sentence ("STS provider"); an unknown
// role is its name with spaces for underscores.
func (r Role) Label() string {
	if l, ok := roleLabels[r]; ok {
		return l
	}
	return strings.ReplaceAll(string(r), "_", " ")
}

// WithArticle is the label after "a" or "an", as a sentence names one party ("an owner",
// "an STS provider": an initialism starting with S is read "ess").
func (r Role) WithArticle() string {
	l := r.Label()
	if l != "" && strings.ContainsRune("aeiouAEIOUS", rune(l[0])) {
		return "an " + l
	}
	return "a " + l
}

var errRole = errors.New("must be " + apperr.OneOf(roles))

// ParseRole accepts exactly one of the room role names.
func ParseRole(s string) (Role, error) {
	r := Role(s)
	if slices.Contains(roles, r) {
		return r, nil
	}
	return "", errRole
}

// SupplierRoles are the roles that supply documents (a catalogue entry's supplied_by):
// every role that may upload one.
func SupplierRoles() []Role { return RolesThatCan(UploadDocument) }

// CreatorRoles are the roles a room's creator may take: a room whose only party cannot add
// others would be a dead end, so they are the roles that may manage parties.
func CreatorRoles() []Role { return RolesThatCan(ManageParties) }

// Platform roles of a user account.
const (
	PlatformAdmin = "admin"
	PlatformUser  = "user"
)

// PlatformRoles lists the platform roles of a user account, the default (user) first.
func PlatformRoles() []string { return []string{PlatformUser, PlatformAdmin} }

var errPlatformRole = errors.New("must be " + apperr.OneOf(PlatformRoles()))

// ParsePlatformRole accepts exactly one of the platform role names.
func ParsePlatformRole(s string) (string, error) {
	if slices.Contains(PlatformRoles(), s) {
		return s, nil
	}
	return "", errPlatformRole
}

// Action is something a party may do in a room.
type Action string

// Every room action of the product. A route maps to exactly one of these.
const (
	ViewRoom           Action = "view_room"
	UpdateRoom         Action = "update_room"
	DeleteRoom         Action = "delete_room"
	ArchiveRoom        Action = "archive_room" // archive and unarchive
	ChangeRoomStatus   Action = "change_room_status"
	ManageParties      Action = "manage_parties"
	ManageVessels      Action = "manage_vessels"
	UploadDocument     Action = "upload_document"
	ReviewDocument     Action = "review_document"
	ManageRequirements Action = "manage_requirements"
	SignOff            Action = "sign_off"
	CheckChecklistItem Action = "check_checklist_item"
	SignChecklist      Action = "sign_checklist"
	RecordNotice       Action = "record_coastal_notice"
	RecordMilestone    Action = "record_milestone"
	CreateSnapshot     Action = "create_snapshot"
	DeleteSnapshot     Action = "delete_snapshot"
	ViewActivity       Action = "view_activity"
	ExportActivity     Action = "export_activity"
	AskQuestion        Action = "ask_question" // open a question on a document, reply to one
)

// everyone is shorthand for all room roles.
var everyone = roles

// matrix is the permission matrix: for each action, the roles that may do it.
// Read-only after package initialisation.
var matrix = map[Action][]Role{
	ViewRoom:           everyone,
	UpdateRoom:         {Broker, Charterer},
	DeleteRoom:         {Broker},
	ArchiveRoom:        {Broker, Charterer},
	ChangeRoomStatus:   {Broker, Charterer},
	ManageParties:      {Broker, Charterer},
	ManageVessels:      {Broker, Charterer, Owner},
	UploadDocument:     {Broker, Charterer, Owner, Seller, Buyer, STSProvider},
	ReviewDocument:     {Broker, Charterer},
	ManageRequirements: {Broker, Charterer},
	SignOff:            {Charterer, Owner, Seller, Buyer, STSProvider},
	CheckChecklistItem: {Owner, STSProvider, Charterer},
	SignChecklist:      {Owner, STSProvider},
	RecordNotice:       {Broker, Owner},
	RecordMilestone:    {Owner, STSProvider},
	CreateSnapshot:     {Broker, Charterer, Owner, STSProvider},
	DeleteSnapshot:     {Broker},
	ViewActivity:       everyone,
	ExportActivity:     {Broker, Charterer},
	AskQuestion:        {Broker, Charterer, Owner, Seller, Buyer, STSProvider},
}

// Actions lists every room action in a stable order.
func Actions() []Action {
	return []Action{ViewRoom, UpdateRoom, DeleteRoom, ChangeRoomStatus, ManageParties, ManageVessels,
		UploadDocument, ReviewDocument, ManageRequirements, SignOff, CheckChecklistItem, SignChecklist,
		RecordNotice, RecordMilestone, CreateSnapshot, DeleteSnapshot, ViewActivity, ExportActivity, AskQuestion,
		ArchiveRoom}
}

// operationChanges are the actions that change what the operation's record says; a room
// that is completed or cancelled refuses them (its parties, snapshots and trail stay usable).
var operationChanges = []Action{UpdateRoom, ChangeRoomStatus, ManageVessels, UploadDocument, ReviewDocument,
	ManageRequirements, SignOff, CheckChecklistItem, SignChecklist, RecordNotice, RecordMilestone, AskQuestion}

// ChangesOperation reports whether action changes the operation's record.
func ChangesOperation(action Action) bool {
	return slices.Contains(operationChanges, action)
}

// Can reports whether a party with role may do action. Unknown roles and actions may do nothing.
func Can(role Role, action Action) bool {
	return slices.Contains(matrix[action], role)
}

// Allowed lists the actions role may do, in the order of Actions.
func Allowed(role Role) []Action {
	var out []Action
	for _, a := range Actions() {
		if Can(role, a) {
			out = append(out, a)
		}
	}
	return out
}

// RolesThatCan lists the roles that may do action, in the order of Roles.
func RolesThatCan(action Action) []Role {
	var out []Role
	for _, r := range Roles() {
		if Can(r, action) {
			out = append(out, r)
		}
	}
	return out
}
