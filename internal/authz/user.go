package authz

import "time"

// User is a person who can sign in. Email is stored lower-cased.
type User struct {
	ID           string
	Email        string
	Name         string
	Role         string // platform role: "user" or "admin"
	PasswordHash string
	CreatedAt    time.Time
	UpdatedAt    time.Time
	// DisabledAt is when a platform admin disabled the account (nil: it may sign in).
	DisabledAt *time.Time
}
