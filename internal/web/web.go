// Package web is the browser UI of the STS Clearance Hub: server-rendered HTML pages
// (html/template, embedded and parsed at start-up) enhanced with htmx, which the project
// vendors and embeds — no Node build step.
//
// Every page works without JavaScript: links navigate and forms post and redirect. With
// JavaScript, htmx re-fetches the sections of a room page when the room changes (the live
// event stream at /rooms/{id}/events tells the page), forms update in place, and uploads show
// their progress.
//
// The handlers are thin: read the request, make one service call, render. The service
// decides every permission; the pages only hide the actions the caller may not take
// (service.RoomActions), so what the UI offers and what the service allows cannot differ.
// Sessions are the API's sessions, carried in an HttpOnly cookie; every unsafe request is
// checked against cross-origin forgery by the standard library's CrossOriginProtection.
package web

import (
	"log/slog"
	"net/http"

	"github.com/stshub/stshub/internal/live"
	"github.com/stshub/stshub/internal/service"
)

// handler serves the web UI.
type handler struct {
	svc       *service.Service
	broker    *live.Broker
	log       *slog.Logger
	tmpl      *templates
	static    *staticFiles
	maxUpload int64
	// secureCookies: every cookie is Secure (Options.SecureCookies).
	secureCookies bool
}

// Options tune the web UI; the zero value of each field takes its default.
type Options struct {
	// MaxUploadBytes bounds an uploaded document's request body (default 100 MiB); the
	// service applies its own limit to the file as well.
	MaxUploadBytes int64
	// SecureCookies marks the cookies Secure even on a plain-HTTP request: the server is
	// reached over https through a proxy that terminates TLS (config.PublicURL).
	SecureCookies bool
}

// New returns the web UI's handler, with its templates parsed and static files indexed. A
// template that does not parse is an error here, at start-up, not on a user's request.
func New(svc *service.Service, events *live.Broker, log *slog.Logger, opts ...Options) (http.Handler, error) {
	if log == nil {
		log = slog.Default()
	}
	h := &handler{svc: svc, broker: events, log: log, maxUpload: 100 << 20}
	for _, o := range opts {
		if o.MaxUploadBytes > 0 {
			h.maxUpload = o.MaxUploadBytes
		}
		h.secureCookies = h.secureCookies || o.SecureCookies
	}
	var err error
	if h.static, err = loadStatic(); err != nil {
		return nil, err
	}
	if h.tmpl, err = parseTemplates(h.funcs()); err != nil {
		return nil, err
	}

	mux := http.NewServeMux()
	h.routes(mux)

	// SECURITY: every unsafe request (POST) must come from this site: browsers say where a
	// request comes from (Sec-Fetch-Site, Origin) and cross-origin ones are refused with 403,
	// so no other site can submit our forms with the user's cookie.
	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(h.crossOrigin))
	return securityHeaders(csrf.Handler(h.markSecure(h.session(mux)))), nil
}

// routes lists every page and form of the UI.
func (h *handler) routes(mux *http.ServeMux) {
	mux.Handle("GET /static/{file}", h.static)

	mux.HandleFunc("GET /login", h.loginPage)
	mux.HandleFunc("POST /login", h.login)
	mux.HandleFunc("POST /logout", h.logout)
	mux.HandleFunc("GET /password-reset", h.forgotPage)
	mux.HandleFunc("POST /password-reset", h.requestReset)
	mux.HandleFunc("POST /password-reset/confirm", h.resetPassword)
	mux.HandleFunc("GET /invitations/accept", h.invitationPage)
	mux.HandleFunc("POST /invitations/accept", h.acceptInvitation)
	mux.HandleFunc("GET /account", h.signedIn(h.accountPage))
	mux.HandleFunc("POST /account", h.signedIn(h.updateAccount))
	mux.HandleFunc("POST /account/password", h.signedIn(h.changePassword))

	mux.HandleFunc("GET /{$}", h.signedIn(h.cockpit))

	mux.HandleFunc("GET /rooms/new", h.signedIn(h.newRoomPage))
	mux.HandleFunc("POST /rooms", h.signedIn(h.createRoom))
	mux.HandleFunc("GET /rooms/{room}", h.signedIn(h.roomPage))
	for _, s := range roomSections {
		mux.HandleFunc("GET /rooms/{room}/"+s, h.signedIn(h.roomSection(s)))
	}
	mux.HandleFunc("GET /rooms/{room}/edit", h.signedIn(h.editRoomPage))
	mux.HandleFunc("POST /rooms/{room}/edit", h.signedIn(h.updateRoom))
	mux.HandleFunc("POST /rooms/{room}/status", h.signedIn(h.changeStatus))
	mux.HandleFunc("POST /rooms/{room}/delete", h.signedIn(h.deleteRoom))
	mux.HandleFunc("POST /rooms/{room}/archive", h.signedIn(h.archiveRoom))
	mux.HandleFunc("POST /rooms/{room}/unarchive", h.signedIn(h.unarchiveRoom))
	mux.HandleFunc("POST /rooms/{room}/requirements", h.signedIn(h.addRequirement))
	mux.HandleFunc("GET /rooms/{room}/events", h.liveEvents)

	mux.HandleFunc("GET /rooms/{room}/vessels/new", h.signedIn(h.newVesselPage))
	mux.HandleFunc("POST /rooms/{room}/vessels", h.signedIn(h.addVessel))
	mux.HandleFunc("POST /rooms/{room}/vessels/{vessel}/remove", h.signedIn(h.removeVessel))

	mux.HandleFunc("POST /rooms/{room}/parties", h.signedIn(h.addParty))
	mux.HandleFunc("POST /rooms/{room}/parties/{party}/role", h.signedIn(h.changePartyRole))
	mux.HandleFunc("POST /rooms/{room}/parties/{party}/vessels", h.signedIn(h.bindParty))
	mux.HandleFunc("POST /rooms/{room}/parties/{party}/remove", h.signedIn(h.removeParty))
	mux.HandleFunc("POST /rooms/{room}/invitations/{inv}/resend", h.signedIn(h.resendRoomInvitation))
	mux.HandleFunc("POST /rooms/{room}/invitations/{inv}/revoke", h.signedIn(h.revokeRoomInvitation))

	mux.HandleFunc("GET /rooms/{room}/documents/{doc}", h.signedIn(h.documentPage))
	mux.HandleFunc("GET /rooms/{room}/documents/{doc}/detail", h.signedIn(h.documentSection))
	mux.HandleFunc("POST /rooms/{room}/documents/{doc}/approve", h.signedIn(h.approve))
	mux.HandleFunc("POST /rooms/{room}/documents/{doc}/reject", h.signedIn(h.reject))
	mux.HandleFunc("POST /rooms/{room}/documents/{doc}/waive", h.signedIn(h.waive))
	mux.HandleFunc("POST /rooms/{room}/documents/{doc}/upload", h.signedIn(h.upload))
	mux.HandleFunc("GET /rooms/{room}/documents/{doc}/versions/{version}/download", h.signedIn(h.downloadVersion))
	mux.HandleFunc("GET /rooms/{room}/documents/{doc}/versions/{version}/preview", h.signedIn(h.previewVersion))
	mux.HandleFunc("POST /rooms/{room}/documents/{doc}/questions", h.signedIn(h.askQuestion))
	mux.HandleFunc("POST /rooms/{room}/documents/{doc}/questions/{question}/replies", h.signedIn(h.threadAction(h.svc.ReplyToQuestion, "text", "reply", "Reply added.")))
	mux.HandleFunc("POST /rooms/{room}/documents/{doc}/questions/{question}/resolve", h.signedIn(h.threadAction(h.svc.ResolveQuestion, "note", "resolve", "Question resolved.")))
	mux.HandleFunc("POST /rooms/{room}/documents/{doc}/questions/{question}/reopen", h.signedIn(h.threadAction(h.svc.ReopenQuestion, "note", "resolve", "Question reopened.")))

	mux.HandleFunc("POST /rooms/{room}/signoff", h.signedIn(h.signOff))
	mux.HandleFunc("POST /rooms/{room}/checklists/{checklist}/items/{item}", h.signedIn(h.answerItem))
	mux.HandleFunc("POST /rooms/{room}/checklists/{checklist}/sign", h.signedIn(h.signChecklist))
	mux.HandleFunc("POST /rooms/{room}/notices", h.signedIn(h.recordNotice))
	mux.HandleFunc("POST /rooms/{room}/milestones", h.signedIn(h.recordMilestone))

	mux.HandleFunc("POST /rooms/{room}/activity/verify", h.signedIn(h.verifyTrail))
	mux.HandleFunc("GET /rooms/{room}/activity/export", h.signedIn(h.exportTrail))
	mux.HandleFunc("POST /rooms/{room}/snapshots", h.signedIn(h.createSnapshot))
	mux.HandleFunc("GET /rooms/{room}/snapshots/{snapshot}/download", h.signedIn(h.downloadSnapshot))
	mux.HandleFunc("POST /rooms/{room}/snapshots/{snapshot}/delete", h.signedIn(h.deleteSnapshot))

	mux.HandleFunc("GET /notifications", h.signedIn(h.notificationsPage))
	mux.HandleFunc("GET /notifications/bell", h.signedIn(h.bell))
	mux.HandleFunc("GET /notifications/events", h.userEvents)
	mux.HandleFunc("POST /notifications/read", h.signedIn(h.markAllNotificationsRead))
	mux.HandleFunc("POST /notifications/{id}/read", h.signedIn(h.markNotificationRead))
	mux.HandleFunc("GET /notifications/preferences", h.signedIn(h.preferencesPage))
	mux.HandleFunc("POST /notifications/preferences", h.signedIn(h.savePreferences))

	mux.HandleFunc("GET /admin", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
	})
	mux.HandleFunc("GET /admin/users", h.adminOnly(h.usersPage))
	mux.HandleFunc("POST /admin/users", h.adminOnly(h.createUser))
	mux.HandleFunc("POST /admin/users/{id}", h.adminOnly(h.updateUser))
	mux.HandleFunc("POST /admin/users/{id}/password-reset", h.adminOnly(h.sendReset))
	mux.HandleFunc("POST /admin/invitations", h.adminOnly(h.invitePlatform))
	mux.HandleFunc("POST /admin/invitations/{id}/resend", h.adminOnly(h.resendPlatformInvitation))
	mux.HandleFunc("POST /admin/invitations/{id}/revoke", h.adminOnly(h.revokePlatformInvitation))
	mux.HandleFunc("GET /admin/catalogue", h.adminOnly(h.cataloguePage))
	mux.HandleFunc("POST /admin/catalogue", h.adminOnly(h.createType))
	mux.HandleFunc("GET /admin/catalogue/{code}", h.adminOnly(h.typePage))
	mux.HandleFunc("POST /admin/catalogue/{code}", h.adminOnly(h.updateType))
	mux.HandleFunc("GET /admin/coastal", h.adminOnly(h.coastalPage))
	mux.HandleFunc("POST /admin/coastal", h.adminOnly(h.createArea))
	mux.HandleFunc("GET /admin/coastal/{code}", h.adminOnly(h.areaPage))
	mux.HandleFunc("POST /admin/coastal/{code}", h.adminOnly(h.updateArea))
	mux.HandleFunc("GET /admin/checklists", h.adminOnly(h.templatesPage))
	mux.HandleFunc("POST /admin/checklists", h.adminOnly(h.createTemplate))
	mux.HandleFunc("POST /admin/checklists/{id}", h.adminOnly(h.updateTemplate))
	mux.HandleFunc("GET /admin/rooms", h.adminOnly(h.keptRoomsPage))
	mux.HandleFunc("POST /admin/rooms/{room}/access", h.adminOnly(h.adminAccess))

	mux.HandleFunc("/", h.notFound)
}

// notFound is the HTML 404 of every path the UI does not know.
func (h *handler) notFound(w http.ResponseWriter, r *http.Request) {
	h.renderPage(w, r, http.StatusNotFound, "error", &page{Title: "Not found", Data: errorInfo{Status: http.StatusNotFound,
		Heading: "Not found", Message: "There is no page at this address. Check the link, or start from your rooms."}})
}

// crossOrigin answers a request that CrossOriginProtection refused: a form submitted from
// another site. Nothing was changed.
func (h *handler) crossOrigin(w http.ResponseWriter, r *http.Request) {
	h.log.WarnContext(r.Context(), "cross-origin request refused", "method", r.Method, "path", r.URL.Path,
		"sec_fetch_site", r.Header.Get("Sec-Fetch-Site"), "origin", r.Header.Get("Origin"))
	h.renderPage(w, r, http.StatusForbidden, "error", &page{Title: "Request refused", Data: errorInfo{Status: http.StatusForbidden,
		Heading: "Request refused", Message: "This form was sent from another website, so it was not accepted and nothing was changed. " +
			"If you meant to do this, open the STS Clearance Hub directly and try again."}})
}
