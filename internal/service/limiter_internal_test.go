package service

import (
	"fmt"
	"testing"
	"time"
)

// TestLoginLimiterPolicy walks the policy on a fake clock.
func TestLoginLimiterPolicy(t *testing.T) {
	now := time.Date(2026, 3, 14, 8, 0, 0, 0, time.UTC)
	l := newLoginLimiter(func() time.Time { return now })
	const owner, guesser, office = "198.51.100.20", "203.0.113.7", "192.0.2.1"

	// Five attempts of one account from one address, then a wait of a minute.
	for i := range 5 {
		if w := l.attempt("ops@aegean.test", guesser); w != 0 {
			t.Fatalf("attempt %d: wait %v", i+1, w)
		}
	}
	if w := l.attempt("ops@aegean.test", guesser); w <= 0 || w > time.Minute {
		t.Fatalf("sixth attempt: wait %v, want up to a minute", w)
	}
	// The owner, from elsewhere, is not held back; a success gives its tokens back.
	for range 3 {
		if w := l.attempt("ops@aegean.test", owner); w != 0 {
			t.Fatalf("the owner: wait %v", w)
		}
		l.succeeded("ops@aegean.test", owner)
	}
	// A minute later the guesser has one more try.
	now = now.Add(time.Minute)
	if w := l.attempt("ops@aegean.test", guesser); w != 0 {
		t.Fatalf("a minute later: wait %v", w)
	}

	// Successes do not drain an address: an office signs in 50 people in a row.
	for i := range 50 {
		user := fmt.Sprintf("user%d@office.test", i)
		if w := l.attempt(user, office); w != 0 {
			t.Fatalf("office sign-in %d: wait %v", i+1, w)
		}
		l.succeeded(user, office)
	}
	// Failures do: 20 from one address against different accounts, then a wait.
	for i := range 20 {
		if w := l.attempt(fmt.Sprintf("guess%d@x.test", i), office); w != 0 {
			t.Fatalf("guess %d: wait %v", i+1, w)
		}
	}
	if w := l.attempt("guess21@x.test", office); w <= 0 || w > 6*time.Second {
		t.Fatalf("the 21st guess from one address: wait %v", w)
	}

	// A guesser spread over many addresses meets the account's own slower back-off.
	for i := range 100 {
		if w := l.attempt("vetting@mediterra.test", fmt.Sprintf("10.0.%d.%d", i/250, i%250)); w != 0 {
			t.Fatalf("spread guess %d: wait %v", i+1, w)
		}
	}
	if w := l.attempt("vetting@mediterra.test", "10.9.9.9"); w <= 0 || w > 10*time.Second {
		t.Fatalf("the 101st spread guess: wait %v", w)
	}
}
