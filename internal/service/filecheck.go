package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"

	"github.com/stshub/stshub/internal/files"
	"github.com/stshub/stshub/internal/store"
)

// FileFault is a row whose file is missing from the file store or is not what the row
// recorded.
type FileFault struct {
	Ref     store.BlobRef
	Problem string
}

// String names the row and the problem, as `stshub fsck` prints it.
func (f FileFault) String() string {
	r := f.Ref
	if r.Kind == store.BlobRefVersion {
		return fmt.Sprintf("version %d (%s) of document %s in room %s, file %s: %s", r.Number, r.ID, r.DocumentID, r.RoomID, r.SHA256, f.Problem)
	}
	return fmt.Sprintf("snapshot %s in room %s, file %s: %s", r.ID, r.RoomID, r.SHA256, f.Problem)
}

// FileCheck counts what CheckFiles looked at.
type FileCheck struct {
	Versions, Snapshots, Faults int
}

// fileCheckPage is how many rows CheckFiles reads at a time.
const fileCheckPage = 500

// CheckFiles reads the file of every document version (current and old) and of every
// completed snapshot that is not deleted, and checks that it is in the file store with the
// size and SHA-256 its row recorded. It reports each fault to fault as it finds it and
// returns an error only when it cannot go on (the database or the context failing). Memory
// stays bounded: rows are read a page at a time and files are streamed through the hash.
func (s *Service) CheckFiles(ctx context.Context, fault func(FileFault)) (FileCheck, error) {
	var c FileCheck
	pages := []struct {
		count *int
		page  func(ctx context.Context, afterID string, limit int) ([]store.BlobRef, error)
	}{
		{&c.Versions, s.db.Read().VersionBlobRefs},
		{&c.Snapshots, s.db.Read().SnapshotBlobRefs},
	}
	for _, p := range pages {
		after := ""
		for {
			refs, err := p.page(ctx, after, fileCheckPage)
			if err != nil {
				return c, err
			}
			for _, r := range refs {
				*p.count++
				problem, err := s.checkFile(ctx, r)
				if err != nil {
					return c, err
				}
				if problem != "" {
					c.Faults++
					fault(FileFault{Ref: r, Problem: problem})
				}
			}
			if len(refs) < fileCheckPage {
				break
			}
			after = refs[len(refs)-1].ID
		}
	}
	return c, nil
}

// checkFile returns what is wrong with r's file ("" for nothing); an error only when the
// check itself cannot go on.
func (s *Service) checkFile(ctx context.Context, r store.BlobRef) (string, error) {
	obj, err := s.files.Open(ctx, r.SHA256)
	switch {
	case errors.Is(err, files.ErrNotExist):
		return "missing", nil
	case errors.Is(err, files.ErrBadHash):
		return "the recorded SHA-256 is not one", nil
	case err != nil:
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		return "cannot be opened: " + err.Error(), nil
	}
	defer obj.Close()
	if obj.Size() != r.Size {
		return fmt.Sprintf("%d bytes, the row records %d", obj.Size(), r.Size), nil
	}
	h := sha256.New()
	n, err := io.Copy(h, obj)
	if err != nil {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		return fmt.Sprintf("unreadable after %d bytes: %v", n, err), nil
	}
	if n != r.Size {
		return fmt.Sprintf("%d bytes read, the row records %d", n, r.Size), nil
	}
	if sum := hex.EncodeToString(h.Sum(nil)); sum != r.SHA256 {
		return "its content's SHA-256 is " + sum, nil
	}
	return "", nil
}
