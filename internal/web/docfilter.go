package web

import (
	"net/url"
	"strings"

	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/service"
)

// docFilter is the documents page's filter form: what the address asks for (the same names
// as the API's query parameters, so a filtered list is shared by its address) and, when the
// address was edited into something invalid, what was wrong with it.
type docFilter struct {
	service.DocumentFilter
	Problem string
}

// docFilterOf reads the filter from a room page's address.
func docFilterOf(q url.Values) docFilter {
	return docFilter{DocumentFilter: service.DocumentFilter{Status: q.Get("status"), VesselID: q.Get("vessel_id"),
		Criticality: q.Get("criticality"), Supplier: q.Get("supplier"), NeedsMe: q.Get("needs_me") == "true",
		Text: strings.TrimSpace(q.Get("q"))}}
}

// Query is the filter as an address's query, for the section's live refresh and links.
func (f docFilter) Query() string {
	q := url.Values{}
	for k, v := range map[string]string{"status": f.Status, "vessel_id": f.VesselID, "criticality": f.Criticality,
		"supplier": f.Supplier, "q": f.Text} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if f.NeedsMe {
		q.Set("needs_me", "true")
	}
	return q.Encode()
}

// The values the filter form offers, from the domain's lists.
func (docFilter) Statuses() []clearance.DocStatus        { return clearance.DocStatuses() }
func (docFilter) Criticalities() []clearance.Criticality { return clearance.Criticalities() }
func (docFilter) Suppliers() []authz.Role                { return authz.SupplierRoles() }
