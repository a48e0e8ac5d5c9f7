package config

import (
	"strings"
	"testing"

	"github.com/stshub/stshub/internal/mail"
)

func TestSMTPFromEnv(t *testing.T) {
	cases := []struct {
		name    string
		env     map[string]string
		want    mail.Config
		wantErr string
	}{
		{name: "off by default", env: map[string]string{}},
		{name: "url", env: map[string]string{"STSHUB_SMTP_URL": "smtp://u:pw@mx.example.com:587?from=hub%40example.com"},
			want: mail.Config{Host: "mx.example.com", Port: 587, Username: "u", Password: "pw", From: "hub@example.com"}},
		{name: "separate variables", env: map[string]string{"STSHUB_SMTP_HOST": "mx.example.com", "STSHUB_SMTP_PORT": "2525",
			"STSHUB_SMTP_USER": "u", "STSHUB_SMTP_PASSWORD": "pw", "STSHUB_SMTP_FROM": "hub@example.com", "STSHUB_SMTP_TLS": "tls"},
			want: mail.Config{Host: "mx.example.com", Port: 2525, Username: "u", Password: "pw", From: "hub@example.com", TLS: "tls"}},
		{name: "both", env: map[string]string{"STSHUB_SMTP_URL": "smtp://mx?from=a%40b.c", "STSHUB_SMTP_HOST": "other"}, wantErr: "one or the other"},
		{name: "no host", env: map[string]string{"STSHUB_SMTP_FROM": "a@b.c"}, wantErr: "STSHUB_SMTP_HOST is required"},
		{name: "bad port", env: map[string]string{"STSHUB_SMTP_HOST": "mx", "STSHUB_SMTP_PORT": "x"}, wantErr: "STSHUB_SMTP_PORT"},
		{name: "no sender", env: map[string]string{"STSHUB_SMTP_HOST": "mx"}, wantErr: "sender address"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := FromEnv(func(k string) string { return c.env[k] })
			if err == nil {
				err = cfg.Validate()
			}
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("error %v, want one with %q", err, c.wantErr)
				}
				return
			}
			if err != nil || cfg.SMTP != c.want {
				t.Fatalf("%+v, %v; want %+v", cfg.SMTP, err, c.want)
			}
		})
	}
}

func TestBaseURL(t *testing.T) {
	for _, c := range []struct{ public, addr, want string }{
		{"https://sts.example.com/", "127.0.0.1:8080", "https://sts.example.com"},
		{"", "127.0.0.1:8080", "http://127.0.0.1:8080"},
		{"", "0.0.0.0:8080", "http://localhost:8080"},
		{"", ":8080", "http://localhost:8080"},
		{"", "[::]:8080", "http://localhost:8080"},
	} {
		cfg := Config{PublicURL: c.public, Addr: c.addr}
		if got := cfg.BaseURL(); got != c.want {
			t.Errorf("public %q addr %q: %q, want %q", c.public, c.addr, got, c.want)
		}
	}
}
