package service

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
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/hirfa/hirfa/pkg/eventbus"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/territory"
	"github.com/hirfa/hirfa/pkg/testenv"
	eventv1 "github.com/hirfa/hirfa/proto/gen/hirfa/event/v1"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	"github.com/hirfa/hirfa/services/reporting/internal/adapters/eventdecode"
	"github.com/hirfa/hirfa/services/reporting/internal/adapters/sqlstore"
)

// BenchmarkProjectionLag measures end-to-end lag through reporting's real
// projector on PostgreSQL and Redis: registry outbox rows (the payload the
// registry writes: a registryv1.Artisan) arrive at a steady
// HIRFA_BENCH_LAG_RATE events/s (default 1,000; ten rows every 10 ms) for
// HIRFA_BENCH_LAG_SECONDS (default 10) — four in five register a new
// artisan, one in five suspends an artisan registered before (its counts
// move between cubes) — while the relay and reporting's consumer run with
// reporting's settings (ConsumerBatch) and the bus's other defaults. It
// runs the consumer once with the set-based handler the service runs
// (ApplyBatch) and then, as the same-run baseline, once with the
// one-event-at-a-time handler (Apply). An event's lag is
// from its outbox time to the moment the projector gets it inside the
// projection transaction; when every event has been applied the benchmark
// checks the projected counts against what was written. The outbox lives
// in reporting's own database here (the relay only reads its outbox table),
// which adds the producer's inserts to the consumer's database load.
//
//	bash tools/dev/services.sh run -- go test -run '^$' -bench ProjectionLag -benchtime 1x ./services/reporting/internal/service/
func BenchmarkProjectionLag(b *testing.B) {
	rate := benchInt("HIRFA_BENCH_LAG_RATE", 1000)
	seconds := benchInt("HIRFA_BENCH_LAG_SECONDS", 10)
	ctx := context.Background()
	db, err := store.Open(ctx, testenv.Postgres(b))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := sqlstore.Migrate(ctx, db); err != nil {
		b.Fatal(err)
	}
	bus, err := eventbus.Open(eventbus.Options{URL: testenv.Redis(b), Prefix: testenv.RedisPrefix(b)})
	if err != nil {
		b.Fatal(err)
	}
	defer bus.Close()
	terr, err := territory.Load()
	if err != nil {
		b.Fatal(err)
	}
	dec := eventdecode.Decoder{RegionOf: func(p string) string { pr, _ := terr.Province(p); return pr.RegionID }}
	var provinces []string
	for _, p := range terr.Provinces {
		provinces = append(provinces, p.ID)
	}
	d := time.Duration(seconds) * time.Second
	for range b.N {
		// The set-based run first: the baseline leaves PostgreSQL with a
		// long write burst to checkpoint and vacuum, which would land on
		// whichever run came after it.
		lags, achieved := projectionLag(b, ctx, db, bus, dec, provinces, rate, d, true)
		base, _ := projectionLag(b, ctx, db, bus, dec, provinces, rate, d, false)
		p50, p99, worst := pct(lags, 50), pct(lags, 99), lags[len(lags)-1]
		b.ReportMetric(p99.Seconds()*1000, "p99-ms")
		b.ReportMetric(pct(base, 99).Seconds()*1000, "one-by-one-p99-ms")
		fmt.Printf("reporting projection lag at a steady %d events/s for %s (PostgreSQL + Redis, set-based ApplyBatch, %d events, written at %.0f/s): outbox→projection p50 %s, p99 %s, max %s | baseline, same run: one event at a time (Apply) p50 %s, p99 %s, max %s\n",
			rate, d, len(lags), achieved, p50.Round(time.Millisecond), p99.Round(time.Millisecond), worst.Round(time.Millisecond),
			pct(base, 50).Round(time.Millisecond), pct(base, 99).Round(time.Millisecond), base[len(base)-1].Round(time.Millisecond))
	}
}

func benchInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// pct is the p-th percentile of sorted durations.
func pct(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := (len(sorted)*p + 99) / 100
	return sorted[min(max(i-1, 0), len(sorted)-1)]
}

// projectionLag runs the relay and reporting's consumer while registry
// outbox rows arrive at rate for d, and returns the sorted lags.
func projectionLag(b *testing.B, ctx context.Context, db *store.DB, bus *eventbus.Bus, dec eventdecode.Decoder, provinces []string,
	rate int, d time.Duration, batched bool) ([]time.Duration, float64) {
	b.Helper()
	if _, err := db.SQL.ExecContext(ctx, `TRUNCATE outbox, outbox_archive, processed_events, registrant_facts, registrant_counts, registrant_counts_profile,
		registrant_counts_month, registrant_counts_activity`); err != nil {
		b.Fatal(err)
	}
	if err := bus.Client.Del(ctx, bus.Stream("registry")).Err(); err != nil {
		b.Fatal(err)
	}
	var mu sync.Mutex
	var lags []time.Duration
	seen := func(envs ...*eventv1.Envelope) {
		mu.Lock()
		for _, env := range envs {
			lags = append(lags, time.Since(env.GetTime().AsTime()))
		}
		mu.Unlock()
	}
	proj := sqlstore.NewProjector(db)
	consumer := &eventbus.Consumer{DB: db, Bus: bus, Group: Name, Streams: []string{bus.Stream("registry")}, Batch: ConsumerBatch}
	if batched {
		apply := ApplyBatch(dec, proj)
		consumer.BatchHandler = func(ctx context.Context, tx *sql.Tx, envs []*eventv1.Envelope) error {
			seen(envs...)
			return apply(ctx, tx, envs)
		}
	} else {
		apply := Apply(dec, proj)
		consumer.Handler = func(ctx context.Context, tx *sql.Tx, env *eventv1.Envelope) error {
			seen(env)
			return apply(ctx, tx, env)
		}
	}
	relay := &eventbus.Relay{DB: db, Bus: bus, Source: "registry"}
	if err := relay.CheckMarker(ctx); err != nil {
		b.Fatal(err)
	}
	if err := consumer.EnsureGroups(ctx); err != nil {
		b.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan struct{}, 2)
	go func() { _ = relay.Run(runCtx); done <- struct{}{} }()
	go func() { _ = consumer.Run(runCtx); done <- struct{}{} }()

	seq, created, suspended := 0, 0, 0
	artisan := func(i int, state registryv1.Artisan_State, at time.Time) *registryv1.Artisan {
		return &registryv1.Artisan{Name: fmt.Sprintf("chambers/c%d/artisans/a%d", i%12, i), Province: provinces[i%len(provinces)],
			Activity: fmt.Sprintf("F1.B0%d.A00%d", i%9, i%7), Gender: registryv1.Artisan_Gender(1 + i%2), Category: registryv1.Artisan_EXPERIENCED,
			State: state, RegisterTime: timestamppb.New(time.Date(2023, time.Month(1+i%12), 1+i%28, 10, 0, 0, 0, time.UTC)), UpdateTime: timestamppb.New(at)}
	}
	per, start := rate/100, time.Now()
	t := time.NewTicker(10 * time.Millisecond)
	for time.Since(start) < d {
		<-t.C
		var q strings.Builder
		q.WriteString("INSERT INTO outbox (id, type, source, subject, chamber, time, data, data_type) VALUES ")
		args := make([]any, 0, 6*per)
		now := time.Now()
		for j := range per {
			a := artisan(created, registryv1.Artisan_REGISTERED, now)
			if seq%5 == 4 {
				// Registered earlier in the run, maybe in this same tick: one
				// microsecond later makes it a newer version.
				a = artisan(suspended*4, registryv1.Artisan_SUSPENDED, now.Add(time.Microsecond))
				suspended++
			} else {
				created++
			}
			data, err := proto.Marshal(a)
			if err != nil {
				b.Fatal(err)
			}
			if j > 0 {
				q.WriteString(", ")
			}
			k := len(args)
			fmt.Fprintf(&q, "($%d, 'hirfa.registry.v1.ArtisanRegistered', 'registry', $%d, $%d, $%d, $%d, 'hirfa.registry.v1.Artisan')", k+1, k+2, k+3, k+4, k+5)
			chamber, _, _ := strings.Cut(strings.TrimPrefix(a.GetName(), "chambers/"), "/")
			args = append(args, uuid.NewString(), a.GetName(), chamber, store.Micros(now), data)
			seq++
		}
		if _, err := db.SQL.ExecContext(ctx, q.String(), args...); err != nil {
			b.Fatal(err)
		}
	}
	t.Stop()
	achieved := float64(seq) / time.Since(start).Seconds()
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(10 * time.Millisecond) {
		mu.Lock()
		n := len(lags)
		mu.Unlock()
		if n >= seq || time.Now().After(deadline) {
			break
		}
	}
	// The last batch commits after its handler ran: wait for the relay's
	// and the consumer's work to be acknowledged before reading counts.
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		l, err := consumer.Lag(ctx, bus.Stream("registry"))
		if err == nil && l.Pending() == 0 && l.Undelivered() == 0 {
			break
		}
	}
	cancel()
	<-done
	<-done
	if len(lags) != seq {
		b.Fatalf("%d of %d events applied", len(lags), seq)
	}
	var total, susp int64
	if err := db.SQL.QueryRowContext(ctx, `SELECT COALESCE(SUM(registrants), 0), COALESCE(SUM(CASE WHEN state = 'SUSPENDED' THEN registrants END), 0)
		FROM registrant_counts WHERE registrant_type = 'ARTISAN'`).Scan(&total, &susp); err != nil {
		b.Fatal(err)
	}
	if total != int64(created) || susp != int64(suspended) {
		b.Fatalf("projection holds %d artisans (%d suspended), written %d (%d suspended)", total, susp, created, suspended)
	}
	slices.Sort(lags)
	return lags, achieved
}
