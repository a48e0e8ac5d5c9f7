package service

// SetBeforeDigest sets the seam that runs first in each user's digest; its error is that
// user's failure (nil removes it).
func SetBeforeDigest(s *Service, fn func(userID string) error) {
	if fn == nil {
		s.beforeDigest.Store(nil)
		return
	}
	s.beforeDigest.Store(&fn)
}
