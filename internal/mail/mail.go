// Package mail sends the product's e-mail: invitations, password resets and
// notifications. A use case never talks to SMTP itself: it renders a Message (Render) and
// queues it in its own transaction (service.queueMail, a River job), so a message exists
// exactly when the change it tells of commits, and is sent after commit, with retries, by
// a Sender.
//
// SMTP is configured by STSHUB_SMTP_URL or STSHUB_SMTP_HOST/PORT/USER/PASSWORD/FROM/TLS
// (see Config); without it e-mail is off and the server says so at start.
package mail

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Message is one e-mail to one recipient, with a plain-text and an HTML part.
type Message struct {
	To      string `json:"to"`
	Subject string `json:"subject"`
	Text    string `json:"text"`
	HTML    string `json:"html"`
}

// TLS modes of an SMTP connection.
const (
	TLSStartTLS = "starttls" // plain connection upgraded by STARTTLS, which must succeed (default)
	TLSImplicit = "tls"      // TLS from the first byte (port 465)
	TLSNone     = "none"     // no encryption: only for a relay on the same host or a test server
)

// TLSModes lists the accepted values of Config.TLS.
var TLSModes = []string{TLSStartTLS, TLSImplicit, TLSNone}

// Config is where and as whom the server sends e-mail. The zero value means e-mail is off.
type Config struct {
	Host     string
	Port     int
	Username string
	Password string
	From     string // the sender address, e.g. "STS Clearance Hub <noreply@sts.example.com>"
	TLS      string // one of TLSModes; "" is TLSStartTLS
}

// Enabled says whether a server is configured.
func (c Config) Enabled() bool { return c.Host != "" }

// ParseURL reads smtp://user:password@host:port?from=…&tls=starttls|tls|none (smtps://
// means tls). The port defaults to 587, or 465 for tls, or 25 for none.
func ParseURL(raw string) (Config, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return Config{}, fmt.Errorf("not a URL: %w", err)
	}
	var c Config
	switch u.Scheme {
	case "smtp":
		c.TLS = u.Query().Get("tls")
	case "smtps":
		c.TLS = TLSImplicit
	default:
		return Config{}, errors.New(`the scheme must be "smtp" or "smtps"`)
	}
	c.Host = u.Hostname()
	if p := u.Port(); p != "" {
		if c.Port, err = strconv.Atoi(p); err != nil {
			return Config{}, fmt.Errorf("port %q is not a number", p)
		}
	}
	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
	}
	c.From = u.Query().Get("from")
	return c, nil
}

// Validate names what is missing or wrong in an enabled configuration.
func (c Config) Validate() error {
	if !c.Enabled() {
		return nil
	}
	var errs []error
	if c.From == "" {
		errs = append(errs, errors.New("a sender address (from) is required"))
	} else if err := gomail.NewMsg().From(c.From); err != nil {
		errs = append(errs, fmt.Errorf("from %q is not an e-mail address", c.From))
	}
	if c.TLS != "" && !slices.Contains(TLSModes, c.TLS) {
		errs = append(errs, fmt.Errorf("tls must be one of %s", strings.Join(TLSModes, ", ")))
	}
	if c.Port < 0 || c.Port > 65535 {
		errs = append(errs, fmt.Errorf("port %d is out of range", c.Port))
	}
	return errors.Join(errs...)
}

// String describes the configuration without its password, for the start-up log.
func (c Config) String() string {
	if !c.Enabled() {
		return "off"
	}
	return fmt.Sprintf("smtp %s:%d (%s) from %s", c.Host, c.port(), c.tls(), c.From)
}

func (c Config) tls() string {
	if c.TLS == "" {
		return TLSStartTLS
	}
	return c.TLS
}

func (c Config) port() int {
	switch {
	case c.Port != 0:
		return c.Port
	case c.tls() == TLSImplicit:
		return 465
	case c.tls() == TLSNone:
		return 25
	}
	return 587
}

// sendTimeout bounds one delivery attempt (dial, TLS, auth, data).
const sendTimeout = 30 * time.Second

// Sender delivers messages over SMTP.
type Sender struct {
	cfg Config
}

// NewSender returns a Sender for an enabled, valid configuration.
func NewSender(cfg Config) (*Sender, error) {
	if !cfg.Enabled() {
		return nil, errors.New("e-mail is not configured")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Sender{cfg: cfg}, nil
}

// Send delivers m. An error is worth retrying: the queue does, with back-off.
func (s *Sender) Send(ctx context.Context, m Message) error {
	msg := gomail.NewMsg()
	if err := msg.From(s.cfg.From); err != nil {
		return fmt.Errorf("from: %w", err)
	}
	if err := msg.To(m.To); err != nil {
		return fmt.Errorf("to %q: %w", m.To, err)
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	msg.SetMessageID()
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	opts := []gomail.Option{gomail.WithPort(s.cfg.port()), gomail.WithTimeout(sendTimeout)}
	switch s.cfg.tls() {
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.cfg.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(s.cfg.Username), gomail.WithPassword(s.cfg.Password))
	}
	client, err := gomail.NewClient(s.cfg.Host, opts...)
	if err != nil {
		return fmt.Errorf("smtp client: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("send to %s via %s:%d: %w", m.To, s.cfg.Host, s.cfg.port(), err)
	}
	return nil
}
