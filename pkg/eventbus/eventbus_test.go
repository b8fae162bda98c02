package eventbus_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/redis/go-redis/v9"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/eventbus"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/store/storetest"
	"github.com/hirfa/hirfa/pkg/testenv"
	eventv1 "github.com/hirfa/hirfa/proto/gen/hirfa/event/v1"
)

func TestMain(m *testing.M) {
	if faultChild() {
		return
	}
	testenv.Main(m)
}

// thing is a tiny producer resource: each write sets N.
type thing struct {
	resource.Meta
	N int64 `json:"n"`
}

var migrations = fstest.MapFS{
	"postgres/0001_test.sql": {Data: []byte(`CREATE TABLE things (chamber TEXT NOT NULL, id TEXT NOT NULL, revision BIGINT NOT NULL, create_time BIGINT NOT NULL, update_time BIGINT NOT NULL, data JSONB NOT NULL, PRIMARY KEY (chamber, id));
CREATE TABLE projection (subject TEXT PRIMARY KEY, applied BIGINT NOT NULL, seen TEXT NOT NULL);`)},
	"sqlite/0001_test.sql": {Data: []byte(`CREATE TABLE things (chamber TEXT NOT NULL, id TEXT NOT NULL, revision INTEGER NOT NULL, create_time INTEGER NOT NULL, update_time INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (chamber, id));
CREATE TABLE projection (subject TEXT PRIMARY KEY, applied INTEGER NOT NULL, seen TEXT NOT NULL);`)},
}

type fixture struct {
	db     *store.DB
	bus    *eventbus.Bus
	things *store.Table[*thing]
	relay  *eventbus.Relay
}

func newThings(db *store.DB) *store.Table[*thing] {
	return store.NewTable(db, store.Spec[*thing]{
		Table: "things", Collection: "things", Kind: "Thing", Source: "test", EventType: "hirfa.test.v1.",
		New:      func() *thing { return &thing{} },
		Payload:  func(v *thing) proto.Message { return wrapperspb.Int64(v.N) },
		DataType: "google.protobuf.Int64Value",
	})
}

// buses runs fn on a real Redis and on the embedded server.
func buses(t *testing.T, fn func(t *testing.T, bus *eventbus.Bus)) {
	t.Run("redis", func(t *testing.T) {
		url := testenv.Redis(t)
		if url == "" {
			return
		}
		bus, err := eventbus.Open(eventbus.Options{URL: url, Prefix: testenv.RedisPrefix(t)})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = bus.Close() })
		fn(t, bus)
	})
	t.Run("embedded", func(t *testing.T) {
		bus, err := eventbus.Open(eventbus.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = bus.Close() })
		fn(t, bus)
	})
}

// each runs fn on every database backend and every bus.
func each(t *testing.T, fn func(t *testing.T, f *fixture)) {
	storetest.EachBackend(t, func(t *testing.T, open func(t *testing.T) *store.DB) {
		buses(t, func(t *testing.T, bus *eventbus.Bus) {
			fn(t, setup(t, open(t), bus))
		})
	})
}

func setup(t *testing.T, db *store.DB, bus *eventbus.Bus) *fixture {
	t.Helper()
	if err := store.Migrate(t.Context(), db, "test", migrations); err != nil {
		t.Fatal(err)
	}
	return &fixture{db: db, bus: bus, things: newThings(db), relay: &eventbus.Relay{DB: db, Bus: bus, Source: "test", Batch: 50}}
}

// project is the test projection: per subject, how many events were applied
// and the N values in the order they were applied.
func project(ctx context.Context, tx *sql.Tx, db *store.DB, env *eventv1.Envelope) error {
	v := &wrapperspb.Int64Value{}
	if err := env.GetData().UnmarshalTo(v); err != nil {
		return err
	}
	n := strconv.FormatInt(v.GetValue(), 10)
	res, err := tx.ExecContext(ctx, db.Rebind("UPDATE projection SET applied = applied + 1, seen = seen || ',' || ? WHERE subject = ?"), n, env.GetSubject())
	if err != nil {
		return err
	}
	if k, _ := res.RowsAffected(); k == 0 {
		_, err = tx.ExecContext(ctx, db.Rebind("INSERT INTO projection (subject, applied, seen) VALUES (?, 1, ?)"), env.GetSubject(), n)
	}
	return err
}

// projectBatch is project as one statement per batch: counts per subject
// (without the seen list, which a set-based projection does not keep).
func projectBatch(ctx context.Context, tx *sql.Tx, envs []*eventv1.Envelope) error {
	counts := map[string]int64{}
	var order []string
	for _, env := range envs {
		if counts[env.GetSubject()] == 0 {
			order = append(order, env.GetSubject())
		}
		counts[env.GetSubject()]++
	}
	var q strings.Builder
	q.WriteString("INSERT INTO projection (subject, applied, seen) VALUES ")
	args := make([]any, 0, 2*len(order))
	for i, s := range order {
		if i > 0 {
			q.WriteString(", ")
		}
		fmt.Fprintf(&q, "($%d, $%d, '')", 2*i+1, 2*i+2)
		args = append(args, s, counts[s])
	}
	q.WriteString(" ON CONFLICT (subject) DO UPDATE SET applied = projection.applied + excluded.applied")
	_, err := tx.ExecContext(ctx, q.String(), args...)
	return err
}

func (f *fixture) consumer(h eventbus.Handler) *eventbus.Consumer {
	if h == nil {
		h = func(ctx context.Context, tx *sql.Tx, env *eventv1.Envelope) error { return project(ctx, tx, f.db, env) }
	}
	return &eventbus.Consumer{DB: f.db, Bus: f.bus, Group: "projection", Streams: []string{f.bus.Stream("test")}, Handler: h,
		Name: "c1", Block: 50 * time.Millisecond, ClaimIdle: 50 * time.Millisecond, MaxDeliveries: 3}
}

// write creates n things and updates each of them updates times (N = 0, 1, …).
func (f *fixture) write(t *testing.T, ctx context.Context, prefix string, n, updates int) {
	t.Helper()
	for i := range n {
		id := fmt.Sprintf("%s%03d", prefix, i)
		if _, _, err := f.things.Create(ctx, &thing{Meta: resource.Meta{Chamber: "fes-meknes", ID: id}}, change.Write{Action: "Created"}); err != nil {
			t.Fatal(err)
		}
		for u := 1; u <= updates; u++ {
			if _, err := f.things.Update(ctx, "fes-meknes", id, change.Write{Action: "Changed"}, func(v *thing) error { v.N = int64(u); return nil }); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func (f *fixture) drainRelay(t *testing.T, r *eventbus.Relay) {
	t.Helper()
	for {
		n, err := r.RelayOnce(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}

func drainConsumer(t *testing.T, c *eventbus.Consumer) {
	t.Helper()
	if err := c.EnsureGroups(t.Context()); err != nil {
		t.Fatal(err)
	}
	for {
		n, err := c.ReadOnce(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}

// projection returns subject → "applied|seen".
func (f *fixture) projection(t *testing.T) map[string]string {
	t.Helper()
	rows, err := f.db.SQL.QueryContext(t.Context(), "SELECT subject, applied, seen FROM projection")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var s, seen string
		var n int64
		if err := rows.Scan(&s, &n, &seen); err != nil {
			t.Fatal(err)
		}
		out[s] = strconv.FormatInt(n, 10) + "|" + seen
	}
	return out
}

func wantProjection(t *testing.T, f *fixture, prefix string, n, updates int) {
	t.Helper()
	got := f.projection(t)
	seen := []string{"0"}
	for u := 1; u <= updates; u++ {
		seen = append(seen, strconv.Itoa(u))
	}
	want := strconv.Itoa(updates+1) + "|" + strings.Join(seen, ",")
	for i := range n {
		s := fmt.Sprintf("chambers/fes-meknes/things/%s%03d", prefix, i)
		if got[s] != want {
			t.Errorf("%s: applied|seen = %q, want %q", s, got[s], want)
		}
	}
}

func TestOrderedIdempotentTraced(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		tp := sdktrace.NewTracerProvider()
		ctx, span := tp.Tracer("test").Start(t.Context(), "request")
		f.write(t, ctx, "a", 10, 4)
		span.End()
		f.drainRelay(t, f.relay)
		var traced atomic.Int64
		c := f.consumer(func(ctx context.Context, tx *sql.Tx, env *eventv1.Envelope) error {
			if strings.Contains(env.GetTraceparent(), span.SpanContext().TraceID().String()) {
				traced.Add(1)
			}
			if env.GetType() != "hirfa.test.v1.ThingCreated" && env.GetType() != "hirfa.test.v1.ThingChanged" {
				return fmt.Errorf("type %q", env.GetType())
			}
			return project(ctx, tx, f.db, env)
		})
		drainConsumer(t, c)
		wantProjection(t, f, "a", 10, 4)
		if traced.Load() != 50 {
			t.Errorf("%d events carried the request's trace, want 50", traced.Load())
		}
		// The same entries delivered again (here: replayed into the stream)
		// change nothing.
		msgs, err := f.bus.Client.XRange(t.Context(), f.bus.Stream("test"), "-", "+").Result()
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range msgs {
			if err := f.bus.Client.XAdd(t.Context(), &redis.XAddArgs{Stream: f.bus.Stream("test"), Values: m.Values}).Err(); err != nil {
				t.Fatal(err)
			}
		}
		drainConsumer(t, c)
		wantProjection(t, f, "a", 10, 4)
	})
}

func TestRelayCrashBetweenXADDAndMark(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		f.write(t, t.Context(), "b", 5, 2)
		f.relay.SetAfterPublish(func() error { return errors.New("crash") })
		if _, err := f.relay.RelayOnce(t.Context()); err == nil {
			t.Fatal("relay with a crash after XADD reported success")
		}
		f.relay.SetAfterPublish(nil)
		f.drainRelay(t, f.relay)
		if n := f.bus.Client.XLen(t.Context(), f.bus.Stream("test")).Val(); n != 30 {
			t.Fatalf("stream has %d entries, want 30 (15 events, each published twice)", n)
		}
		drainConsumer(t, f.consumer(nil))
		wantProjection(t, f, "b", 5, 2)
	})
}

func TestBatchHandlerAppliesOnce(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		f.write(t, t.Context(), "h", 6, 3)
		f.relay.SetAfterPublish(func() error { return errors.New("crash") })
		_, _ = f.relay.RelayOnce(t.Context())
		f.relay.SetAfterPublish(nil)
		f.drainRelay(t, f.relay) // every event twice in the stream
		c := f.consumer(nil)
		c.Handler = nil
		c.BatchHandler = func(ctx context.Context, tx *sql.Tx, envs []*eventv1.Envelope) error {
			return projectBatch(ctx, tx, envs)
		}
		drainConsumer(t, c)
		for s, v := range f.projection(t) {
			if !strings.HasPrefix(v, "4|") {
				t.Errorf("%s applied %q, want 4 events once each", s, v)
			}
		}
		if len(f.projection(t)) != 6 {
			t.Errorf("projection has %d subjects, want 6", len(f.projection(t)))
		}
	})
}

func TestTwoRelaysOnPostgres(t *testing.T) {
	dsn := testenv.Postgres(t)
	if dsn == "" {
		return
	}
	db, err := store.Open(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	buses(t, func(t *testing.T, bus *eventbus.Bus) {
		f := setup(t, db, bus)
		_, _ = db.SQL.ExecContext(t.Context(), "TRUNCATE outbox, outbox_archive, things, projection, processed_events")
		// First start: the marker is set before the replicas run (a
		// republish racing a replica would publish twice, harmlessly for
		// consumers, but this test counts exact copies).
		if err := f.relay.CheckMarker(t.Context()); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		var wg sync.WaitGroup
		for i := range 2 {
			r := &eventbus.Relay{DB: db, Bus: bus, Source: "test", Batch: 7, PollInterval: 5 * time.Millisecond}
			wg.Go(func() { _ = r.Run(ctx); _ = i })
		}
		var writers sync.WaitGroup
		for w := range 4 {
			writers.Go(func() { f.write(t, t.Context(), fmt.Sprintf("w%d-", w), 10, 5) })
		}
		writers.Wait()
		deadline := time.Now().Add(30 * time.Second)
		for {
			var left int
			_ = db.SQL.QueryRowContext(t.Context(), "SELECT COUNT(*) FROM outbox").Scan(&left)
			if left == 0 || time.Now().After(deadline) {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		cancel()
		wg.Wait()
		msgs, err := bus.Client.XRange(t.Context(), bus.Stream("test"), "-", "+").Result()
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) != 240 {
			t.Errorf("stream has %d entries, want 240 (no loss, no double)", len(msgs))
		}
		ids := map[string]bool{}
		for _, m := range msgs {
			id := m.Values["id"].(string)
			if ids[id] {
				t.Errorf("event %s published twice", id)
			}
			ids[id] = true
		}
		drainConsumer(t, f.consumer(nil))
		for w := range 4 {
			wantProjection(t, f, fmt.Sprintf("w%d-", w), 10, 5) // in order per resource
		}
	})
}

func TestReclaimFromDeadConsumer(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		f.write(t, t.Context(), "c", 3, 1)
		f.drainRelay(t, f.relay)
		dead := f.consumer(nil)
		dead.Name = "dead"
		if err := dead.EnsureGroups(t.Context()); err != nil {
			t.Fatal(err)
		}
		// The dead consumer took the entries and never acknowledged them.
		res, err := f.bus.Client.XReadGroup(t.Context(), &redis.XReadGroupArgs{Group: "projection", Consumer: "dead", Streams: []string{f.bus.Stream("test"), ">"}, Count: 100}).Result()
		if err != nil || len(res[0].Messages) != 6 {
			t.Fatalf("dead consumer read %v, %v", res, err)
		}
		alive := f.consumer(nil)
		if n, _ := alive.ReadOnce(t.Context()); n != 0 {
			t.Fatalf("new entries read: %d", n)
		}
		time.Sleep(80 * time.Millisecond) // > ClaimIdle
		n, err := alive.Reclaim(t.Context())
		if err != nil || n != 6 {
			t.Fatalf("reclaimed %d, %v; want 6", n, err)
		}
		wantProjection(t, f, "c", 3, 1)
		l, err := alive.Lag(t.Context(), f.bus.Stream("test"))
		if err != nil || l.Pending() != 0 || l.Undelivered() != 0 {
			t.Errorf("lag after reclaim: %+v, %v", l, err)
		}
	})
}

func TestPoisonEventDeadLetteredAndReplayed(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		f.write(t, t.Context(), "p", 4, 0)
		f.drainRelay(t, f.relay)
		var poison atomic.Bool
		poison.Store(true)
		var attempts atomic.Int64
		c := f.consumer(func(ctx context.Context, tx *sql.Tx, env *eventv1.Envelope) error {
			if poison.Load() && strings.HasSuffix(env.GetSubject(), "/p002") {
				attempts.Add(1)
				return errors.New("cannot project p002")
			}
			return project(ctx, tx, f.db, env)
		})
		drainConsumer(t, c)
		for i := 0; i < 20; i++ {
			time.Sleep(60 * time.Millisecond)
			if _, err := c.Reclaim(t.Context()); err != nil {
				t.Fatal(err)
			}
			if dl, _, _ := c.DeadLetters(t.Context(), "", 10); len(dl) > 0 {
				break
			}
		}
		dl, _, err := c.DeadLetters(t.Context(), "", 10)
		if err != nil || len(dl) != 1 {
			t.Fatalf("dead letters %v, %v; want one", dl, err)
		}
		if dl[0].Envelope.GetSubject() != "chambers/fes-meknes/things/p002" || !strings.Contains(dl[0].Reason, "cannot project p002") || dl[0].Deliveries != 3 {
			t.Errorf("dead letter = %+v", dl[0])
		}
		if a := attempts.Load(); a < 3 || a > 4 {
			t.Errorf("poison applied %d times, want 3 deliveries (the first one in its batch, then alone)", a)
		}
		if got := f.projection(t); len(got) != 3 {
			t.Errorf("projection has %d subjects, want the 3 healthy ones", len(got))
		}
		if err := c.ReplayDeadLetter(t.Context(), dl[0].ID); err == nil {
			t.Fatal("replay of a still-poisonous event succeeded")
		}
		poison.Store(false)
		if n, err := c.ReplayDeadLetters(t.Context()); err != nil || n != 1 {
			t.Fatalf("replayed %d, %v", n, err)
		}
		wantProjection(t, f, "p", 4, 0)
		if dl, _, _ := c.DeadLetters(t.Context(), "", 10); len(dl) != 0 {
			t.Errorf("dead letters left after replay: %v", dl)
		}
	})
}

func TestRedisDataLossRepublishes(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, open func(t *testing.T) *store.DB) {
		bus, err := eventbus.Open(eventbus.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer bus.Close()
		f := setup(t, open(t), bus)
		if err := f.relay.CheckMarker(t.Context()); err != nil {
			t.Fatal(err)
		}
		f.write(t, t.Context(), "r", 3, 2)
		f.drainRelay(t, f.relay)
		c := f.consumer(nil)
		drainConsumer(t, c)
		f.write(t, t.Context(), "s", 2, 0)
		f.drainRelay(t, f.relay) // published, never consumed: lost with Redis
		if err := bus.Client.FlushAll(t.Context()).Err(); err != nil {
			t.Fatal(err)
		}
		if err := f.relay.CheckMarker(t.Context()); err != nil {
			t.Fatal(err)
		}
		f.drainRelay(t, f.relay)
		drainConsumer(t, c)
		wantProjection(t, f, "r", 3, 2) // applied once, not twice
		wantProjection(t, f, "s", 2, 0) // recovered
	})
}

// loseData deletes every key of the bus, as a Redis restarted without
// persistence would (only the bus's prefix: the server may be shared).
func loseData(t *testing.T, bus *eventbus.Bus) {
	t.Helper()
	keys, err := bus.Client.Keys(t.Context(), bus.Prefix+"*").Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) > 0 {
		if err := bus.Client.Del(t.Context(), keys...).Err(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestRunSurvivesRedisDataLoss runs the relay and the consumer as services
// do (Run) while Redis loses everything: the consumer recreates its group,
// the relay republishes, and every event is applied once.
func TestRunSurvivesRedisDataLoss(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		relay := &eventbus.Relay{DB: f.db, Bus: f.bus, Source: "test", PollInterval: 10 * time.Millisecond}
		c := f.consumer(nil)
		var wg sync.WaitGroup
		wg.Go(func() { _ = relay.Run(ctx) })
		wg.Go(func() { _ = c.Run(ctx) })
		waitApplied := func(want int) {
			t.Helper()
			for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
				var n int
				_ = f.db.SQL.QueryRowContext(t.Context(), "SELECT COUNT(*) FROM processed_events").Scan(&n)
				if n >= want {
					return
				}
			}
			t.Fatalf("fewer than %d events applied after 30 s", want)
		}
		f.write(t, t.Context(), "u", 4, 2)
		waitApplied(12)
		loseData(t, f.bus)
		f.write(t, t.Context(), "v", 3, 1)
		waitApplied(18)
		time.Sleep(200 * time.Millisecond) // let republished duplicates arrive
		cancel()
		wg.Wait()
		wantProjection(t, f, "u", 4, 2)
		wantProjection(t, f, "v", 3, 1)
	})
}

func TestSnapshotReplaysCurrentState(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		f.write(t, t.Context(), "z", 3, 2)
		// A second chamber: pages run across chambers.
		if _, _, err := f.things.Create(t.Context(), &thing{Meta: resource.Meta{Chamber: "marrakech-safi", ID: "z000"}, N: 2}, change.Write{Action: "Created"}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.db.Exec(t.Context(), "DELETE FROM outbox"); err != nil {
			t.Fatal(err)
		}
		// Two pages of 2 records: the table's own snapshot page, paged.
		things := f.things
		n, err := eventbus.WriteSnapshot(t.Context(), f.db, "test", eventbus.SnapshotPage{Type: things.SnapshotType(), Read: func(ctx context.Context, tx *sql.Tx, after string) ([]eventbus.SnapshotRecord, string, error) {
			recs, next, err := things.SnapshotPage(ctx, tx, after, 2)
			for _, r := range recs {
				if r.Type != "hirfa.test.v1.ThingSnapshot" || r.DataType != "google.protobuf.Int64Value" || !strings.HasPrefix(r.Subject, "chambers/"+r.Chamber+"/things/z") {
					return nil, "", fmt.Errorf("snapshot record %+v", r)
				}
			}
			return recs, next, err
		}})
		if err != nil || n != 4 {
			t.Fatalf("snapshot wrote %d, %v", n, err)
		}
		f.drainRelay(t, f.relay)
		var snaps atomic.Int64
		var mu sync.Mutex
		runs := map[string]int{}
		var marker *eventv1.SnapshotCompleted
		drainConsumer(t, f.consumer(func(ctx context.Context, tx *sql.Tx, env *eventv1.Envelope) error {
			mu.Lock()
			defer mu.Unlock()
			if env.GetType() == eventbus.SnapshotCompletedType {
				marker = &eventv1.SnapshotCompleted{}
				if err := env.GetData().UnmarshalTo(marker); err != nil {
					return err
				}
				runs[env.GetSnapshotId()]++
				return nil
			}
			if eventbus.IsSnapshot(env.GetType()) {
				snaps.Add(1)
				runs[env.GetSnapshotId()]++
			}
			return project(ctx, tx, f.db, env)
		}))
		if snaps.Load() != 4 {
			t.Errorf("%d snapshot events, want 4", snaps.Load())
		}
		// One run: the four records and the marker share its id, and the
		// marker names the kind and the count.
		if marker == nil || len(runs) != 1 || runs[marker.GetSnapshotId()] != 5 || marker.GetType() != "hirfa.test.v1.ThingSnapshot" ||
			marker.GetCount() != 4 || !marker.GetStartTime().AsTime().Before(time.Now()) {
			t.Errorf("snapshot run %v, marker %v; want one run of 4 records and its marker", runs, marker)
		}
		if len(f.projection(t)) != 4 {
			t.Errorf("projection has %d subjects, want 4 (3 in Fès-Meknès, 1 in Marrakech-Safi)", len(f.projection(t)))
		}
		for _, v := range f.projection(t) {
			if v != "1|2" {
				t.Errorf("projection row %q, want 1|2", v)
			}
		}
	})
}
