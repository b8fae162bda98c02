package ratelimit

import (
	"testing"
	"time"

	"github.com/hirfa/hirfa/pkg/testenv"
)

// BenchmarkAllow puts one decision next to the cheapest possible round trip to the same Redis, so
// the script's own cost is the difference between the two.
func BenchmarkAllow(b *testing.B) {
	rdb := newRedis(b)
	lim := New(rdb, Options{Prefix: testenv.RedisPrefix(b), Timeout: liveTimeout})
	// Generous enough that nearly every call is allowed and therefore writes.
	limit := Limit{Rate: 1_000_000_000, Per: time.Second}

	b.Run("ping", func(b *testing.B) {
		for b.Loop() {
			if err := rdb.Ping(b.Context()).Err(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("allow", func(b *testing.B) {
		for b.Loop() {
			if res, err := lim.Allow(b.Context(), "bench", limit); err != nil || res.Degraded {
				b.Fatalf("Allow = %+v, %v", res, err)
			}
		}
	})
	b.Run("ping-parallel", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := rdb.Ping(b.Context()).Err(); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
	b.Run("allow-parallel", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if res, err := lim.Allow(b.Context(), "bench", limit); err != nil || res.Degraded {
					b.Errorf("Allow = %+v, %v", res, err)
					return
				}
			}
		})
	})
}
