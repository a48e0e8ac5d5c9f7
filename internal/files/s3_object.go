package files

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// s3Object reads a blob with ranged GetObject requests: the first Read after Open or
// after a Seek that moved the offset starts a request for bytes=<off>-, and later Reads
// continue on its body. It is not safe for concurrent use, like an *os.File.
type s3Object struct {
	ctx    context.Context
	client *s3.Client
	bucket string
	key    string
	size   int64
	off    int64
	body   io.ReadCloser // nil until the next Read needs one
	closed bool
}

func (o *s3Object) Size() int64 { return o.size }

func (o *s3Object) Read(p []byte) (int, error) {
	if o.closed {
		return 0, errors.New("read blob: object is closed")
	}
	if o.off >= o.size {
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	if o.body == nil {
		out, err := o.client.GetObject(o.ctx, &s3.GetObjectInput{
			Bucket: aws.String(o.bucket),
			Key:    aws.String(o.key),
			Range:  aws.String("bytes=" + strconv.FormatInt(o.off, 10) + "-"),
		})
		if isNotFound(err) {
			return 0, fmt.Errorf("read blob: %w", ErrNotExist)
		}
		if err != nil {
			return 0, fmt.Errorf("read blob: %w", err)
		}
		o.body = out.Body
	}
	n, err := o.body.Read(p)
	o.off += int64(n)
	if errors.Is(err, io.EOF) {
		o.closeBody()
		if o.off < o.size {
			// The server ended the body early: report it rather than a short blob.
			return n, io.ErrUnexpectedEOF
		}
		if n > 0 {
			return n, nil
		}
		return 0, io.EOF
	}
	if err != nil {
		o.closeBody()
		return n, fmt.Errorf("read blob: %w", err)
	}
	return n, nil
}

// Seek only moves the offset; the next Read fetches from there.
func (o *s3Object) Seek(offset int64, whence int) (int64, error) {
	if o.closed {
		return 0, errors.New("seek blob: object is closed")
	}
	var abs int64
	switch whence {
	case io.SeekStart:
		abs = offset
	case io.SeekCurrent:
		abs = o.off + offset
	case io.SeekEnd:
		abs = o.size + offset
	default:
		return 0, errors.New("seek blob: invalid whence")
	}
	if abs < 0 {
		return 0, errors.New("seek blob: negative position")
	}
	if abs != o.off {
		o.closeBody()
		o.off = abs
	}
	return abs, nil
}

func (o *s3Object) Close() error {
	o.closed = true
	o.closeBody()
	return nil
}

func (o *s3Object) closeBody() {
	if o.body != nil {
		o.body.Close()
		o.body = nil
	}
}
