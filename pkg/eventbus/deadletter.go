package eventbus

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"

	eventv1 "github.com/hirfa/hirfa/proto/gen/hirfa/event/v1"
)

// DeadLetterMaxLen bounds each dead-letter stream (MAXLEN ~).
const DeadLetterMaxLen = 100_000

// Dead-letter entry fields, besides fieldID, fieldType, fieldSubject and
// fieldEnvelope (the original entry's bytes, kept even when undecodable).
const (
	fieldStream     = "stream"
	fieldEntry      = "entry"
	fieldReason     = "reason"
	fieldDeliveries = "deliveries"
	fieldTime       = "time"
)

// DeadLetter is an event a consumer group gave up on.
type DeadLetter struct {
	// ID is the entry id in the dead-letter stream (what Replay takes).
	ID string
	// Stream and Entry locate the original entry.
	Stream, Entry string
	// Envelope is nil when the original entry could not be decoded.
	Envelope *eventv1.Envelope
	// Reason is the last failure.
	Reason     string
	Deliveries int64
	Time       time.Time
}

func (c *Consumer) deadLetter(ctx context.Context, stream string, m redis.XMessage, env *eventv1.Envelope, deliveries int64, reason error) error {
	raw, _ := m.Values[fieldEnvelope].(string)
	vals := []any{fieldStream, stream, fieldEntry, m.ID, fieldReason, reason.Error(),
		fieldDeliveries, deliveries, fieldTime, time.Now().UnixMilli(), fieldEnvelope, raw}
	if env != nil {
		vals = append(vals, fieldID, env.GetId(), fieldType, env.GetType(), fieldSubject, env.GetSubject())
	}
	err := c.Bus.Client.XAdd(ctx, &redis.XAddArgs{Stream: c.Bus.DeadLetterStream(c.Group), MaxLen: DeadLetterMaxLen, Approx: true, Values: vals}).Err()
	if err != nil {
		return fmt.Errorf("consumer: dead-letter %s: %w", m.ID, err)
	}
	c.metrics.deadLettered.Add(ctx, 1, metric.WithAttributes(attribute.String("stream", stream), attribute.String("group", c.Group)))
	c.Log.ErrorContext(ctx, "event dead-lettered", "group", c.Group, "stream", stream, "entry", m.ID, "type", env.GetType(),
		"event_id", env.GetId(), "deliveries", deliveries, "reason", reason.Error())
	return nil
}

// DeadLetters lists up to limit dead letters of the group, oldest first,
// after the dead-letter id after ("" for the start). next is the id to pass
// as after for the following page, "" at the end.
func (c *Consumer) DeadLetters(ctx context.Context, after string, limit int) (out []DeadLetter, next string, err error) {
	if err := c.init(); err != nil {
		return nil, "", err
	}
	if limit <= 0 {
		limit = 100
	}
	start := "-"
	if after != "" {
		start = "(" + after
	}
	msgs, err := c.Bus.Client.XRangeN(ctx, c.Bus.DeadLetterStream(c.Group), start, "+", int64(limit)+1).Result()
	if err != nil {
		return nil, "", fmt.Errorf("dead letters: %w", err)
	}
	if len(msgs) > limit {
		msgs = msgs[:limit]
		next = msgs[limit-1].ID
	}
	for _, m := range msgs {
		out = append(out, parseDeadLetter(m))
	}
	return out, next, nil
}

func parseDeadLetter(m redis.XMessage) DeadLetter {
	str := func(k string) string { s, _ := m.Values[k].(string); return s }
	d := DeadLetter{ID: m.ID, Stream: str(fieldStream), Entry: str(fieldEntry), Reason: str(fieldReason)}
	d.Deliveries, _ = strconv.ParseInt(str(fieldDeliveries), 10, 64)
	if ms, err := strconv.ParseInt(str(fieldTime), 10, 64); err == nil {
		d.Time = time.UnixMilli(ms).UTC()
	}
	if env, err := decodeEntry(m); err == nil {
		d.Envelope = env
	}
	return d
}

// ErrDeadLetterNotFound is returned by ReplayDeadLetter for an unknown id.
var ErrDeadLetterNotFound = errors.New("dead letter not found")

// ReplayDeadLetter applies a dead-lettered event again (after the cause was
// fixed), like a first delivery: recorded as processed and handled in one
// transaction, skipped if it was applied meanwhile. On success it is removed
// from the dead-letter stream; on failure it stays and the error is
// returned.
func (c *Consumer) ReplayDeadLetter(ctx context.Context, id string) error {
	if err := c.init(); err != nil {
		return err
	}
	dls := c.Bus.DeadLetterStream(c.Group)
	msgs, err := c.Bus.Client.XRangeN(ctx, dls, id, id, 1).Result()
	if err != nil {
		return fmt.Errorf("replay dead letter %s: %w", id, err)
	}
	if len(msgs) == 0 {
		return fmt.Errorf("replay dead letter %s: %w", id, ErrDeadLetterNotFound)
	}
	env, err := decodeEntry(msgs[0])
	if err != nil {
		return fmt.Errorf("replay dead letter %s: %w", id, err)
	}
	err = c.DB.Tx(ctx, func(tx *sql.Tx) error {
		_, err := c.applyOne(ctx, tx, env)
		return err
	})
	if err != nil {
		return fmt.Errorf("replay dead letter %s: %w", id, err)
	}
	if err := c.Bus.Client.XDel(ctx, dls, id).Err(); err != nil {
		return fmt.Errorf("replay dead letter %s: remove: %w", id, err)
	}
	return nil
}

// ReplayDeadLetters replays every dead letter of the group, returning how
// many were applied and the failures (joined) of those that stay.
func (c *Consumer) ReplayDeadLetters(ctx context.Context) (replayed int, err error) {
	var errs []error
	after := ""
	for {
		page, next, err := c.DeadLetters(ctx, after, 100)
		if err != nil {
			return replayed, err
		}
		for _, d := range page {
			if err := c.ReplayDeadLetter(ctx, d.ID); err != nil {
				errs = append(errs, err)
				continue
			}
			replayed++
		}
		if next == "" {
			return replayed, errors.Join(errs...)
		}
		after = next
	}
}
