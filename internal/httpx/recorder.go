package httpx

import "net/http"

// Recorder remembers the status and size of a response while passing it through. It keeps
// http.ResponseController working (Flush for server-sent events) through Unwrap.
type Recorder struct {
	http.ResponseWriter
	status  int
	written int64
}

// NewRecorder wraps w.
func NewRecorder(w http.ResponseWriter) *Recorder { return &Recorder{ResponseWriter: w} }

// WriteHeader records the status.
func (r *Recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

// Write records the size.
func (r *Recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.written += int64(n)
	return n, err
}

// Status is the status sent (200 when the handler wrote nothing explicit).
func (r *Recorder) Status() int {
	if r.status == 0 {
		return http.StatusOK
	}
	return r.status
}

// Written is the number of body bytes sent.
func (r *Recorder) Written() int64 { return r.written }

// Unwrap exposes the underlying writer to http.ResponseController.
func (r *Recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
