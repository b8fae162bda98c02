package service

import (
	"context"
	"path/filepath"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/auth/devissuer"
	"github.com/hirfa/hirfa/pkg/svckit/svctest"
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
	s := svctest.Start(t, Name, Load, New, svctest.Options{Dir: dir, DatabaseURL: o.dbURL, Vars: map[string]string{
		"HIRFA_DESK_ARCHIVE_DIR": filepath.Join(dir, "archive"),
		"HIRFA_REGISTRY_ADDR":    o.registryAddr,
		"HIRFA_REGISTRY_TIMEOUT": "3s",
	}})
	return &env{archive: filepath.Join(dir, "archive"), svc: s.Svc, conn: s.Conn, issuer: s.Issuer, registry: reg}
}

// as returns a context carrying a token for the principal.
func (e *env) as(t *testing.T, role auth.Role, chamber string) context.Context {
	t.Helper()
	return e.asSubject(t, string(role)+"@"+chamber, role, chamber)
}

// asSubject is as for a named user (a mediator, an assignee).
func (e *env) asSubject(t *testing.T, subject string, role auth.Role, chamber string) context.Context {
	t.Helper()
	return svctest.Bearer(svctest.Token(t, e.issuer, subject, role, chamber))
}

// rows counts rows of a table (service_requests, outbox, audit_records …).
func (e *env) rows(t *testing.T, table string) int {
	t.Helper()
	return svctest.Rows(t, e.svc.DB, table)
}

var errorInfo = svctest.ErrorInfo

// wantErr fails unless err has code c and reason r (r "" skips the reason).
func wantErr(t *testing.T, what string, err error, c codes.Code, r string) {
	t.Helper()
	svctest.WantErr(t, what, err, c, r)
}

// must returns v, failing the test on err: must(call())(t).
func must[T any](v T, err error) func(testing.TB) T { return svctest.Must(v, err) }
