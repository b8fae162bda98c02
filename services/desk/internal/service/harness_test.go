package service

import (
	"context"
	"log/slog"
	"net"
	"path/filepath"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/auth/devissuer"
	"github.com/hirfa/hirfa/pkg/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// env is the service served over a real loopback gRPC connection.
type env struct {
	archive string // the archive's folder
	svc     *Service
	conn    *grpc.ClientConn
	issuer  *devissuer.Issuer
	// registry is the registry the service looks registrants up in.
	registry *testRegistry
}

type options struct {
	dbURL        string // "" = a fresh SQLite file
	registryAddr string // "" = a test registry of knownRegistrants
}

// start serves the service on a fresh database.
func start(t *testing.T, o options) *env {
	t.Helper()
	dir := t.TempDir()
	reg := newTestRegistry(t)
	if o.registryAddr == "" {
		o.registryAddr = reg.addr
	}
	if o.dbURL == "" {
		o.dbURL = "sqlite://" + filepath.Join(dir, Name+".db")
	}
	cfg, err := Load(func(k string) string {
		return map[string]string{
			"HIRFA_DATABASE_URL":      o.dbURL,
			"HIRFA_AUTH_DEV_KEY_FILE": filepath.Join(dir, "dev.pem"),
			"HIRFA_AUTH_DEV":          "true",
			"HIRFA_SHUTDOWN_TIMEOUT":  "5s",
			"HIRFA_DESK_ARCHIVE_DIR":  filepath.Join(dir, "archive"),
			"HIRFA_REGISTRY_ADDR":     o.registryAddr,
			"HIRFA_REGISTRY_TIMEOUT":  "3s",
		}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewJSONHandler(&testenv.LogBuffer{}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ctx, cancel := context.WithCancel(context.Background())
	svc, err := New(ctx, cfg, log)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- svc.Serve(ctx, lis) }()
	conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	iss, err := devissuer.Load(filepath.Join(dir, "dev.pem"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = conn.Close()
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("server did not stop")
		}
	})
	return &env{archive: filepath.Join(dir, "archive"), svc: svc, conn: conn, issuer: iss, registry: reg}
}

// as returns a context carrying a token for the principal.
func (e *env) as(t *testing.T, role auth.Role, chamber string) context.Context {
	t.Helper()
	return e.asSubject(t, string(role)+"@"+chamber, role, chamber)
}

// asSubject is as for a named user (a mediator, an assignee).
func (e *env) asSubject(t *testing.T, subject string, role auth.Role, chamber string) context.Context {
	t.Helper()
	tok, err := e.issuer.Issue(devissuer.Claims{Subject: subject, Role: role, Chamber: chamber, TTL: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	return metadata.AppendToOutgoingContext(context.Background(), "authorization", "Bearer "+tok)
}

// rows counts rows of a table (service_requests, outbox, audit_records …).
func (e *env) rows(t *testing.T, table string) int {
	t.Helper()
	var n int
	if err := e.svc.DB.SQL.QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func errorInfo(err error) *errdetails.ErrorInfo {
	for _, d := range status.Convert(err).Details() {
		if ei, ok := d.(*errdetails.ErrorInfo); ok {
			return ei
		}
	}
	return nil
}

// wantErr fails unless err has code c and reason r (r "" skips the reason).
func wantErr(t *testing.T, what string, err error, c codes.Code, r string) {
	t.Helper()
	if status.Code(err) != c || (r != "" && errorInfo(err).GetReason() != r) {
		t.Fatalf("%s: got %v (reason %q), want %s %s", what, err, errorInfo(err).GetReason(), c, r)
	}
}

// must returns v, failing the test on err: must(call())(t).
func must[T any](v T, err error) func(*testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}
