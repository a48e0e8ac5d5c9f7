package service_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/mail"
	"github.com/stshub/stshub/internal/mail/mailtest"
	"github.com/stshub/stshub/internal/service"
	"github.com/stshub/stshub/internal/store/storetest"
)

// A message queued in a transaction is sent after it commits, and never when it rolls back.
func TestQueuedMailIsSentOnlyOnCommit(t *testing.T) {
	srv := mailtest.Start(t)
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			env := apptest.New(t, engine, srv.Use)
			svc := env.App.Service()
			if !svc.MailEnabled() {
				t.Fatal("e-mail is off with SMTP configured")
			}
			rolledBack := mail.Message{To: "never-" + engine + "@owner.test", Subject: "rolled back", Text: "x"}
			if err := service.QueueMessage(svc, t.Context(), rolledBack, errors.New("the change failed")); err == nil {
				t.Fatal("the failing transaction committed")
			}
			sent := mail.Message{To: "tm-" + engine + "@owner.test", Subject: "Hose certificate of MT NORDIC STAR expires", Text: "in 3 days\n", HTML: "<p>in 3 days</p>"}
			if err := service.QueueMessage(svc, t.Context(), sent, nil); err != nil {
				t.Fatal(err)
			}
			got := srv.WaitFor(t, sent.To, "Hose certificate")
			if got.Subject != sent.Subject || got.Text == "" || got.HTML == "" {
				t.Errorf("received %+v", got)
			}
			// The committed message came after the rolled-back one: had that been sent, it
			// would be there by now (one worker pool, sent in order of queueing, ~1 s apart at most).
			time.Sleep(500 * time.Millisecond)
			if n := len(srv.To(t, rolledBack.To)); n != 0 {
				t.Errorf("%d messages from a rolled-back transaction were sent", n)
			}
		})
	}
}

// Without SMTP the service says e-mail is off.
func TestMailOffByDefault(t *testing.T) {
	env := apptest.New(t, storetest.Engines()[0])
	if env.App.Service().MailEnabled() {
		t.Fatal("e-mail is on without SMTP configured")
	}
}
