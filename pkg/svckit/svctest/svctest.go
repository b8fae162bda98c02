// Package svctest starts a service of the suite for its own tests: the
// composition root under test (its Load and New) on a fresh SQLite file or a
// given database, served over a real loopback gRPC connection, with a dev
// token issuer whose tokens the service accepts, and the helpers the
// services' tests share (tokens, row counts, error details).
package svctest

import (
	"context"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"sync"
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
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/svcconfig"
	"github.com/hirfa/hirfa/pkg/testenv"
)

// Service is a wired service: what its New returns.
type Service interface {
	Serve(ctx context.Context, lis net.Listener) error
}

// Options of a test service.
type Options struct {
	// Dir holds the dev issuer's key (dev.pem) unless KeyFile names one;
	// "" = a fresh temporary directory.
	Dir string
	// KeyFile is the dev issuer's key, shared with peers started apart;
	// "" = Dir/dev.pem (created when missing).
	KeyFile string
	// DatabaseURL is the service's database; "" = a fresh SQLite file.
	DatabaseURL string
	// Vars are more HIRFA_* settings; they win over the defaults.
	Vars map[string]string
}

// Env is a service served over a real loopback gRPC connection.
type Env[S Service] struct {
	Svc    S
	Conn   *grpc.ClientConn
	Issuer *devissuer.Issuer
	// Logs holds the service's JSON log lines (level debug).
	Logs *testenv.LogBuffer
	// Dir is Options.Dir, or the temporary directory made for it.
	Dir string
	// Stop stops the service now (also done when the test ends).
	Stop func()
}

// Start loads the configuration of the service name from the test
// defaults (development tokens, a 5 s shutdown) and o.Vars, wires it with
// newSvc and serves it on a loopback port until the test ends.
func Start[C any, S Service](t testing.TB, name string, load func(svcconfig.Getenv) (C, error),
	newSvc func(context.Context, C, *slog.Logger) (S, error), o Options) *Env[S] {
	t.Helper()
	if o.Dir == "" {
		o.Dir = t.TempDir()
	}
	if o.KeyFile == "" {
		o.KeyFile = filepath.Join(o.Dir, "dev.pem")
	}
	if o.DatabaseURL == "" {
		o.DatabaseURL = "sqlite://" + filepath.Join(t.TempDir(), name+".db")
	}
	vars := map[string]string{
		"HIRFA_DATABASE_URL":      o.DatabaseURL,
		"HIRFA_AUTH_DEV_KEY_FILE": o.KeyFile,
		"HIRFA_AUTH_DEV":          "true",
		"HIRFA_SHUTDOWN_TIMEOUT":  "5s",
	}
	for k, v := range o.Vars {
		vars[k] = v
	}
	cfg, err := load(func(k string) string { return vars[k] })
	if err != nil {
		t.Fatal(err)
	}
	logs := &testenv.LogBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ctx, cancel := context.WithCancel(context.Background())
	svc, err := newSvc(ctx, cfg, log)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- svc.Serve(ctx, lis) }()
	conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	var once sync.Once
	stop := func() {
		once.Do(func() {
			_ = conn.Close()
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Logf("serve: %v", err)
				}
			case <-time.After(10 * time.Second):
				t.Error("server did not stop")
			}
		})
	}
	t.Cleanup(stop)
	iss, err := devissuer.Load(o.KeyFile)
	if err != nil {
		t.Fatal(err)
	}
	return &Env[S]{Svc: svc, Conn: conn, Issuer: iss, Logs: logs, Dir: o.Dir, Stop: stop}
}

// Token issues an hour's token for a principal.
func Token(t testing.TB, iss *devissuer.Issuer, subject string, role auth.Role, chamber string) string {
	t.Helper()
	tok, err := iss.Issue(devissuer.Claims{Subject: subject, Role: role, Chamber: chamber, TTL: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// Bearer is a context whose outgoing calls carry tok.
func Bearer(tok string) context.Context {
	return metadata.AppendToOutgoingContext(context.Background(), "authorization", "Bearer "+tok)
}

// As is a context carrying a token of iss for role in chamber (subject
// "role@chamber"); role "" is an anonymous caller, with no token.
func As(t testing.TB, iss *devissuer.Issuer, role auth.Role, chamber string) context.Context {
	t.Helper()
	if role == "" {
		return context.Background()
	}
	return Bearer(Token(t, iss, string(role)+"@"+chamber, role, chamber))
}

// As is As with the service's issuer.
func (e *Env[S]) As(t testing.TB, role auth.Role, chamber string) context.Context {
	t.Helper()
	return As(t, e.Issuer, role, chamber)
}

// AsSubject is a context carrying a token for a named user (a mediator,
// an assignee).
func (e *Env[S]) AsSubject(t testing.TB, subject string, role auth.Role, chamber string) context.Context {
	t.Helper()
	return Bearer(Token(t, e.Issuer, subject, role, chamber))
}

// Rows counts the rows of a table (outbox, audit_records, …).
func Rows(t testing.TB, db *store.DB, table string) int {
	t.Helper()
	var n int
	if err := db.SQL.QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Writes is the number of changes recorded so far: every change writes one
// outbox row and one audit record, so both stay put on a refusal.
func Writes(t testing.TB, db *store.DB) [2]int {
	t.Helper()
	return [2]int{Rows(t, db, "outbox"), Rows(t, db, "audit_records")}
}

// EventTypes lists the outbox event types in order, without prefix (the
// API's package, e.g. "hirfa.eventsfairs.v1.").
func EventTypes(t testing.TB, db *store.DB, prefix string) []string {
	t.Helper()
	rows, err := db.SQL.Query("SELECT type FROM outbox ORDER BY seq")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, strings.TrimPrefix(s, prefix))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// ErrorInfo is the ErrorInfo detail of err (nil when none).
func ErrorInfo(err error) *errdetails.ErrorInfo {
	for _, d := range status.Convert(err).Details() {
		if ei, ok := d.(*errdetails.ErrorInfo); ok {
			return ei
		}
	}
	return nil
}

// Reason is the ErrorInfo reason of err ("" when none).
func Reason(err error) string { return ErrorInfo(err).GetReason() }

// FieldOf is the first BadRequest field violation's field ("" when none).
func FieldOf(err error) string {
	for _, d := range status.Convert(err).Details() {
		if br, ok := d.(*errdetails.BadRequest); ok && len(br.GetFieldViolations()) > 0 {
			return br.GetFieldViolations()[0].GetField()
		}
	}
	return ""
}

// WantErr fails unless err has code c and reason r (r "" skips the
// reason). With domains, an ErrorInfo must be in one of them: another
// service's status must not pass through.
func WantErr(t testing.TB, what string, err error, c codes.Code, r string, domains ...string) {
	t.Helper()
	if status.Code(err) != c || (r != "" && Reason(err) != r) {
		t.Fatalf("%s: got %v (reason %q), want %s %s", what, err, Reason(err), c, r)
	}
	if ei := ErrorInfo(err); ei != nil && len(domains) > 0 {
		for _, d := range domains {
			if ei.GetDomain() == d {
				return
			}
		}
		t.Fatalf("%s: error domain %q: another service's status passed through", what, ei.GetDomain())
	}
}

// Must returns v, failing the test on err: Must(call())(t).
func Must[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}
