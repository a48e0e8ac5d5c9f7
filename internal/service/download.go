package service

import (
	"context"
	"errors"
	"fmt"

	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/files"
)

// OpenVersion opens a version of a room's document for download (the latest when
// versionID is ""), and records the download in the room's trail. The caller closes the
// object.
func (s *Service) OpenVersion(ctx context.Context, actor Actor, roomID, documentID, versionID string) (clearance.DocumentVersion, files.Object, error) {
	q := s.db.Read()
	// SECURITY: every download passes the room's permission check; files are never served by path.
	m, err := authorizeMember(ctx, q, actor, roomID, authz.ViewRoom)
	if err != nil {
		return clearance.DocumentVersion{}, nil, err
	}
	d, err := q.DocumentByID(ctx, roomID, documentID)
	if err != nil {
		return clearance.DocumentVersion{}, nil, err
	}
	types, err := s.catalogue(ctx, q)
	if err != nil {
		return clearance.DocumentVersion{}, nil, err
	}
	// SECURITY: a confidential document is absent for a party that may not see it.
	if err := permit(m, seeing(d, types[d.TypeCode])); err != nil {
		return clearance.DocumentVersion{}, nil, err
	}
	v, err := q.VersionByID(ctx, roomID, documentID, versionID)
	if err != nil {
		return clearance.DocumentVersion{}, nil, err
	}
	obj, err := s.files.Open(ctx, v.SHA256)
	if errors.Is(err, files.ErrNotExist) {
		return v, nil, fmt.Errorf("the file of version %d (sha256 %s) is missing from the file store", v.Number, v.SHA256)
	}
	if err != nil {
		return v, nil, err
	}
	if err := s.recordVersionDownload(ctx, actor, v); err != nil {
		obj.Close()
		return v, nil, err
	}
	return v, obj, nil
}

// FileExists reports whether the file store holds a blob (for tests and checks).
func (s *Service) FileExists(ctx context.Context, sha string) (bool, error) {
	return s.files.Exists(ctx, sha)
}
