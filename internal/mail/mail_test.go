package mail_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stshub/stshub/internal/mail"
	"github.com/stshub/stshub/internal/mail/mailtest"
)

func TestParseURL(t *testing.T) {
	cases := []struct {
		url     string
		want    mail.Config
		wantErr string
	}{
		{url: "smtp://user:p%40ss@mail.example.com:2525?from=noreply%40example.com&tls=none",
			want: mail.Config{Host: "mail.example.com", Port: 2525, Username: "user", Password: "p@ss", From: "noreply@example.com", TLS: "none"}},
		{url: "smtp://mail.example.com?from=a%40b.c", want: mail.Config{Host: "mail.example.com", From: "a@b.c"}},
		{url: "smtps://mail.example.com?from=a%40b.c", want: mail.Config{Host: "mail.example.com", From: "a@b.c", TLS: "tls"}},
		{url: "http://mail.example.com", wantErr: "scheme"},
		{url: "smtp://mail.example.com:port", wantErr: "port"},
	}
	for _, c := range cases {
		got, err := mail.ParseURL(c.url)
		if c.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("%s: error %v, want one mentioning %q", c.url, err, c.wantErr)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%s: %+v, %v; want %+v", c.url, got, err, c.want)
		}
	}
}

func TestValidate(t *testing.T) {
	cases := []struct {
		cfg     mail.Config
		wantErr string
	}{
		{cfg: mail.Config{}},
		{cfg: mail.Config{Host: "h", From: "Hub <a@b.c>"}},
		{cfg: mail.Config{Host: "h"}, wantErr: "sender address"},
		{cfg: mail.Config{Host: "h", From: "not an address"}, wantErr: "not an e-mail address"},
		{cfg: mail.Config{Host: "h", From: "a@b.c", TLS: "ssl"}, wantErr: "tls must be one of starttls, tls, none"},
		{cfg: mail.Config{Host: "h", From: "a@b.c", Port: 70000}, wantErr: "out of range"},
	}
	for _, c := range cases {
		err := c.cfg.Validate()
		if (err == nil) != (c.wantErr == "") || (err != nil && !strings.Contains(err.Error(), c.wantErr)) {
			t.Errorf("%+v: %v, want %q", c.cfg, err, c.wantErr)
		}
	}
	if s := (mail.Config{Host: "h", Username: "u", Password: "secret", From: "a@b.c"}).String(); strings.Contains(s, "secret") {
		t.Errorf("String() shows the password: %s", s)
	}
}

func TestSendThroughARealSMTPServer(t *testing.T) {
	srv := mailtest.Start(t)
	sender, err := mail.NewSender(srv.Config())
	if err != nil {
		t.Fatal(err)
	}
	msg := mail.Message{To: "vetting@charterer.test", Subject: "Q88 of MT LEVANT PIONEER — rejected",
		Text: "The manifold height is outdated.\n", HTML: "<p>The manifold height is <b>outdated</b>.</p>"}
	if err := sender.Send(context.Background(), msg); err != nil {
		t.Fatal(err)
	}
	got := srv.WaitFor(t, "vetting@charterer.test", "rejected")
	if got.Subject != msg.Subject {
		t.Errorf("subject %q, want %q (UTF-8 intact)", got.Subject, msg.Subject)
	}
	if !strings.Contains(got.Text, "manifold height is outdated") || !strings.Contains(got.HTML, "<b>outdated</b>") {
		t.Errorf("parts: text %q html %q", got.Text, got.HTML)
	}
}

func TestSendToAServerThatIsDownFails(t *testing.T) {
	sender, err := mail.NewSender(mail.Config{Host: "127.0.0.1", Port: 1, From: "a@b.c", TLS: mail.TLSNone})
	if err != nil {
		t.Fatal(err)
	}
	if err := sender.Send(context.Background(), mail.Message{To: "x@y.z", Subject: "s", Text: "t"}); err == nil {
		t.Fatal("sending to a closed port succeeded")
	}
}
