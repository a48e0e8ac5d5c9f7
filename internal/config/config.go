// Package config builds the typed configuration of stshub from command-line flags,
// STSHUB_* environment variables and defaults, in that order of precedence.
//
// A Config is a plain value: it is built once by the composition root (internal/app)
// and passed down. Nothing here is global.
package config

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/mail"
)

// Config is everything the process needs to know about its surroundings.
type Config struct {
	// Addr is the host:port the HTTP server listens on.
	Addr string
	// DataDir holds the SQLite database (stshub.db) and the local file store (files/).
	DataDir string
	// DatabaseURL selects PostgreSQL (postgres://…); empty means SQLite under DataDir.
	DatabaseURL string
	// SessionTTL is how long a login token stays valid.
	SessionTTL time.Duration
	// MaxBodyBytes limits every JSON request body.
	MaxBodyBytes int64
	// ShutdownTimeout bounds how long in-flight requests may take to finish on SIGTERM.
	ShutdownTimeout time.Duration
	// LogFormat is "text", "json" or "auto" (text on a terminal, JSON otherwise).
	LogFormat string
	// LogLevel is debug, info, warn or error.
	LogLevel string
	// AdminEmail and AdminPassword, when both set, create (or reset) a platform admin at start.
	AdminEmail    string
	AdminPassword string
	// SQLiteSynchronous is NORMAL (default) or FULL.
	SQLiteSynchronous string
	// MaxUploadBytes limits one uploaded document file.
	MaxUploadBytes int64
	// RecordRetention is the age past which a snapshot is kept for good (see
	// clearance.SnapshotDeletable); three years by default.
	RecordRetention time.Duration
	// PublicURL is the server's external origin (https://sts.example.com) when it is reached
	// through a proxy or under another name; "" when it is reached as it listens. With https
	// the session cookie is Secure and HSTS is sent, whatever the proxy-to-server hop is.
	PublicURL string
	// TrustedProxies are the addresses (IPs or CIDR prefixes) of the reverse proxies in front
	// of the server: only their X-Forwarded-For and X-Request-ID are believed. None by default.
	TrustedProxies []netip.Prefix
	// MetricsAddr, when set, is the host:port /metrics is served on instead of Addr (which
	// then answers it 404): a port only the monitoring network reaches. "" by default.
	MetricsAddr string
	// MetricsToken, when set, is the bearer token /metrics asks for (401 without it), wherever
	// it is served. "" by default: /metrics is open, like the probes.
	MetricsToken string
	// S3 selects an S3-compatible object store for files instead of DataDir/files when
	// S3.Bucket is set.
	S3 S3Config
	// SMTP is where e-mail is sent from (STSHUB_SMTP_URL or STSHUB_SMTP_HOST and the other
	// STSHUB_SMTP_* variables); the zero value means e-mail is off.
	SMTP mail.Config
}

// S3Config is where files live on an S3-compatible server (STSHUB_S3_* variables).
type S3Config struct {
	Endpoint, Region, Bucket, AccessKey, SecretKey, Prefix string
	PathStyle                                              bool
}

// Defaults returns the configuration of a bare `stshub serve`.
func Defaults() Config {
	return Config{
		Addr:              "127.0.0.1:8080",
		DataDir:           "./data",
		SessionTTL:        12 * time.Hour,
		MaxBodyBytes:      1 << 20,
		ShutdownTimeout:   15 * time.Second,
		LogFormat:         "auto",
		LogLevel:          "info",
		SQLiteSynchronous: "NORMAL",
		MaxUploadBytes:    100 << 20,
		RecordRetention:   clearance.DefaultRecordRetention,
	}
}

// day is the unit of ParseRetention's "d" suffix.
const day = 24 * time.Hour

// ParseRetention reads a retention period: whole days with a "d" suffix ("1096d") or a
// Go duration ("26304h").
func ParseRetention(s string) (time.Duration, error) {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil || days < 0 {
			return 0, fmt.Errorf("%q: want whole days (1096d) or a duration (26304h)", s)
		}
		return time.Duration(days) * day, nil
	}
	return time.ParseDuration(s)
}

// FormatRetention writes a retention period as ParseRetention reads it, in days when whole.
func FormatRetention(d time.Duration) string {
	if d%day == 0 {
		return strconv.FormatInt(int64(d/day), 10) + "d"
	}
	return d.String()
}

// IsPostgres reports whether the database is PostgreSQL rather than the embedded SQLite.
func (c Config) IsPostgres() bool {
	return strings.HasPrefix(c.DatabaseURL, "postgres://") || strings.HasPrefix(c.DatabaseURL, "postgresql://")
}

// SQLitePath is where the embedded database lives.
func (c Config) SQLitePath() string { return filepath.Join(c.DataDir, "stshub.db") }

// FilesDir is the root of the local file store.
func (c Config) FilesDir() string { return filepath.Join(c.DataDir, "files") }

// Validate reports every setting that cannot work.
func (c Config) Validate() error {
	var errs []error
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("addr %q: %w", c.Addr, err))
	}
	if c.DataDir == "" {
		errs = append(errs, errors.New("data: must not be empty"))
	}
	if c.DatabaseURL != "" && !c.IsPostgres() {
		errs = append(errs, fmt.Errorf("database-url: only postgres:// URLs are supported (empty means SQLite)"))
	}
	if c.SessionTTL < time.Minute {
		errs = append(errs, errors.New("session-ttl: must be at least 1m"))
	}
	if c.MaxBodyBytes < 1024 {
		errs = append(errs, errors.New("max-body-bytes: must be at least 1024"))
	}
	switch c.LogFormat {
	case "auto", "text", "json":
	default:
		errs = append(errs, fmt.Errorf("log-format %q: want auto, text or json", c.LogFormat))
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("log-level %q: want debug, info, warn or error", c.LogLevel))
	}
	switch c.SQLiteSynchronous {
	case "NORMAL", "FULL":
	default:
		errs = append(errs, fmt.Errorf("sqlite-synchronous %q: want NORMAL or FULL", c.SQLiteSynchronous))
	}
	if c.MaxUploadBytes < 1024 {
		errs = append(errs, errors.New("max-upload-bytes: must be at least 1024"))
	}
	if c.RecordRetention < day {
		errs = append(errs, errors.New("record-retention: must be at least 1d"))
	}
	if err := checkPublicURL(c.PublicURL); err != nil {
		errs = append(errs, err)
	}
	if c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			errs = append(errs, fmt.Errorf("metrics-addr %q: %w", c.MetricsAddr, err))
		} else if c.MetricsAddr == c.Addr {
			errs = append(errs, errors.New("metrics-addr: must differ from addr"))
		}
	}
	if c.MetricsToken != "" && len(c.MetricsToken) < 16 {
		errs = append(errs, errors.New("STSHUB_METRICS_TOKEN: must be at least 16 characters"))
	}
	if c.S3.Bucket != "" && c.S3.Endpoint == "" {
		errs = append(errs, errors.New("STSHUB_S3_ENDPOINT is required with STSHUB_S3_BUCKET"))
	}
	if err := c.SMTP.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("STSHUB_SMTP: %w", err))
	}
	if (c.AdminEmail == "") != (c.AdminPassword == "") {
		errs = append(errs, errors.New("STSHUB_ADMIN_EMAIL and STSHUB_ADMIN_PASSWORD must be set together"))
	}
	return errors.Join(errs...)
}

// BindStorageFlags binds the settings every command shares (where the data lives) to fs.
// The defaults shown are those of cfg, which should already hold environment values.
func (c *Config) BindStorageFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.DataDir, "data", c.DataDir, "folder for the SQLite database and local files (env STSHUB_DATA)")
	fs.StringVar(&c.DatabaseURL, "database-url", c.DatabaseURL, "PostgreSQL URL postgres://…; empty uses SQLite (env STSHUB_DATABASE_URL)")
	fs.StringVar(&c.LogFormat, "log-format", c.LogFormat, "auto, text or json (env STSHUB_LOG_FORMAT)")
	fs.StringVar(&c.LogLevel, "log-level", c.LogLevel, "debug, info, warn or error (env STSHUB_LOG_LEVEL)")
}

// BindServeFlags binds the settings of `stshub serve` to fs.
func (c *Config) BindServeFlags(fs *flag.FlagSet) {
	c.BindStorageFlags(fs)
	fs.StringVar(&c.Addr, "addr", c.Addr, "listen address host:port (env STSHUB_ADDR)")
	fs.DurationVar(&c.SessionTTL, "session-ttl", c.SessionTTL, "how long a login stays valid (env STSHUB_SESSION_TTL)")
	fs.Int64Var(&c.MaxBodyBytes, "max-body-bytes", c.MaxBodyBytes, "largest JSON request body (env STSHUB_MAX_BODY_BYTES)")
	fs.DurationVar(&c.ShutdownTimeout, "shutdown-timeout", c.ShutdownTimeout, "how long in-flight work may take on SIGTERM (env STSHUB_SHUTDOWN_TIMEOUT)")
	fs.StringVar(&c.SQLiteSynchronous, "sqlite-synchronous", c.SQLiteSynchronous, "NORMAL or FULL (env STSHUB_SQLITE_SYNCHRONOUS)")
	fs.StringVar(&c.PublicURL, "public-url", c.PublicURL, "the server's external origin, e.g. https://sts.example.com; https makes the cookie Secure and sends HSTS (env STSHUB_PUBLIC_URL)")
	fs.Func("trusted-proxies", "comma-separated IPs or CIDRs of the reverse proxies whose X-Forwarded-For and X-Request-ID are believed (env STSHUB_TRUSTED_PROXIES)",
		func(v string) error {
			p, err := ParseTrustedProxies(v)
			if err == nil {
				c.TrustedProxies = p
			}
			return err
		})
	fs.StringVar(&c.MetricsAddr, "metrics-addr", c.MetricsAddr, "serve /metrics on this host:port instead of -addr (env STSHUB_METRICS_ADDR)")
	fs.Int64Var(&c.MaxUploadBytes, "max-upload-bytes", c.MaxUploadBytes, "largest uploaded file (env STSHUB_MAX_UPLOAD_BYTES)")
	fs.Func("record-retention", "age past which a snapshot can no longer be deleted, in days (1096d) or as a duration; default "+
		FormatRetention(c.RecordRetention)+" (env STSHUB_RECORD_RETENTION)", func(v string) error {
		d, err := ParseRetention(v)
		if err == nil {
			c.RecordRetention = d
		}
		return err
	})
}

// FromEnv returns the defaults overridden by any STSHUB_* variable that getenv finds.
func FromEnv(getenv func(string) string) (Config, error) {
	c := Defaults()
	var errs []error
	str := func(name string, dst *string) {
		if v := getenv(name); v != "" {
			*dst = v
		}
	}
	dur := func(name string, dst *time.Duration) {
		if v := getenv(name); v != "" {
			d, err := time.ParseDuration(v)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", name, err))
				return
			}
			*dst = d
		}
	}
	str("STSHUB_ADDR", &c.Addr)
	str("STSHUB_DATA", &c.DataDir)
	str("STSHUB_DATABASE_URL", &c.DatabaseURL)
	str("STSHUB_LOG_FORMAT", &c.LogFormat)
	str("STSHUB_LOG_LEVEL", &c.LogLevel)
	str("STSHUB_ADMIN_EMAIL", &c.AdminEmail)
	str("STSHUB_ADMIN_PASSWORD", &c.AdminPassword)
	str("STSHUB_SQLITE_SYNCHRONOUS", &c.SQLiteSynchronous)
	str("STSHUB_PUBLIC_URL", &c.PublicURL)
	str("STSHUB_METRICS_ADDR", &c.MetricsAddr)
	str("STSHUB_METRICS_TOKEN", &c.MetricsToken)
	str("STSHUB_S3_ENDPOINT", &c.S3.Endpoint)
	str("STSHUB_S3_REGION", &c.S3.Region)
	str("STSHUB_S3_BUCKET", &c.S3.Bucket)
	str("STSHUB_S3_ACCESS_KEY", &c.S3.AccessKey)
	str("STSHUB_S3_SECRET_KEY", &c.S3.SecretKey)
	str("STSHUB_S3_PREFIX", &c.S3.Prefix)
	c.S3.PathStyle = getenv("STSHUB_S3_PATH_STYLE") == "true" || getenv("STSHUB_S3_PATH_STYLE") == "1"
	dur("STSHUB_SESSION_TTL", &c.SessionTTL)
	dur("STSHUB_SHUTDOWN_TIMEOUT", &c.ShutdownTimeout)
	num := func(name string, dst *int64) {
		if v := getenv(name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", name, err))
				return
			}
			*dst = n
		}
	}
	if v := getenv("STSHUB_RECORD_RETENTION"); v != "" {
		if d, err := ParseRetention(v); err != nil {
			errs = append(errs, fmt.Errorf("STSHUB_RECORD_RETENTION: %w", err))
		} else {
			c.RecordRetention = d
		}
	}
	if v := getenv("STSHUB_TRUSTED_PROXIES"); v != "" {
		if p, err := ParseTrustedProxies(v); err != nil {
			errs = append(errs, fmt.Errorf("STSHUB_TRUSTED_PROXIES: %w", err))
		} else {
			c.TrustedProxies = p
		}
	}
	num("STSHUB_MAX_BODY_BYTES", &c.MaxBodyBytes)
	num("STSHUB_MAX_UPLOAD_BYTES", &c.MaxUploadBytes)
	smtp, err := smtpFromEnv(getenv)
	if err != nil {
		errs = append(errs, err)
	}
	c.SMTP = smtp
	return c, errors.Join(errs...)
}

// smtpFromEnv reads STSHUB_SMTP_URL, or else STSHUB_SMTP_HOST, _PORT, _USER, _PASSWORD,
// _FROM and _TLS; with both, the URL is taken and the separate variables must be unset.
func smtpFromEnv(getenv func(string) string) (mail.Config, error) {
	separate := []string{"STSHUB_SMTP_HOST", "STSHUB_SMTP_PORT", "STSHUB_SMTP_USER", "STSHUB_SMTP_PASSWORD", "STSHUB_SMTP_FROM", "STSHUB_SMTP_TLS"}
	if raw := getenv("STSHUB_SMTP_URL"); raw != "" {
		for _, name := range separate {
			if getenv(name) != "" {
				return mail.Config{}, fmt.Errorf("STSHUB_SMTP_URL and %s: set one or the other", name)
			}
		}
		c, err := mail.ParseURL(raw)
		if err != nil {
			return mail.Config{}, fmt.Errorf("STSHUB_SMTP_URL: %w", err)
		}
		return c, nil
	}
	c := mail.Config{Host: getenv("STSHUB_SMTP_HOST"), Username: getenv("STSHUB_SMTP_USER"),
		Password: getenv("STSHUB_SMTP_PASSWORD"), From: getenv("STSHUB_SMTP_FROM"), TLS: getenv("STSHUB_SMTP_TLS")}
	if v := getenv("STSHUB_SMTP_PORT"); v != "" {
		port, err := strconv.Atoi(v)
		if err != nil {
			return mail.Config{}, fmt.Errorf("STSHUB_SMTP_PORT: %q is not a number", v)
		}
		c.Port = port
	}
	if c.Host == "" && (c.Username != "" || c.From != "" || c.Port != 0) {
		return mail.Config{}, errors.New("STSHUB_SMTP_HOST is required with the other STSHUB_SMTP_* variables")
	}
	return c, nil
}

// ParseTrustedProxies reads a comma-separated list of IP addresses and CIDR prefixes
// ("10.0.0.0/8, 192.0.2.7"); an address is a prefix of its full length.
func ParseTrustedProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if p, err := netip.ParsePrefix(part); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(part)
		if err != nil {
			return nil, fmt.Errorf("%q is neither an IP address nor a CIDR prefix", part)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}

// HTTPS reports whether the server is reached over TLS: its public URL says https.
func (c Config) HTTPS() bool { return strings.HasPrefix(c.PublicURL, "https://") }

// BaseURL is the origin that links in e-mail start with: the public URL, else the listen
// address (a wildcard host read as localhost, which only suits a server on one's own machine).
func (c Config) BaseURL() string {
	if c.PublicURL != "" {
		return strings.TrimSuffix(c.PublicURL, "/")
	}
	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil {
		return "http://" + c.Addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// checkPublicURL accepts "" or an absolute http(s) URL naming a host, without query or
// fragment (a path is allowed: a server under a prefix).
func checkPublicURL(s string) error {
	if s == "" {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return fmt.Errorf("public-url %q: want an absolute http(s) URL such as https://sts.example.com", s)
	}
	return nil
}

// Load is FromEnv on the process environment.
func Load() (Config, error) { return FromEnv(os.Getenv) }
