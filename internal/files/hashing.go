package files

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"

	"github.com/stshub/stshub/internal/apperr"
)

// copyHashed copies r to w, hashing and counting what passes, and fails once more than
// maxBytes (when > 0) have been read.
func copyHashed(w io.Writer, r io.Reader, maxBytes int64) (Blob, error) {
	h := sha256.New()
	src := r
	if maxBytes > 0 {
		src = io.LimitReader(r, maxBytes+1)
	}
	n, err := io.Copy(io.MultiWriter(w, h), src)
	if err != nil {
		return Blob{}, err
	}
	if maxBytes > 0 && n > maxBytes {
		return Blob{}, fmt.Errorf("file is larger than %d bytes: %w", maxBytes, apperr.ErrTooLarge)
	}
	return Blob{SHA256: hexSum(h), Size: n}, nil
}

func hexSum(h hash.Hash) string { return hex.EncodeToString(h.Sum(nil)) }
