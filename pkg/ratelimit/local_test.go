package ratelimit

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/hirfa/hirfa/pkg/testenv"
)

// fakeClock is the Local limiter's clock in these tests: decisions depend on
// it, never on how fast the machine runs them.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

// newLocalManual is a Local without its sync loop: the test calls Sync.
func newLocalManual(shared *Limiter, clock *fakeClock) *Local {
	return &Local{shared: shared, interval: time.Hour, now: clock.now, keys: map[string]*localKey{}}
}

var perMinute3 = Limit{Rate: 3, Per: time.Minute, Burst: 3}

func TestLocalEnforcesTheLimitInMemory(t *testing.T) {
	clock := &fakeClock{t: time.Now()}
	l := newLocalManual(New(newRedis(t), Options{Prefix: testenv.RedisPrefix(t), Timeout: liveTimeout, Logger: discardLogger()}), clock)
	ctx := context.Background()
	for i := range 3 {
		res, err := l.Allow(ctx, "k", perMinute3)
		if err != nil || !res.Allowed || res.Remaining != 2-i {
			t.Fatalf("call %d = %+v, %v; want allowed with %d remaining", i, res, err, 2-i)
		}
	}
	res, _ := l.Allow(ctx, "k", perMinute3)
	if res.Allowed || res.RetryAfter != 20*time.Second {
		t.Fatalf("fourth call = %+v, want refused for one interval (20s)", res)
	}
	if res, _ := l.Allow(ctx, "other", perMinute3); !res.Allowed {
		t.Fatal("another key shares the first one's bucket")
	}
	clock.advance(20 * time.Second)
	if res, _ := l.Allow(ctx, "k", perMinute3); !res.Allowed {
		t.Fatalf("after one interval = %+v, want allowed", res)
	}
	if _, err := l.Allow(ctx, "k", Limit{}); err == nil {
		t.Fatal("an invalid limit was accepted")
	}
}

// TestLocalReplicasShareThroughRedis: what one replica allowed reaches the
// other at the next sync, so together they do not keep admitting a full
// burst each; a stopping replica syncs its last counts; and the per-request
// Limiter on the same key sees them too.
func TestLocalReplicasShareThroughRedis(t *testing.T) {
	rdb := newRedis(t)
	prefix := testenv.RedisPrefix(t)
	shared := New(rdb, Options{Prefix: prefix, Timeout: liveTimeout, Logger: discardLogger()})
	clock := &fakeClock{t: time.Now()}
	a, b := newLocalManual(shared, clock), newLocalManual(shared, clock)
	ctx := context.Background()
	for range 3 {
		if res, _ := a.Allow(ctx, "k", perMinute3); !res.Allowed {
			t.Fatal("replica a refused within its burst")
		}
	}
	if res, _ := b.Allow(ctx, "k", perMinute3); !res.Allowed {
		t.Fatal("replica b refused before any sync")
	}
	a.Sync(ctx)
	b.Sync(ctx)
	if res, _ := b.Allow(ctx, "k", perMinute3); res.Allowed {
		t.Fatalf("replica b after syncing a's burst = %+v, want refused", res)
	}
	if res, err := shared.Allow(ctx, "k", perMinute3); err != nil || res.Allowed {
		t.Fatalf("per-request limiter on the synced key = %+v, %v, want refused", res, err)
	}

	// The loop's last sync on Close.
	c := NewLocal(shared, time.Hour)
	for range 3 {
		_, _ = c.Allow(ctx, "closing", perMinute3)
	}
	c.Close()
	if res, _ := shared.Allow(ctx, "closing", perMinute3); res.Allowed {
		t.Fatal("the counts of a closed replica did not reach Redis")
	}
}

// TestLocalWithoutRedis: with Redis unreachable each replica still enforces
// the limit on its own traffic, and the failed sync is counted as degraded.
func TestLocalWithoutRedis(t *testing.T) {
	dead := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1})
	t.Cleanup(func() { _ = dead.Close() })
	var seen error
	shared := New(dead, Options{Logger: discardLogger(), OnError: func(err error) { seen = err }})
	clock := &fakeClock{t: time.Now()}
	l := newLocalManual(shared, clock)
	ctx := context.Background()
	for range 3 {
		_, _ = l.Allow(ctx, "k", perMinute3)
	}
	l.Sync(ctx)
	if seen == nil {
		t.Fatal("a failed sync was not reported")
	}
	res, err := l.Allow(ctx, "k", perMinute3)
	if err != nil || res.Allowed || res.Degraded {
		t.Fatalf("over the limit with Redis down = %+v, %v; want refused (not degraded)", res, err)
	}
}
