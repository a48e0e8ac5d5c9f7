// Package service holds the use cases of the STS Clearance Hub. Both the JSON API and the
// web UI call it, so they cannot disagree about who may do what.
//
// Every use case follows one shape: decide the caller's permission (authz.Can, through
// authorizeRoom), validate the input, then make all writes in one transaction together with
// the audit entry that records them. Permission decisions are marked with SECURITY comments.
package service

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/files"
	"github.com/stshub/stshub/internal/live"
	"github.com/stshub/stshub/internal/mail"
	"github.com/stshub/stshub/internal/reqinfo"
	"github.com/stshub/stshub/internal/secret"
	"github.com/stshub/stshub/internal/store"
)

// Options tune the service; the zero value of each field takes its default.
type Options struct {
	// SessionTTL is how long a login token stays valid (default 12 h).
	SessionTTL time.Duration
	// PasswordParams is the argon2id cost (default secret.DefaultParams).
	PasswordParams secret.Params
	// Logger receives operational messages (default slog.Default()).
	Logger *slog.Logger
	// Now is the clock (default time.Now); tests may replace it.
	Now func() time.Time
	// Files keeps uploaded documents and snapshots (required for those use cases).
	Files files.Store
	// MaxUploadBytes limits one uploaded file (default 100 MiB).
	MaxUploadBytes int64
	// Jobs queues background work (required for snapshots).
	Jobs JobQueue
	// Events tells open pages what changed (optional).
	Events Publisher
	// RecordRetention is the age past which a snapshot is kept for good (default
	// clearance.DefaultRecordRetention, three years).
	RecordRetention time.Duration
	// MailEnabled says that SMTP is configured: queued e-mail is sent. Without it use cases
	// queue none, and show the links they would have sent to the person acting instead.
	MailEnabled bool
	// BaseURL is the origin links in e-mail start with (config.Config.BaseURL).
	BaseURL string
}

// JobQueue inserts background jobs inside a use case's transaction: they exist exactly
// when its writes commit.
type JobQueue interface {
	EnqueueSnapshot(ctx context.Context, tx store.Q, roomID, snapshotID string) error
	EnqueueEmail(ctx context.Context, tx store.Q, m mail.Message) error
}

// Publisher notifies live subscribers of a room after a change has committed, and ends
// the subscriptions of a removed party or of an ended session.
type Publisher interface {
	Publish(live.Event)
	// PublishToUser tells one user's open pages, and no one else's, that something of kind
	// changed for them (their notifications).
	PublishToUser(userID, kind string)
	Revoke(roomID, userID string)
	EndSession(userID, sessionID string)
	EndUserSessions(userID string)
}

// Service runs the use cases against one database and one file store.
type Service struct {
	db        *store.DB
	files     files.Store
	opts      Options
	log       *slog.Logger
	limiter   *loginLimiter
	dummyHash string // hashed when an e-mail is unknown, so login time does not tell
	node      string // this process's name where nodes take turns (the sweep's lease)

	catalogueCache catalogueCache

	// afterBlobStored is a test seam: when set, it runs once a use case has stored a blob
	// and before the row that refers to it commits (see export_test.go).
	afterBlobStored atomic.Pointer[func(ctx context.Context, sha string)]
	// beforeDigest is a test seam: when set, it runs first in each user's digest and its error is that digest's failure (see digest_export_test.go).
	beforeDigest atomic.Pointer[func(userID string) error]
}

// New returns a Service on db.
func New(db *store.DB, opts Options) (*Service, error) {
	if opts.SessionTTL == 0 {
		opts.SessionTTL = 12 * time.Hour
	}
	if opts.PasswordParams == (secret.Params{}) {
		opts.PasswordParams = secret.DefaultParams
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MaxUploadBytes == 0 {
		opts.MaxUploadBytes = 100 << 20
	}
	dummy, err := secret.HashPassword("not a real password, only for timing", opts.PasswordParams)
	if err != nil {
		return nil, err
	}
	s := &Service{db: db, files: opts.Files, opts: opts, log: opts.Logger, dummyHash: dummy, node: newID()}
	s.limiter = newLoginLimiter(s.now)
	return s, nil
}

// now is the service clock in UTC at the precision both databases store.
func (s *Service) now() time.Time {
	return s.opts.Now().UTC().Truncate(time.Microsecond)
}

// newID returns a time-ordered UUID (v7).
func newID() string {
	return uuid.Must(uuid.NewV7()).String()
}

// event is one audit entry to be written by record.
type event struct {
	scope      string // room ID or audit.PlatformScope
	action     string
	targetType string
	targetID   string
	meta       any
}

// record appends ev to its scope's audit chain inside tx, naming actor and the request.
func (s *Service) record(ctx context.Context, tx store.Q, actor Actor, ev event) error {
	meta, err := audit.CanonicalJSON(ev.meta)
	if err != nil {
		return err
	}
	info := reqinfo.From(ctx)
	if ev.scope != audit.PlatformScope && s.opts.Events != nil {
		notice := live.Event{RoomID: ev.scope, Kind: ev.action, Target: ev.targetID, TargetType: ev.targetType}
		tx.AfterCommit(func() { s.opts.Events.Publish(notice) })
	}
	_, err = tx.AppendAudit(ctx, audit.Entry{
		ID:         newID(),
		Scope:      ev.scope,
		TS:         s.now(),
		ActorID:    actor.UserID,
		ActorEmail: actor.Email,
		Action:     ev.action,
		TargetType: ev.targetType,
		TargetID:   ev.targetID,
		Meta:       meta,
		RequestID:  info.RequestID,
		IP:         info.IP,
	})
	return err
}
