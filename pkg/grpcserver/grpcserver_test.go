package grpcserver

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"testing"
	"time"

	"golang.org/x/net/http2"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/keepalive"
	reflectionpb "google.golang.org/grpc/reflection/grpc_reflection_v1"
	"google.golang.org/grpc/status"
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
