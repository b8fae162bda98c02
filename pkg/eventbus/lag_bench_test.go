package eventbus_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
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

// BenchmarkLag measures end-to-end lag at a steady rate on PostgreSQL and
// Redis: producers write outbox rows at HIRFA_BENCH_LAG_RATE events/s
// (default 1,000; ten rows every 10 ms, each its own resource) for
// HIRFA_BENCH_LAG_SECONDS (default 10), while a relay and a consumer with
// the production defaults (relay poll 100 ms, batch 500; consumer block 1 s,
// batch 256) run, once with a per-event handler (as reporting's) and once
// with a set-based BatchHandler; the lag of an event is from its outbox
// time to its handler running in the projection transaction. The
// baseline, in the same run at the same rate, is Redis alone: XADD to a
// blocking XREAD of the same envelope.
//
//	bash tools/dev/services.sh run -- go test -run '^$' -bench Lag -benchtime 1x ./pkg/eventbus/
func BenchmarkLag(b *testing.B) {
	rate := envInt("HIRFA_BENCH_LAG_RATE", 1000)
	seconds := envInt("HIRFA_BENCH_LAG_SECONDS", 10)
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
	duration := time.Duration(seconds) * time.Second

	for range b.N {
		base := redisLag(b, ctx, bus, rate, duration)
		b.ResetTimer()
		for _, batched := range []bool{false, true} {
			lags, achieved := pipelineLag(b, ctx, db, bus, payload, rate, duration, batched)
			p50, p99, worst := percentile(lags, 50), percentile(lags, 99), lags[len(lags)-1]
			handler := "per-event handler"
			if batched {
				handler = "set-based BatchHandler"
				b.ReportMetric(p99.Seconds()*1000, "batched-p99-ms")
			} else {
				b.ReportMetric(p99.Seconds()*1000, "p99-ms")
			}
			fmt.Printf("eventbus lag at a steady %d events/s for %s (PostgreSQL + Redis, %s, %d events, written at %.0f/s): outbox→projection p50 %s, p99 %s, max %s | baseline: Redis XADD→XREAD alone p50 %s, p99 %s\n",
				rate, duration, handler, len(lags), achieved, p50.Round(time.Millisecond), p99.Round(time.Millisecond), worst.Round(time.Millisecond),
				percentile(base, 50).Round(time.Microsecond), percentile(base, 99).Round(time.Microsecond))
		}
		b.StopTimer()
		b.ReportMetric(percentile(base, 99).Seconds()*1000, "redis-p99-ms")
	}
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// percentile of sorted durations.
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := (len(sorted)*p + 99) / 100
	return sorted[min(max(i-1, 0), len(sorted)-1)]
}

// tick writes n events every 10 ms at rate/s until d has passed, calling
// write with how many events are due; it returns the achieved rate.
func tick(rate int, d time.Duration, write func(n int)) float64 {
	per := rate / 100
	t := time.NewTicker(10 * time.Millisecond)
	defer t.Stop()
	start, total := time.Now(), 0
	for time.Since(start) < d {
		<-t.C
		write(per)
		total += per
	}
	return float64(total) / time.Since(start).Seconds()
}

// pipelineLag runs the relay and consumer while outbox rows arrive at rate.
func pipelineLag(b *testing.B, ctx context.Context, db *store.DB, bus *eventbus.Bus, payload []byte, rate int, d time.Duration, batched bool) ([]time.Duration, float64) {
	b.Helper()
	if _, err := db.SQL.ExecContext(ctx, "TRUNCATE outbox, outbox_archive, processed_events, projection"); err != nil {
		b.Fatal(err)
	}
	if err := bus.Client.Del(ctx, bus.Stream("test")).Err(); err != nil {
		b.Fatal(err)
	}
	var mu sync.Mutex
	var lags []time.Duration
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	relay := &eventbus.Relay{DB: db, Bus: bus, Source: "test"}
	if err := relay.CheckMarker(ctx); err != nil {
		b.Fatal(err)
	}
	consumer := &eventbus.Consumer{DB: db, Bus: bus, Group: "lag", Streams: []string{bus.Stream("test")},
		Handler: func(ctx context.Context, tx *sql.Tx, env *eventv1.Envelope) error {
			lag := time.Since(env.GetTime().AsTime())
			mu.Lock()
			lags = append(lags, lag)
			mu.Unlock()
			return project(ctx, tx, db, env)
		}}
	if batched {
		consumer.Handler = nil
		consumer.BatchHandler = func(ctx context.Context, tx *sql.Tx, envs []*eventv1.Envelope) error {
			mu.Lock()
			for _, env := range envs {
				lags = append(lags, time.Since(env.GetTime().AsTime()))
			}
			mu.Unlock()
			return projectBatch(ctx, tx, envs)
		}
	}
	if err := consumer.EnsureGroups(ctx); err != nil {
		b.Fatal(err)
	}
	done := make(chan struct{}, 2)
	go func() { _ = relay.Run(runCtx); done <- struct{}{} }()
	go func() { _ = consumer.Run(runCtx); done <- struct{}{} }()
	seq := 0
	achieved := tick(rate, d, func(n int) {
		var q strings.Builder
		q.WriteString("INSERT INTO outbox (id, type, source, subject, chamber, time, data, data_type) VALUES ")
		args := make([]any, 0, 4*n)
		now := store.Micros(time.Now())
		for j := range n {
			if j > 0 {
				q.WriteString(", ")
			}
			k := len(args)
			fmt.Fprintf(&q, "($%d, 'hirfa.test.v1.ThingChanged', 'test', $%d, 'fes-meknes', $%d, $%d, 'google.protobuf.Int64Value')", k+1, k+2, k+3, k+4)
			seq++
			args = append(args, uuid.NewString(), fmt.Sprintf("chambers/fes-meknes/things/%d", seq), now, payload)
		}
		if _, err := db.SQL.ExecContext(ctx, q.String(), args...); err != nil {
			b.Error(err)
		}
	})
	for deadline := time.Now().Add(time.Minute); ; {
		mu.Lock()
		n := len(lags)
		mu.Unlock()
		if n >= seq || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
	<-done
	if len(lags) != seq {
		b.Fatalf("%d of %d events applied", len(lags), seq)
	}
	slices.Sort(lags)
	return lags, achieved
}

// redisLag is the baseline: the same envelopes XADDed at rate and read by a
// blocking XREAD, Redis alone.
func redisLag(b *testing.B, ctx context.Context, bus *eventbus.Bus, rate int, d time.Duration) []time.Duration {
	b.Helper()
	stream := bus.Prefix + "lag-baseline"
	_ = bus.Client.Del(ctx, stream).Err()
	var lags []time.Duration
	sent := 0
	done := make(chan struct{})
	go func() {
		defer close(done)
		last := "$"
		for {
			res, err := bus.Client.XRead(ctx, &redis.XReadArgs{Streams: []string{stream, last}, Block: time.Second, Count: 1000}).Result()
			if err == redis.Nil {
				return // nothing for a second: the writer stopped
			}
			if err != nil {
				b.Error(err)
				return
			}
			now := time.Now()
			for _, m := range res[0].Messages {
				ns, _ := strconv.ParseInt(m.Values["t"].(string), 10, 64)
				lags = append(lags, now.Sub(time.Unix(0, ns)))
				last = m.ID
			}
		}
	}()
	time.Sleep(50 * time.Millisecond) // the reader blocks on "$" first
	env, _ := proto.Marshal(&eventv1.Envelope{Id: uuid.NewString(), Type: "hirfa.test.v1.ThingChanged", Subject: "chambers/fes-meknes/things/x"})
	tick(rate, d, func(n int) {
		_, err := bus.Client.Pipelined(ctx, func(p redis.Pipeliner) error {
			for range n {
				p.XAdd(ctx, &redis.XAddArgs{Stream: stream, MaxLen: 100_000, Approx: true, Values: []any{"t", strconv.FormatInt(time.Now().UnixNano(), 10), "envelope", env}})
			}
			return nil
		})
		if err != nil {
			b.Error(err)
		}
		sent += n
	})
	<-done
	if len(lags) != sent {
		b.Fatalf("baseline read %d of %d entries", len(lags), sent)
	}
	slices.Sort(lags)
	return lags
}
