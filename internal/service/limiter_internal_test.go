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

// TestBucketSetDropsTheLeastRecentlyUsed: a set at its limit makes room for a new key by
// dropping the bucket used longest ago, and never holds more than its limit.
func TestBucketSetDropsTheLeastRecentlyUsed(t *testing.T) {
	now := time.Date(2026, 3, 14, 8, 0, 0, 0, time.UTC)
	s := newBucketSet(3, time.Minute, 5)
	for _, k := range []string{"a", "b", "c"} {
		s.get(k, now).take(now)
	}
	s.get("a", now) // a is now the most recently used; b the least
	s.get("d", now)
	if _, ok := s.m["b"]; ok || len(s.m) != 3 {
		t.Fatalf("after d: %d buckets, b kept: %v; want b dropped, 3 kept", len(s.m), ok)
	}
	for _, k := range []string{"a", "c", "d"} {
		if _, ok := s.m[k]; !ok {
			t.Errorf("%s was dropped", k)
		}
	}
	if got := s.get("a", now).tokens; got != 4 {
		t.Errorf("a kept its state: %v tokens, want 4", got)
	}
	for i := range 1000 {
		s.get(fmt.Sprintf("fresh%d", i), now)
		if len(s.m) > 3 {
			t.Fatalf("the set grew to %d buckets", len(s.m))
		}
	}
	s.remove("fresh999")
	s.remove("no such key")
	if len(s.m) != 2 {
		t.Errorf("after a removal: %d buckets, want 2", len(s.m))
	}
	// The ring holds exactly the map's buckets, most recent first.
	var order []string
	for b := s.ring.next; b != &s.ring; b = b.next {
		order = append(order, b.key)
	}
	if fmt.Sprint(order) != "[fresh998 fresh997]" {
		t.Errorf("the ring: %v", order)
	}
}

// TestLoginLimiterFloodStaysBounded: a flood of fresh accounts from fresh addresses, more
// than every map may hold, leaves each map at its limit, and drops only idle buckets: a
// guesser who keeps trying through the flood stays held back. (The cost of an attempt does
// not grow with the maps: BenchmarkLoginLimiterFull.)
func TestLoginLimiterFloodStaysBounded(t *testing.T) {
	now := time.Date(2026, 3, 14, 8, 0, 0, 0, time.UTC)
	l := newLoginLimiter(func() time.Time { return now })
	const guesser = "203.0.113.7"
	for range pairBurst {
		l.attempt("ops@aegean.test", guesser)
	}
	for i := range maxBuckets + 5_000 {
		l.attempt(fmt.Sprintf("flood%d@x.test", i), fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255))
		if i%10_000 == 0 {
			if w := l.attempt("ops@aegean.test", guesser); w <= 0 {
				t.Fatalf("after %d flood attempts the guesser is not held back", i)
			}
		}
	}
	for name, s := range map[string]*bucketSet{"pair": l.pair, "address": l.ip, "account": l.account} {
		if len(s.m) != maxBuckets {
			t.Errorf("the %s map holds %d buckets, want its limit %d", name, len(s.m), maxBuckets)
		}
	}
	if w := l.attempt("ops@aegean.test", guesser); w <= 0 {
		t.Error("after the flood the guesser is not held back")
	}
}

// TestAddressKey: an IPv6 caller is one address per /64; IPv4 ones are each their own.
func TestAddressKey(t *testing.T) {
	for _, c := range []struct{ ip, want string }{
		{"192.0.2.1", "192.0.2.1"},
		{"::ffff:192.0.2.1", "192.0.2.1"}, // IPv4-mapped
		{"2001:db8:1:2::1", "2001:db8:1:2::/64"},
		{"2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"}, // the /64's last address
		{"2001:db8:1:3::", "2001:db8:1:3::/64"},                   // the next /64's first
		{"fe80::1%eth0", "fe80::/64"},
		{"::1", "::/64"},
		{"", ""},
		{"not an address", "not an address"},
	} {
		if got := addressKey(c.ip); got != c.want {
			t.Errorf("addressKey(%q) = %q, want %q", c.ip, got, c.want)
		}
	}
}

// TestLoginLimiterIPv6Slash64: twenty guesses from twenty addresses of one /64 drain its
// address bucket, and the owner's account-and-address bucket is per /64 too; another /64
// is not held back.
func TestLoginLimiterIPv6Slash64(t *testing.T) {
	now := time.Date(2026, 3, 14, 8, 0, 0, 0, time.UTC)
	l := newLoginLimiter(func() time.Time { return now })
	for i := range ipBurst {
		if w := l.attempt(fmt.Sprintf("guess%d@x.test", i), fmt.Sprintf("2001:db8:1:2::%x", i+1)); w != 0 {
			t.Fatalf("guess %d: wait %v", i+1, w)
		}
	}
	if w := l.attempt("guess99@x.test", "2001:db8:1:2:abcd::1"); w <= 0 || w > ipEvery {
		t.Errorf("the 21st guess from the /64: wait %v", w)
	}
	if w := l.attempt("guess99@x.test", "2001:db8:1:3::1"); w != 0 {
		t.Errorf("a guess from the next /64: wait %v", w)
	}
	for i := range pairBurst {
		l.attempt("ops@aegean.test", fmt.Sprintf("2001:db8:9:9::%x", i+1))
	}
	if w := l.attempt("ops@aegean.test", "2001:db8:9:9::ff"); w <= 0 || w > pairEvery {
		t.Errorf("the account from a sixth address of one /64: wait %v", w)
	}
}

// TestLoginLimiterLinkTokens: a link's token is charged to its address alone: made-up tokens
// leave no bucket behind, twenty of them from one address drain it, and a used link gives
// its token back.
func TestLoginLimiterLinkTokens(t *testing.T) {
	now := time.Date(2026, 3, 14, 8, 0, 0, 0, time.UTC)
	l := newLoginLimiter(func() time.Time { return now })
	for i := range ipBurst {
		if w := l.attempt(fmt.Sprintf("link:%064x", i), "198.51.100.9"); w != 0 {
			t.Fatalf("made-up token %d: wait %v", i+1, w)
		}
	}
	if w := l.attempt("link:ffff", "198.51.100.9"); w <= 0 || w > ipEvery {
		t.Errorf("the 21st made-up token from one address: wait %v", w)
	}
	if len(l.pair.m) != 0 || len(l.account.m) != 0 || len(l.ip.m) != 1 {
		t.Errorf("made-up tokens left %d pair, %d account and %d address buckets; want the address's alone",
			len(l.pair.m), len(l.account.m), len(l.ip.m))
	}
	l.succeeded("link:abcd", "198.51.100.9")
	if w := l.attempt("link:abcd", "198.51.100.9"); w != 0 {
		t.Errorf("after a used link gave its token back: wait %v", w)
	}
}
