package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/service"
)

// The platform pages: accounts, the document catalogue, the coastal-state table
// (admin_coastal.go) and the checklist templates. The service refuses every change by a
// non-admin; the pages refuse to show themselves to one as well, since they offer nothing
// a non-admin could do.

var errAdminOnly = fmt.Errorf("only platform admins manage accounts, the catalogue, the coastal-state table and the checklist templates: %w", apperr.ErrForbidden)

// adminOnly is signedIn for the platform pages: a signed-in non-admin gets the 403 page,
// for the forms' posts as for the pages themselves.
func (h *handler) adminOnly(fn func(http.ResponseWriter, *http.Request, service.Actor)) http.HandlerFunc {
	return h.signedIn(func(w http.ResponseWriter, r *http.Request, actor service.Actor) {
		if !actor.IsAdmin() {
			h.renderError(w, r, errAdminOnly, "/")
			return
		}
		fn(w, r, actor)
	})
}

type usersData struct {
	Users       []authz.User
	Next        string
	Cursor      string
	Invitations []service.Invitation // to the platform, newest first
	// RoomInvitations are the open invitations of every room, newest first: with e-mail off
	// an admin sends their links.
	RoomInvitations []service.Invitation
	MailEnabled     bool
	Self            string // the admin's own user ID: no role or state change offered
	// InviteLifetime is how long an invitation link works, in words.
	InviteLifetime string
}

func (h *handler) usersHost(r *http.Request, actor service.Actor, f *formState) (string, *page, error) {
	cursor := r.URL.Query().Get("cursor")
	users, next, err := h.svc.ListUsers(r.Context(), actor, service.PageRequest{Cursor: cursor, Limit: 100})
	if isValidation(err) {
		cursor = ""
		users, next, err = h.svc.ListUsers(r.Context(), actor, service.PageRequest{Limit: 100})
	}
	if err != nil {
		return "", nil, err
	}
	invitations, err := h.svc.ListInvitations(r.Context(), actor, "")
	if err != nil {
		return "", nil, err
	}
	roomInvitations, err := h.svc.ListOpenRoomInvitations(r.Context(), actor)
	if err != nil {
		return "", nil, err
	}
	return "admin_users", &page{Title: "Users", Nav: "admin", Form: f, Data: usersData{Users: users, Next: next, Cursor: cursor,
		Invitations: invitations, RoomInvitations: roomInvitations, MailEnabled: h.svc.MailEnabled(), Self: actor.UserID,
		InviteLifetime: authz.LinkTTLWords(authz.InvitationLink)}}, nil
}

// usersPage lists the accounts and has the form that creates one.
func (h *handler) usersPage(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	name, p, err := h.usersHost(r, actor, nil)
	if err != nil {
		h.renderError(w, r, err, "/")
		return
	}
	h.renderPage(w, r, http.StatusOK, name, p)
}

func (h *handler) createUser(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	spec := formSpec{name: "user", anchor: "user-form", fragment: "", host: func(f *formState) (string, *page, error) {
		return h.usersHost(r, actor, f)
	}}
	u, err := h.svc.CreateUser(r.Context(), actor, service.NewUser{Email: r.PostFormValue("email"), Name: r.PostFormValue("name"),
		Password: r.PostFormValue("password"), Role: r.PostFormValue("role")})
	if err != nil {
		h.refuse(w, r, spec, err)
		return
	}
	setFlash(w, r, flash{Kind: "ok", Message: "Account " + u.Email + " created; room invitations waiting for it are bound."})
	http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
}

// catalogueData drives the catalogue list and the form of one type.
type catalogueData struct {
	Types        []clearance.DocumentType
	Type         *clearance.DocumentType // the type being edited, nil on the list
	Suppliers    []string
	Roles        []string // every room role, for who sees a type's documents
	Scopes       []string
	Criticality  []string
	ExpiryKinds  []string
	CargoClasses []string
	EditCodePath string
}

func newCatalogueData() catalogueData {
	return catalogueData{Suppliers: strs(authz.SupplierRoles()), Roles: strs(authz.Roles()), Scopes: strs(clearance.DocScopes()),
		Criticality: strs(clearance.Criticalities()), ExpiryKinds: strs(clearance.ExpiryKinds()), CargoClasses: strs(clearance.CargoClasses())}
}

// strs writes a domain list as the strings a form offers.
func strs[T ~string](list []T) []string {
	out := make([]string, len(list))
	for i, v := range list {
		out[i] = string(v)
	}
	return out
}

func (h *handler) catalogueHost(r *http.Request, actor service.Actor, f *formState) (string, *page, error) {
	types, err := h.svc.ListDocumentTypes(r.Context(), actor, true)
	if err != nil {
		return "", nil, err
	}
	d := newCatalogueData()
	d.Types = types
	return "admin_catalogue", &page{Title: "Document catalogue", Nav: "admin", Form: f, Data: d}, nil
}

func (h *handler) cataloguePage(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	name, p, err := h.catalogueHost(r, actor, nil)
	if err != nil {
		h.renderError(w, r, err, "/")
		return
	}
	h.renderPage(w, r, http.StatusOK, name, p)
}

// typeFields reads the fields of a catalogue entry the form sends into t.
func typeFields(r *http.Request, t *clearance.DocumentType) error {
	var fe fieldErrors
	t.Name, t.Description, t.Category = r.PostFormValue("name"), r.PostFormValue("description"), r.PostFormValue("category")
	t.SuppliedBy = r.PostFormValue("supplied_by")
	t.Criticality = clearance.Criticality(r.PostFormValue("criticality"))
	t.Expiry = clearance.ExpiryKind(r.PostFormValue("expiry"))
	t.ExpiryTime, t.ExpiryZone = r.PostFormValue("expiry_time"), r.PostFormValue("expiry_zone")
	t.MaxAgeDays = 0
	if n := fe.optInt(r, "max_age_days"); n != nil {
		t.MaxAgeDays = *n
	}
	t.RequiredByDefault = r.PostForm.Has("required_by_default")
	t.Active = r.PostForm.Has("active")
	// Who else supplies it, whether the coordinators may upload it for its supplier, and
	// who sees its documents (none checked is sent as none, which the catalogue refuses).
	t.AlsoSuppliedBy = rolesOf(r.PostForm["also_supplied_by"])
	t.OnBehalf = r.PostForm.Has("on_behalf")
	t.VisibleTo = append([]authz.Role{}, rolesOf(r.PostForm["visible_to"])...)
	// The cargo classes it is asked for in (none checked: every class).
	t.CargoClasses = checked[clearance.CargoClass](r.PostForm["cargo_classes"])
	return fe.err()
}

// rolesOf reads checked role boxes; the catalogue's rules check them.
func rolesOf(vs []string) []authz.Role { return checked[authz.Role](vs) }

// checked reads the checked boxes of a list (roles, cargo classes); the catalogue's rules
// check the values.
func checked[T ~string](vs []string) []T {
	var out []T
	for _, v := range vs {
		out = append(out, T(v))
	}
	return out
}

func (h *handler) createType(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	spec := formSpec{name: "type", anchor: "type-form", fragment: "", host: func(f *formState) (string, *page, error) {
		return h.catalogueHost(r, actor, f)
	}}
	_ = r.ParseForm()
	t := clearance.DocumentType{Code: r.PostFormValue("code"), Scope: clearance.DocScope(r.PostFormValue("scope"))}
	err := typeFields(r, &t)
	if err == nil {
		t, err = h.svc.CreateDocumentType(r.Context(), actor, t)
	}
	if err != nil {
		h.refuse(w, r, spec, err)
		return
	}
	setFlash(w, r, flash{Kind: "ok", Message: "Document type " + t.Code + " added. Rooms and vessels created from now on require it when it is required by default."})
	http.Redirect(w, r, "/admin/catalogue", http.StatusSeeOther)
}

func (h *handler) typeHost(r *http.Request, actor service.Actor, f *formState) (string, *page, error) {
	code := r.PathValue("code")
	types, err := h.svc.ListDocumentTypes(r.Context(), actor, true)
	if err != nil {
		return "", nil, err
	}
	i := slices.IndexFunc(types, func(t clearance.DocumentType) bool { return t.Code == code })
	if i < 0 {
		return "", nil, fmt.Errorf("document type: %w", apperr.ErrNotFound)
	}
	t := types[i]
	if f == nil {
		f = &formState{Name: "type", Values: url.Values{"name": {t.Name}, "description": {t.Description}, "category": {t.Category},
			"supplied_by": {t.SuppliedBy}, "criticality": {string(t.Criticality)}, "expiry": {string(t.Expiry)},
			"max_age_days": {strconv.Itoa(t.MaxAgeDays)}, "expiry_time": {t.ExpiryTime}, "expiry_zone": {t.ExpiryZone}}}
		if t.RequiredByDefault {
			f.Values.Set("required_by_default", "on")
		}
		if t.Active {
			f.Values.Set("active", "on")
		}
		if t.OnBehalf {
			f.Values.Set("on_behalf", "on")
		}
		f.Values["also_supplied_by"] = strs(t.AlsoSuppliedBy)
		f.Values["visible_to"] = strs(t.VisibleTo)
		f.Values["cargo_classes"] = strs(t.CargoClasses)
	}
	d := newCatalogueData()
	d.Type = &t
	d.EditCodePath = url.PathEscape(t.Code)
	return "admin_type", &page{Title: "Edit " + t.Code, Nav: "admin", Form: f, Data: d}, nil
}

func (h *handler) typePage(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	name, p, err := h.typeHost(r, actor, nil)
	if err != nil {
		h.renderError(w, r, err, "/admin/catalogue")
		return
	}
	h.renderPage(w, r, http.StatusOK, name, p)
}

func (h *handler) updateType(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	spec := formSpec{name: "type", anchor: "type-form", fragment: "", host: func(f *formState) (string, *page, error) {
		return h.typeHost(r, actor, f)
	}}
	_ = r.ParseForm()
	var patch clearance.DocumentType
	if err := typeFields(r, &patch); err != nil {
		h.refuse(w, r, spec, err)
		return
	}
	t, err := h.svc.UpdateDocumentType(r.Context(), actor, r.PathValue("code"), func(t *clearance.DocumentType) {
		code, scope := t.Code, t.Scope
		*t = patch
		t.Code, t.Scope = code, scope
	})
	if err != nil {
		h.refuse(w, r, spec, err)
		return
	}
	setFlash(w, r, flash{Kind: "ok", Message: "Document type " + t.Code + " saved. Rooms keep the requirements they have."})
	http.Redirect(w, r, "/admin/catalogue", http.StatusSeeOther)
}

// templatesData lists the checklist template items by phase.
type templatesData struct {
	Phases []templatePhase
}

type templatePhase struct {
	Phase int
	Items []clearance.ChecklistTemplate
}

func (h *handler) templatesHost(r *http.Request, actor service.Actor, f *formState) (string, *page, error) {
	items, err := h.svc.ListChecklistTemplates(r.Context(), actor)
	if err != nil {
		return "", nil, err
	}
	var d templatesData
	for _, phase := range clearance.ChecklistPhases() {
		tp := templatePhase{Phase: phase}
		for _, it := range items {
			if it.Phase == phase {
				tp.Items = append(tp.Items, it)
			}
		}
		d.Phases = append(d.Phases, tp)
	}
	return "admin_checklists", &page{Title: "Checklist templates", Nav: "admin", Form: f, Data: d}, nil
}

func (h *handler) templatesPage(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	name, p, err := h.templatesHost(r, actor, nil)
	if err != nil {
		h.renderError(w, r, err, "/")
		return
	}
	h.renderPage(w, r, http.StatusOK, name, p)
}

func (h *handler) createTemplate(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	spec := formSpec{name: "template", anchor: "template-form", fragment: "", host: func(f *formState) (string, *page, error) {
		return h.templatesHost(r, actor, f)
	}}
	var fe fieldErrors
	phase := fe.optInt(r, "phase")
	position := fe.optInt(r, "position")
	if err := fe.err(); err != nil {
		h.refuse(w, r, spec, err)
		return
	}
	t, err := h.svc.CreateChecklistTemplate(r.Context(), actor, deref(phase), r.PostFormValue("text"), position, r.PostForm.Has("required"))
	if err != nil {
		h.refuse(w, r, spec, err)
		return
	}
	setFlash(w, r, flash{Kind: "ok", Message: fmt.Sprintf("Item added to %s; vessels added from now on get it.", clearance.ChecklistName(t.Phase))})
	http.Redirect(w, r, "/admin/checklists#phase-"+strconv.Itoa(t.Phase), http.StatusSeeOther)
}

func (h *handler) updateTemplate(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	id := r.PathValue("id")
	spec := formSpec{name: "template:" + id, anchor: "template-" + id, fragment: "", host: func(f *formState) (string, *page, error) {
		return h.templatesHost(r, actor, f)
	}}
	var fe fieldErrors
	position := fe.optInt(r, "position")
	if err := fe.err(); err != nil {
		h.refuse(w, r, spec, err)
		return
	}
	text := r.PostFormValue("text")
	active, required := r.PostForm.Has("active"), r.PostForm.Has("required")
	t, err := h.svc.UpdateChecklistTemplate(r.Context(), actor, id, service.ChecklistTemplatePatch{Text: &text, Required: &required, Active: &active, Position: position})
	if err != nil {
		h.refuse(w, r, spec, err)
		return
	}
	setFlash(w, r, flash{Kind: "ok", Message: "Checklist item saved; existing checklists keep the text they were made with."})
	http.Redirect(w, r, "/admin/checklists#template-"+t.ID, http.StatusSeeOther)
}
