// Package ratelimit limits request rates per key with the generic cell rate algorithm (GCRA), kept in
// Redis so that every gateway replica enforces one shared limit.
//
// Each decision is one Lua script run (EVALSHA, falling back to EVAL when the server has not cached
// the script) that reads the Redis server clock, so replicas with drifting clocks still agree. A key
// costs one small string that expires as soon as its bucket would be full again.
//
// When Redis cannot answer, the limiter decides by its failure mode (open by default: let the request
// through) and marks the result Degraded; it logs that at most once per interval and counts every
// such decision on the OpenTelemetry counter hirfa.ratelimit.degraded.
package ratelimit

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

//go:embed gcra.lua
var gcraSource string

var gcraScript = redis.NewScript(gcraSource)

// DefaultPrefix is prepended to every key when Options.Prefix is empty.
const DefaultPrefix = "hirfa:ratelimit:"

// DefaultLogInterval is how often, at most, a Limiter logs that Redis is unavailable.
const DefaultLogInterval = 30 * time.Second

// DefaultTimeout bounds one decision when Options.Timeout is zero. A healthy Redis answers in well
// under a millisecond; past this the request is better served by the failure mode than by waiting.
const DefaultTimeout = 250 * time.Millisecond

// ErrInvalidLimit reports a Limit that cannot be enforced (a caller's configuration error, not an
// outage, so it is returned rather than decided by the failure mode).
var ErrInvalidLimit = errors.New("ratelimit: invalid limit")

// Limit allows Rate requests per Per on average, and up to Burst requests at once.
type Limit struct {
	Rate int
	Per  time.Duration
	// Burst is how many requests may arrive back to back before the rate applies. Zero means Rate.
	Burst int
}

// PerSecond returns a limit of rate requests a second with a burst of rate.
func PerSecond(rate int) Limit { return Limit{Rate: rate, Per: time.Second, Burst: rate} }

// PerMinute returns a limit of rate requests a minute with a burst of rate.
func PerMinute(rate int) Limit { return Limit{Rate: rate, Per: time.Minute, Burst: rate} }

// EffectiveBurst is the burst the limiter enforces: Burst, or Rate when Burst is zero.
func (l Limit) EffectiveBurst() int {
	if l.Burst == 0 {
		return l.Rate
	}
	return l.Burst
}

func (l Limit) validate() error {
	switch {
	case l.Rate <= 0:
		return fmt.Errorf("%w: rate %d must be positive", ErrInvalidLimit, l.Rate)
	case l.Per <= 0:
		return fmt.Errorf("%w: period %s must be positive", ErrInvalidLimit, l.Per)
	case l.Burst < 0:
		return fmt.Errorf("%w: burst %d must not be negative", ErrInvalidLimit, l.Burst)
	}
	return nil
}

// interval is the emission interval (Per / Rate) in microseconds, the unit of the script's clock.
func (l Limit) interval() float64 {
	return float64(l.Per) / float64(time.Microsecond) / float64(l.Rate)
}

// Result is one decision.
type Result struct {
	Allowed bool
	// Remaining is how many more requests would be allowed right now.
	Remaining int
	// RetryAfter is how long until this request would be allowed; zero when Allowed.
	RetryAfter time.Duration
	// ResetAfter is how long until the key is back to a full burst.
	ResetAfter time.Duration
	// Degraded reports that Redis did not answer and the failure mode decided Allowed.
	Degraded bool
}

// Options configures a Limiter. The zero value is usable.
type Options struct {
	// Prefix is prepended to every key; DefaultPrefix when empty.
	Prefix string
	// FailClosed refuses requests while Redis is unavailable. The default (false) fails open: an
	// outage of the limiter's store must not take the whole API down with it.
	FailClosed bool
	// Timeout bounds each decision; DefaultTimeout when zero. A decision that times out is taken by
	// the failure mode. go-redis honours context deadlines only with ContextTimeoutEnabled set on
	// the client; without it a hung Redis holds each request for the client's own read timeout, and
	// New logs a warning saying so.
	Timeout time.Duration
	// Logger receives the rate-limited "Redis unavailable" warnings; slog.Default() when nil.
	Logger *slog.Logger
	// LogInterval is the least time between two such warnings; DefaultLogInterval when zero.
	LogInterval time.Duration
	// OnError, when set, sees every Redis error the failure mode absorbed (for example to flip a
	// readiness signal). It runs on the request path and must be quick.
	OnError func(error)
}

// Limiter decides whether requests fit their limits. It is safe for concurrent use.
type Limiter struct {
	rdb         redis.UniversalClient
	prefix      string
	failClosed  bool
	timeout     time.Duration
	logger      *slog.Logger
	logInterval time.Duration
	onError     func(error)

	degraded   metric.Int64Counter
	degradedAt metric.MeasurementOption

	lastLog    atomic.Int64 // unix nanoseconds of the last warning; 0 before the first
	suppressed atomic.Int64 // degraded decisions since the last warning
}

// New returns a Limiter that keeps its state in rdb.
func New(rdb redis.UniversalClient, opts Options) *Limiter {
	l := &Limiter{
		rdb:         rdb,
		prefix:      opts.Prefix,
		failClosed:  opts.FailClosed,
		timeout:     opts.Timeout,
		logger:      opts.Logger,
		logInterval: opts.LogInterval,
		onError:     opts.OnError,
	}
	if l.prefix == "" {
		l.prefix = DefaultPrefix
	}
	if l.logger == nil {
		l.logger = slog.Default()
	}
	if l.timeout <= 0 {
		l.timeout = DefaultTimeout
	}
	if l.logInterval <= 0 {
		l.logInterval = DefaultLogInterval
	}
	// The global meter delegates to whatever provider is installed later, so a Limiter built before
	// telemetry starts still reports. Instrument creation only fails on an invalid name, which this
	// constant is not; the no-op counter it would fall back to is safe either way.
	l.degraded, _ = otel.Meter("github.com/hirfa/hirfa/pkg/ratelimit").Int64Counter(
		"hirfa.ratelimit.degraded",
		metric.WithDescription("Rate-limit decisions taken by the failure mode because Redis did not answer."),
		metric.WithUnit("{decision}"),
	)
	if enabled, known := contextTimeouts(rdb); known && !enabled {
		l.logger.LogAttrs(context.Background(), slog.LevelWarn,
			"rate limiter timeout has no effect: redis client has ContextTimeoutEnabled=false",
			slog.Duration("timeout", l.timeout))
	}
	mode := "open"
	if l.failClosed {
		mode = "closed"
	}
	l.degradedAt = metric.WithAttributeSet(attribute.NewSet(attribute.String("hirfa.ratelimit.fail_mode", mode)))
	return l
}

// Allow counts one request against key under lim and reports whether it fits.
//
// A Redis failure is not returned: it is logged (at most once per interval), counted, passed to
// OnError and decided by the failure mode, with Result.Degraded set. Allow returns an error only for
// an invalid Limit or when ctx is already done (the caller is gone; nothing to decide).
func (l *Limiter) Allow(ctx context.Context, key string, lim Limit) (Result, error) {
	if err := lim.validate(); err != nil {
		return Result{}, err
	}
	burst := lim.EffectiveBurst()
	rctx, cancel := context.WithTimeout(ctx, l.timeout)
	defer cancel()
	reply, err := gcraScript.Run(rctx, l.rdb, []string{l.prefix + key},
		strconv.FormatFloat(lim.interval(), 'f', -1, 64), burst, 1).Int64Slice()
	if err == nil && len(reply) != 4 {
		err = fmt.Errorf("unexpected script reply %v", reply)
	}
	if err != nil {
		// The caller's own context, not rctx: our timeout is an outage, the caller's is not.
		if ctxErr := ctx.Err(); ctxErr != nil {
			return Result{}, fmt.Errorf("ratelimit: %w", ctxErr)
		}
		// The key stays out of the error: it may name a principal or an address, and this gets logged.
		return l.degrade(ctx, fmt.Errorf("ratelimit: %w", err)), nil
	}
	return Result{
		Allowed:    reply[0] == 1,
		Remaining:  int(reply[1]),
		RetryAfter: time.Duration(reply[2]) * time.Microsecond,
		ResetAfter: time.Duration(reply[3]) * time.Microsecond,
	}, nil
}

// degrade records one decision taken without Redis and returns it.
func (l *Limiter) degrade(ctx context.Context, err error) Result {
	l.degraded.Add(ctx, 1, l.degradedAt)
	if l.onError != nil {
		l.onError(err)
	}
	suppressed := l.suppressed.Add(1)
	now := time.Now().UnixNano()
	last := l.lastLog.Load()
	// One warning per interval across all goroutines: only the CAS winner logs.
	if (last == 0 || now-last >= int64(l.logInterval)) && l.lastLog.CompareAndSwap(last, now) {
		l.suppressed.Add(-suppressed)
		l.logger.LogAttrs(ctx, slog.LevelWarn, "rate limiter cannot reach redis; deciding by failure mode",
			slog.Bool("fail_open", !l.failClosed),
			slog.Int64("decisions", suppressed),
			slog.Duration("log_interval", l.logInterval),
			slog.String("error", err.Error()),
		)
	}
	return Result{Allowed: !l.failClosed, Degraded: true}
}

// contextTimeouts reports whether rdb honours context deadlines, and whether it could tell.
func contextTimeouts(rdb redis.UniversalClient) (enabled, known bool) {
	switch c := rdb.(type) {
	case *redis.Client:
		return c.Options().ContextTimeoutEnabled, true
	case *redis.ClusterClient:
		return c.Options().ContextTimeoutEnabled, true
	case *redis.Ring:
		return c.Options().ContextTimeoutEnabled, true
	}
	return false, false
}
