package svckit

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hirfa/hirfa/pkg/svcconfig"
	"github.com/hirfa/hirfa/pkg/telemetry"
	"github.com/hirfa/hirfa/pkg/tenancy"
	"github.com/hirfa/hirfa/pkg/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// newKit opens a kit on dbURL with a gRPC server (dev tokens, no policy
// entries: the probes need none) whose drain starts after drainDelay.
func newKit(t *testing.T, dbURL string, drainDelay time.Duration) *Kit {
	t.Helper()
	dir := t.TempDir()
	cfg := svcconfig.Common{
		GRPCAddr: "127.0.0.1:0", DatabaseURL: dbURL, Migrate: "off",
		ShutdownTimeout: 5 * time.Second, DrainDelay: drainDelay,
		Auth: svcconfig.Auth{DevMode: svcconfig.DevLocal, DevKeyFile: filepath.Join(dir, "dev.pem")},
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	k, err := Open(t.Context(), cfg, log, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := k.NewServer(t.Context(), ServerOptions{ErrorDomain: "probe-test.hirfa", Policy: tenancy.Policy{}}); err != nil {
		t.Fatal(k.Fail(err))
	}
	return k
}

// serve serves k on a loopback port; stop starts the drain, and wait
// returns Serve's result once it has returned.
func serve(t *testing.T, k *Kit) (stop func(), wait func() error) {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	var serveErr error
	go func() { serveErr = k.Serve(ctx, lis); close(done) }()
	wait = func() error { <-done; return serveErr }
	t.Cleanup(func() { cancel(); _ = wait() })
	return cancel, wait
}

// probeServer serves the same endpoints as the metrics port: /readyz runs
// the checks registered process-wide, so the kit is seen through its
// registration, not called directly.
func probeServer(t *testing.T) string {
	t.Helper()
	mux := http.NewServeMux()
	telemetry.HealthHandlers(mux, telemetry.Ready)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// eventually polls url until it answers code or 5 s pass.
func eventually(t *testing.T, url string, code int, why string) string {
	t.Helper()
	var got int
	var body string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if got, body = get(t, url); got == code {
			return body
		}
	}
	t.Fatalf("%s: %s = %d %q, want %d", why, url, got, body, code)
	return ""
}

// TestReadyzFollowsServingAndDrain: /readyz is 503 before the gRPC server
// listens, 200 while it serves, 503 from the moment the drain starts (while
// the listener still accepts, during the drain delay), and /healthz stays
// 200 throughout: liveness never fails because of a drain.
func TestReadyzFollowsServingAndDrain(t *testing.T) {
	base := probeServer(t)
	if code, body := get(t, base+"/readyz"); code != http.StatusServiceUnavailable || !strings.Contains(body, "starting") {
		t.Fatalf("readyz with nothing registered = %d %q, want 503 starting", code, body)
	}
	k := newKit(t, "sqlite://"+filepath.Join(t.TempDir(), "probe.db"), 2*time.Second)
	if code, body := get(t, base+"/readyz"); code != http.StatusServiceUnavailable || !strings.Contains(body, "not serving") {
		t.Fatalf("readyz before serving = %d %q, want 503 not serving", code, body)
	}
	stop, wait := serve(t, k)
	if body := eventually(t, base+"/readyz", http.StatusOK, "serving"); body != "ok\n" {
		t.Fatalf("readyz body %q", body)
	}
	start := time.Now()
	stop()
	body := eventually(t, base+"/readyz", http.StatusServiceUnavailable, "draining")
	if !strings.Contains(body, "NOT_SERVING") {
		t.Fatalf("readyz while draining = %q, want the health status named", body)
	}
	if time.Since(start) > time.Second {
		t.Fatalf("readyz turned 503 after %v, want before the drain delay (2s) ends", time.Since(start))
	}
	if code, _ := get(t, base+"/healthz"); code != http.StatusOK {
		t.Fatalf("healthz while draining = %d, want 200", code)
	}
	if err := wait(); err != nil {
		t.Fatalf("serve: %v", err)
	}
	// Closed: the kit's check is gone, and no other part is registered.
	if code, body := get(t, base+"/readyz"); code != http.StatusServiceUnavailable || !strings.Contains(body, "starting") {
		t.Fatalf("readyz after close = %d %q, want 503", code, body)
	}
}

// TestReadyzDatabaseClosed: a serving kit whose database is closed is not
// ready (SQLite), though gRPC health still says SERVING.
func TestReadyzDatabaseClosed(t *testing.T) {
	base := probeServer(t)
	k := newKit(t, "sqlite://"+filepath.Join(t.TempDir(), "probe.db"), 0)
	serve(t, k)
	eventually(t, base+"/readyz", http.StatusOK, "serving")
	if err := k.DB.Close(); err != nil {
		t.Fatal(err)
	}
	body := eventually(t, base+"/readyz", http.StatusServiceUnavailable, "database closed")
	if !strings.Contains(body, "database") {
		t.Fatalf("readyz = %q, want the database named", body)
	}
	if code, _ := get(t, base+"/healthz"); code != http.StatusOK {
		t.Fatalf("healthz with the database closed = %d, want 200", code)
	}
}

// TestReadyzPostgresUnreachable: PostgreSQL behind a TCP relay the test
// can cut. With the relay cut (open connections reset, new ones refused)
// /readyz answers 503 within its timeout; once PostgreSQL is reachable
// again the pod is ready again without a restart.
func TestReadyzPostgresUnreachable(t *testing.T) {
	dsn := testenv.Postgres(t)
	if dsn == "" {
		return // testenv reported why (a failure under CI)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	r := newRelay(t, u.Host)
	u.Host = r.addr
	base := probeServer(t)
	k := newKit(t, u.String(), 0)
	serve(t, k)
	eventually(t, base+"/readyz", http.StatusOK, "serving")

	r.cut()
	start := time.Now()
	code, body := get(t, base+"/readyz")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "database") {
		t.Fatalf("readyz with PostgreSQL unreachable = %d %q, want 503 naming the database", code, body)
	}
	if d := time.Since(start); d > telemetry.ReadyTimeout+500*time.Millisecond {
		t.Fatalf("readyz took %v, want within its %v timeout", d, telemetry.ReadyTimeout)
	}
	r.restore()
	eventually(t, base+"/readyz", http.StatusOK, "PostgreSQL reachable again")
}

// relay forwards TCP connections to target until cut.
type relay struct {
	addr   string
	target string
	mu     sync.Mutex
	down   bool
	conns  []net.Conn
}

func newRelay(t *testing.T, target string) *relay {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &relay{addr: lis.Addr().String(), target: target}
	t.Cleanup(func() { _ = lis.Close(); r.cut() })
	go func() {
		for {
			c, err := lis.Accept()
			if errors.Is(err, net.ErrClosed) {
				return
			}
			if err != nil {
				continue
			}
			go r.forward(c)
		}
	}()
	return r
}

func (r *relay) forward(c net.Conn) {
	r.mu.Lock()
	if r.down {
		r.mu.Unlock()
		_ = c.Close()
		return
	}
	up, err := net.Dial("tcp", r.target)
	if err != nil {
		r.mu.Unlock()
		_ = c.Close()
		return
	}
	r.conns = append(r.conns, c, up)
	r.mu.Unlock()
	go func() { _, _ = io.Copy(up, c); _ = up.Close() }()
	_, _ = io.Copy(c, up)
	_ = c.Close()
}

// cut closes every relayed connection and refuses new ones.
func (r *relay) cut() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.down = true
	for _, c := range r.conns {
		_ = c.Close()
	}
	r.conns = nil
}

func (r *relay) restore() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.down = false
}
