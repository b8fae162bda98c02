package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/tools/load"
)

const (
	chamber = "fes-meknes"
	parent  = "chambers/" + chamber
	// rate is the bounded load of issue 4: mixed reads and creates
	// through the edge.
	rate        = 200
	createShare = 0.3
)

// TestRollingRestartUnderLoad sends 200 requests/s through the edge while
// the registry gets SIGTERM and is started again, as a rolling update does
// to a pod. It expects health to turn NOT_SERVING while the server still
// answers, in-flight requests to complete, clients that retry UNAVAILABLE
// to see no failed request, and every acknowledged create to be there
// afterwards.
func TestRollingRestartUnderLoad(t *testing.T) {
	s := newStack(t, "HIRFA_SEED_DEMO=false", "HIRFA_SHUTDOWN_TIMEOUT=15s")
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	edge := rest(t, s, token(t, s, auth.RoleChamberClerk, chamber))
	seed := seedCooperatives(ctx, t, edge, 20)
	addr := s.Addr("registry")

	watch := watchHealth(ctx, t, addr)
	const loadFor = 24 * time.Second
	run := startLoad(ctx, edge, seed, loadFor)

	time.Sleep(6 * time.Second) // the load's own clock runs; this only places the restart
	refused := pollRefused(ctx, addr)
	sigAt := time.Now()
	pid, err := s.Signal("registry", syscall.SIGTERM)
	if err != nil {
		t.Fatal(err)
	}
	rc, exitAt, err := s.WaitExit(ctx, "registry", pid)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(ctx, "registry"); err != nil {
		t.Fatal(err)
	}
	backAt := time.Now()

	rep, err := run.wait()
	if err != nil {
		t.Fatal(err)
	}
	notServingAt := watch.notServing(5 * time.Second)
	refusedAt := refused.first()
	loggedDrain, logLines := drainFromLog(t, s.LogFile("registry"))

	drain := exitAt.Sub(sigAt)
	t.Logf("SIGTERM→NOT_SERVING seen %s, SIGTERM→first refused connection %s, SIGTERM→exit (drain) %s (registry logged %s), SIGTERM→listening again %s",
		since(sigAt, notServingAt), since(sigAt, refusedAt), drain.Round(time.Millisecond), loggedDrain, backAt.Sub(sigAt).Round(time.Millisecond))
	t.Log(rep.Summary())
	t.Logf("away from the restart (more than 3s before SIGTERM): %s", steady(rep, sigAt))
	inflight, inflightRetried := inFlightAt(rep, sigAt)
	v := verify(ctx, t, edge, rep)
	t.Logf("E2E SUMMARY rolling-restart: requests=%d failed=%d retried=%d in-flight-at-SIGTERM=%d (retried %d) drain=%s exit=%d lost-writes=%d duplicates=%d acknowledged-creates=%d",
		len(rep.Results), len(rep.Failed()), rep.Retried(), inflight, inflightRetried, drain.Round(time.Millisecond), rc, len(v.Missing), len(v.Duplicates), v.Acked)

	if rc != 0 {
		t.Errorf("registry exited with status %d after SIGTERM, want 0 (a clean drain)", rc)
	}
	if strings.Contains(logLines, "drain deadline passed") {
		t.Errorf("registry hit its drain deadline: in-flight calls did not finish")
	}
	// NOT_SERVING must reach a client that is still connected, before the
	// process ends: the watch stream is an in-flight call, so the server
	// cannot finish draining before it ends, and the stream only ends once
	// it has delivered NOT_SERVING. (Without the flip, the graceful stop
	// would wait for the stream until the drain deadline and then cut it.)
	// And it must come before the listener closes: the server keeps
	// accepting for HIRFA_DRAIN_DELAY (300 ms by default) after the flip.
	switch {
	case notServingAt.IsZero():
		t.Errorf("health never reported NOT_SERVING to a connected client during shutdown")
	case !notServingAt.Before(exitAt):
		t.Errorf("NOT_SERVING arrived %s after the process exited", notServingAt.Sub(exitAt))
	case !refusedAt.IsZero() && !notServingAt.Before(refusedAt):
		t.Errorf("the listener closed %s before health reported NOT_SERVING", notServingAt.Sub(refusedAt))
	}
	if !refusedAt.IsZero() && refusedAt.Before(sigAt) {
		t.Errorf("connections were refused before SIGTERM")
	}
	checkRun(t, rep, loadFor, v)
}

// TestKillUnderLoad kills the registry with SIGKILL in the middle of the
// same load and starts it again: PostgreSQL keeps every committed create,
// so every acknowledged create must be present exactly once, and clients
// retrying with the same request_id see no failure. (The test PostgreSQL
// may run with fsync off: that only matters if the database server itself
// crashes; here only the registry process dies and the server stays up.)
func TestKillUnderLoad(t *testing.T) {
	s := newStack(t, "HIRFA_SEED_DEMO=false", "HIRFA_SHUTDOWN_TIMEOUT=15s")
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	edge := rest(t, s, token(t, s, auth.RoleChamberClerk, chamber))
	seed := seedCooperatives(ctx, t, edge, 20)

	const loadFor = 16 * time.Second
	run := startLoad(ctx, edge, seed, loadFor)
	time.Sleep(5 * time.Second)
	killAt := time.Now()
	pid, err := s.Signal("registry", syscall.SIGKILL)
	if err != nil {
		t.Fatal(err)
	}
	rc, _, err := s.WaitExit(ctx, "registry", pid)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(ctx, "registry"); err != nil {
		t.Fatal(err)
	}
	backAt := time.Now()
	rep, err := run.wait()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("SIGKILL→listening again %s", backAt.Sub(killAt).Round(time.Millisecond))
	t.Log(rep.Summary())
	t.Logf("away from the kill (more than 3s before it): %s", steady(rep, killAt))
	inflight, inflightRetried := inFlightAt(rep, killAt)
	v := verify(ctx, t, edge, rep)
	t.Logf("E2E SUMMARY kill-9: requests=%d failed=%d retried=%d in-flight-at-kill=%d (retried %d) exit=%d lost-writes=%d duplicates=%d acknowledged-creates=%d unacknowledged-but-present=%d",
		len(rep.Results), len(rep.Failed()), rep.Retried(), inflight, inflightRetried, rc, len(v.Missing), len(v.Duplicates), v.Acked, v.Unacknowledged)
	if rc != 128+int(syscall.SIGKILL) {
		t.Errorf("registry exit status %d, want %d (killed)", rc, 128+int(syscall.SIGKILL))
	}
	checkRun(t, rep, loadFor, v)
}

// seedCooperatives creates n cooperatives for the load to read.
func seedCooperatives(ctx context.Context, t *testing.T, c load.Client, n int) []string {
	t.Helper()
	runID := load.NewRunID()
	var names []string
	for i := range n {
		id := fmt.Sprintf("%s-seed%03d", runID, i)
		var name string
		_, err := load.DefaultRetry.Do(ctx, func(ctx context.Context) error {
			out, err := c.CreateCooperative(ctx, parent, id, load.NewCooperative(id))
			name = out.GetName()
			return err
		})
		if err != nil {
			t.Fatalf("seed cooperative %d: %v", i, err)
		}
		names = append(names, name)
	}
	return names
}

type loadRun struct {
	done chan struct{}
	rep  *load.Report
	err  error
}

// startLoad runs the bounded load in the background.
func startLoad(ctx context.Context, c load.Client, seed []string, d time.Duration) *loadRun {
	r := &loadRun{done: make(chan struct{})}
	go func() {
		defer close(r.done)
		r.rep, r.err = load.Run(ctx, c, load.Config{
			Rate: rate, Duration: d, CreateShare: createShare, Parent: parent, Seed: seed, Retry: load.DefaultRetry,
		})
	}()
	return r
}

func (r *loadRun) wait() (*load.Report, error) {
	<-r.done
	return r.rep, r.err
}

// verify reads every acknowledged create back and counts records per
// request id.
func verify(ctx context.Context, t *testing.T, c load.Client, rep *load.Report) load.Verification {
	t.Helper()
	v, err := load.Verify(ctx, c, parent, rep, load.DefaultRetry)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	t.Logf("verification: %s", v)
	return v
}

// checkRun asserts what the restart tests promise: the whole load was
// sent (d at the rate), nothing failed for a retrying client, and every
// acknowledged create is there exactly once.
func checkRun(t *testing.T, rep *load.Report, d time.Duration, v load.Verification) {
	t.Helper()
	if want := int(rate * d.Seconds()); len(rep.Results) != want {
		t.Errorf("%d requests were sent, want %d", len(rep.Results), want)
	}
	if len(rep.Acked()) == 0 {
		t.Errorf("no create was acknowledged")
	}
	for i, f := range rep.Failed() {
		if i == 5 {
			t.Errorf("… %d failed requests in all", len(rep.Failed()))
			break
		}
		t.Errorf("failed request: %s seq %d %s after %d attempts: %v", f.Op, f.Seq, f.Name+f.RequestID, f.Attempts, f.Err)
	}
	for _, m := range v.Missing {
		t.Errorf("lost write: create %s was acknowledged as %s and is gone", m.RequestID, m.Name)
	}
	for id, n := range v.Duplicates {
		t.Errorf("request %s is recorded %d times", id, n)
	}
	for _, m := range v.Mismatched {
		t.Errorf("request %s is recorded under another name than the acknowledged %s", m.RequestID, m.Name)
	}
}

// steady summarises the requests that ended more than 3 s before at: the
// latency of the stack under this load when nothing restarts.
func steady(rep *load.Report, at time.Time) load.Stats {
	var lat []time.Duration
	failed := 0
	for _, r := range rep.Results {
		if r.End.Before(at.Add(-3 * time.Second)) {
			lat = append(lat, r.Latency())
			if r.Err != nil {
				failed++
			}
		}
	}
	return load.Summarize(lat, failed)
}

// inFlightAt counts the requests that started before at and ended after
// it, and how many of those needed a retry.
func inFlightAt(rep *load.Report, at time.Time) (n, retried int) {
	for _, r := range rep.Results {
		if r.Start.Before(at) && r.End.After(at) {
			n++
			if r.Attempts > 1 {
				retried++
			}
		}
	}
	return n, retried
}

func since(from, to time.Time) string {
	if to.IsZero() {
		return "never"
	}
	return to.Sub(from).Round(10 * time.Microsecond).String()
}

// healthWatch follows the registry's health with a Watch stream on a
// connection of its own.
type healthWatch struct {
	mu  sync.Mutex
	at  time.Time
	got chan struct{}
}

// watchHealth opens the stream and waits for its first SERVING. When
// NOT_SERVING arrives it records the time and ends the stream: an open
// stream is an in-flight call, which a graceful stop waits for.
func watchHealth(ctx context.Context, t *testing.T, addr string) *healthWatch {
	t.Helper()
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	sctx, cancel := context.WithCancel(ctx)
	stream, err := healthpb.NewHealthClient(conn).Watch(sctx, &healthpb.HealthCheckRequest{})
	if err != nil {
		cancel()
		t.Fatalf("health watch: %v", err)
	}
	first, err := stream.Recv()
	if err != nil || first.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		cancel()
		t.Fatalf("health watch: first status %v, %v; want SERVING", first.GetStatus(), err)
	}
	w := &healthWatch{got: make(chan struct{})}
	go func() {
		defer cancel()
		for {
			m, err := stream.Recv()
			if err != nil {
				return
			}
			if m.GetStatus() == healthpb.HealthCheckResponse_NOT_SERVING {
				w.mu.Lock()
				w.at = time.Now()
				w.mu.Unlock()
				close(w.got)
				return
			}
		}
	}()
	return w
}

// notServing returns when NOT_SERVING was seen (zero if not within d).
func (w *healthWatch) notServing(d time.Duration) time.Time {
	select {
	case <-w.got:
	case <-time.After(d):
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.at
}

// refusals polls new TCP connections to addr every millisecond until one
// is refused: the moment the listener closed (to within the poll period).
type refusals struct {
	mu sync.Mutex
	at time.Time
}

func pollRefused(ctx context.Context, addr string) *refusals {
	r := &refusals{}
	go func() {
		ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
		defer cancel()
		for ctx.Err() == nil {
			c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
			if err != nil {
				r.mu.Lock()
				r.at = time.Now()
				r.mu.Unlock()
				return
			}
			_ = c.Close()
			time.Sleep(time.Millisecond)
		}
	}()
	return r
}

func (r *refusals) first() time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.at
}

// drainFromLog returns the drain the registry last logged when it stopped
// ("grpc stopped", field drain in nanoseconds) and the whole log.
func drainFromLog(t *testing.T, path string) (time.Duration, string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var drain time.Duration
	var text strings.Builder
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		text.WriteString(line + "\n")
		var rec struct {
			Msg   string `json:"msg"`
			Drain int64  `json:"drain"`
		}
		if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "grpc stopped" {
			drain = time.Duration(rec.Drain)
		}
	}
	return drain.Round(time.Microsecond), text.String()
}
