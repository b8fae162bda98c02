package eventbus_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"testing"
	"testing/fstest"
	"time"

	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/eventbus"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/testenv"
	eventv1 "github.com/hirfa/hirfa/proto/gen/hirfa/event/v1"
)

// The fault test runs the relay and the consumer as real processes (this
// test binary, re-executed with faultRole set) against a PostgreSQL and a
// Redis of its own, so that it can kill -9 them and crash the servers.
const (
	faultRole   = "HIRFA_FAULT_ROLE" // relay | consumer
	faultDSN    = "HIRFA_FAULT_DSN"
	faultRedis  = "HIRFA_FAULT_REDIS"
	faultSource = "test"
	faultGroup  = "fault"
)

// faultMigrations: the producer's things and the consumer's projection, in
// one database (the processes only share it; neither reads the other's
// tables). The projection keeps each subject's latest state with its
// version, counts per bucket (N mod 5) moved −1/+1 like reporting's cubes,
// and how often each event id reached the handler in a committed
// transaction (more than once is a duplicate).
var faultMigrations = fstest.MapFS{
	"postgres/0001_fault.sql": {Data: []byte(`CREATE TABLE things (chamber TEXT NOT NULL, id TEXT NOT NULL, revision BIGINT NOT NULL, create_time BIGINT NOT NULL, update_time BIGINT NOT NULL, data JSONB NOT NULL, PRIMARY KEY (chamber, id));
CREATE TABLE fault_state (subject TEXT PRIMARY KEY, n BIGINT NOT NULL, version BIGINT NOT NULL);
CREATE TABLE fault_counts (bucket BIGINT PRIMARY KEY, count BIGINT NOT NULL);
CREATE TABLE fault_events (event_id TEXT PRIMARY KEY, applied BIGINT NOT NULL);`)},
	"sqlite/0001_fault.sql": {Data: []byte(`SELECT 1;`)},
}

// poisonN marks a poison thing: the projection rejects it every time.
const poisonN = -1

// faultChild runs a child role when this binary was started as one; it
// returns false in the test process itself.
func faultChild() bool {
	role := os.Getenv(faultRole)
	if role == "" {
		return false
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	if err := runFaultChild(ctx, role); err != nil && ctx.Err() == nil {
		fmt.Fprintln(os.Stderr, "fault child:", err)
		os.Exit(1)
	}
	os.Exit(0)
	return true
}

func runFaultChild(ctx context.Context, role string) error {
	db, err := store.Open(ctx, os.Getenv(faultDSN))
	if err != nil {
		return err
	}
	defer db.Close()
	bus, err := eventbus.Open(eventbus.Options{URL: os.Getenv(faultRedis)})
	if err != nil {
		return err
	}
	defer bus.Close()
	switch role {
	case "relay":
		// A short retention: published rows are pruned within a second, so
		// after Redis loses its data only a snapshot can bring them back.
		r := &eventbus.Relay{DB: db, Bus: bus, Source: faultSource, Batch: 50, PollInterval: 20 * time.Millisecond,
			Retention: 300 * time.Millisecond, PruneInterval: 200 * time.Millisecond}
		return r.Run(ctx)
	case "consumer":
		c := faultConsumer(db, bus)
		return c.Run(ctx)
	}
	return fmt.Errorf("unknown role %q", role)
}

func faultConsumer(db *store.DB, bus *eventbus.Bus) *eventbus.Consumer {
	return &eventbus.Consumer{DB: db, Bus: bus, Group: faultGroup, Streams: []string{bus.Stream(faultSource)},
		Batch: 32, Block: 100 * time.Millisecond, ClaimIdle: 300 * time.Millisecond, MaxDeliveries: 3,
		Handler: func(ctx context.Context, tx *sql.Tx, env *eventv1.Envelope) error { return faultProject(ctx, tx, env) }}
}

// faultProject applies one event. It is slow on purpose (2 ms an event), so
// that a kill lands in the middle of a batch's transaction.
func faultProject(ctx context.Context, tx *sql.Tx, env *eventv1.Envelope) error {
	time.Sleep(2 * time.Millisecond)
	if env.GetType() == eventbus.SnapshotCompletedType {
		return nil // this projection never misses a deletion: things are not deleted
	}
	v := &wrapperspb.Int64Value{}
	if err := env.GetData().UnmarshalTo(v); err != nil {
		return eventbus.Permanent(err)
	}
	if v.GetValue() == poisonN {
		return errors.New("poison thing")
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO fault_events (event_id, applied) VALUES ($1, 1)
		ON CONFLICT (event_id) DO UPDATE SET applied = fault_events.applied + 1`, env.GetId()); err != nil {
		return err
	}
	version := store.Micros(env.GetTime().AsTime())
	var oldN, oldVersion int64
	err := tx.QueryRowContext(ctx, "SELECT n, version FROM fault_state WHERE subject = $1", env.GetSubject()).Scan(&oldN, &oldVersion)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return err
	case oldVersion >= version:
		return nil // older or the same state (a snapshot of what we hold)
	default:
		if _, err := tx.ExecContext(ctx, "UPDATE fault_counts SET count = count - 1 WHERE bucket = $1", oldN%5); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO fault_counts (bucket, count) VALUES ($1, 1)
		ON CONFLICT (bucket) DO UPDATE SET count = fault_counts.count + 1`, v.GetValue()%5); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO fault_state (subject, n, version) VALUES ($1, $2, $3)
		ON CONFLICT (subject) DO UPDATE SET n = excluded.n, version = excluded.version`, env.GetSubject(), v.GetValue(), version)
	return err
}

// child is one running relay or consumer process.
type child struct {
	role   string
	cmd    *exec.Cmd
	out    *bytes.Buffer
	done   chan struct{}
	killed bool // by the rig (kill9, stopAll), not stopped on its own
}

type faultRig struct {
	t        *testing.T
	pg, rd   *testenv.Own
	db       *store.DB
	bus      *eventbus.Bus
	mu       sync.Mutex
	children map[string]*child
	logs     bytes.Buffer // exited children's output
	stopping bool
	restarts int // children that stopped on their own and were started again
}

func (r *faultRig) start(role string) {
	r.t.Helper()
	if err := r.spawn(role); err != nil {
		r.t.Fatal(err)
	}
}

func (r *faultRig) spawn(role string) error {
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), faultRole+"="+role, faultDSN+"="+r.pg.URL, faultRedis+"="+r.rd.URL)
	out := &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = &lockedWriter{mu: &r.mu, w: out}, &lockedWriter{mu: &r.mu, w: out}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", role, err)
	}
	c := &child{role: role, cmd: cmd, out: out, done: make(chan struct{})}
	r.mu.Lock()
	if r.stopping { // a restart racing stopAll
		r.mu.Unlock()
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return nil
	}
	r.children[role] = c
	r.mu.Unlock()
	go func() {
		err := cmd.Wait()
		close(c.done)
		r.supervise(c, err)
	}()
	return nil
}

// supervise starts again, as Kubernetes would, a child that stopped on its
// own: one started while PostgreSQL or Redis was restarting fails its first
// connection and exits, and without a new one nothing relays or consumes
// (the test then waited for quiescence until its deadline).
func (r *faultRig) supervise(c *child, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if c.killed || r.stopping || r.children[c.role] != c {
		return
	}
	fmt.Fprintf(&r.logs, "--- %s (pid %d, exited: %v)\n%s", c.role, c.cmd.Process.Pid, err, c.out.String())
	r.restarts++
	go func() {
		time.Sleep(100 * time.Millisecond)
		r.mu.Lock()
		// Not when stopping, nor when a kill9 has started one meanwhile.
		again := !r.stopping && r.children[c.role] == c
		r.mu.Unlock()
		if again {
			if err := r.spawn(c.role); err != nil {
				r.t.Error(err)
			}
		}
	}()
}

// kill9 kills a child with SIGKILL and starts a new one.
func (r *faultRig) kill9(role string) {
	r.t.Helper()
	r.mu.Lock()
	c := r.children[role]
	c.killed = true
	r.mu.Unlock()
	_ = c.cmd.Process.Signal(syscall.SIGKILL)
	<-c.done
	r.mu.Lock()
	fmt.Fprintf(&r.logs, "--- %s (pid %d, killed)\n%s", role, c.cmd.Process.Pid, c.out.String())
	r.mu.Unlock()
	r.start(role)
}

func (r *faultRig) stopAll() {
	r.mu.Lock()
	r.stopping = true
	cs := r.children
	r.children = map[string]*child{}
	for _, c := range cs {
		c.killed = true
	}
	r.mu.Unlock()
	for _, c := range cs {
		_ = c.cmd.Process.Signal(syscall.SIGKILL)
		<-c.done
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// writer creates and updates things until ctx ends, ignoring failures (the
// database restarts under it; the checker reads what was committed).
func writer(ctx context.Context, things *store.Table[*thing], rng *rand.Rand) {
	made := 0
	for ctx.Err() == nil {
		if made < 40 || rng.IntN(4) == 0 {
			id := fmt.Sprintf("t%04d", made)
			if _, _, err := things.Create(ctx, &thing{Meta: resource.Meta{Chamber: "fes-meknes", ID: id}, N: int64(rng.IntN(100))}, change.Write{Action: "Created"}); err == nil {
				made++
			}
		} else {
			id := fmt.Sprintf("t%04d", rng.IntN(made))
			n := int64(rng.IntN(100))
			_, _ = things.Update(ctx, "fes-meknes", id, change.Write{Action: "Changed"}, func(v *thing) error { v.N = n; return nil })
		}
		time.Sleep(time.Duration(2+rng.IntN(6)) * time.Millisecond)
	}
}

// TestFaultCycles: 24 cycles of faults while things are written — kill -9
// of the relay, of the consumer (mid-batch: the handler is slow), of both,
// a PostgreSQL crash, a Redis restart without persistence followed by a
// snapshot of the producer, and a poison event. Then the checker compares
// the projection with the producer's own rows: 0 lost, 0 duplicated,
// 0 phantom, and every poison thing in the dead-letter stream.
func TestFaultCycles(t *testing.T) {
	pg := testenv.OwnPostgres(t)
	rd := testenv.OwnRedis(t)
	if pg == nil || rd == nil {
		return
	}
	ctx := t.Context()
	db, err := store.Open(ctx, pg.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := store.Migrate(ctx, db, "fault", faultMigrations); err != nil {
		t.Fatal(err)
	}
	bus, err := eventbus.Open(eventbus.Options{URL: rd.URL})
	if err != nil {
		t.Fatal(err)
	}
	defer bus.Close()
	rig := &faultRig{t: t, pg: pg, rd: rd, db: db, bus: bus, children: map[string]*child{}}
	defer rig.stopAll()
	defer func() {
		if t.Failed() {
			rig.mu.Lock()
			for _, c := range rig.children {
				fmt.Fprintf(&rig.logs, "--- %s (pid %d, running)\n%s", c.role, c.cmd.Process.Pid, c.out.String())
			}
			t.Logf("children's output:\n%s", rig.logs.String())
			rig.mu.Unlock()
		}
	}()
	rig.start("relay")
	rig.start("consumer")

	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(uint64(seed), 1))
	wctx, stopWriter := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { writer(wctx, newThings(db), rand.New(rand.NewPCG(uint64(seed), 2))) })
	poisonThings := newThings(db)

	const cycles = 24
	var poisoned []string
	snapshots := 0
	for i := range cycles {
		time.Sleep(time.Duration(200+rng.IntN(400)) * time.Millisecond)
		switch i % 6 {
		case 0:
			rig.kill9("relay")
		case 1:
			rig.kill9("consumer")
		case 2:
			rig.kill9("consumer")
			rig.kill9("relay")
		case 3:
			if err := pg.Restart(ctx); err != nil {
				t.Fatal(err)
			}
		case 4:
			if err := rd.Restart(ctx); err != nil {
				t.Fatal(err)
			}
			// The operator's rebuild: the producer replays its state.
			// Retried, since the writer may hold locks a moment.
			var n int
			for {
				if n, err = eventbus.WriteSnapshot(ctx, db, faultSource, eventbus.TableSnapshot(newThings(db))); err == nil {
					break
				}
				if ctx.Err() != nil {
					t.Fatal(err)
				}
				time.Sleep(50 * time.Millisecond)
			}
			snapshots += n
		case 5:
			id := fmt.Sprintf("poison%02d", i)
			poisoned = append(poisoned, "chambers/fes-meknes/things/"+id)
			for {
				_, _, err := poisonThings.Create(ctx, &thing{Meta: resource.Meta{Chamber: "fes-meknes", ID: id}, N: poisonN}, change.Write{Action: "Created"})
				if err == nil {
					break
				}
				if ctx.Err() != nil {
					t.Fatal(err)
				}
				time.Sleep(50 * time.Millisecond)
			}
			rig.kill9("consumer")
		}
	}
	stopWriter()
	wg.Wait()
	rig.mu.Lock()
	t.Logf("%d cycles; %d snapshot events; %d children started again after stopping on their own", cycles, snapshots, rig.restarts)
	rig.mu.Unlock()

	// Quiescence: every outbox row published and the group has nothing
	// pending or undelivered, on several checks in a row spanning the
	// relay's marker check. The test's deadline bounds the wait.
	watch := faultConsumer(db, bus)
	calm := 0
	for calm < 4 {
		time.Sleep(500 * time.Millisecond)
		var unpublished int64
		if err := db.SQL.QueryRowContext(ctx, "SELECT count(*) FROM outbox").Scan(&unpublished); err != nil {
			t.Fatal(err)
		}
		l, err := watch.Lag(ctx, bus.Stream(faultSource))
		if err != nil || unpublished > 0 || l.Pending() > 0 || l.Undelivered() > 0 {
			calm = 0
			continue
		}
		calm++
	}

	lost, phantom, duplicated := faultCheck(t, db)
	t.Logf("checker: %d lost, %d duplicated, %d phantom", lost, duplicated, phantom)
	if lost != 0 || phantom != 0 || duplicated != 0 {
		t.Errorf("checker: %d lost, %d duplicated, %d phantom; want 0, 0, 0", lost, duplicated, phantom)
	}
	dead := map[string]bool{}
	after := ""
	for {
		page, next, err := watch.DeadLetters(ctx, after, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range page {
			dead[d.Envelope.GetSubject()] = true
		}
		if next == "" {
			break
		}
		after = next
	}
	for _, s := range poisoned {
		if !dead[s] {
			t.Errorf("poison %s is not in the dead-letter stream (dead letters: %v)", s, dead)
		}
	}
	for s := range dead {
		if !strings.Contains(s, "/poison") {
			t.Errorf("%s was dead-lettered but is not poison", s)
		}
	}
}

// faultCheck compares the projection's counts and states with the
// producer's things (poison things excluded: they are in the dead letters).
// lost: counts or states the projection misses or holds older; phantom:
// counts it holds in excess; duplicated: events applied more than once.
func faultCheck(t *testing.T, db *store.DB) (lost, phantom, duplicated int64) {
	t.Helper()
	ctx := t.Context()
	want := map[int64]int64{}
	rows, err := db.SQL.QueryContext(ctx, "SELECT (data->>'n')::bigint % 5, count(*) FROM things WHERE COALESCE((data->>'n')::bigint, 0) <> $1 GROUP BY 1", poisonN)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var b, n int64
		if err := rows.Scan(&b, &n); err != nil {
			t.Fatal(err)
		}
		want[b] = n
	}
	rows.Close()
	got := map[int64]int64{}
	rows, err = db.SQL.QueryContext(ctx, "SELECT bucket, count FROM fault_counts")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var b, n int64
		if err := rows.Scan(&b, &n); err != nil {
			t.Fatal(err)
		}
		got[b] = n
	}
	rows.Close()
	for b := range int64(5) {
		switch d := want[b] - got[b]; {
		case d > 0:
			lost += d
		case d < 0:
			phantom -= d
		}
	}
	// States: each thing's latest N and version, exactly.
	var stale int64
	err = db.SQL.QueryRowContext(ctx, `SELECT count(*) FROM things t LEFT JOIN fault_state s ON s.subject = 'chambers/fes-meknes/things/' || t.id
		WHERE COALESCE((t.data->>'n')::bigint, 0) <> $1 AND (s.subject IS NULL OR s.n <> COALESCE((t.data->>'n')::bigint, 0) OR s.version <> t.update_time)`, poisonN).Scan(&stale)
	if err != nil {
		t.Fatal(err)
	}
	if stale > 0 {
		t.Errorf("%d things' projected state differs from the producer's", stale)
	}
	var extra int64
	if err := db.SQL.QueryRowContext(ctx, `SELECT count(*) FROM fault_state s WHERE NOT EXISTS (SELECT 1 FROM things t WHERE 'chambers/fes-meknes/things/' || t.id = s.subject)`).Scan(&extra); err != nil {
		t.Fatal(err)
	}
	phantom += extra
	if err := db.SQL.QueryRowContext(ctx, "SELECT COALESCE(sum(applied - 1), 0) FROM fault_events WHERE applied > 1").Scan(&duplicated); err != nil {
		t.Fatal(err)
	}
	var things, events int64
	_ = db.SQL.QueryRowContext(ctx, "SELECT count(*) FROM things").Scan(&things)
	_ = db.SQL.QueryRowContext(ctx, "SELECT count(*) FROM fault_events").Scan(&events)
	t.Logf("%d things, %d events applied", things, events)
	return lost, phantom, duplicated
}
