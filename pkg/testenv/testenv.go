// Package testenv gives tests real PostgreSQL databases and Redis servers.
//
// Each helper uses the server named by its environment variable
// (HIRFA_TEST_POSTGRES_DSN, HIRFA_TEST_REDIS_URL), which is how
// `tools/dev/services.sh run` and CI share one server between all test
// binaries. When the variable is unset, the first test that asks starts a
// throwaway server on a free loopback port, used by the whole test binary and
// stopped when it ends. A package that uses testenv must route its TestMain
// through Main:
//
//	func TestMain(m *testing.M) { testenv.Main(m) }
//
// When no server can be had, tests are skipped with the reason, except under
// CI (CI=true), where they fail: CI must never pass by skipping the database
// tests.
package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Environment variables naming servers to use instead of starting new ones.
const (
	// EnvPostgresDSN is a DSN for a PostgreSQL role allowed to create and
	// drop databases.
	EnvPostgresDSN = "HIRFA_TEST_POSTGRES_DSN"
	// EnvRedisURL is a redis:// URL of a Redis server tests may write to.
	EnvRedisURL = "HIRFA_TEST_REDIS_URL"
)

// startTimeout bounds starting one throwaway server. It is generous because
// CI machines share their cores with other builds.
const startTimeout = 2 * time.Minute

// mainActive records that Main runs the tests, so throwaway servers will be
// stopped.
var mainActive atomic.Bool

// Servers shared by all tests of the binary.
var (
	postgresServer lazyServer
	redisServer    lazyServer
)

// InCI reports whether the tests run under CI (CI is "true" or "1"), where an
// unavailable server fails the tests instead of skipping them.
func InCI() bool {
	switch os.Getenv("CI") {
	case "true", "TRUE", "True", "1":
		return true
	}
	return false
}

// Main runs the tests, stops the servers they started and exits with the
// tests' status. Call it from TestMain.
func Main(m *testing.M) {
	mainActive.Store(true)
	code := m.Run()
	for _, l := range []*lazyServer{&postgresServer, &redisServer} {
		if err := l.shutdown(); err != nil {
			// Exit is near and the watchdog cleans up anyway; say so and
			// keep the tests' own verdict.
			fmt.Fprintf(os.Stderr, "testenv: %v\n", err)
		}
	}
	os.Exit(code)
}

// server is a running server: a DSN or URL, and how to stop it if we
// started it.
type server struct {
	url  string
	stop func() error // nil for servers named by the environment
}

// lazyServer starts or finds one server the first time a test asks.
type lazyServer struct {
	once sync.Once
	mu   sync.Mutex
	srv  *server
	err  error
}

// get returns the server, resolving it on first use: the URL in envVar if
// set, otherwise a server from start.
func (l *lazyServer) get(envVar string, start func(context.Context) (*server, error)) (*server, error) {
	l.once.Do(func() {
		var srv *server
		var err error
		if v := os.Getenv(envVar); v != "" {
			srv = &server{url: v}
		} else {
			ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
			srv, err = start(ctx)
			cancel()
		}
		l.mu.Lock()
		l.srv, l.err = srv, err
		l.mu.Unlock()
	})
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.srv, l.err
}

// current returns the server if one was resolved already, without starting one.
func (l *lazyServer) current() *server {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.srv
}

// shutdown stops the server if this process started it.
func (l *lazyServer) shutdown() error {
	l.mu.Lock()
	srv := l.srv
	l.srv = nil
	l.mu.Unlock()
	if srv == nil || srv.stop == nil {
		return nil
	}
	return srv.stop()
}

// acquire returns the shared server of one kind or ends the test: skipped
// when none can be had outside CI, failed otherwise.
func acquire(t testing.TB, l *lazyServer, kind, envVar string, start func(context.Context) (*server, error)) *server {
	t.Helper()
	if !mainActive.Load() {
		// Checked even when envVar is set, so a missing TestMain shows up in
		// CI and not only on a machine without the variable.
		t.Fatalf("testenv: %s: the package's TestMain must call testenv.Main(m), which stops the servers tests start", kind)
		return nil
	}
	srv, err := l.get(envVar, start)
	if err != nil {
		Unavailable(t, fmt.Errorf("%s unavailable (set %s to use a running server): %w", kind, envVar, err))
		return nil
	}
	return srv
}

// Unavailable ends a test that cannot get what it needs (a server, a
// browser, a tool the project's scripts install): it fails under CI and
// skips elsewhere. It is the only place the project's tests skip.
func Unavailable(t testing.TB, err error) {
	t.Helper()
	if InCI() {
		t.Fatalf("testenv: %v; CI requires real servers", err)
		return
	}
	t.Skipf("testenv: skipping: %v", err)
}

// randomHex returns n random bytes as lower-case hex.
func randomHex(n int) string {
	b := make([]byte, n)
	// crypto/rand.Read never returns an error (it crashes the program instead).
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
