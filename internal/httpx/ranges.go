package httpx

import (
	"net/http"
	"strings"
)

// MaxRanges is how many byte ranges one download request may ask for. More is no real
// client's need (a resumed or parallel download asks for one); a request listing hundreds
// of one-byte ranges only makes the server write hundreds of multipart headers.
const MaxRanges = 16

// LimitRanges drops a Range header that asks for more than MaxRanges ranges, so the file
// is sent whole (RFC 9110 lets a server ignore Range). Call it before http.ServeContent.
func LimitRanges(r *http.Request) {
	if h := r.Header.Get("Range"); h != "" && strings.Count(h, ",") >= MaxRanges {
		r.Header.Del("Range")
	}
}
