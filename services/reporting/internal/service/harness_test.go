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
)

func TestMain(m *testing.M) {
	if _, err := telemetry.Setup(context.Background(), Name, "test", ""); err != nil {
		panic(err)
	}
	testenv.Main(m)
}

// env is a reporting service served over a real loopback gRPC connection.
type env struct {
	svc    *Service
	conn   *grpc.ClientConn
	issuer *devissuer.Issuer
	logs   *testenv.LogBuffer
	// stop stops the service now (also done when the test ends).
	stop func()
}

// options of a test service.
type options struct {
	dbURL    string            // "" = a fresh SQLite file
	dir      string            // "" = a fresh temporary directory (holds the dev issuer key)
	chromium string            // HIRFA_CHROMIUM
	env      map[string]string // more variables
}

// start serves a reporting service.
func start(t *testing.T, o options) *env {
	t.Helper()
	vars := map[string]string{"HIRFA_CHROMIUM": o.chromium}
	for k, v := range o.env {
		vars[k] = v
	}
	s := svctest.Start(t, Name, Load, New, svctest.Options{Dir: o.dir, DatabaseURL: o.dbURL, Vars: vars})
	return &env{svc: s.Svc, conn: s.Conn, issuer: s.Issuer, logs: s.Logs, stop: s.Stop}
}

// as returns a context carrying a token for the principal ("" = none).
func (e *env) as(t testing.TB, role auth.Role, chamber string) context.Context {
	t.Helper()
	return svctest.As(t, e.issuer, role, chamber)
}
