package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/service"
)

// The coastal-state table's pages (admins only, adminOnly): what each state or STS area
// asks before an operation in its waters. Rooms name an entry; the commencement gate reads
// its rule whenever it is asked, so a change applies to every room naming it at once.

// coastalData drives the table and the form of one entry.
type coastalData struct {
	Areas []clearance.CoastalArea
	Area  *clearance.CoastalArea // the entry being edited, nil on the list
	// EditCodePath is the edited entry's code, escaped for the form's address.
	EditCodePath string
}

func (h *handler) coastalHost(r *http.Request, actor service.Actor, f *formState) (string, *page, error) {
	areas, err := h.svc.ListCoastalAreas(r.Context(), actor, true)
	if err != nil {
		return "", nil, err
	}
	return "admin_coastal", &page{Title: "Coastal states", Nav: "admin", Form: f, Data: coastalData{Areas: areas}}, nil
}

func (h *handler) coastalPage(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	name, p, err := h.coastalHost(r, actor, nil)
	if err != nil {
		h.renderError(w, r, err, "/")
		return
	}
	h.renderPage(w, r, http.StatusOK, name, p)
}

// areaFields reads the fields of an entry the form sends into a. The hours are required
// (0 where the regime asks for none); the table's rules check the rest.
func areaFields(r *http.Request, a *clearance.CoastalArea) error {
	var fe fieldErrors
	a.Name, a.Country, a.Source = r.PostFormValue("name"), r.PostFormValue("country"), r.PostFormValue("source")
	a.Regime = clearance.NoticeRegime(r.PostFormValue("regime"))
	for _, n := range []struct {
		field string
		dst   *int
	}{{"lead_hours", &a.LeadHours}, {"renotice_hours", &a.RenoticeHours}} {
		if strings.TrimSpace(r.PostFormValue(n.field)) == "" {
			fe.c.Add(n.field, "is required (0 when none)")
		} else if v := fe.optInt(r, n.field); v != nil {
			*n.dst = *v
		}
	}
	// None ticked is every class.
	a.CargoClasses = []clearance.CargoClass{}
	for _, c := range r.PostForm["cargo_classes"] {
		a.CargoClasses = append(a.CargoClasses, clearance.CargoClass(c))
	}
	a.Verified = r.PostForm.Has("verified")
	a.Active = r.PostForm.Has("active")
	return fe.err()
}

func (h *handler) createArea(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	spec := formSpec{name: "area", anchor: "area-form", host: func(f *formState) (string, *page, error) {
		return h.coastalHost(r, actor, f)
	}}
	_ = r.ParseForm()
	a := clearance.CoastalArea{Code: r.PostFormValue("code")}
	err := areaFields(r, &a)
	if err == nil {
		a, err = h.svc.CreateCoastalArea(r.Context(), actor, a)
	}
	if err != nil {
		h.refuse(w, r, spec, err)
		return
	}
	setFlash(w, r, flash{Kind: "ok", Message: "Coastal state or area " + a.Code + " added; rooms may name it now."})
	http.Redirect(w, r, "/admin/coastal", http.StatusSeeOther)
}

func (h *handler) areaHost(r *http.Request, actor service.Actor, f *formState) (string, *page, error) {
	code := r.PathValue("code")
	areas, err := h.svc.ListCoastalAreas(r.Context(), actor, true)
	if err != nil {
		return "", nil, err
	}
	i := slices.IndexFunc(areas, func(a clearance.CoastalArea) bool { return a.Code == code })
	if i < 0 {
		return "", nil, fmt.Errorf("coastal area: %w", apperr.ErrNotFound)
	}
	a := areas[i]
	if f == nil {
		f = &formState{Name: "area", Values: url.Values{"name": {a.Name}, "country": {a.Country}, "regime": {string(a.Regime)},
			"lead_hours": {strconv.Itoa(a.LeadHours)}, "renotice_hours": {strconv.Itoa(a.RenoticeHours)}, "source": {a.Source},
			"cargo_classes": strs(a.CargoClasses)}}
		if a.Verified {
			f.Values.Set("verified", "on")
		}
		if a.Active {
			f.Values.Set("active", "on")
		}
	}
	return "admin_area", &page{Title: "Edit " + a.Code, Nav: "admin", Form: f,
		Data: coastalData{Area: &a, EditCodePath: url.PathEscape(a.Code)}}, nil
}

func (h *handler) areaPage(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	name, p, err := h.areaHost(r, actor, nil)
	if err != nil {
		h.renderError(w, r, err, "/admin/coastal")
		return
	}
	h.renderPage(w, r, http.StatusOK, name, p)
}

func (h *handler) updateArea(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	spec := formSpec{name: "area", anchor: "area-form", host: func(f *formState) (string, *page, error) {
		return h.areaHost(r, actor, f)
	}}
	_ = r.ParseForm()
	var patch clearance.CoastalArea
	if err := areaFields(r, &patch); err != nil {
		h.refuse(w, r, spec, err)
		return
	}
	a, err := h.svc.UpdateCoastalArea(r.Context(), actor, r.PathValue("code"), func(a *clearance.CoastalArea) {
		code := a.Code
		*a = patch
		a.Code = code
	})
	if err != nil {
		h.refuse(w, r, spec, err)
		return
	}
	setFlash(w, r, flash{Kind: "ok", Message: a.Code + " saved. Rooms that name it are judged by the new rule from now on."})
	http.Redirect(w, r, "/admin/coastal", http.StatusSeeOther)
}
