package service

import "github.com/stshub/stshub/internal/authz"

// Actor is who is calling: a signed-in user, or the system itself (command-line tools,
// background jobs) with an empty UserID.
type Actor struct {
	UserID       string
	Email        string
	Name         string
	PlatformRole string
}

// System is the actor of command-line tools and background jobs.
var System = Actor{Email: "system"}

// IsAdmin reports whether the actor is a platform admin.
func (a Actor) IsAdmin() bool { return a.PlatformRole == authz.PlatformAdmin }
