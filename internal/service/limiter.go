package service

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/stshub/stshub/internal/apperr"
)

// loginLimiter slows password guessing without handing anyone a way to lock others out.
// Every attempt takes a token, before its password is checked, from three buckets at once
// (so a parallel burst is counted as it arrives, not after its argon2 checks):
//   - the account from this client address: 5 quick attempts, then one a minute — what stops
//     guessing, and what a flood from elsewhere cannot drain for the account's owner;
//   - the client address: 20, then one every 6 s (an office behind one NAT shares it);
//   - the account from every address together: 100, then one every 10 s — a slower back-off
//     against a guesser spread over many addresses.
//
// A success gives its tokens back and refills the account-and-address bucket (a typo or two
// is forgotten): only failures drain the buckets. The buckets live in this process: with several nodes each node limits on its own. At most a
// few password checks run at once (checks), so a burst costs bounded memory and CPU.
type loginLimiter struct {
	now     func() time.Time
	mu      sync.Mutex
	pair    map[string]*tokenBucket
	ip      map[string]*tokenBucket
	account map[string]*tokenBucket

	checks  chan struct{} // one slot per password check running
	waiting atomic.Int32  // attempts waiting for a slot
}

// The buckets: how often each gains a token, and how many it holds.
var (
	pairEvery, pairBurst       = time.Minute, 5
	ipEvery, ipBurst           = 6 * time.Second, 20
	accountEvery, accountBurst = 10 * time.Second, 100
)

// maxBuckets bounds memory: past it, full (idle) buckets are dropped.
const maxBuckets = 100_000

// maxWaitingChecks bounds the attempts queued for a password check slot; past it an
// attempt is refused at once (429), before any work.
const maxWaitingChecks = 32

func newLoginLimiter(now func() time.Time) *loginLimiter {
	return &loginLimiter{now: now, pair: map[string]*tokenBucket{}, ip: map[string]*tokenBucket{},
		account: map[string]*tokenBucket{}, checks: make(chan struct{}, max(2, runtime.GOMAXPROCS(0)))}
}

// attempt counts one attempt of account from ip in all three buckets, or in none when any is
// empty: then it returns how long to wait.
func (l *loginLimiter) attempt(account, ip string) (wait time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	buckets := l.buckets(account, ip, now)
	for _, b := range buckets {
		wait = max(wait, b.wait(now))
	}
	if wait > 0 {
		return wait
	}
	for _, b := range buckets {
		b.take(now)
	}
	return 0
}

// succeeded gives back the tokens of a successful attempt of account from ip and forgets the
// failures of account from ip.
func (l *loginLimiter) succeeded(account, ip string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	for _, b := range l.buckets(account, ip, now)[1:] {
		b.give(now)
	}
	delete(l.pair, account+"\x00"+ip)
}

// buckets are the account-and-address, the address and the account buckets of an attempt.
func (l *loginLimiter) buckets(account, ip string, now time.Time) []*tokenBucket {
	return []*tokenBucket{
		bucket(l.pair, account+"\x00"+ip, pairEvery, pairBurst, now),
		bucket(l.ip, ip, ipEvery, ipBurst, now),
		bucket(l.account, account, accountEvery, accountBurst, now),
	}
}

// check runs a password check in one of the few slots, waiting for one (bounded: a full
// queue is refused at once).
func (l *loginLimiter) check(ctx context.Context, fn func()) error {
	if l.waiting.Add(1) > maxWaitingChecks {
		l.waiting.Add(-1)
		return &apperr.RateLimitedError{RetryAfter: time.Second}
	}
	select {
	case l.checks <- struct{}{}:
		l.waiting.Add(-1)
	case <-ctx.Done():
		l.waiting.Add(-1)
		return ctx.Err()
	}
	defer func() { <-l.checks }()
	fn()
	return nil
}

// bucket is key's bucket of m, made full when it has none.
func bucket(m map[string]*tokenBucket, key string, every time.Duration, burst int, now time.Time) *tokenBucket {
	b, ok := m[key]
	if !ok {
		if len(m) >= maxBuckets {
			for k, v := range m {
				if v.full(now) {
					delete(m, k)
				}
			}
		}
		b = &tokenBucket{every: every, burst: float64(burst), tokens: float64(burst), at: now}
		m[key] = b
	}
	return b
}

// tokenBucket holds up to burst tokens and gains one every every; an attempt takes one and a
// success gives it back. Its owner serializes calls.
type tokenBucket struct {
	every         time.Duration
	burst, tokens float64
	at            time.Time // when tokens was last brought up to date
}

// settle adds the tokens gained since the last call.
func (b *tokenBucket) settle(now time.Time) {
	if now.After(b.at) {
		b.tokens = min(b.burst, b.tokens+float64(now.Sub(b.at))/float64(b.every))
		b.at = now
	}
}

// wait is how long until the bucket holds a token; zero when it does.
func (b *tokenBucket) wait(now time.Time) time.Duration {
	b.settle(now)
	if b.tokens >= 1 {
		return 0
	}
	return time.Duration((1 - b.tokens) * float64(b.every))
}

func (b *tokenBucket) take(now time.Time) { b.settle(now); b.tokens-- }

func (b *tokenBucket) give(now time.Time) { b.settle(now); b.tokens = min(b.burst, b.tokens+1) }

func (b *tokenBucket) full(now time.Time) bool { b.settle(now); return b.tokens >= b.burst }
