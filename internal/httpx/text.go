package httpx

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/stshub/stshub/internal/apperr"
)

// Text that reaches the database is valid UTF-8 without NUL characters: PostgreSQL refuses
// both (SQLite would store them), and no field of the product means either. CleanText
// refuses such text at the edge, before any handler reads it, with a 422 naming the field:
// in the query string, in a URL-encoded form (parsed here, once, for the handler) and in a
// JSON body. (Go's JSON decoder already turns invalid UTF-8 into U+FFFD, so in JSON only the
// \u0000 escape is looked for, and the body is decoded here only when it holds one.)
// Multipart uploads check their few fields where they read them.

// badTextMessage is what a field holding such text is told.
const badTextMessage = "must be text (valid UTF-8) without NUL characters"

// IsCleanText reports whether s is valid UTF-8 without NUL characters.
func IsCleanText(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

// CleanText is the middleware; bodies are already limited in size (LimitBody).
func CleanText(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !IsCleanText(r.URL.Path) {
			WriteProblem(w, NewProblem(r.Context(), http.StatusNotFound, "no such path"))
			return
		}
		fields := badValues(r.URL.Query())
		if len(fields) == 0 && r.Body != nil && r.Method != http.MethodGet && r.Method != http.MethodHead {
			var err error
			if fields, err = badBodyFields(r); err != nil {
				status := http.StatusBadRequest
				if errors.Is(TooLarge(err), apperr.ErrTooLarge) {
					status = http.StatusRequestEntityTooLarge
				} else if errors.Is(err, ErrBodyTooSlow) {
					status = http.StatusRequestTimeout
				}
				WriteProblem(w, NewProblem(r.Context(), status, "the request body could not be read"))
				return
			}
		}
		if len(fields) > 0 {
			out := make([]apperr.FieldError, len(fields))
			for i, f := range fields {
				out[i] = apperr.FieldError{Field: f, Message: badTextMessage}
			}
			WriteProblem(w, NewProblem(r.Context(), http.StatusUnprocessableEntity, "the request has invalid fields", out...))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// badBodyFields names the fields of a URL-encoded or JSON body holding unclean text. A form is
// parsed here once (r.PostForm, which the handler then reads); a JSON body is read and put
// back for the handler.
func badBodyFields(r *http.Request) ([]string, error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "application/x-www-form-urlencoded" {
		if err := r.ParseForm(); err != nil {
			if errors.Is(TooLarge(err), apperr.ErrTooLarge) || errors.Is(err, ErrBodyTooSlow) {
				return nil, err
			}
			return nil, nil // malformed: the handler answers it
		}
		return badValues(r.PostForm), nil
	}
	if mt != "application/json" && !strings.HasSuffix(mt, "+json") {
		return nil, nil
	}
	body, err := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	if !bytes.Contains(body, []byte(`\u0000`)) {
		return nil, nil
	}
	var doc any
	if json.Unmarshal(body, &doc) != nil {
		return nil, nil // malformed: the handler answers 400
	}
	var out []string
	walkStrings(doc, "", func(path, s string) {
		if !IsCleanText(s) {
			out = append(out, path)
		}
	})
	sort.Strings(out)
	return out, nil
}

// badValues names the keys of values whose key or any value is unclean text.
func badValues(values url.Values) []string {
	var out []string
	for k, vs := range values {
		bad := !IsCleanText(k)
		for _, v := range vs {
			bad = bad || !IsCleanText(v)
		}
		if bad {
			out = append(out, fieldName(k))
		}
	}
	sort.Strings(out)
	return out
}

// walkStrings calls fn with every string of a decoded JSON document (keys too) and its path
// ("title", "vessel_ids[1]", "" for the document itself).
func walkStrings(v any, path string, fn func(path, s string)) {
	switch v := v.(type) {
	case string:
		fn(path, v)
	case []any:
		for i, e := range v {
			walkStrings(e, path+"["+strconv.Itoa(i)+"]", fn)
		}
	case map[string]any:
		for k, e := range v {
			p := k
			if path != "" {
				p = path + "." + k
			}
			if !IsCleanText(k) {
				fn(path, k)
			}
			walkStrings(e, p, fn)
		}
	}
}

// fieldName is a field's name as an error may quote it: without its NULs and invalid bytes.
func fieldName(k string) string { return strings.ToValidUTF8(strings.ReplaceAll(k, "\x00", ""), "?") }
