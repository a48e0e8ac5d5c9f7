package service

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkLoginLimiterFull is the cost of one failed attempt under a new, attacker-chosen
// account (a random e-mail or link token) from a new address, once every map holds
// maxBuckets buckets that are not full: what a flood of fresh keys costs per request, under
// the one lock Login takes too. It stays what it is on an empty limiter (run with
// -bench LoginLimiter): no request scans the maps.
func BenchmarkLoginLimiterFull(b *testing.B) {
	for _, filled := range []int{0, maxBuckets} {
		b.Run(fmt.Sprintf("filled=%d", filled), func(b *testing.B) {
			now := time.Date(2026, 3, 14, 8, 0, 0, 0, time.UTC)
			l := newLoginLimiter(func() time.Time { return now })
			for i := range filled {
				l.attempt(fmt.Sprintf("flood%d@x.test", i), fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255))
			}
			i := 0
			for b.Loop() {
				i++
				l.attempt(fmt.Sprintf("fresh%d@x.test", i), fmt.Sprintf("172.%d.%d.%d", 16+i>>16&15, i>>8&255, i&255))
			}
		})
	}
}
