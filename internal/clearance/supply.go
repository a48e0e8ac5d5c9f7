package clearance

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/stshub/stshub/internal/authz"
)

// Who supplies a document type, who sees its documents and who reviews a version: each a
// pure rule the service applies in its one permission decision (service.permit).

// Suppliers lists the roles that supply documents of t themselves: supplied_by first.
func (t DocumentType) Suppliers() []authz.Role {
	return append([]authz.Role{authz.Role(t.SuppliedBy)}, t.AlsoSuppliedBy...)
}

// MaySupply decides whether a party of role may upload a document of type t. A supplier
// uploads in its own name (onBehalfOf is ""); a coordinator may upload for the supplier
// where the type allows it (onBehalfOf names the supplier's role); anyone else is refused
// with the reason.
func MaySupply(t DocumentType, r authz.Role) (onBehalfOf authz.Role, err error) {
	suppliers := t.Suppliers()
	if slices.Contains(suppliers, r) {
		return "", nil
	}
	if t.OnBehalf && authz.MayUploadOnBehalf(r) {
		return suppliers[0], nil
	}
	why := ""
	if authz.MayUploadOnBehalf(r) {
		why = "; the catalogue does not let a coordinator upload it on the supplier's behalf"
	}
	return "", fmt.Errorf("%s is supplied by %s, not by %s%s", t.Code, roleWords(suppliers), r.WithArticle(), why)
}

// MaySee reports whether a party of role sees the documents of type t. The roles of
// VisibleTo see every one; a supplier sees what it supplies, and a vessel-bound supplier
// (an owner) only its own vessel's: bound says whether the party is bound to the
// document's vessel (ignored for room documents).
func MaySee(t DocumentType, r authz.Role, bound bool) bool {
	if slices.Contains(t.VisibleTo, r) {
		return true
	}
	if !slices.Contains(t.Suppliers(), r) {
		return false
	}
	return t.Scope == ScopeRoom || !authz.ActsForVessels(r) || bound
}

// SeenByAll reports whether every room role may see documents of type t, whatever its
// binding: what a room-wide record (a trail entry every party reads) may name.
func SeenByAll(t DocumentType) bool {
	for _, r := range authz.Roles() {
		if !MaySee(t, r, false) {
			return false
		}
	}
	return true
}

// ErrOwnUpload is the four-eyes refusal: the party that uploaded a version does not review it.
var ErrOwnUpload = errors.New("you uploaded this version: another party with the right to review must approve or reject it")

// MayReview decides the four-eyes rule: the user who uploaded the version under review
// (uploadedBy) may not approve or reject it.
func MayReview(uploadedBy, reviewer string) error {
	if uploadedBy != "" && uploadedBy == reviewer {
		return ErrOwnUpload
	}
	return nil
}

// checkVisibleTo refuses a visibility that names an unknown role or that leaves the type
// with nobody to review it.
func checkVisibleTo(roles []authz.Role) error {
	for _, r := range roles {
		if _, err := authz.ParseRole(string(r)); err != nil {
			return fmt.Errorf("names %q, which is not a room role", r)
		}
	}
	for _, r := range authz.RolesThatCan(authz.ReviewDocument) {
		if slices.Contains(roles, r) {
			return nil
		}
	}
	return fmt.Errorf("must include a role that reviews documents (%s)", roleWords(authz.RolesThatCan(authz.ReviewDocument)))
}

// dedup drops repeated values of a list (roles, cargo classes), keeping the first of each.
// None is an empty list, never nil: a catalogue entry reads the same as the store returns it.
func dedup[T comparable](list []T) []T {
	out := []T{}
	for _, v := range list {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// roleWords writes roles in words ("the owner or the STS provider").
func roleWords(roles []authz.Role) string {
	out := make([]string, len(roles))
	for i, r := range roles {
		out[i] = "the " + r.Label()
	}
	return strings.Join(out, " or ")
}
