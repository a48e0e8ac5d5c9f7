package service

import (
	"context"
	"errors"
	"fmt"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/files"
	"github.com/stshub/stshub/internal/store"
)

// OpenVersion opens a version of a room's document for download (the latest when
// versionID is ""), and records the download in the room's trail: every download, each
// time. The caller closes the object.
func (s *Service) OpenVersion(ctx context.Context, actor Actor, roomID, documentID, versionID string) (clearance.DocumentVersion, files.Object, error) {
	_, v, obj, err := s.openVersion(ctx, actor, roomID, documentID, versionID, false)
	if err != nil {
		return v, nil, err
	}
	if err := s.recordVersionDownload(ctx, actor, v); err != nil {
		obj.Close()
		return v, nil, err
	}
	return v, obj, nil
}

// ErrNotPreviewable refuses the preview of a file the browser may not show inline.
var ErrNotPreviewable = fmt.Errorf("only PDFs and PNG, JPEG, GIF or WebP images are shown in the browser: download the file to open it: %w", apperr.ErrConflict)

// OpenPreview is OpenVersion for showing the file in the browser, for a PDF or an image
// only (clearance.Previewable; any other file is ErrNotPreviewable), with the same
// permission check. The trail records a view, not each request of it (recordPreview): one
// entry per person, version and hour, however many requests the page and its PDF viewer
// make.
func (s *Service) OpenPreview(ctx context.Context, actor Actor, roomID, documentID, versionID string) (clearance.DocumentVersion, files.Object, error) {
	d, v, obj, err := s.openVersion(ctx, actor, roomID, documentID, versionID, true)
	if err != nil {
		return v, nil, err
	}
	if err := s.recordPreview(ctx, actor, d, v); err != nil {
		obj.Close()
		return v, nil, err
	}
	return v, obj, nil
}

// openVersion opens a version after the permission check; preview refuses a file that is
// not previewable before it is opened.
func (s *Service) openVersion(ctx context.Context, actor Actor, roomID, documentID, versionID string, preview bool) (store.Document, clearance.DocumentVersion, files.Object, error) {
	q := s.db.Read()
	// SECURITY: every download passes the room's permission check; files are never served by path.
	m, err := authorizeMember(ctx, q, actor, roomID, authz.ViewRoom)
	if err != nil {
		return store.Document{}, clearance.DocumentVersion{}, nil, err
	}
	d, err := q.DocumentByID(ctx, roomID, documentID)
	if err != nil {
		return d, clearance.DocumentVersion{}, nil, err
	}
	types, err := s.catalogue(ctx, q)
	if err != nil {
		return d, clearance.DocumentVersion{}, nil, err
	}
	// SECURITY: a confidential document is absent for a party that may not see it.
	if err := permit(m, seeing(d, types[d.TypeCode])); err != nil {
		return d, clearance.DocumentVersion{}, nil, err
	}
	v, err := q.VersionByID(ctx, roomID, documentID, versionID)
	if err != nil {
		return d, v, nil, err
	}
	if preview && !clearance.Previewable(v.ContentType) {
		return d, v, nil, ErrNotPreviewable
	}
	obj, err := s.files.Open(ctx, v.SHA256)
	if errors.Is(err, files.ErrNotExist) {
		return d, v, nil, fmt.Errorf("the file of version %d (sha256 %s) is missing from the file store", v.Number, v.SHA256)
	}
	if err != nil {
		return d, v, nil, err
	}
	return d, v, obj, nil
}

// FileExists reports whether the file store holds a blob (for tests and checks).
func (s *Service) FileExists(ctx context.Context, sha string) (bool, error) {
	return s.files.Exists(ctx, sha)
}
