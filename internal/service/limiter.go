package service

import (
	"context"
	"net/netip"
	"runtime"
	"strings"
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
// is forgotten): only failures drain the buckets. The buckets live in this process: with
// several nodes each node limits on its own. At most a few password checks run at once
// (checks), so a burst costs bounded memory and CPU.
//
// The keys are the caller's to choose (e-mails, addresses), so every map is bounded
// (bucketSet): at most maxBuckets buckets, the least recently used dropped first, in
// constant time per attempt. An IPv6 caller is one address per /64 (addressKey): a single
// connection is given a /64 or more, and would otherwise have 2^64 fresh buckets. A link's
// token is no one's account (isLinkKey): only its address is charged.
type loginLimiter struct {
	now     func() time.Time
	mu      sync.Mutex
	pair    *bucketSet
	ip      *bucketSet
	account *bucketSet

	checks  chan struct{} // one slot per password check running
	waiting atomic.Int32  // attempts waiting for a slot
}

// The buckets: how often each gains a token, and how many it holds.
var (
	pairEvery, pairBurst       = time.Minute, 5
	ipEvery, ipBurst           = 6 * time.Second, 20
	accountEvery, accountBurst = 10 * time.Second, 100
)

// maxBuckets bounds each map's memory: past it, the least recently used bucket is dropped.
const maxBuckets = 100_000

// maxWaitingChecks bounds the attempts queued for a password check slot; past it an
// attempt is refused at once (429), before any work.
const maxWaitingChecks = 32

func newLoginLimiter(now func() time.Time) *loginLimiter {
	return &loginLimiter{now: now,
		pair:    newBucketSet(maxBuckets, pairEvery, pairBurst),
		ip:      newBucketSet(maxBuckets, ipEvery, ipBurst),
		account: newBucketSet(maxBuckets, accountEvery, accountBurst),
		checks:  make(chan struct{}, max(2, runtime.GOMAXPROCS(0)))}
}

// attempt counts one attempt of account from ip in all three buckets, or in none when any is
// empty: then it returns how long to wait. For a link's token (isLinkKey) it is the address
// bucket alone.
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
	l.ip.get(addressKey(ip), now).give(now)
	if isLinkKey(account) {
		return
	}
	l.account.get(account, now).give(now)
	l.pair.remove(pairKey(account, ip))
}

// buckets are the account-and-address, the address and the account buckets of an attempt;
// the address bucket alone for a link's token.
func (l *loginLimiter) buckets(account, ip string, now time.Time) []*tokenBucket {
	addr := l.ip.get(addressKey(ip), now)
	if isLinkKey(account) {
		return []*tokenBucket{addr}
	}
	return []*tokenBucket{l.pair.get(pairKey(account, ip), now), addr, l.account.get(account, now)}
}

// linkKeyPrefix starts the account key of a link's token ("link:" and the token's hash): a
// 256-bit secret that nobody guesses, and that anyone can make up by the million. A bucket
// per token would let them fill the maps and would slow no one, so a link attempt charges
// only its address.
const linkKeyPrefix = "link:"

// isLinkKey reports whether account is a link's token (linkKeyPrefix).
func isLinkKey(account string) bool { return strings.HasPrefix(account, linkKeyPrefix) }

// pairKey is the key of account's bucket from ip.
func pairKey(account, ip string) string { return account + "\x00" + addressKey(ip) }

// addressKey is the bucket key of a client address: an IPv4 address as it is (an IPv4-mapped
// IPv6 one as the IPv4 address), an IPv6 address by its /64, the smallest block a network
// gives one connection; anything unparsable as it is.
func addressKey(ip string) string {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	addr = addr.Unmap().WithZone("")
	if addr.Is4() {
		return addr.String()
	}
	return netip.PrefixFrom(addr, 64).Masked().String()
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

// bucketSet holds at most limit token buckets by key, each gaining a token every every and
// holding up to burst. Keys are kept in the order they were last used (a ring through the
// buckets): a new key past the limit drops the least recently used bucket, so every call
// costs the same however full the set is, and the set never outgrows its limit. The dropped
// bucket is the one idle longest; unless a flood of fresh keys passes faster than a bucket
// refills, it is full by then and dropping it forgets nothing. Its owner serializes calls.
type bucketSet struct {
	limit int
	every time.Duration
	burst int
	m     map[string]*tokenBucket
	ring  tokenBucket // ring.next is the most recently used bucket, ring.prev the least
}

func newBucketSet(limit int, every time.Duration, burst int) *bucketSet {
	s := &bucketSet{limit: limit, every: every, burst: burst, m: make(map[string]*tokenBucket)}
	s.ring.prev, s.ring.next = &s.ring, &s.ring
	return s
}

// get is key's bucket, made full when there is none, and now the most recently used.
func (s *bucketSet) get(key string, now time.Time) *tokenBucket {
	if b, ok := s.m[key]; ok {
		b.unlink()
		s.push(b)
		return b
	}
	if len(s.m) >= s.limit {
		oldest := s.ring.prev
		oldest.unlink()
		delete(s.m, oldest.key)
	}
	b := &tokenBucket{key: key, every: s.every, burst: float64(s.burst), tokens: float64(s.burst), at: now}
	s.m[key] = b
	s.push(b)
	return b
}

// remove drops key's bucket, if any.
func (s *bucketSet) remove(key string) {
	if b, ok := s.m[key]; ok {
		b.unlink()
		delete(s.m, key)
	}
}

// push puts b first in the ring: the most recently used.
func (s *bucketSet) push(b *tokenBucket) {
	b.prev, b.next = &s.ring, s.ring.next
	s.ring.next.prev = b
	s.ring.next = b
}

// tokenBucket holds up to burst tokens and gains one every every; an attempt takes one and a
// success gives it back. Its owner serializes calls.
type tokenBucket struct {
	every         time.Duration
	burst, tokens float64
	at            time.Time // when tokens was last brought up to date

	key        string       // its key in its bucketSet
	prev, next *tokenBucket // its neighbours in the set's ring, by last use
}

// unlink takes b out of its set's ring.
func (b *tokenBucket) unlink() {
	b.prev.next, b.next.prev = b.next, b.prev
	b.prev, b.next = nil, nil
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
