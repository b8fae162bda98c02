package service

import (
	"context"
	"log/slog"
	"net"
	"path/filepath"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/auth/devissuer"
	"github.com/hirfa/hirfa/pkg/telemetry"
	"github.com/hirfa/hirfa/pkg/testenv"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
)

func TestMain(m *testing.M) {
	// As in Run: tracing is always on (spans carry the trace ids that reach
	// logs and audit records), exporting nothing without an endpoint.
	if _, err := telemetry.Setup(context.Background(), Name, "test", ""); err != nil {
		panic(err)
	}
	testenv.Main(m)
}

// env is a registry served over a real loopback gRPC connection.
type env struct {
	svc    *Service
	conn   *grpc.ClientConn
	issuer *devissuer.Issuer
	logs   *testenv.LogBuffer
}

// start serves a registry on dbURL ("" = a fresh SQLite file); settings are
// further HIRFA_* variables as key, value pairs (e.g. the demo profile).
// The tests record in the sample nomenclature's codes, so it is on unless
// settings turn it off.
func start(t testing.TB, dbURL string, settings ...string) *env {
	t.Helper()
	dir := t.TempDir()
	if dbURL == "" {
		dbURL = "sqlite://" + filepath.Join(dir, "registry.db")
	}
	vars := map[string]string{
		"HIRFA_DATABASE_URL":      dbURL,
		"HIRFA_AUTH_DEV_KEY_FILE": filepath.Join(dir, "dev.pem"), "HIRFA_AUTH_DEV": "true",
		"HIRFA_SHUTDOWN_TIMEOUT": "5s", "HIRFA_SAMPLE_NOMENCLATURE": "true",
	}
	for i := 0; i+1 < len(settings); i += 2 {
		vars[settings[i]] = settings[i+1]
	}
	cfg, err := Load(func(k string) string { return vars[k] })
	if err != nil {
		t.Fatal(err)
	}
	logs := &testenv.LogBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
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
	return &env{svc: svc, conn: conn, issuer: iss, logs: logs}
}

// as returns a context carrying a token for the principal.
func (e *env) as(t testing.TB, role auth.Role, chamber string) context.Context {
	t.Helper()
	if role == "" {
		return context.Background()
	}
	tok, err := e.issuer.Issue(devissuer.Claims{Subject: string(role) + "@" + chamber, Role: role, Chamber: chamber, TTL: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	return metadata.AppendToOutgoingContext(context.Background(), "authorization", "Bearer "+tok)
}

func (e *env) artisans() registryv1.ArtisanServiceClient {
	return registryv1.NewArtisanServiceClient(e.conn)
}
func (e *env) coops() registryv1.CooperativeServiceClient {
	return registryv1.NewCooperativeServiceClient(e.conn)
}

func postgresURL(t testing.TB) string { return testenv.Postgres(t) }

func (e *env) nameRequests() registryv1.NameRequestServiceClient {
	return registryv1.NewNameRequestServiceClient(e.conn)
}

// certificate obtains an approved name certificate for a cooperative of
// chamber named ar/fr, as the chamber's clerk submitting the request and an
// ODCO officer approving it, and returns its number.
func (e *env) certificate(t testing.TB, chamber, ar, fr string) string {
	t.Helper()
	q, err := e.nameRequests().CreateNameRequest(e.as(t, auth.RoleChamberClerk, chamber), &registryv1.CreateNameRequestRequest{
		Parent:      "chambers/" + chamber,
		NameRequest: &registryv1.NameRequest{Founder: "Fondateur de test", ProposedNames: []*registryv1.ProposedName{{Ar: ar, Fr: fr}}},
	})
	if err != nil {
		t.Fatalf("name request: %v", err)
	}
	q, err = e.nameRequests().ApproveNameRequest(e.as(t, auth.RoleODCOOfficer, ""), &registryv1.ApproveNameRequestRequest{Name: q.GetName(), ApprovedName: 1})
	if err != nil {
		t.Fatalf("approve name request: %v", err)
	}
	return q.GetCertificate()
}
