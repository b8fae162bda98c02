package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/auth/devissuer"
	"github.com/hirfa/hirfa/pkg/latency"
	"github.com/hirfa/hirfa/pkg/telemetry"
	"github.com/hirfa/hirfa/pkg/testenv"
	"github.com/hirfa/hirfa/services/gateway/internal/config"
	"github.com/hirfa/hirfa/tools/load"
)

// BenchmarkGet measures a GetCooperative through the gateway as the binary
// wires it (handler: guard with the in-memory rate limit synced through the
// embedded Redis, edge, console mount, instrument; telemetry.Setup's tracer
// and Prometheus meter providers; warn-level logs, as make bench runs it)
// beside the same Get over bare gRPC to the same registry process, in the
// same run. The registry runs as its own process (SQLite), so a CPU
// profile of this benchmark shows the clients and the edge only:
//
//	go test -run '^$' -bench Get -cpuprofile /tmp/gw.prof ./services/gateway/cmd/gateway/
//
// REST/gRPC is the ratio of their ns/op (gRPC's over REST's); cpu-µs/op is
// this process's CPU per call, so rest's minus grpc's is roughly the edge's
// own CPU per request (plus the REST client's JSON decoding).
// registry-cpu-µs/op is the registry process's CPU per call: it is higher
// behind the edge than over bare gRPC at the same 32 callers, and about the
// same as bare gRPC from 2 callers — fewer calls in flight at the registry
// (the rest of each call's time is spent in the edge), so less of its work
// is shared between calls, not extra work per call: sending the edge's
// metadata (x-forwarded-*, traceparent, a deadline) on bare gRPC changes
// nothing measurable.
func BenchmarkGet(b *testing.B) {
	ctx := context.Background()
	// The collector as the binary sets it (run): process-wide, so the
	// gRPC baseline in this process runs under it too.
	tuneGC(os.Getenv, cgroupMemoryLimit).apply()
	dir := b.TempDir()
	key := filepath.Join(dir, "dev.pem")
	iss, err := devissuer.Load(key)
	if err != nil {
		b.Fatal(err)
	}
	addr, registryPid := startRegistry(b, dir, key)
	env := map[string]string{
		"HIRFA_REGISTRY_ADDR": addr, "HIRFA_AUTH_DEV": "true", "HIRFA_AUTH_DEV_KEY_FILE": key,
		"HIRFA_HTTP_ADDR": "127.0.0.1:0", "HIRFA_LOG_LEVEL": "warn",
		"HIRFA_RATE_LIMITS": "chamber-clerk=1000000/s:1000000",
	}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		b.Fatal(err)
	}
	shutdown, err := telemetry.Setup(ctx, "gateway", version, "")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = shutdown(ctx) })
	log := telemetry.NewLogger(os.Stderr, cfg.LogLevel, "gateway")
	h, closeHandler, err := handler(ctx, cfg, log)
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(h)
	b.Cleanup(func() { srv.Close(); closeHandler() })

	tok, err := iss.Issue(devissuer.Claims{Subject: "clerk@fes-meknes", Role: auth.RoleChamberClerk, Chamber: "fes-meknes", TTL: time.Hour})
	if err != nil {
		b.Fatal(err)
	}
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	rest := load.NewREST(srv.URL, tok, hc)
	coop, err := rest.CreateCooperative(ctx, "chambers/fes-meknes", "bench-get-1", load.NewCooperative("bench-get-1"))
	if err != nil {
		b.Fatal(err)
	}
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = conn.Close() })
	clients := []struct {
		name string
		c    load.Client
	}{{"grpc", load.NewGRPC(conn, tok)}, {"rest", rest}}
	for _, c := range clients {
		b.Run(c.name, func(b *testing.B) {
			b.SetParallelism(16)
			b.ReportAllocs()
			cpu, reg := latency.ProcessCPU(), testenv.ProcessCPU(b, registryPid)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := c.c.GetCooperative(ctx, coop.GetName()); err != nil {
						b.Error(err)
						return
					}
				}
			})
			// CPU time per call (clients and edge) holds on a busy machine,
			// where ns/op mostly measures waiting for a core.
			b.ReportMetric(float64((latency.ProcessCPU()-cpu).Microseconds())/float64(b.N), "cpu-µs/op")
			// The registry's CPU per call, to tell the edge's own cost
			// from extra work the edge's calls cause in the service.
			b.ReportMetric(float64((testenv.ProcessCPU(b, registryPid)-reg).Microseconds())/float64(b.N), "registry-cpu-µs/op")
		})
	}
}

// startRegistry runs the registry binary, built from source, on its own
// SQLite file in dir, and returns its gRPC address once it serves and its pid.
func startRegistry(b *testing.B, dir, key string) (string, int) {
	bin := filepath.Join(dir, "registry")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/hirfa/hirfa/services/registry/cmd/registry").CombinedOutput(); err != nil {
		b.Fatalf("build registry: %v\n%s", err, out)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "HIRFA_GRPC_ADDR="+addr, "HIRFA_DATABASE_URL=sqlite://"+filepath.Join(dir, "registry.db"),
		"HIRFA_AUTH_DEV_KEY_FILE="+key, "HIRFA_AUTH_DEV=true", "HIRFA_SHUTDOWN_TIMEOUT=5s", "HIRFA_LOG_LEVEL=warn",
		"HIRFA_SAMPLE_NOMENCLATURE=true", "HIRFA_SEED_DEMO=false")
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = cmd.Process.Signal(os.Interrupt); _ = cmd.Wait() })
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		cctx, cancel := context.WithTimeout(context.Background(), time.Second)
		resp, err := healthpb.NewHealthClient(conn).Check(cctx, &healthpb.HealthCheckRequest{})
		cancel()
		if err == nil && resp.GetStatus() == healthpb.HealthCheckResponse_SERVING {
			return addr, cmd.Process.Pid
		}
	}
	b.Fatal(fmt.Errorf("registry at %s did not become SERVING", addr))
	return "", 0
}
