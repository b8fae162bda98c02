package service

import (
	"context"
	"testing"

	"google.golang.org/grpc"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/auth/devissuer"
	"github.com/hirfa/hirfa/pkg/svckit/svctest"
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
	vars := map[string]string{"HIRFA_SAMPLE_NOMENCLATURE": "true"}
	for i := 0; i+1 < len(settings); i += 2 {
		vars[settings[i]] = settings[i+1]
	}
	s := svctest.Start(t, Name, Load, New, svctest.Options{DatabaseURL: dbURL, Vars: vars})
	return &env{svc: s.Svc, conn: s.Conn, issuer: s.Issuer, logs: s.Logs}
}

// as returns a context carrying a token for the principal ("" = none).
func (e *env) as(t testing.TB, role auth.Role, chamber string) context.Context {
	t.Helper()
	return svctest.As(t, e.issuer, role, chamber)
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
