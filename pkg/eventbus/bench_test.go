package eventbus_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/redis/go-redis/v9"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/hirfa/hirfa/pkg/eventbus"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/testenv"
	eventv1 "github.com/hirfa/hirfa/proto/gen/hirfa/event/v1"
)

// BenchmarkPipeline measures outbox → stream → projection on PostgreSQL and
// Redis: events/s from a filled outbox until every event is applied by a
// consumer (relay and consumer running concurrently, as in production), and,
// in the same run, the baselines: raw pipelined XADD and raw single-row
// INSERT rates.
//
//	bash tools/dev/services.sh run -- go test -run '^$' -bench Pipeline -benchtime 1x ./pkg/eventbus/
func BenchmarkPipeline(b *testing.B) {
	const events = 20_000
	dsn, url := testenv.Postgres(b), testenv.Redis(b)
	if dsn == "" || url == "" {
		return
	}
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := store.Migrate(ctx, db, "test", migrations); err != nil {
		b.Fatal(err)
	}
	bus, err := eventbus.Open(eventbus.Options{URL: url, Prefix: testenv.RedisPrefix(b)})
	if err != nil {
		b.Fatal(err)
	}
	defer bus.Close()
	payload, _ := proto.Marshal(wrapperspb.Int64(42))

	for range b.N {
		// Baseline 1: raw INSERT, one row per statement (autocommit).
		start := time.Now()
		for i := range events {
			if _, err := db.SQL.ExecContext(ctx, "INSERT INTO projection (subject, applied, seen) VALUES ($1, 1, '')", fmt.Sprintf("raw-%d-%d", time.Now().UnixNano(), i)); err != nil {
				b.Fatal(err)
			}
		}
		insertRate := float64(events) / time.Since(start).Seconds()

		// Baseline 2: raw XADD of the same envelope size, pipelined by 500.
		env, _ := proto.Marshal(&eventv1.Envelope{Id: uuid.NewString(), Type: "hirfa.test.v1.ThingChanged", Subject: "chambers/fes-meknes/things/x"})
		start = time.Now()
		for i := 0; i < events; i += 500 {
			_, err := bus.Client.Pipelined(ctx, func(p redis.Pipeliner) error {
				for range 500 {
					p.XAdd(ctx, &redis.XAddArgs{Stream: bus.Prefix + "raw", MaxLen: 100_000, Approx: true, Values: []any{"envelope", env}})
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		xaddRate := float64(events) / time.Since(start).Seconds()

		b.ResetTimer()
		perEvent, _ := pipeline(b, ctx, db, bus, payload, events, &eventbus.Consumer{
			Handler: func(ctx context.Context, tx *sql.Tx, env *eventv1.Envelope) error { return project(ctx, tx, db, env) }})
		batched, relayRate := pipeline(b, ctx, db, bus, payload, events, &eventbus.Consumer{
			BatchHandler: func(ctx context.Context, tx *sql.Tx, envs []*eventv1.Envelope) error {
				return projectBatch(ctx, tx, envs)
			}})
		b.StopTimer()
		b.ReportMetric(perEvent, "events/s")
		b.ReportMetric(batched, "batched-events/s")
		b.ReportMetric(xaddRate, "xadd/s")
		b.ReportMetric(insertRate, "insert/s")
		fmt.Printf("eventbus pipeline (PostgreSQL + Redis, %d events each): outbox→stream→projection %.0f events/s with a per-event handler, %.0f events/s with a set-based BatchHandler (in that run the relay emptied the outbox at %.0f events/s) | baselines: raw XADD (pipelined 500) %.0f/s, raw INSERT (autocommit) %.0f/s\n",
			events, perEvent, batched, relayRate, xaddRate, insertRate)
	}
}

// pipeline fills the outbox with events (1,000 resources), then runs a relay
// and consumer c concurrently until every event is applied. It returns the
// end-to-end rate and the rate at which the relay drained the outbox.
func pipeline(b *testing.B, ctx context.Context, db *store.DB, bus *eventbus.Bus, payload []byte, events int, consumer *eventbus.Consumer) (float64, float64) {
	b.Helper()
	if _, err := db.SQL.ExecContext(ctx, "TRUNCATE outbox, outbox_archive, processed_events, projection"); err != nil {
		b.Fatal(err)
	}
	if err := bus.Client.Del(ctx, bus.Stream("test")).Err(); err != nil {
		b.Fatal(err)
	}
	for i := 0; i < events; i += 1000 {
		var q strings.Builder
		q.WriteString("INSERT INTO outbox (id, type, source, subject, chamber, time, data, data_type) VALUES ")
		args := []any{}
		for j := range 1000 {
			if j > 0 {
				q.WriteString(", ")
			}
			n := len(args)
			fmt.Fprintf(&q, "($%d, 'hirfa.test.v1.ThingChanged', 'test', $%d, 'fes-meknes', $%d, $%d, 'google.protobuf.Int64Value')", n+1, n+2, n+3, n+4)
			args = append(args, uuid.NewString(), fmt.Sprintf("chambers/fes-meknes/things/%d", (i+j)%1000), store.Micros(time.Now()), payload)
		}
		if _, err := db.SQL.ExecContext(ctx, q.String(), args...); err != nil {
			b.Fatal(err)
		}
	}
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	relay := &eventbus.Relay{DB: db, Bus: bus, Source: "test", Batch: 1000, PollInterval: 5 * time.Millisecond}
	if err := relay.CheckMarker(ctx); err != nil {
		b.Fatal(err)
	}
	consumer.DB, consumer.Bus, consumer.Group, consumer.Streams = db, bus, "bench", []string{bus.Stream("test")}
	consumer.Batch, consumer.Block = 1000, 50*time.Millisecond
	if err := consumer.EnsureGroups(ctx); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	done := make(chan struct{}, 2)
	go func() { _ = relay.Run(runCtx); done <- struct{}{} }()
	go func() { _ = consumer.Run(runCtx); done <- struct{}{} }()
	var relayed time.Duration
	for {
		var n, left int
		if relayed == 0 {
			if err := db.SQL.QueryRowContext(ctx, "SELECT COUNT(*) FROM outbox").Scan(&left); err != nil {
				b.Fatal(err)
			}
			if left == 0 {
				relayed = time.Since(start)
			}
		}
		if err := db.SQL.QueryRowContext(ctx, "SELECT COUNT(*) FROM processed_events WHERE consumer_group = 'bench'").Scan(&n); err != nil {
			b.Fatal(err)
		}
		if n >= events {
			break
		}
		if time.Since(start) > 2*time.Minute {
			b.Fatalf("only %d of %d events applied after 2 minutes", n, events)
		}
		time.Sleep(10 * time.Millisecond)
	}
	rate := float64(events) / time.Since(start).Seconds()
	cancel()
	<-done
	<-done
	var applied int64
	if err := db.SQL.QueryRowContext(ctx, "SELECT COALESCE(SUM(applied), 0) FROM projection").Scan(&applied); err != nil || applied != int64(events) {
		b.Fatalf("projection counts %d events, want %d (%v)", applied, events, err)
	}
	return rate, float64(events) / relayed.Seconds()
}
