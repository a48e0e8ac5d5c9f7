// Package reqinfo carries facts about the current request through a context: its ID and
// the caller's address (recorded in audit entries), and the user and room it concerns
// (added to the request log line). The HTTP layer creates it; the service layer reads
// and completes it. Only the standard library is imported.
package reqinfo

import "context"

// Info describes one request. The pointer in the context is shared, so values set deep
// in a handler are visible to the middleware that logs the request afterwards.
type Info struct {
	RequestID string
	IP        string
	UserID    string
	RoomID    string
}

type key struct{}

// With returns ctx carrying info.
func With(ctx context.Context, info *Info) context.Context {
	return context.WithValue(ctx, key{}, info)
}

// From returns the request's Info, or an empty one (never nil) outside a request, such as
// in a command-line tool or a background job.
func From(ctx context.Context) *Info {
	if info, ok := ctx.Value(key{}).(*Info); ok && info != nil {
		return info
	}
	return &Info{}
}
