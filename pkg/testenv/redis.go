package testenv

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis returns the redis:// URL of a server that answered PING. The server
// is shared by the tests of the binary and, through HIRFA_TEST_REDIS_URL,
// perhaps by other binaries: keep each test's keys under RedisPrefix(t).
func Redis(t testing.TB) string {
	t.Helper()
	srv := acquire(t, &redisServer, "Redis", EnvRedisURL, startRedis)
	if srv == nil {
		return ""
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if err := ping(ctx, srv.url); err != nil {
		t.Fatalf("testenv: Redis at %s: %v", srv.url, err)
		return ""
	}
	return srv.url
}

// RedisPrefix returns a key prefix no other test uses, such as
// "test:3f9a0c1e2b4d:". Keys under it are deleted when the test ends if a
// Redis server was in use.
func RedisPrefix(t testing.TB) string {
	t.Helper()
	prefix := "test:" + randomHex(6) + ":"
	t.Cleanup(func() {
		srv := redisServer.current()
		if srv == nil {
			return // the test used no real Redis (or an in-process one)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := deletePrefix(ctx, srv.url, prefix); err != nil {
			t.Errorf("testenv: delete keys %s*: %v", prefix, err)
		}
	})
	return prefix
}

func ping(ctx context.Context, rawURL string) error {
	opt, err := redis.ParseURL(rawURL)
	if err != nil {
		return fmt.Errorf("parse URL: %w", err)
	}
	c := redis.NewClient(opt)
	defer c.Close()
	if err := c.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("ping: %w", err)
	}
	return nil
}

// deletePrefix deletes every key starting with prefix, which must hold no
// glob characters.
func deletePrefix(ctx context.Context, rawURL, prefix string) error {
	opt, err := redis.ParseURL(rawURL)
	if err != nil {
		return fmt.Errorf("parse URL: %w", err)
	}
	c := redis.NewClient(opt)
	defer c.Close()
	iter := c.Scan(ctx, 0, prefix+"*", 500).Iterator()
	var keys []string
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
	}
	if err := iter.Err(); err != nil {
		return fmt.Errorf("scan: %w", err)
	}
	for len(keys) > 0 {
		n := min(len(keys), 500)
		if err := c.Unlink(ctx, keys[:n]...).Err(); err != nil {
			return fmt.Errorf("unlink: %w", err)
		}
		keys = keys[n:]
	}
	return nil
}

// startRedis starts a redis-server without persistence on a free port.
func startRedis(ctx context.Context) (_ *server, err error) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		return nil, errors.New("redis-server not found (install the redis-server package)")
	}
	dir, err := os.MkdirTemp("", "hirfa-testenv-redis-")
	if err != nil {
		return nil, fmt.Errorf("temp dir: %w", err)
	}
	pidFile := filepath.Join(dir, "redis.pid")
	// The server is our child, but it would outlive an abnormal exit: the
	// watchdog ends it by the pid we record.
	cleanup := fmt.Sprintf(`if [ -s %[1]s ]; then p=$(cat %[1]s); kill "$p" 2>/dev/null; i=0; `+
		`while kill -0 "$p" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done; kill -9 "$p" 2>/dev/null; fi; rm -rf %[2]s`,
		shellQuote(pidFile), shellQuote(dir))
	wd, err := startWatchdog(cleanup)
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	defer func() {
		if err != nil {
			// The start error says more than a cleanup error would. The
			// watchdog removes dir; removing it here too covers a watchdog
			// that could not run its commands.
			_ = wd.stop(time.Minute)
			_ = os.RemoveAll(dir)
		}
	}()

	for range 5 {
		var port int
		port, err = freePort()
		if err != nil {
			return nil, err
		}
		err = redisStart(ctx, bin, dir, pidFile, port)
		if err == nil {
			u := fmt.Sprintf("redis://127.0.0.1:%d/0", port)
			return &server{url: u, stop: func() error { return wd.stop(time.Minute) }}, nil
		}
		if !errors.Is(err, errPortTaken) {
			return nil, err
		}
	}
	return nil, err
}

// redisStart starts redis-server on port and waits until it accepts
// connections.
func redisStart(ctx context.Context, bin, dir, pidFile string, port int) error {
	logFile := filepath.Join(dir, "redis.log")
	_ = os.Remove(logFile) // a previous attempt's log would confuse the checks below
	cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", dir, "--logfile", logFile)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start redis-server: %w", err)
	}
	if err := os.WriteFile(pidFile, []byte(strconv.Itoa(cmd.Process.Pid)), 0o600); err != nil {
		_ = cmd.Process.Kill()
		return fmt.Errorf("write pid file: %w", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()

	// Ready means our own process logged so; a PING alone could be answered
	// by another server that took the port.
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case werr := <-exited:
			tail := logTail(logFile, 15)
			if strings.Contains(tail, "already in use") {
				return fmt.Errorf("%w: %d", errPortTaken, port)
			}
			return fmt.Errorf("redis-server exited: %v\n%s", werr, tail)
		case <-ctx.Done():
			_ = cmd.Process.Kill()
			return fmt.Errorf("redis-server not ready: %w\n%s", ctx.Err(), logTail(logFile, 15))
		case <-tick.C:
			b, _ := os.ReadFile(logFile) // not written yet is not an error
			if strings.Contains(string(b), "Ready to accept connections") {
				return nil
			}
		}
	}
}
