package eventbus

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/hirfa/hirfa/pkg/store"
	eventv1 "github.com/hirfa/hirfa/proto/gen/hirfa/event/v1"
)

// Handler applies one event to a projection inside tx, the transaction that
// also records the event as processed. It must only write through tx; an
// error rolls back both. Handlers see each event id once per group (unless
// a previous attempt failed), but may see a resource's events out of order
// when one of them was retried (see the package doc).
type Handler func(ctx context.Context, tx *sql.Tx, env *eventv1.Envelope) error

// BatchHandler applies several events at once inside tx (set-based
// projections: one statement for a batch instead of one per event). The
// events are new to the group, in stream order, with no id twice. An error
// rolls back the batch; its events are then applied one by one (a slice of
// one) to find the failing one.
type BatchHandler func(ctx context.Context, tx *sql.Tx, envs []*eventv1.Envelope) error

// Consumer defaults.
const (
	DefaultConsumerBatch = 256
	DefaultBlock         = time.Second
	DefaultClaimIdle     = 30 * time.Second
	DefaultMaxDeliveries = 5
)

// Consumer applies the events of Streams to a projection, in consumer group
// Group. Several replicas may run with the same Group: each entry goes to
// one of them.
type Consumer struct {
	DB  *store.DB
	Bus *Bus
	// Group names the projection (e.g. "reporting"); it is the Redis
	// consumer group and the processed_events.consumer_group value.
	Group string
	// Streams to read, e.g. bus.Stream("registry").
	Streams []string
	Handler Handler
	// BatchHandler, when set, is used instead of Handler (one of them is
	// required).
	BatchHandler BatchHandler
	// Name identifies this replica in the group (hostname-pid by default).
	Name string
	// Batch is the most entries read per stream at once.
	Batch int
	// Block is how long XREADGROUP waits for new entries.
	Block time.Duration
	// ClaimIdle is how long an entry stays pending before XAUTOCLAIM takes
	// it over (its consumer died or its apply failed).
	ClaimIdle time.Duration
	// MaxDeliveries: an event that fails after this many deliveries goes to
	// the dead-letter stream.
	MaxDeliveries int64
	// ProcessedRetention: processed_events rows older than this are pruned
	// (0: 7 days). Duplicates arrive within minutes; the window is generous.
	ProcessedRetention time.Duration
	Log                *slog.Logger

	once    sync.Once
	metrics consumerMetrics
	mu      sync.Mutex
	lag     map[string]lagSample // by stream
}

type lagSample struct {
	pending, lag int64
	oldestAge    float64
}

type consumerMetrics struct {
	applied, duplicates, failures, deadLettered metric.Int64Counter
}

// Permanent marks a handler error as one no retry can fix: the event goes to
// the dead-letter stream at once.
func Permanent(err error) error { return &permanentError{err} }

type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

func (c *Consumer) init() error {
	if c.DB == nil || c.Bus == nil || c.Group == "" || len(c.Streams) == 0 || (c.Handler == nil && c.BatchHandler == nil) {
		return errors.New("consumer: DB, Bus, Group, Streams and Handler (or BatchHandler) are required")
	}
	c.once.Do(func() {
		if c.Name == "" {
			h, _ := os.Hostname()
			c.Name = h + "-" + strconv.Itoa(os.Getpid())
		}
		if c.Batch <= 0 {
			c.Batch = DefaultConsumerBatch
		}
		if c.Block <= 0 {
			c.Block = DefaultBlock
		}
		if c.ClaimIdle <= 0 {
			c.ClaimIdle = DefaultClaimIdle
		}
		if c.MaxDeliveries <= 0 {
			c.MaxDeliveries = DefaultMaxDeliveries
		}
		if c.ProcessedRetention <= 0 {
			c.ProcessedRetention = 7 * 24 * time.Hour
		}
		if c.Log == nil {
			c.Log = slog.New(slog.DiscardHandler)
		}
		m := otel.Meter(meterName)
		c.metrics.applied, _ = m.Int64Counter("hirfa.eventbus.consumer.applied", metric.WithDescription("Events applied to the projection"))
		c.metrics.duplicates, _ = m.Int64Counter("hirfa.eventbus.consumer.duplicates", metric.WithDescription("Events delivered again and skipped"))
		c.metrics.failures, _ = m.Int64Counter("hirfa.eventbus.consumer.failures", metric.WithDescription("Failed applies (the event is retried)"))
		c.metrics.deadLettered, _ = m.Int64Counter("hirfa.eventbus.consumer.dead_lettered", metric.WithDescription("Events moved to the dead-letter stream"))
		c.lag = map[string]lagSample{}
	})
	return nil
}

// EnsureGroups creates the consumer group on every stream (and the stream),
// reading from the stream's start, so entries added before the group existed
// are not skipped.
func (c *Consumer) EnsureGroups(ctx context.Context) error {
	if err := c.init(); err != nil {
		return err
	}
	for _, s := range c.Streams {
		err := c.Bus.Client.XGroupCreateMkStream(ctx, s, c.Group, "0").Err()
		if err != nil && !isBusyGroup(err) {
			return fmt.Errorf("consumer: create group %s on %s: %w", c.Group, s, err)
		}
	}
	return nil
}

func isBusyGroup(err error) bool {
	return err != nil && len(err.Error()) >= 9 && err.Error()[:9] == "BUSYGROUP"
}

// Run consumes until ctx ends. Redis and database errors are logged and
// retried; Run returns ctx's error or a configuration error.
func (c *Consumer) Run(ctx context.Context) error {
	if err := c.init(); err != nil {
		return err
	}
	m := otel.Meter(meterName)
	pending, _ := m.Int64ObservableGauge("hirfa.eventbus.consumer.pending", metric.WithDescription("Entries delivered to the group and not yet acknowledged"))
	lag, _ := m.Int64ObservableGauge("hirfa.eventbus.consumer.lag", metric.WithDescription("Entries in the stream not yet delivered to the group"))
	oldest, _ := m.Float64ObservableGauge("hirfa.eventbus.consumer.oldest_age", metric.WithUnit("s"), metric.WithDescription("Age of the oldest event not yet acknowledged by the group"))
	reg, err := m.RegisterCallback(func(_ context.Context, o metric.Observer) error {
		c.mu.Lock()
		defer c.mu.Unlock()
		for s, l := range c.lag {
			a := metric.WithAttributes(attribute.String("stream", s), attribute.String("group", c.Group))
			o.ObserveInt64(pending, l.pending, a)
			o.ObserveInt64(lag, l.lag, a)
			o.ObserveFloat64(oldest, l.oldestAge, a)
		}
		return nil
	}, pending, lag, oldest)
	if err == nil {
		defer func() { _ = reg.Unregister() }()
	}
	var lastClaim, lastLag, lastPrune time.Time
	backoff := 100 * time.Millisecond
	groups := false
	for ctx.Err() == nil {
		var err error
		if !groups {
			if err = c.EnsureGroups(ctx); err == nil {
				groups = true
			}
		}
		now := time.Now()
		if err == nil && now.Sub(lastClaim) >= c.ClaimIdle/2 {
			_, err = c.Reclaim(ctx)
			lastClaim = now
		}
		if err == nil && now.Sub(lastLag) >= 5*time.Second {
			err = c.MeasureLag(ctx)
			lastLag = now
		}
		if err == nil && now.Sub(lastPrune) >= time.Hour {
			err = c.pruneProcessed(ctx)
			lastPrune = now
		}
		if err == nil {
			_, err = c.ReadOnce(ctx)
		}
		if err != nil && ctx.Err() == nil {
			if isNoGroup(err) {
				groups = false // Redis lost its data: recreate and read from the start
			}
			c.Log.WarnContext(ctx, "event consumer", slog.String("group", c.Group), slog.String("error", err.Error()), slog.Duration("retry_in", backoff))
			if !sleep(ctx, backoff) {
				break
			}
			backoff = min(backoff*2, 5*time.Second)
			continue
		}
		backoff = 100 * time.Millisecond
	}
	return ctx.Err()
}

// ReadOnce reads new entries (waiting up to Block) and applies them. It
// returns how many entries it handled.
func (c *Consumer) ReadOnce(ctx context.Context) (int, error) {
	if err := c.init(); err != nil {
		return 0, err
	}
	streams := make([]string, 0, 2*len(c.Streams))
	streams = append(streams, c.Streams...)
	for range c.Streams {
		streams = append(streams, ">")
	}
	res, err := c.Bus.Client.XReadGroup(ctx, &redis.XReadGroupArgs{Group: c.Group, Consumer: c.Name, Streams: streams, Count: int64(c.Batch), Block: c.Block}).Result()
	if errors.Is(err, redis.Nil) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("consumer: XREADGROUP: %w", err)
	}
	n := 0
	for _, s := range res {
		if err := c.apply(ctx, s.Stream, s.Messages, nil); err != nil {
			return n, err
		}
		n += len(s.Messages)
	}
	return n, nil
}

// Reclaim takes over entries pending longer than ClaimIdle (XAUTOCLAIM) and
// applies them again; those delivered MaxDeliveries times that fail again
// are dead-lettered. It returns how many entries it reclaimed.
func (c *Consumer) Reclaim(ctx context.Context) (int, error) {
	if err := c.init(); err != nil {
		return 0, err
	}
	total := 0
	for _, s := range c.Streams {
		start := "0-0"
		for {
			msgs, next, err := c.Bus.Client.XAutoClaim(ctx, &redis.XAutoClaimArgs{Stream: s, Group: c.Group, Consumer: c.Name, MinIdle: c.ClaimIdle, Start: start, Count: int64(c.Batch)}).Result()
			if err != nil {
				return total, fmt.Errorf("consumer: XAUTOCLAIM %s: %w", s, err)
			}
			if len(msgs) > 0 {
				counts, err := c.deliveries(ctx, s, msgs)
				if err != nil {
					return total, err
				}
				if err := c.apply(ctx, s, msgs, counts); err != nil {
					return total, err
				}
				total += len(msgs)
			}
			if next == "0-0" || next == "" || len(msgs) == 0 {
				break
			}
			start = next
		}
	}
	return total, nil
}

// deliveries reads how often each claimed entry was delivered.
func (c *Consumer) deliveries(ctx context.Context, stream string, msgs []redis.XMessage) (map[string]int64, error) {
	ps, err := c.Bus.Client.XPendingExt(ctx, &redis.XPendingExtArgs{Stream: stream, Group: c.Group, Start: msgs[0].ID, End: msgs[len(msgs)-1].ID, Count: int64(len(msgs)), Consumer: c.Name}).Result()
	if err != nil {
		return nil, fmt.Errorf("consumer: XPENDING %s: %w", stream, err)
	}
	out := make(map[string]int64, len(ps))
	for _, p := range ps {
		out[p.ID] = p.RetryCount
	}
	return out, nil
}

type entry struct {
	msg redis.XMessage
	env *eventv1.Envelope
}

// apply applies msgs of stream: all in one transaction when they all
// succeed, else one by one. counts gives delivery counts (nil: first
// delivery).
func (c *Consumer) apply(ctx context.Context, stream string, msgs []redis.XMessage, counts map[string]int64) error {
	attrs := metric.WithAttributes(attribute.String("stream", stream), attribute.String("group", c.Group))
	var ok []entry
	var ack []string
	for _, m := range msgs {
		env, err := decodeEntry(m)
		if err != nil {
			if err := c.deadLetter(ctx, stream, m, nil, counts[m.ID], err); err != nil {
				return err
			}
			ack = append(ack, m.ID)
			continue
		}
		ok = append(ok, entry{m, env})
	}
	var applied, dups int64
	err := errRetryAlone
	if counts == nil && len(ok) > 1 {
		// One transaction for the batch; reclaimed entries (which failed
		// before) and single entries go one by one.
		err = c.DB.Tx(ctx, func(tx *sql.Tx) error {
			fresh, err := c.recordBatch(ctx, tx, ok)
			if err != nil {
				return err
			}
			applied, dups = 0, 0
			envs := make([]*eventv1.Envelope, 0, len(ok))
			for _, e := range ok {
				if !fresh[e.env.GetId()] {
					dups++
					continue
				}
				delete(fresh, e.env.GetId()) // the same event twice in one batch
				envs = append(envs, e.env)
			}
			applied = int64(len(envs))
			if c.BatchHandler != nil {
				return c.handleBatch(ctx, tx, envs)
			}
			for _, env := range envs {
				if err := c.handle(ctx, tx, env); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if err == nil {
		for _, e := range ok {
			ack = append(ack, e.msg.ID)
		}
		c.metrics.applied.Add(ctx, applied, attrs)
		c.metrics.duplicates.Add(ctx, dups, attrs)
		return c.ack(ctx, stream, ack)
	}
	if ctx.Err() != nil || store.Unavailable(err) {
		_ = c.ack(ctx, stream, ack)
		return err // nothing is wrong with the events
	}
	// Isolate the failing events.
	for _, e := range ok {
		var done bool
		err := c.DB.Tx(ctx, func(tx *sql.Tx) (err error) {
			done, err = c.applyOne(ctx, tx, e.env)
			return err
		})
		switch {
		case err == nil:
			ack = append(ack, e.msg.ID)
			if done {
				c.metrics.applied.Add(ctx, 1, attrs)
			} else {
				c.metrics.duplicates.Add(ctx, 1, attrs)
			}
		case ctx.Err() != nil || store.Unavailable(err):
			_ = c.ack(ctx, stream, ack)
			return err
		default:
			c.metrics.failures.Add(ctx, 1, attrs)
			n := counts[e.msg.ID]
			if n == 0 {
				n = 1
			}
			var perm *permanentError
			if n >= c.MaxDeliveries || errors.As(err, &perm) {
				if err := c.deadLetter(ctx, stream, e.msg, e.env, n, err); err != nil {
					return err
				}
				ack = append(ack, e.msg.ID)
				continue
			}
			c.Log.WarnContext(ctx, "event apply failed; will retry", slog.String("group", c.Group), slog.String("event_id", e.env.GetId()),
				slog.String("type", e.env.GetType()), slog.Int64("deliveries", n), slog.String("error", err.Error()))
		}
	}
	return c.ack(ctx, stream, ack)
}

var errRetryAlone = errors.New("apply one by one")

// applyOne records env as processed and runs the handler, in tx. It
// reports false for a duplicate (already processed: handler not run).
func (c *Consumer) applyOne(ctx context.Context, tx *sql.Tx, env *eventv1.Envelope) (bool, error) {
	res, err := tx.ExecContext(ctx, c.DB.Rebind("INSERT INTO processed_events (consumer_group, event_id, time) VALUES (?, ?, ?) ON CONFLICT DO NOTHING"),
		c.Group, env.GetId(), store.Micros(time.Now()))
	if err != nil {
		return false, fmt.Errorf("record processed event: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, nil
	}
	return true, c.handle(ctx, tx, env)
}

// recordBatch records a batch's events as processed in one statement and
// returns the ids that were not recorded before.
func (c *Consumer) recordBatch(ctx context.Context, tx *sql.Tx, es []entry) (map[string]bool, error) {
	var q strings.Builder
	q.WriteString("INSERT INTO processed_events (consumer_group, event_id, time) VALUES ")
	args := make([]any, 0, 3*len(es))
	now := store.Micros(time.Now())
	for i, e := range es {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString("(?, ?, ?)")
		args = append(args, c.Group, e.env.GetId(), now)
	}
	q.WriteString(" ON CONFLICT DO NOTHING RETURNING event_id")
	rows, err := tx.QueryContext(ctx, c.DB.Rebind(q.String()), args...)
	if err != nil {
		return nil, fmt.Errorf("record processed events: %w", err)
	}
	defer rows.Close()
	fresh := make(map[string]bool, len(es))
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("record processed events: %w", err)
		}
		fresh[id] = true
	}
	return fresh, rows.Err()
}

// handle runs the handler for env in tx, in a span continuing the trace of
// the request that made the change.
func (c *Consumer) handle(ctx context.Context, tx *sql.Tx, env *eventv1.Envelope) error {
	if tp := env.GetTraceparent(); tp != "" {
		ctx = propagation.TraceContext{}.Extract(ctx, propagation.MapCarrier{"traceparent": tp})
	}
	ctx, span := otel.Tracer(meterName).Start(ctx, "apply "+env.GetType(), trace.WithSpanKind(trace.SpanKindConsumer),
		trace.WithAttributes(attribute.String("messaging.system", "redis"), attribute.String("messaging.consumer.group.name", c.Group),
			attribute.String("messaging.message.id", env.GetId()), attribute.String("hirfa.event.subject", env.GetSubject())))
	defer span.End()
	var err error
	if c.Handler != nil {
		err = c.Handler(ctx, tx, env)
	} else {
		err = c.BatchHandler(ctx, tx, []*eventv1.Envelope{env})
	}
	if err != nil {
		span.RecordError(err)
		return fmt.Errorf("apply %s %s: %w", env.GetType(), env.GetId(), err)
	}
	return nil
}

// handleBatch runs the batch handler in one span linked to the trace of
// every event.
func (c *Consumer) handleBatch(ctx context.Context, tx *sql.Tx, envs []*eventv1.Envelope) error {
	if len(envs) == 0 {
		return nil
	}
	links := make([]trace.Link, 0, len(envs))
	for _, env := range envs {
		if tp := env.GetTraceparent(); tp != "" {
			sc := trace.SpanContextFromContext(propagation.TraceContext{}.Extract(context.Background(), propagation.MapCarrier{"traceparent": tp}))
			if sc.IsValid() {
				links = append(links, trace.Link{SpanContext: sc})
			}
		}
	}
	ctx, span := otel.Tracer(meterName).Start(ctx, "apply batch", trace.WithSpanKind(trace.SpanKindConsumer), trace.WithLinks(links...),
		trace.WithAttributes(attribute.String("messaging.system", "redis"), attribute.String("messaging.consumer.group.name", c.Group),
			attribute.Int("messaging.batch.message_count", len(envs))))
	defer span.End()
	if err := c.BatchHandler(ctx, tx, envs); err != nil {
		span.RecordError(err)
		return fmt.Errorf("apply batch of %d: %w", len(envs), err)
	}
	return nil
}

func (c *Consumer) ack(ctx context.Context, stream string, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	if err := c.Bus.Client.XAck(ctx, stream, c.Group, ids...).Err(); err != nil {
		return fmt.Errorf("consumer: XACK: %w", err)
	}
	return nil
}

// MeasureLag samples, per stream, the group's pending entries, its lag and
// the age of the oldest event it has not acknowledged, for the gauges.
func (c *Consumer) MeasureLag(ctx context.Context) error {
	if err := c.init(); err != nil {
		return err
	}
	for _, s := range c.Streams {
		l, err := c.Lag(ctx, s)
		if err != nil {
			return err
		}
		c.mu.Lock()
		c.lag[s] = l
		c.mu.Unlock()
	}
	return nil
}

// Lag is a snapshot of one stream's backlog for the group.
type Lag = lagSample

// Pending is how many entries were delivered and not acknowledged.
func (l Lag) Pending() int64 { return l.pending }

// Undelivered is how many entries the group has not been given yet.
func (l Lag) Undelivered() int64 { return l.lag }

// OldestAge is the age, in seconds, of the oldest event not acknowledged.
func (l Lag) OldestAge() float64 { return l.oldestAge }

// Lag measures stream's backlog for the group.
func (c *Consumer) Lag(ctx context.Context, stream string) (Lag, error) {
	var out Lag
	groups, err := c.Bus.Client.XInfoGroups(ctx, stream).Result()
	if err != nil {
		return out, fmt.Errorf("consumer: XINFO GROUPS %s: %w", stream, err)
	}
	last := ""
	for _, g := range groups {
		if g.Name != c.Group {
			continue
		}
		out.pending, out.lag, last = g.Pending, g.Lag, g.LastDeliveredID
		if g.Lag < 0 || (g.EntriesRead == 0 && last != "0-0") {
			// Redis could not tell (entries deleted or trimmed), or the
			// server does not track entries-read (the embedded one):
			// count, up to a cap.
			after, err := c.Bus.Client.XRangeN(ctx, stream, "("+last, "+", 10_000).Result()
			if err != nil {
				return out, fmt.Errorf("consumer: XRANGE %s: %w", stream, err)
			}
			out.lag = int64(len(after))
		}
	}
	now := time.Now()
	var oldest time.Time
	if out.pending > 0 {
		p, err := c.Bus.Client.XPending(ctx, stream, c.Group).Result()
		if err != nil {
			return out, fmt.Errorf("consumer: XPENDING %s: %w", stream, err)
		}
		oldest, _ = idTime(p.Lower)
	}
	if last != "" {
		next, err := c.Bus.Client.XRangeN(ctx, stream, "("+last, "+", 1).Result()
		if err != nil {
			return out, fmt.Errorf("consumer: XRANGE %s: %w", stream, err)
		}
		if len(next) == 1 {
			if t, ok := idTime(next[0].ID); ok && (oldest.IsZero() || t.Before(oldest)) {
				oldest = t
			}
		}
	}
	if !oldest.IsZero() {
		out.oldestAge = max(0, now.Sub(oldest).Seconds())
	}
	return out, nil
}

func (c *Consumer) pruneProcessed(ctx context.Context) error {
	cutoff := store.Micros(time.Now().Add(-c.ProcessedRetention))
	_, err := c.DB.Exec(ctx, c.DB.Rebind("DELETE FROM processed_events WHERE consumer_group = ? AND time < ?"), c.Group, cutoff)
	return wrapErr("consumer: prune processed events", err)
}
