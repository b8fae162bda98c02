package eventbus

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"google.golang.org/protobuf/types/known/anypb"
	"google.golang.org/protobuf/types/known/timestamppb"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/hirfa/hirfa/pkg/store"
	eventv1 "github.com/hirfa/hirfa/proto/gen/hirfa/event/v1"
)

// Relay defaults.
const (
	DefaultRelayBatch    = 500
	DefaultPollInterval  = 100 * time.Millisecond
	DefaultMaxLen        = 1_000_000
	DefaultRetention     = 72 * time.Hour
	DefaultPruneInterval = time.Minute
)

// Relay publishes a producer's outbox rows to its stream. Run one per
// producing process (every replica may run one; see the package doc).
type Relay struct {
	DB  *store.DB
	Bus *Bus
	// Source is the producing service ("registry"); it names the marker
	// key that detects an emptied Redis. Required.
	Source string
	// Batch is the most rows claimed at once (DefaultRelayBatch).
	Batch int
	// PollInterval is the wait after an empty batch (DefaultPollInterval).
	PollInterval time.Duration
	// MaxLen bounds each stream, approximately (MAXLEN ~; DefaultMaxLen).
	MaxLen int64
	// Retention is how long published rows are kept (in outbox_archive),
	// and so how far back a republish after a Redis data loss reaches
	// (DefaultRetention).
	Retention time.Duration
	// PruneInterval is how often published rows are pruned.
	PruneInterval time.Duration
	Log           *slog.Logger

	// afterPublish, when set (tests), runs after Redis acknowledged a batch
	// and before the rows are marked: an error there is a crash in between.
	afterPublish func() error

	backlog   atomic.Int64
	oldestAge atomic.Int64 // microseconds
	metrics   relayMetrics
}

type relayMetrics struct {
	published, batches, errors, pruned, republished metric.Int64Counter
}

func (r *Relay) defaults() error {
	if r.DB == nil || r.Bus == nil || r.Source == "" {
		return errors.New("relay: DB, Bus and Source are required")
	}
	if r.Batch <= 0 {
		r.Batch = DefaultRelayBatch
	}
	if r.PollInterval <= 0 {
		r.PollInterval = DefaultPollInterval
	}
	if r.MaxLen <= 0 {
		r.MaxLen = DefaultMaxLen
	}
	if r.Retention <= 0 {
		r.Retention = DefaultRetention
	}
	if r.PruneInterval <= 0 {
		r.PruneInterval = DefaultPruneInterval
	}
	if r.Log == nil {
		r.Log = slog.New(slog.DiscardHandler)
	}
	if r.metrics.published == nil {
		m := otel.Meter(meterName)
		r.metrics.published, _ = m.Int64Counter("hirfa.eventbus.relay.published", metric.WithDescription("Outbox events published to Redis (republished ones included)"))
		r.metrics.batches, _ = m.Int64Counter("hirfa.eventbus.relay.batches", metric.WithDescription("Non-empty relay batches"))
		r.metrics.errors, _ = m.Int64Counter("hirfa.eventbus.relay.errors", metric.WithDescription("Failed relay batches"))
		r.metrics.pruned, _ = m.Int64Counter("hirfa.eventbus.relay.pruned", metric.WithDescription("Published outbox rows pruned"))
		r.metrics.republished, _ = m.Int64Counter("hirfa.eventbus.relay.republished", metric.WithDescription("Outbox rows queued again after Redis lost its data"))
	}
	return nil
}

const meterName = "github.com/hirfa/hirfa/pkg/eventbus"

// Run relays until ctx ends. Errors (database or Redis unreachable) are
// logged and retried with backoff; Run returns only ctx's error or a
// configuration error.
func (r *Relay) Run(ctx context.Context) error {
	if err := r.defaults(); err != nil {
		return err
	}
	m := otel.Meter(meterName)
	attrs := metric.WithAttributes(attribute.String("source", r.Source))
	backlog, _ := m.Int64ObservableGauge("hirfa.eventbus.relay.backlog", metric.WithDescription("Outbox rows not yet published"))
	oldest, _ := m.Float64ObservableGauge("hirfa.eventbus.relay.oldest_age", metric.WithUnit("s"), metric.WithDescription("Age of the oldest unpublished outbox row"))
	reg, err := m.RegisterCallback(func(_ context.Context, o metric.Observer) error {
		o.ObserveInt64(backlog, r.backlog.Load(), attrs)
		o.ObserveFloat64(oldest, float64(r.oldestAge.Load())/1e6, attrs)
		return nil
	}, backlog, oldest)
	if err == nil {
		defer func() { _ = reg.Unregister() }()
	}
	var lastPrune, lastGauge, lastMarker time.Time
	backoff := r.PollInterval
	for ctx.Err() == nil {
		now := time.Now()
		var err error
		if now.Sub(lastMarker) >= time.Second {
			if err = r.CheckMarker(ctx); err == nil {
				lastMarker = now
			}
		}
		n := 0
		if err == nil {
			n, err = r.RelayOnce(ctx)
		}
		if err == nil && now.Sub(lastGauge) >= time.Second {
			err = r.measure(ctx)
			lastGauge = now
		}
		if err == nil && now.Sub(lastPrune) >= r.PruneInterval {
			_, err = r.Prune(ctx)
			lastPrune = now
		}
		switch {
		case err != nil && ctx.Err() == nil:
			r.metrics.errors.Add(ctx, 1, attrs)
			r.Log.WarnContext(ctx, "event relay", slog.String("error", err.Error()), slog.Duration("retry_in", backoff))
			if !sleep(ctx, backoff) {
				return ctx.Err()
			}
			backoff = min(backoff*2, 5*time.Second)
		case n < r.Batch:
			backoff = r.PollInterval
			if !sleep(ctx, r.PollInterval) {
				return ctx.Err()
			}
		default:
			backoff = r.PollInterval // a full batch: more is waiting
		}
	}
	return ctx.Err()
}

type outboxRow struct {
	seq                               int64
	id, typ, source, subject, chamber string
	time                              int64
	data                              []byte
	dataType, traceparent, snapshotID string
}

const outboxColumns = "seq, id, type, source, subject, chamber, time, data, data_type, traceparent, snapshot_id"

func scanRows(rows *sql.Rows) ([]outboxRow, error) {
	defer rows.Close()
	var out []outboxRow
	for rows.Next() {
		var o outboxRow
		if err := rows.Scan(&o.seq, &o.id, &o.typ, &o.source, &o.subject, &o.chamber, &o.time, &o.data, &o.dataType, &o.traceparent, &o.snapshotID); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// Envelope builds the envelope of an outbox row. A payload without a data
// type (a store.Spec without Payload) travels as google.protobuf.BytesValue.
func (o outboxRow) envelope() (*eventv1.Envelope, error) {
	var data *anypb.Any
	if o.dataType != "" {
		data = &anypb.Any{TypeUrl: "type.googleapis.com/" + o.dataType, Value: o.data}
	} else {
		var err error
		if data, err = anypb.New(wrapperspb.Bytes(o.data)); err != nil {
			return nil, err
		}
	}
	return &eventv1.Envelope{
		Id: o.id, Type: o.typ, Source: o.source, Subject: o.subject, Chamber: o.chamber,
		Time: timestamppb.New(store.FromMicros(o.time)), Data: data, Traceparent: o.traceparent,
		SnapshotId: o.snapshotID,
	}, nil
}

// RelayOnce publishes one batch and returns how many rows it claimed
// (published or held back for order).
func (r *Relay) RelayOnce(ctx context.Context) (int, error) {
	if err := r.defaults(); err != nil {
		return 0, err
	}
	if r.DB.Dialect == store.Postgres {
		return r.relayPostgres(ctx)
	}
	return r.relaySQLite(ctx)
}

func (r *Relay) relayPostgres(ctx context.Context) (int, error) {
	tx, err := r.DB.SQL.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("relay: begin: %w", err)
	}
	defer func() { _ = tx.Rollback() }() // after Commit a no-op
	rows, err := tx.QueryContext(ctx, "SELECT "+outboxColumns+" FROM outbox ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED", r.Batch)
	if err != nil {
		return 0, fmt.Errorf("relay: claim: %w", err)
	}
	batch, err := scanRows(rows)
	if err != nil || len(batch) == 0 {
		return 0, wrapErr("relay: claim", err)
	}
	send, err := r.holdBack(ctx, tx, batch)
	if err != nil {
		return 0, err
	}
	if err := r.publish(ctx, send); err != nil {
		return 0, err
	}
	if err := r.markPublished(ctx, tx, send); err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("relay: commit: %w", err)
	}
	return len(batch), nil
}

// holdBack drops from batch every row whose subject has an earlier outbox
// (so unpublished) row outside the batch (claimed by another replica), so
// that a resource's events reach the stream in order.
func (r *Relay) holdBack(ctx context.Context, tx *sql.Tx, batch []outboxRow) ([]outboxRow, error) {
	subjects := make([]string, 0, len(batch))
	seqs := make([]int64, 0, len(batch))
	seen := map[string]bool{}
	for _, o := range batch {
		seqs = append(seqs, o.seq)
		if !seen[o.subject] {
			seen[o.subject] = true
			subjects = append(subjects, o.subject)
		}
	}
	// The arrays are unnested so PostgreSQL hashes them rather than
	// comparing every row with every element.
	rows, err := tx.QueryContext(ctx, `SELECT o.subject, MIN(o.seq) FROM outbox o
		WHERE o.seq < $2
		  AND o.seq NOT IN (SELECT unnest($3::bigint[]))
		  AND o.subject IN (SELECT unnest($1::text[]))
		GROUP BY o.subject`, subjects, seqs[len(seqs)-1], seqs)
	if err != nil {
		return nil, fmt.Errorf("relay: order check: %w", err)
	}
	defer rows.Close()
	first := map[string]int64{}
	for rows.Next() {
		var s string
		var seq int64
		if err := rows.Scan(&s, &seq); err != nil {
			return nil, fmt.Errorf("relay: order check: %w", err)
		}
		first[s] = seq
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("relay: order check: %w", err)
	}
	if len(first) == 0 {
		return batch, nil
	}
	out := batch[:0:0]
	for _, o := range batch {
		if f, ok := first[o.subject]; ok && o.seq > f {
			continue // another replica publishes the earlier row first
		}
		out = append(out, o)
	}
	return out, nil
}

func (r *Relay) relaySQLite(ctx context.Context) (int, error) {
	rows, err := r.DB.SQL.QueryContext(ctx, "SELECT "+outboxColumns+" FROM outbox ORDER BY seq LIMIT ?", r.Batch)
	if err != nil {
		return 0, fmt.Errorf("relay: read: %w", err)
	}
	batch, err := scanRows(rows)
	if err != nil || len(batch) == 0 {
		return 0, wrapErr("relay: read", err)
	}
	if err := r.publish(ctx, batch); err != nil {
		return 0, err
	}
	err = r.DB.Tx(ctx, func(tx *sql.Tx) error { return r.markPublished(ctx, tx, batch) })
	if err != nil {
		return 0, err
	}
	return len(batch), nil
}

// publish appends rows to their streams in order, in one MULTI/EXEC.
func (r *Relay) publish(ctx context.Context, rows []outboxRow) error {
	if len(rows) == 0 {
		return nil
	}
	_, err := r.Bus.Client.TxPipelined(ctx, func(p redis.Pipeliner) error {
		for _, o := range rows {
			env, err := o.envelope()
			if err != nil {
				return err
			}
			vals, err := entryValues(env)
			if err != nil {
				return err
			}
			p.XAdd(ctx, &redis.XAddArgs{Stream: r.Bus.Stream(o.source), MaxLen: r.MaxLen, Approx: true, Values: vals})
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("relay: XADD: %w", err)
	}
	if r.afterPublish != nil {
		if err := r.afterPublish(); err != nil {
			return err
		}
	}
	r.metrics.published.Add(ctx, int64(len(rows)), metric.WithAttributes(attribute.String("source", r.Source)))
	r.metrics.batches.Add(ctx, 1, metric.WithAttributes(attribute.String("source", r.Source)))
	return nil
}

// archiveColumns are the columns a row keeps when it moves between the
// outbox and outbox_archive (published_time aside).
const archiveColumns = "seq, id, type, source, subject, chamber, time, data, traceparent, data_type, snapshot_id"

// markPublished moves rows from the outbox to outbox_archive, stamped with
// the publish time. Deleting an outbox row writes no index entry, where
// setting a published_time column the outbox's indexes name rewrote the
// row with three (migration 0004).
func (r *Relay) markPublished(ctx context.Context, tx *sql.Tx, rows []outboxRow) error {
	if len(rows) == 0 {
		return nil
	}
	now := store.Micros(time.Now())
	var err error
	if r.DB.Dialect == store.Postgres {
		seqs := make([]int64, len(rows))
		for i, o := range rows {
			seqs[i] = o.seq
		}
		_, err = tx.ExecContext(ctx, `WITH moved AS (
			DELETE FROM outbox o USING unnest($2::bigint[]) AS c(seq) WHERE o.seq = c.seq
			RETURNING `+prefixed("o.", archiveColumns)+`)
			INSERT INTO outbox_archive (`+archiveColumns+`, published_time) SELECT `+archiveColumns+`, $1 FROM moved`, now, seqs)
	} else {
		args := make([]any, 0, len(rows)+1)
		args = append(args, now)
		for _, o := range rows {
			args = append(args, o.seq)
		}
		in := "seq IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(rows)), ", ") + ")"
		if _, err = tx.ExecContext(ctx, "INSERT INTO outbox_archive ("+archiveColumns+", published_time) SELECT "+archiveColumns+", ? FROM outbox WHERE "+in, args...); err == nil {
			_, err = tx.ExecContext(ctx, "DELETE FROM outbox WHERE "+in, args[1:]...)
		}
	}
	return wrapErr("relay: mark published", err)
}

// prefixed qualifies each column of a comma-separated list with prefix.
func prefixed(prefix, columns string) string {
	return prefix + strings.ReplaceAll(columns, ", ", ", "+prefix)
}

// Prune deletes rows published more than Retention ago.
func (r *Relay) Prune(ctx context.Context) (int64, error) {
	if err := r.defaults(); err != nil {
		return 0, err
	}
	cutoff := store.Micros(time.Now().Add(-r.Retention))
	res, err := r.DB.Exec(ctx, r.DB.Rebind("DELETE FROM outbox_archive WHERE published_time < ?"), cutoff)
	if err != nil {
		return 0, fmt.Errorf("relay: prune: %w", err)
	}
	n, _ := res.RowsAffected()
	r.metrics.pruned.Add(ctx, n, metric.WithAttributes(attribute.String("source", r.Source)))
	return n, nil
}

// CheckMarker sets the source's marker key if it is missing. A missing key
// means Redis does not hold what this source published (first start, or
// the server lost its data); every row published within Retention is then
// queued again, and consumers skip those they already applied.
func (r *Relay) CheckMarker(ctx context.Context) error {
	if err := r.defaults(); err != nil {
		return err
	}
	var b [8]byte
	_, _ = rand.Read(b[:])
	set, err := r.Bus.Client.SetNX(ctx, r.Bus.markerKey(r.Source), hex.EncodeToString(b[:]), 0).Result()
	if err != nil {
		return fmt.Errorf("relay: marker: %w", err)
	}
	if !set {
		return nil
	}
	n, err := r.Republish(ctx, time.Now().Add(-r.Retention))
	if err != nil {
		// Let the next check try again.
		_ = r.Bus.Client.Del(context.WithoutCancel(ctx), r.Bus.markerKey(r.Source)).Err()
		return err
	}
	if n > 0 {
		r.Log.InfoContext(ctx, "event bus lost its data: republishing the outbox", slog.Int64("events", n))
	}
	return nil
}

// Republish queues again every row published since since: it moves them
// back from outbox_archive to the outbox, under their own seq, so the
// relay publishes them again in their original order.
func (r *Relay) Republish(ctx context.Context, since time.Time) (int64, error) {
	var n int64
	err := r.DB.Tx(ctx, func(tx *sql.Tx) error {
		var res sql.Result
		var err error
		if r.DB.Dialect == store.Postgres {
			res, err = tx.ExecContext(ctx, `WITH moved AS (DELETE FROM outbox_archive WHERE published_time >= $1 RETURNING `+archiveColumns+`)
				INSERT INTO outbox (`+archiveColumns+`) SELECT `+archiveColumns+` FROM moved`, store.Micros(since))
		} else {
			res, err = tx.ExecContext(ctx, "INSERT INTO outbox ("+archiveColumns+") SELECT "+archiveColumns+" FROM outbox_archive WHERE published_time >= ?", store.Micros(since))
			if err == nil {
				_, err = tx.ExecContext(ctx, "DELETE FROM outbox_archive WHERE published_time >= ?", store.Micros(since))
			}
		}
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("relay: republish: %w", err)
	}
	r.metrics.republished.Add(ctx, n, metric.WithAttributes(attribute.String("source", r.Source)))
	return n, nil
}

func (r *Relay) measure(ctx context.Context) error {
	var n int64
	var oldest sql.NullInt64
	err := r.DB.SQL.QueryRowContext(ctx, "SELECT COUNT(*), MIN(time) FROM outbox").Scan(&n, &oldest)
	if err != nil {
		return fmt.Errorf("relay: backlog: %w", err)
	}
	r.backlog.Store(n)
	age := int64(0)
	if oldest.Valid {
		age = max(0, store.Micros(time.Now())-oldest.Int64)
	}
	r.oldestAge.Store(age)
	return nil
}

func wrapErr(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", what, err)
}
