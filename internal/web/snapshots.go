package web

import (
	"net/http"

	"github.com/stshub/stshub/internal/service"
)

// createSnapshot captures the room's state now; the file is rendered in the background and
// the snapshot list shows "generating…" until the live event says it is ready.
func (h *handler) createSnapshot(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	roomID := r.PathValue("room")
	_ = r.ParseForm()
	// Unticked checkboxes are not sent: each section is in exactly when its box is ticked.
	docs, acts, appr := r.PostForm.Has("include_documents"), r.PostForm.Has("include_activity"), r.PostForm.Has("include_approvals")
	s, err := h.svc.CreateSnapshot(r.Context(), actor, roomID, service.NewSnapshot{Title: r.PostFormValue("title"),
		Type: r.PostFormValue("snapshot_type"), IncludeDocuments: &docs, IncludeActivity: &acts, IncludeApprovals: &appr})
	if err != nil {
		h.refuse(w, r, h.roomFormSpec(r, actor, "snapshot", "snapshots", "form-snapshot"), err)
		return
	}
	h.done(w, r, roomURL(roomID, "snapshots"), "Snapshot “"+s.Title+"” is being generated.")
}

// downloadSnapshot streams a completed snapshot after the service's permission check.
func (h *handler) downloadSnapshot(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	roomID := r.PathValue("room")
	snap, obj, err := h.svc.OpenSnapshotFile(r.Context(), actor, roomID, r.PathValue("snapshot"))
	if err != nil {
		h.renderError(w, r, err, roomURL(roomID, "snapshots"))
		return
	}
	defer obj.Close()
	name := "snapshot-" + snap.CreatedAt.UTC().Format("20060102-150405") + "." + snap.Type
	serveAttachment(w, r, snap.ContentType, name, snap.FileSHA256, snap.CreatedAt, obj)
}

func (h *handler) deleteSnapshot(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	roomID := r.PathValue("room")
	if err := h.svc.DeleteSnapshot(r.Context(), actor, roomID, r.PathValue("snapshot")); err != nil {
		h.refuse(w, r, h.roomFormSpec(r, actor, "snapshots", "snapshots", ""), err)
		return
	}
	h.done(w, r, roomURL(roomID, "snapshots"), "Snapshot deleted.")
}
