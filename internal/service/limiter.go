package service

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// loginLimiter slows password guessing: failed logins drain a token bucket per account and
// one per client address; while either is empty, logins are refused with a retry time.
// The buckets live in this process: with several nodes each node limits on its own.
type loginLimiter struct {
	now     func() time.Time
	mu      sync.Mutex
	account map[string]*rate.Limiter
	ip      map[string]*rate.Limiter
}

// Bucket sizes: an account tolerates 5 quick failures, then one more a minute; an address
// 20, then one every 6 seconds (an office behind one NAT shares it).
var (
	accountRate, accountBurst = rate.Every(time.Minute), 5
	ipRate, ipBurst           = rate.Every(6 * time.Second), 20
)

// maxBuckets bounds memory: past it, full (idle) buckets are dropped.
const maxBuckets = 100_000

func newLoginLimiter(now func() time.Time) *loginLimiter {
	return &loginLimiter{now: now, account: map[string]*rate.Limiter{}, ip: map[string]*rate.Limiter{}}
}

// wait returns how long the caller must wait before trying account from ip; zero when it
// may try now.
func (l *loginLimiter) wait(account, ip string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	return max(waitOf(l.account[account], now), waitOf(l.ip[ip], now))
}

func waitOf(lim *rate.Limiter, now time.Time) time.Duration {
	if lim == nil {
		return 0
	}
	tokens := lim.TokensAt(now)
	if tokens >= 1 {
		return 0
	}
	return time.Duration((1 - tokens) / float64(lim.Limit()) * float64(time.Second))
}

// fail records a failed login of account from ip.
func (l *loginLimiter) fail(account, ip string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	take(l.account, account, accountRate, accountBurst, now)
	take(l.ip, ip, ipRate, ipBurst, now)
}

func take(m map[string]*rate.Limiter, key string, r rate.Limit, burst int, now time.Time) {
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
	lim.AllowN(now, 1)
}
