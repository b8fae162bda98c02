// Package e2e tests the suite as separate processes, started the way
// `make up` starts it (deploy/local/up.sh) on real PostgreSQL and Redis:
// a clerk's scenario through the REST edge, a rolling restart under load and
// a kill -9 under load. Under `make test` the servers are the ones
// tools/dev/services.sh runs (HIRFA_TEST_POSTGRES_DSN, HIRFA_TEST_REDIS_URL);
// each stack gets databases of its own on them.
package e2e

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/testenv"
	"github.com/hirfa/hirfa/proto/openapi/openapitest"
	"github.com/hirfa/hirfa/tools/load"
	"github.com/hirfa/hirfa/tools/load/localstack"
)

func TestMain(m *testing.M) { testenv.Main(m) }

var (
	buildOnce sync.Once
	binDir    string
	buildErr  error
)

// binaries returns a directory holding the binaries: HIRFA_E2E_BIN (for
// instance ./bin after make build) or a fresh build shared by the tests of
// this binary.
func binaries(t *testing.T, root string) string {
	t.Helper()
	if d := os.Getenv("HIRFA_E2E_BIN"); d != "" {
		return d
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "hirfa-e2e-bin-")
		if err != nil {
			buildErr = err
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		binDir, buildErr = dir, localstack.Build(ctx, root, dir)
	})
	if buildErr != nil {
		t.Fatalf("build binaries: %v", buildErr)
	}
	return binDir
}

// newStack starts a stack with its own databases on the test servers and
// stops it (dropping the databases) when the test ends. env are extra
// inputs of up.sh.
func newStack(t *testing.T, env ...string) *localstack.Stack {
	t.Helper()
	root, err := localstack.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	bin := binaries(t, root)
	pg, redis := testenv.Postgres(t), testenv.Redis(t)
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	dir := t.TempDir()
	// up.sh makes DIR reachable by a throwaway PostgreSQL's user; only
	// t.TempDir's parent needs to stay as it is.
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	s, err := localstack.Up(ctx, localstack.Options{
		Root: root, Dir: filepath.Join(dir, "stack"), Bin: bin,
		PostgresURL: pg, RedisURL: redis,
		DBPrefix: "hirfa_e2e_" + hex.EncodeToString(b) + "_",
		// The scenarios record in the sample nomenclature's codes.
		Env: append([]string{"HIRFA_LOG_LEVEL=info", "HIRFA_SAMPLE_NOMENCLATURE=true"}, env...),
	})
	if err != nil {
		t.Fatalf("start the stack: %v", err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			for _, name := range append(append([]string(nil), s.Services...), "gateway") {
				t.Logf("last lines of %s.log:\n%s", name, s.Tail(name, 30))
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		if err := s.Down(ctx, true); err != nil {
			t.Errorf("stop the stack: %v", err)
		}
	})
	return s
}

// token issues a dev token or ends the test.
func token(t *testing.T, s *localstack.Stack, role auth.Role, chamber string) string {
	t.Helper()
	tok, err := s.Token(role, chamber, string(role)+"@"+chamber+".e2e")
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// rest is a REST client of the stack's edge sending token (none when empty)
// whose every request and answer is checked against the OpenAPI document
// the edge serves: a call matching no documented operation, or a body
// breaking its schema, fails the test.
func rest(t *testing.T, s *localstack.Stack, token string) *load.REST {
	t.Helper()
	api := openapitest.MustFetch(t, s.HTTP)
	hc := &http.Client{Transport: api.Transport(t, &http.Transport{
		MaxIdleConns:        256,
		MaxIdleConnsPerHost: 256,
		IdleConnTimeout:     90 * time.Second,
	})}
	return load.NewREST(s.HTTP, token, hc)
}

// eventually calls done until it reports true, for at most 90 s (events
// reach the reporting projections asynchronously); then the test fails
// naming what did not happen.
func eventually(t *testing.T, what string, done func() bool) {
	t.Helper()
	for deadline := time.Now().Add(90 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if done() {
			return
		}
	}
	t.Fatalf("after 90 s: %s", what)
}
