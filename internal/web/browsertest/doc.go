// Package browsertest drives the web UI (internal/web) in a real headless Chromium, from
// Go, with chromedp: the application runs in-process (internal/apptest) and each person of
// a scenario is a browser of their own, with its own profile and cookies.
//
// The tests sign in through the forms, click what a user clicks and read what a user
// reads — the data-testid and data-status attributes of the templates — including the
// live updates that reach an open page over Server-Sent Events without a reload. They
// also watch the browser's console: an uncaught exception, a console.error or a Content
// Security Policy violation fails them.
//
// Each page state a test visits is also checked with axe-core (axeCheck): a serious or
// critical accessibility violation fails the test. axe-core comes from npm, installed by
// .ci/run under $(go env GOPATH)/axe (STSHUB_AXE_JS names another copy); without it the
// check is skipped and says so, except under CI=true.
//
// Chromium is Debian's chromium package (/usr/bin/chromium), which .ci/run installs when
// it is missing. Without it the tests skip, except under CI=true, where they fail.
// Screenshots go to $STSHUB_TEST_ARTIFACTS (default $TMPDIR/stshub-artifacts), one folder
// per test; the tests log their paths.
package browsertest
