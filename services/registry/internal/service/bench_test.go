package service

import (
	"context"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/auth/devissuer"
	"github.com/hirfa/hirfa/pkg/grpcserver"
	"github.com/hirfa/hirfa/pkg/testenv"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
)

// BenchmarkAuthCost measures GetCooperative over loopback gRPC on
// PostgreSQL in one run, four ways: a bare health check (the floor of a
// gRPC call), the Get with the token verified in full on every call, with
// verified tokens cached (the default), and with a trusted principal and no
// token at all (what authentication costs is the difference).
//
//	tools/dev/services.sh run -- go test -run '^$' -bench AuthCost -benchtime 5s ./services/registry/internal/service/
func BenchmarkAuthCost(b *testing.B) {
	ctx := context.Background()
	for _, mode := range []struct {
		name     string
		cacheTTL string
	}{{"verify-every-call", "0s"}, {"verified-token-cache", "1m"}} {
		dir := b.TempDir()
		cfg, err := Load(func(k string) string {
			return map[string]string{"HIRFA_DATABASE_URL": testenv.Postgres(b), "HIRFA_AUTH_DEV_KEY_FILE": filepath.Join(dir, "dev.pem"), "HIRFA_AUTH_DEV": "true",
				"HIRFA_AUTH_CACHE_TTL": mode.cacheTTL}[k]
		})
		if err != nil {
			b.Fatal(err)
		}
		sctx, cancel := context.WithCancel(ctx)
		svc, err := New(sctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			b.Fatal(err)
		}
		addr := serve(b, sctx, func(lis net.Listener) { _ = svc.Serve(sctx, lis) })
		e := &env{svc: svc}
		e.issuer = issuerFor(b, filepath.Join(dir, "dev.pem"))
		clerk := e.as(b, auth.RoleChamberClerk, "fes-meknes")
		name := seedCoop(b, svc)
		conn := dial(b, addr)
		if mode.name == "verify-every-call" {
			b.Run("health-check", func(b *testing.B) {
				h := healthpb.NewHealthClient(conn)
				measure(b, func() error { _, err := h.Check(ctx, &healthpb.HealthCheckRequest{}); return err })
			})
			// The same registry without authentication: a trusted principal
			// is put in the context, the policy and tenancy checks still run.
			trusted, err := grpcserver.New(grpcserver.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), ErrorDomain: "registry.hirfa",
				Unary: []grpc.UnaryServerInterceptor{func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, next grpc.UnaryHandler) (any, error) {
					return next(auth.NewContext(ctx, auth.Principal{Subject: "bench", Role: auth.RoleChamberClerk, Chamber: "fes-meknes"}), req)
				}, Policy.UnaryServerInterceptor()}})
			if err != nil {
				b.Fatal(err)
			}
			svc.Port.Register(trusted.GRPC)
			taddr := serve(b, sctx, func(lis net.Listener) { _ = trusted.ServeListener(sctx, lis, time.Second) })
			tc := registryv1.NewCooperativeServiceClient(dial(b, taddr))
			b.Run("get-without-auth", func(b *testing.B) {
				measure(b, func() error {
					_, err := tc.GetCooperative(ctx, &registryv1.GetCooperativeRequest{Name: name})
					return err
				})
			})
		}
		c := registryv1.NewCooperativeServiceClient(conn)
		b.Run("get-"+mode.name, func(b *testing.B) {
			measure(b, func() error {
				_, err := c.GetCooperative(clerk, &registryv1.GetCooperativeRequest{Name: name})
				return err
			})
		})
		cancel()
	}
}

func serve(b *testing.B, ctx context.Context, run func(net.Listener)) string {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go run(lis)
	return lis.Addr().String()
}

func dial(b *testing.B, addr string) *grpc.ClientConn {
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = conn.Close() })
	return conn
}

func seedCoop(b *testing.B, svc *Service) string {
	ctx := systemContext(context.Background(), auth.RoleChamberClerk, "fes-meknes")
	c, err := svc.Port.CreateCooperative(metadata.NewIncomingContext(ctx, nil), &registryv1.CreateCooperativeRequest{Parent: "chambers/fes-meknes", Cooperative: newCoop()})
	if err != nil {
		b.Fatal(err)
	}
	return c.GetName()
}

// measure runs call from 32 goroutines and reports requests/s and the p50
// and p99 latencies next to ns/op.
func measure(b *testing.B, call func() error) {
	var mu sync.Mutex
	var lat []time.Duration
	b.SetParallelism(16) // 16 × GOMAXPROCS(2) = 32 concurrent callers
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		local := make([]time.Duration, 0, 1024)
		for pb.Next() {
			t0 := time.Now()
			if err := call(); err != nil {
				b.Error(err)
				return
			}
			local = append(local, time.Since(t0))
		}
		mu.Lock()
		lat = append(lat, local...)
		mu.Unlock()
	})
	elapsed := time.Since(start)
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "req/s")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}

func issuerFor(b *testing.B, path string) *devissuer.Issuer {
	iss, err := devissuer.Load(path)
	if err != nil {
		b.Fatal(err)
	}
	return iss
}
