package httpx

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
)

func TestCleanText(t *testing.T) {
	var got string // the body the handler read, or for a form the form it read
	h := CleanText(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Content-Type") == "application/x-www-form-urlencoded" {
			got = r.PostFormValue("email") + "|" + r.PostFormValue("password")
		} else {
			b, _ := io.ReadAll(r.Body)
			got = string(b)
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	tests := []struct {
		name, method, target, ctype, body string
		status                            int
		fields                            []string
	}{
		{name: "clean JSON passes, body intact", method: "POST", target: "/api/v1/rooms", ctype: "application/json",
			body: `{"title":"Malta STS — Hurd's Bank","ids":["a","b"]}`, status: 204},
		{name: "a NUL in a JSON field", method: "POST", target: "/api/v1/rooms", ctype: "application/json",
			body: `{"title":"a\u0000b","location":"ok"}`, status: 422, fields: []string{"title"}},
		{name: "a NUL deep in JSON", method: "PATCH", target: "/api/v1/rooms/x", ctype: "application/json; charset=utf-8",
			body: `{"vessel_ids":["ok","\u0000"],"x":{"y":"\u0000"}}`, status: 422, fields: []string{"vessel_ids[1]", "x.y"}},
		{name: "an escaped backslash before u0000 is no NUL", method: "POST", target: "/api/v1/rooms", ctype: "application/json",
			body: `{"title":"\\u0000"}`, status: 204},
		{name: "invalid UTF-8 in a form", method: "POST", target: "/login", ctype: "application/x-www-form-urlencoded",
			body: "email=%FF%FE%40x.test&password=x", status: 422, fields: []string{"email"}},
		{name: "a NUL in a form", method: "POST", target: "/rooms/x/documents/y/reject", ctype: "application/x-www-form-urlencoded",
			body: "reason=%00%00&csrf=t", status: 422, fields: []string{"reason"}},
		{name: "a clean form passes", method: "POST", target: "/login", ctype: "application/x-www-form-urlencoded",
			body: "email=ops%40aegean.test&password=%C3%A9t%C3%A9", status: 204},
		{name: "a NUL in the query", method: "GET", target: "/api/v1/rooms?cursor=%00", status: 422, fields: []string{"cursor"}},
		{name: "a NUL in the path", method: "GET", target: "/api/v1/rooms/%00", status: 404},
		{name: "other bodies are not read", method: "POST", target: "/api/v1/rooms/x/documents", ctype: "multipart/form-data; boundary=x",
			body: "\x00", status: 204},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got = ""
			r := httptest.NewRequest(tt.method, tt.target, strings.NewReader(tt.body))
			if tt.ctype != "" {
				r.Header.Set("Content-Type", tt.ctype)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.status, w.Body)
			}
			want := tt.body
			if tt.ctype == "application/x-www-form-urlencoded" {
				v, _ := url.ParseQuery(tt.body)
				want = v.Get("email") + "|" + v.Get("password")
			}
			if tt.status == 204 && got != want && tt.method != "GET" {
				t.Fatalf("the handler read %q, want %q as sent", got, want)
			}
			if tt.status == 422 {
				var p Problem
				if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
					t.Fatal(err)
				}
				var fields []string
				for _, f := range p.Errors {
					fields = append(fields, f.Field)
				}
				if !slices.Equal(fields, tt.fields) {
					t.Fatalf("fields %v, want %v", fields, tt.fields)
				}
			}
		})
	}
}
