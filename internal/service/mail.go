package service

import (
	"context"
	"net/url"
	"strings"

	"github.com/stshub/stshub/internal/mail"
	"github.com/stshub/stshub/internal/store"
)

// MailEnabled says whether e-mail is sent. When it is not, a use case that would send a
// link (an invitation, a password reset) hands it to the person acting instead.
func (s *Service) MailEnabled() bool { return s.opts.MailEnabled }

// queueMail renders the message kind template for to and queues it in tx, to be sent after
// commit with retries. With e-mail off it does nothing.
func (s *Service) queueMail(ctx context.Context, tx store.Q, kind, to string, data any) error {
	if !s.opts.MailEnabled {
		return nil
	}
	m, err := mail.Render(kind, to, data)
	if err != nil {
		return err
	}
	return s.opts.Jobs.EnqueueEmail(ctx, tx, m)
}

// link is the absolute URL of path (which starts with "/") with query, for a message that
// leaves the server.
func (s *Service) link(path string, query url.Values) string {
	u := strings.TrimSuffix(s.opts.BaseURL, "/") + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	return u
}
