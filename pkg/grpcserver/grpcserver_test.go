package grpcserver

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/http2"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/keepalive"
	"google.golang.org/grpc/metadata"
	reflectionpb "google.golang.org/grpc/reflection/grpc_reflection_v1"
	"google.golang.org/grpc/status"

	"github.com/hirfa/hirfa/pkg/fault/catalog"
)

func serve(t *testing.T, o Options) *grpc.ClientConn {
	t.Helper()
	o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	s, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = s.ServeListener(ctx, lis, time.Second); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithKeepaliveParams(keepalive.ClientParameters{Time: 10 * time.Millisecond, PermitWithoutStream: true}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}

func reflectionListed(t *testing.T, conn *grpc.ClientConn) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	st, err := reflectionpb.NewServerReflectionClient(conn).ServerReflectionInfo(ctx)
	if err != nil {
		return err
	}
	// A Send that finds the stream already ended by the server (a service
	// it does not serve) returns io.EOF, not the status, whenever the
	// server's answer arrives first: the status is Recv's (a CI run failed
	// with "reflection off = EOF").
	if err := st.Send(&reflectionpb.ServerReflectionRequest{MessageRequest: &reflectionpb.ServerReflectionRequest_ListServices{}}); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	_, err = st.Recv()
	return err
}

// TestReflectionByConfiguration: reflection is served unless disabled.
func TestReflectionByConfiguration(t *testing.T) {
	if err := reflectionListed(t, serve(t, Options{})); err != nil {
		t.Fatalf("reflection on: %v", err)
	}
	if err := reflectionListed(t, serve(t, Options{DisableReflection: true})); status.Code(err) != codes.Unimplemented {
		t.Fatalf("reflection off = %v, want Unimplemented", err)
	}
}

// TestStreamLimitAdvertised: the server tells every client, in its HTTP/2
// SETTINGS, how many calls one connection may have in flight.
func TestStreamLimitAdvertised(t *testing.T) {
	o := Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	s, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = s.GRPC.Serve(lis) }()
	t.Cleanup(s.GRPC.Stop)
	c, err := net.Dial("tcp", lis.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(c, http2.ClientPreface); err != nil {
		t.Fatal(err)
	}
	fr := http2.NewFramer(c, c)
	if err := fr.WriteSettings(); err != nil {
		t.Fatal(err)
	}
	f, err := fr.ReadFrame()
	if err != nil {
		t.Fatal(err)
	}
	sf, ok := f.(*http2.SettingsFrame)
	if !ok {
		t.Fatalf("first frame %T, want SETTINGS", f)
	}
	if v, ok := sf.Value(http2.SettingMaxConcurrentStreams); !ok || v != MaxConcurrentStreams {
		t.Fatalf("MAX_CONCURRENT_STREAMS = %d (%v), want %d", v, ok, MaxConcurrentStreams)
	}
}

// TestLocaleDoesNotCopyTheMetadata: finding the call's language costs the
// same whatever else the call carries (it copied the whole metadata).
func TestLocaleDoesNotCopyTheMetadata(t *testing.T) {
	cat := catalog.New([][]catalog.Entry{catalog.Common}, catalog.CommonLabels)
	allocs := func(pairs ...string) float64 {
		ctx := metadata.NewIncomingContext(context.Background(), metadata.Pairs(pairs...))
		return testing.AllocsPerRun(200, func() { _ = locale(ctx, cat) })
	}
	bare := allocs("grpc-accept-language", "ar")
	edge := allocs("grpc-accept-language", "ar", "authorization", "Bearer x.y.z", "x-forwarded-host", "api.hirfa.example",
		"x-forwarded-for", "203.0.113.7", "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")
	if edge > bare {
		t.Fatalf("the language of a call with the edge's metadata allocates %.0f times, alone %.0f: the metadata is copied", edge, bare)
	}
}

// TestCallsRunOnKeptGoroutines: calls run on the server's kept workers,
// whose stacks stay grown, not each on a new goroutine (which grew its
// stack anew, by copying, on every call).
func TestCallsRunOnKeptGoroutines(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]bool{}
	record := func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, next grpc.UnaryHandler) (any, error) {
		buf := make([]byte, 64)
		id, _, _ := strings.Cut(strings.TrimPrefix(string(buf[:runtime.Stack(buf, false)]), "goroutine "), " ")
		mu.Lock()
		seen[id] = true
		mu.Unlock()
		return next(ctx, req)
	}
	conn := serve(t, Options{Unary: []grpc.UnaryServerInterceptor{record}})
	const calls = 4 * StreamWorkers
	for range calls {
		if _, err := healthpb.NewHealthClient(conn).Check(context.Background(), &healthpb.HealthCheckRequest{}); err != nil {
			t.Fatal(err)
		}
	}
	if len(seen) > StreamWorkers {
		t.Fatalf("%d calls one after another ran on %d goroutines, want at most the %d kept workers", calls, len(seen), StreamWorkers)
	}
}
