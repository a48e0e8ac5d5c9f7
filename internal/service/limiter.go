package service

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

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
// A success refills the account-and-address bucket (a typo or two is forgotten). The
// buckets live in this process: with several nodes each node limits on its own. At most a
// few password checks run at once (checks), so a burst costs bounded memory and CPU.
type loginLimiter struct {
	now     func() time.Time
	mu      sync.Mutex
	pair    map[string]*rate.Limiter
	ip      map[string]*rate.Limiter
	account map[string]*rate.Limiter

	checks  chan struct{} // one slot per password check running
	waiting atomic.Int32  // attempts waiting for a slot
}

// The buckets: rate and burst of each.
var (
	pairRate, pairBurst       = rate.Every(time.Minute), 5
	ipRate, ipBurst           = rate.Every(6 * time.Second), 20
	accountRate, accountBurst = rate.Every(10 * time.Second), 100
)

// maxBuckets bounds memory: past it, full (idle) buckets are dropped.
const maxBuckets = 100_000

// maxWaitingChecks bounds the attempts queued for a password check slot; past it an
// attempt is refused at once (429), before any work.
const maxWaitingChecks = 32

func newLoginLimiter(now func() time.Time) *loginLimiter {
	return &loginLimiter{now: now, pair: map[string]*rate.Limiter{}, ip: map[string]*rate.Limiter{},
		account: map[string]*rate.Limiter{}, checks: make(chan struct{}, max(2, runtime.GOMAXPROCS(0)))}
}

// attempt counts one attempt of account from ip in all three buckets, or in none when any is
// empty: then it returns how long to wait.
func (l *loginLimiter) attempt(account, ip string) (wait time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	buckets := []*rate.Limiter{
		bucket(l.pair, account+"\x00"+ip, pairRate, pairBurst, now),
		bucket(l.ip, ip, ipRate, ipBurst, now),
		bucket(l.account, account, accountRate, accountBurst, now),
	}
	for _, b := range buckets {
		wait = max(wait, waitOf(b, now))
	}
	if wait > 0 {
		return wait
	}
	for _, b := range buckets {
		b.AllowN(now, 1)
	}
	return 0
}

// succeeded forgets the failed attempts of account from ip.
func (l *loginLimiter) succeeded(account, ip string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.pair, account+"\x00"+ip)
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

func waitOf(lim *rate.Limiter, now time.Time) time.Duration {
	tokens := lim.TokensAt(now)
	if tokens >= 1 {
		return 0
	}
	return time.Duration((1 - tokens) / float64(lim.Limit()) * float64(time.Second))
}

// bucket is key's bucket of m, made full when it has none.
func bucket(m map[string]*rate.Limiter, key string, r rate.Limit, burst int, now time.Time) *rate.Limiter {
	lim, ok := m[key]
	if !ok {
		if len(m) >= maxBuckets {
			for k, v := range m {
				if v.TokensAt(now) >= float64(v.Burst()) {
					delete(m, k)
				}
			}
		}
		lim = rate.NewLimiter(r, burst)
		m[key] = lim
	}
	return lim
}
