package ratelimit

import (
	"context"
	_ "embed"
	"fmt"
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

//go:embed gcra_sync.lua
var gcraSyncSource string

var gcraSyncScript = redis.NewScript(gcraSyncSource)

// DefaultSyncInterval is how often a Local limiter exchanges its counts with Redis.
const DefaultSyncInterval = 100 * time.Millisecond

// Local decides every request in memory, with the same GCRA as Limiter, and in the background (every
// sync interval, one pipelined round trip for all busy keys) adds what it allowed to the key's shared
// state in Redis and adopts the shared state in return. A request therefore costs no Redis round
// trip; the price is that several replicas may together admit up to one sync interval's worth of
// traffic (and one burst each for a key they had not seen) over the limit before they learn of each
// other's. With one replica, as in the embedded default, the limit is exact.
//
// While Redis is down each replica keeps enforcing the limit on its own traffic (a Result is never
// Degraded); the outage is logged and counted through the shared Limiter's failure accounting.
type Local struct {
	shared   *Limiter
	interval time.Duration
	now      func() time.Time

	mu   sync.Mutex
	keys map[string]*localKey

	stop chan struct{}
	done chan struct{}
}

type localKey struct {
	lim     Limit
	tat     time.Time // theoretical arrival time
	pending int       // allowed since the last sync
}

// NewLocal returns a Local in front of shared (whose Redis client, prefix, timeout and failure
// logging it uses) and starts its sync loop; Close stops it. interval ≤ 0 means DefaultSyncInterval.
func NewLocal(shared *Limiter, interval time.Duration) *Local {
	if interval <= 0 {
		interval = DefaultSyncInterval
	}
	l := &Local{shared: shared, interval: interval, now: time.Now, keys: map[string]*localKey{},
		stop: make(chan struct{}), done: make(chan struct{})}
	go l.loop()
	return l
}

// Close stops the sync loop after a last sync, so the counts of a stopping replica still reach the
// others.
func (l *Local) Close() {
	select {
	case <-l.stop:
		return
	default:
	}
	close(l.stop)
	<-l.done
}

// Allow counts one request against key under lim and reports whether it fits, from memory.
func (l *Local) Allow(ctx context.Context, key string, lim Limit) (Result, error) {
	if err := lim.validate(); err != nil {
		return Result{}, err
	}
	if err := ctx.Err(); err != nil {
		return Result{}, fmt.Errorf("ratelimit: %w", err)
	}
	iv := time.Duration(math.Ceil(float64(lim.Per) / float64(lim.Rate)))
	tolerance := iv * time.Duration(lim.EffectiveBurst())
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	k := l.keys[key]
	if k == nil || k.lim != lim {
		k = &localKey{lim: lim}
		l.keys[key] = k
	}
	tat := k.tat
	if tat.Before(now) {
		tat = now
	}
	ahead := tat.Add(iv).Sub(now)
	if ahead > tolerance {
		return Result{RetryAfter: ahead - tolerance, ResetAfter: tat.Sub(now)}, nil
	}
	k.tat = tat.Add(iv)
	k.pending++
	return Result{Allowed: true, Remaining: int((tolerance - ahead) / iv), ResetAfter: ahead}, nil
}

func (l *Local) loop() {
	defer close(l.done)
	t := time.NewTicker(l.interval)
	defer t.Stop()
	for {
		select {
		case <-l.stop:
			l.Sync(context.Background())
			return
		case <-t.C:
			l.Sync(context.Background())
		}
	}
}

type syncItem struct {
	key  string
	lim  Limit
	cost int
	cmd  *redis.Cmd
}

// Sync sends the counts allowed since the last sync to Redis and adopts the shared state; the loop
// calls it every interval. Keys idle past a full bucket are forgotten.
func (l *Local) Sync(ctx context.Context) {
	now := l.now()
	var items []syncItem
	l.mu.Lock()
	for key, k := range l.keys {
		switch {
		case k.pending > 0:
			items = append(items, syncItem{key: key, lim: k.lim, cost: k.pending})
			k.pending = 0
		case k.tat.Before(now):
			delete(l.keys, key) // full again: nothing to remember
		}
	}
	l.mu.Unlock()
	if len(items) == 0 {
		return
	}
	rctx, cancel := context.WithTimeout(ctx, l.shared.timeout)
	defer cancel()
	pipe := l.shared.rdb.Pipeline()
	for i := range items {
		it := &items[i]
		it.cmd = gcraSyncScript.Eval(rctx, pipe, []string{l.shared.prefix + it.key},
			strconv.FormatFloat(it.lim.interval(), 'f', -1, 64), it.lim.EffectiveBurst(), it.cost)
	}
	if _, err := pipe.Exec(rctx); err != nil {
		l.shared.degrade(ctx, fmt.Errorf("ratelimit sync: %w", err))
		return
	}
	now = l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, it := range items {
		us, err := it.cmd.Int64()
		k := l.keys[it.key]
		if err != nil || k == nil || k.lim != it.lim {
			continue
		}
		if shared := now.Add(time.Duration(us) * time.Microsecond); shared.After(k.tat) {
			k.tat = shared
		}
	}
}
