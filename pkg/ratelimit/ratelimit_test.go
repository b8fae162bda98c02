package ratelimit

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/hirfa/hirfa/pkg/testenv"
)

// metricReader sees what the limiters in these tests count. The global meter provider can be
// installed only once per process, hence here and not per test.
var metricReader = sdkmetric.NewManualReader()

func TestMain(m *testing.M) {
	otel.SetMeterProvider(sdkmetric.NewMeterProvider(sdkmetric.WithReader(metricReader)))
	testenv.Main(m)
}

func newRedis(t testing.TB) *redis.Client {
	t.Helper()
	opt, err := redis.ParseURL(testenv.Redis(t))
	if err != nil {
		t.Fatalf("parse redis url: %v", err)
	}
	opt.ContextTimeoutEnabled = true // as the limiter's Timeout needs
	rdb := redis.NewClient(opt)
	t.Cleanup(func() { _ = rdb.Close() })
	return rdb
}

// liveTimeout replaces DefaultTimeout for limiters on a live Redis: on a loaded test machine a
// quarter of a second can pass without any outage, and a degraded decision would fail the test.
const liveTimeout = 10 * time.Second

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

// redisNow reads the Redis server clock, the clock the limiter decides by.
func redisNow(t testing.TB, rdb redis.UniversalClient) time.Time {
	t.Helper()
	now, err := rdb.Time(t.Context()).Result()
	if err != nil {
		t.Fatalf("redis TIME: %v", err)
	}
	return now
}

// between fails unless lo <= got <= hi. The script rounds microseconds up, hence the slack on hi.
func between(t *testing.T, what string, got, lo, hi time.Duration) {
	t.Helper()
	if got < lo || got > hi+time.Microsecond {
		t.Errorf("%s = %v, want within [%v, %v]", what, got, lo, hi)
	}
}

func interval(l Limit) time.Duration { return l.Per / time.Duration(l.Rate) }

func TestAllowBurstThenRefuse(t *testing.T) {
	rdb := newRedis(t)
	tests := []struct {
		name  string
		limit Limit
	}{
		{"five a minute", Limit{Rate: 1, Per: time.Minute, Burst: 5}},
		{"burst of one", Limit{Rate: 3, Per: time.Hour, Burst: 1}},
		{"burst defaults to rate", Limit{Rate: 10, Per: 10 * time.Minute}},
		// 60s/13 is not a whole microsecond, and 6 of them minus one divides to 4.999…: float residue.
		{"interval not a whole microsecond", Limit{Rate: 13, Per: time.Minute, Burst: 6}},
		{"PerMinute", PerMinute(4)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lim := New(rdb, Options{Prefix: testenv.RedisPrefix(t), Timeout: liveTimeout})
			burst, T := tc.limit.EffectiveBurst(), interval(tc.limit)
			start := redisNow(t, rdb)
			for i := range burst {
				res, err := lim.Allow(t.Context(), "k", tc.limit)
				if err != nil {
					t.Fatalf("Allow #%d: %v", i+1, err)
				}
				if !res.Allowed || res.Degraded || res.RetryAfter != 0 {
					t.Fatalf("Allow #%d = %+v, want allowed, not degraded, no RetryAfter", i+1, res)
				}
				if want := burst - 1 - i; res.Remaining != want {
					t.Errorf("Allow #%d Remaining = %d, want %d", i+1, res.Remaining, want)
				}
				elapsed := redisNow(t, rdb).Sub(start)
				between(t, "ResetAfter", res.ResetAfter, time.Duration(i+1)*T-elapsed, time.Duration(i+1)*T)
			}
			// Refusals do not consume: the second refusal must say what the first said, less the
			// time that passed in between.
			for i := range 2 {
				res, err := lim.Allow(t.Context(), "k", tc.limit)
				if err != nil {
					t.Fatalf("Allow past burst: %v", err)
				}
				elapsed := redisNow(t, rdb).Sub(start)
				if res.Allowed || res.Degraded || res.Remaining != 0 {
					t.Fatalf("Allow past burst #%d = %+v, want refused with nothing remaining", i+1, res)
				}
				// The first request's emission interval has to pass before one more fits.
				between(t, "RetryAfter", res.RetryAfter, T-elapsed, T)
				between(t, "ResetAfter", res.ResetAfter, time.Duration(burst)*T-elapsed, time.Duration(burst)*T)
			}
		})
	}
}

// TestAllowRefill places the key's theoretical arrival time (TAT) relative to the Redis clock and
// checks what time has refilled, without waiting for it to pass.
func TestAllowRefill(t *testing.T) {
	rdb := newRedis(t)
	limit := Limit{Rate: 6, Per: time.Minute, Burst: 4} // T = 10s: far more than any test hiccup
	T := interval(limit)
	tests := []struct {
		name          string
		ahead         time.Duration // TAT minus now when seeded; negative: in the past
		wantAllowed   bool
		wantRemaining int
		wantRetry     time.Duration // upper bound; lower bound is this minus the elapsed time
	}{
		{"long idle key is full", -time.Hour, true, 3, 0},
		{"just refilled to full", 0, true, 3, 0},
		{"two used, none refilled", 2 * T, true, 1, 0},
		{"two used, half of one refilled", 2*T - T/2, true, 1, 0},
		{"one slot left", 3 * T, true, 0, 0},
		{"exhausted", 4 * T, false, 0, T},
		{"exhausted, half a slot refilled", 4*T - T/2, false, 0, T / 2},
		{"ahead by more than the burst", 6 * T, false, 0, 3 * T},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			prefix := testenv.RedisPrefix(t)
			lim := New(rdb, Options{Prefix: prefix, Timeout: liveTimeout})
			seeded := redisNow(t, rdb)
			tat := seeded.Add(tc.ahead).UnixMicro()
			if err := rdb.Set(t.Context(), prefix+"k", strconv.FormatInt(tat, 10), time.Hour).Err(); err != nil {
				t.Fatalf("seed TAT: %v", err)
			}
			res, err := lim.Allow(t.Context(), "k", limit)
			if err != nil {
				t.Fatalf("Allow: %v", err)
			}
			elapsed := redisNow(t, rdb).Sub(seeded)
			if res.Allowed != tc.wantAllowed || res.Remaining != tc.wantRemaining {
				t.Fatalf("Allow = %+v, want Allowed %v Remaining %d", res, tc.wantAllowed, tc.wantRemaining)
			}
			between(t, "RetryAfter", res.RetryAfter, max(tc.wantRetry-elapsed, 0), tc.wantRetry)
			wantReset := max(tc.ahead, 0)
			if tc.wantAllowed {
				wantReset += T
			}
			between(t, "ResetAfter", res.ResetAfter, max(wantReset-elapsed, 0), wantReset)
			if tc.wantAllowed {
				// The key lives exactly as long as it matters: until the bucket is full again.
				pttl, err := rdb.PTTL(t.Context(), prefix+"k").Result()
				if err != nil {
					t.Fatalf("PTTL: %v", err)
				}
				sinceSeed := redisNow(t, rdb).Sub(seeded)
				between(t, "key PTTL", pttl, res.ResetAfter-sinceSeed-time.Millisecond, res.ResetAfter+time.Millisecond)
			}
		})
	}
}

// TestAllowRefillOverTime waits out real, short periods. Every assertion holds however much longer
// than asked the sleeps take, so a loaded machine cannot make it fail. Each sleep has a millisecond
// on top: the script reads the Redis wall clock, which NTP may slew against the Go monotonic clock.
func TestAllowRefillOverTime(t *testing.T) {
	rdb := newRedis(t)
	prefix := testenv.RedisPrefix(t)
	lim := New(rdb, Options{Prefix: prefix, Timeout: liveTimeout})
	limit := Limit{Rate: 20, Per: time.Second, Burst: 2} // one request every 50ms

	allow := func() Result {
		t.Helper()
		res, err := lim.Allow(t.Context(), "k", limit)
		if err != nil {
			t.Fatalf("Allow: %v", err)
		}
		return res
	}
	var refused Result
	for range 10 { // enough to exhaust a burst of 2 unless 50ms pass between calls every time
		if refused = allow(); !refused.Allowed {
			break
		}
	}
	if refused.Allowed || refused.RetryAfter <= 0 || refused.RetryAfter > 50*time.Millisecond+time.Microsecond {
		t.Fatalf("after exhausting the burst: %+v, want refused with 0 < RetryAfter <= 50ms", refused)
	}
	time.Sleep(refused.RetryAfter + time.Millisecond)
	if res := allow(); !res.Allowed {
		t.Fatalf("after waiting RetryAfter (%v): %+v, want allowed", refused.RetryAfter, res)
	}
	last := allow()
	time.Sleep(last.ResetAfter + time.Millisecond)
	if res := allow(); !res.Allowed || res.Remaining != limit.Burst-1 {
		t.Fatalf("after waiting ResetAfter (%v): %+v, want allowed with a full burst left", last.ResetAfter, res)
	}
	// Once full, the key has expired on its own: an idle key costs Redis nothing.
	// PX is rounded up to whole milliseconds, hence the larger margin.
	time.Sleep(allow().ResetAfter + 5*time.Millisecond)
	n, err := rdb.Exists(t.Context(), prefix+"k").Result()
	if err != nil {
		t.Fatalf("EXISTS: %v", err)
	}
	if n != 0 {
		t.Errorf("key still exists after its bucket refilled")
	}
}

func TestAllowConcurrentNeverExceedsBurst(t *testing.T) {
	rdb := newRedis(t)
	lim := New(rdb, Options{Prefix: testenv.RedisPrefix(t), Timeout: liveTimeout})
	// One refill an hour: the test cannot last long enough for refills to blur the count.
	limit := Limit{Rate: 1, Per: time.Hour, Burst: 50}
	const goroutines, perGoroutine = 32, 20

	var allowed atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, goroutines)
	for range goroutines {
		wg.Go(func() {
			for range perGoroutine {
				res, err := lim.Allow(t.Context(), "shared", limit)
				if err != nil {
					errs <- err
					return
				}
				if res.Degraded {
					errs <- errors.New("degraded decision against a live Redis")
					return
				}
				if res.Allowed {
					allowed.Add(1)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if got := allowed.Load(); got != int64(limit.Burst) {
		t.Errorf("allowed %d of %d concurrent requests, want exactly the burst %d", got, goroutines*perGoroutine, limit.Burst)
	}
}

// closedRedis returns a client for a port nothing listens on.
func closedRedis(t *testing.T) *redis.Client {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		t.Fatalf("close listener: %v", err)
	}
	// No retries: each call should meet the closed port once, not sit in go-redis's dial back-off.
	rdb := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1, DialerRetries: 1, ContextTimeoutEnabled: true})
	t.Cleanup(func() { _ = rdb.Close() })
	return rdb
}

func degradedCount(t *testing.T, mode string) int64 {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := metricReader.Collect(t.Context(), &rm); err != nil {
		t.Fatalf("collect metrics: %v", err)
	}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if m.Name != "hirfa.ratelimit.degraded" {
				continue
			}
			sum, ok := m.Data.(metricdata.Sum[int64])
			if !ok {
				t.Fatalf("hirfa.ratelimit.degraded is %T, want a Sum[int64]", m.Data)
			}
			for _, dp := range sum.DataPoints {
				if v, _ := dp.Attributes.Value(attribute.Key("hirfa.ratelimit.fail_mode")); v.AsString() == mode {
					return dp.Value
				}
			}
		}
	}
	return 0
}

func TestAllowRedisDown(t *testing.T) {
	tests := []struct {
		name        string
		failClosed  bool
		wantAllowed bool
		mode        string
	}{
		{"fail open by default", false, true, "open"},
		{"fail closed", true, false, "closed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			var onError atomic.Int64
			lim := New(closedRedis(t), Options{
				FailClosed:  tc.failClosed,
				Logger:      slog.New(slog.NewJSONHandler(&logs, nil)),
				LogInterval: time.Hour,
				OnError:     func(error) { onError.Add(1) },
			})
			before := degradedCount(t, tc.mode)
			const calls = 5
			for range calls {
				res, err := lim.Allow(t.Context(), "k", PerSecond(1))
				if err != nil {
					t.Fatalf("Allow: %v (a Redis outage is decided, not returned)", err)
				}
				if want := (Result{Allowed: tc.wantAllowed, Degraded: true}); res != want {
					t.Fatalf("Allow = %+v, want %+v", res, want)
				}
			}
			if got := onError.Load(); got != calls {
				t.Errorf("OnError called %d times, want %d", got, calls)
			}
			if got := degradedCount(t, tc.mode) - before; got != calls {
				t.Errorf("hirfa.ratelimit.degraded{fail_mode=%s} rose by %d, want %d", tc.mode, got, calls)
			}
			lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
			if len(lines) != 1 || !strings.Contains(lines[0], `"fail_open":`+strconv.FormatBool(!tc.failClosed)) {
				t.Errorf("logged %d lines, want one warning per interval with fail_open=%v:\n%s", len(lines), !tc.failClosed, logs.String())
			}
		})
	}
}

// TestAllowRedisHangs points the limiter at a server that accepts connections and never answers:
// the Timeout, not the client's much longer defaults, must decide how long a request waits.
func TestAllowRedisHangs(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	var conns sync.WaitGroup
	t.Cleanup(func() {
		_ = ln.Close()
		conns.Wait()
	})
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns.Go(func() {
				_, _ = io.Copy(io.Discard, c) // read everything, answer nothing
				_ = c.Close()
			})
		}
	}()
	rdb := redis.NewClient(&redis.Options{Addr: ln.Addr().String(), MaxRetries: -1, ContextTimeoutEnabled: true})
	t.Cleanup(func() { _ = rdb.Close() })

	const timeout = 100 * time.Millisecond
	lim := New(rdb, Options{Timeout: timeout, Logger: discardLogger()})
	start := time.Now()
	res, err := lim.Allow(t.Context(), "k", PerSecond(1))
	took := time.Since(start)
	if err != nil || res != (Result{Allowed: true, Degraded: true}) {
		t.Fatalf("Allow = %+v, %v; want a degraded fail-open decision", res, err)
	}
	// Generous upper bound (a loaded machine), yet far below go-redis's own 3s read timeout.
	if took < timeout || took > 2*time.Second {
		t.Errorf("Allow took %v, want about the %v timeout", took, timeout)
	}
}

func TestNewWarnsWhenTimeoutCannotWork(t *testing.T) {
	for _, enabled := range []bool{false, true} {
		var logs bytes.Buffer
		rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", ContextTimeoutEnabled: enabled})
		New(rdb, Options{Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
		_ = rdb.Close()
		if warned := strings.Contains(logs.String(), "ContextTimeoutEnabled=false"); warned == enabled {
			t.Errorf("ContextTimeoutEnabled=%v: warned=%v, want %v; log: %s", enabled, warned, !enabled, logs.String())
		}
	}
}

func TestDegradedLogsAgainAfterInterval(t *testing.T) {
	var logs bytes.Buffer
	lim := New(closedRedis(t), Options{Logger: slog.New(slog.NewJSONHandler(&logs, nil)), LogInterval: time.Minute})
	for range 3 {
		if _, err := lim.Allow(t.Context(), "k", PerSecond(1)); err != nil {
			t.Fatalf("Allow: %v", err)
		}
	}
	// Pretend the interval has passed rather than sleeping through a minute.
	lim.lastLog.Add(-int64(time.Minute))
	if _, err := lim.Allow(t.Context(), "k", PerSecond(1)); err != nil {
		t.Fatalf("Allow: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("logged %d lines, want 2:\n%s", len(lines), logs.String())
	}
	// The second warning accounts for the decisions the first interval kept quiet about.
	if !strings.Contains(lines[1], `"decisions":3`) {
		t.Errorf("second warning = %s, want decisions=3 (two suppressed plus its own)", lines[1])
	}
}

func TestAllowErrors(t *testing.T) {
	rdb := newRedis(t)
	lim := New(rdb, Options{Prefix: testenv.RedisPrefix(t), Timeout: liveTimeout})
	canceled, cancel := context.WithCancel(t.Context())
	cancel()
	tests := []struct {
		name    string
		ctx     context.Context
		limit   Limit
		wantErr error
	}{
		{"zero rate", t.Context(), Limit{Rate: 0, Per: time.Second}, ErrInvalidLimit},
		{"negative rate", t.Context(), Limit{Rate: -1, Per: time.Second}, ErrInvalidLimit},
		{"zero period", t.Context(), Limit{Rate: 1}, ErrInvalidLimit},
		{"negative burst", t.Context(), Limit{Rate: 1, Per: time.Second, Burst: -1}, ErrInvalidLimit},
		// A caller that has gone away is not a Redis outage: no decision, no degraded count.
		{"caller gone", canceled, PerSecond(1), context.Canceled},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := lim.Allow(tc.ctx, "k", tc.limit)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("Allow = %+v, %v; want error %v", res, err, tc.wantErr)
			}
		})
	}
}
