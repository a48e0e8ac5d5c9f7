package files

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"sync"

	"github.com/stshub/stshub/internal/apperr"
)

// copyBuffers holds the buffers copyHashed moves files through: large, so that a file is
// written in a few system calls, and reused, so that an upload allocates none.
var copyBuffers = sync.Pool{New: func() any {
	b := make([]byte, 256<<10)
	return &b
}}

// copyHashed copies r to w, hashing and counting what passes, and fails once more than
// maxBytes (when > 0) have been read.
func copyHashed(w io.Writer, r io.Reader, maxBytes int64) (Blob, error) {
	h := sha256.New()
	src := r
	if maxBytes > 0 {
		src = io.LimitReader(r, maxBytes+1)
	}
	buf := copyBuffers.Get().(*[]byte)
	defer copyBuffers.Put(buf)
	n, err := io.CopyBuffer(io.MultiWriter(w, h), src, *buf)
	if err != nil {
		return Blob{}, diskFull(err) // the reader's errors are never ENOSPC: that is the spool's
	}
	if maxBytes > 0 && n > maxBytes {
		return Blob{}, fmt.Errorf("file is larger than %d bytes: %w", maxBytes, apperr.ErrTooLarge)
	}
	return Blob{SHA256: hexSum(h), Size: n}, nil
}

func hexSum(h hash.Hash) string { return hex.EncodeToString(h.Sum(nil)) }
