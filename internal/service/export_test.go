package service

import "context"

// SetAfterBlobStored sets the seam that runs between a use case storing a blob and the
// commit of the row that refers to it (nil removes it).
func SetAfterBlobStored(s *Service, fn func(ctx context.Context, sha string)) {
	if fn == nil {
		s.afterBlobStored.Store(nil)
		return
	}
	s.afterBlobStored.Store(&fn)
}
