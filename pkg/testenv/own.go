package testenv

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Own is a server started for one test alone, which the test may crash and
// restart (fault tests). Unlike Postgres and Redis it never uses a server
// named by the environment: a shared server must not be restarted.
type Own struct {
	// URL is the server's DSN (PostgreSQL, database "postgres") or redis://
	// URL. It stays the same across restarts: the server comes back on the
	// same port.
	URL     string
	mu      sync.Mutex
	restart func(ctx context.Context) error
}

// Restart crashes the server (PostgreSQL: immediate shutdown, crash recovery
// at start; Redis: SIGKILL, and without persistence it comes back empty) and
// starts it again on the same port, returning once it accepts connections.
func (o *Own) Restart(ctx context.Context) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.restart(ctx)
}

// durableConf follows postgresConf for an own cluster: a crash test must not
// lose commits it was told were durable, so WAL is flushed at commit.
const durableConf = `
fsync = on
synchronous_commit = on
full_page_writes = on
`

// OwnPostgres starts a PostgreSQL server for t alone, stopped when t ends.
func OwnPostgres(t testing.TB) *Own {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	o, stop, err := startOwnPostgres(ctx)
	if err != nil {
		Unavailable(t, fmt.Errorf("own PostgreSQL unavailable: %w", err))
		return nil
	}
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Errorf("testenv: stop own PostgreSQL: %v", err)
		}
	})
	return o
}

func startOwnPostgres(ctx context.Context) (_ *Own, stop func() error, err error) {
	bin, err := postgresBinDir()
	if err != nil {
		return nil, nil, err
	}
	var asPG []string
	dir, err := os.MkdirTemp("", "hirfa-testenv-ownpg-")
	if err != nil {
		return nil, nil, fmt.Errorf("temp dir: %w", err)
	}
	if os.Geteuid() == 0 {
		asPG = []string{"runuser", "-u", "postgres", "--"}
		if err := chownToPostgres(dir); err != nil {
			_ = os.RemoveAll(dir)
			return nil, nil, err
		}
	}
	data := filepath.Join(dir, "data")
	logFile := filepath.Join(dir, "postgres.log")
	pgctl := filepath.Join(bin, "pg_ctl")
	stopCmd := shellJoin(append(slices.Clone(asPG), pgctl, "-D", data, "-m", "fast", "-w", "-t", "30", "stop")...)
	wd, err := startWatchdog(stopCmd + " >/dev/null 2>&1; rm -rf " + shellQuote(dir))
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, nil, err
	}
	stop = func() error { return wd.stop(time.Minute) }
	defer func() {
		if err != nil {
			_ = stop()
		}
	}()
	if err := initCluster(ctx, bin, asPG, data); err != nil {
		return nil, nil, err
	}
	if err := appendFile(filepath.Join(data, "postgresql.conf"), postgresConf+durableConf); err != nil {
		return nil, nil, err
	}
	for range 5 {
		var port int
		if port, err = freePort(); err != nil {
			return nil, nil, err
		}
		err = pgCtlStart(ctx, asPG, pgctl, data, logFile, port)
		if err == nil {
			o := &Own{URL: fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)}
			o.restart = func(ctx context.Context) error {
				if err := run(ctx, append(slices.Clone(asPG), pgctl, "-D", data, "-m", "immediate", "-w", "-t", "30", "stop")...); err != nil {
					return fmt.Errorf("crash PostgreSQL: %w", err)
				}
				return pgCtlStart(ctx, asPG, pgctl, data, logFile, port)
			}
			return o, stop, nil
		}
		if !errors.Is(err, errPortTaken) {
			return nil, nil, err
		}
	}
	return nil, nil, err
}

// OwnRedis starts a redis-server without persistence for t alone, stopped
// when t ends.
func OwnRedis(t testing.TB) *Own {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	o, stop, err := startOwnRedis(ctx)
	if err != nil {
		Unavailable(t, fmt.Errorf("own Redis unavailable: %w", err))
		return nil
	}
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Errorf("testenv: stop own Redis: %v", err)
		}
	})
	return o
}

func startOwnRedis(ctx context.Context) (_ *Own, stop func() error, err error) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		return nil, nil, errors.New("redis-server not found (install the redis-server package)")
	}
	dir, err := os.MkdirTemp("", "hirfa-testenv-ownredis-")
	if err != nil {
		return nil, nil, fmt.Errorf("temp dir: %w", err)
	}
	pidFile := filepath.Join(dir, "redis.pid")
	cleanup := fmt.Sprintf(`if [ -s %[1]s ]; then kill -9 "$(cat %[1]s)" 2>/dev/null; fi; rm -rf %[2]s`, shellQuote(pidFile), shellQuote(dir))
	wd, err := startWatchdog(cleanup)
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, nil, err
	}
	stop = func() error { return wd.stop(time.Minute) }
	defer func() {
		if err != nil {
			_ = stop()
		}
	}()
	for range 5 {
		var port int
		if port, err = freePort(); err != nil {
			return nil, nil, err
		}
		err = redisStart(ctx, bin, dir, pidFile, port)
		if err == nil {
			o := &Own{URL: fmt.Sprintf("redis://127.0.0.1:%d/0", port)}
			o.restart = func(ctx context.Context) error {
				if err := killPidFile(pidFile); err != nil {
					return err
				}
				return redisStart(ctx, bin, dir, pidFile, port)
			}
			return o, stop, nil
		}
		if !errors.Is(err, errPortTaken) {
			return nil, nil, err
		}
	}
	return nil, nil, err
}

// killPidFile sends SIGKILL to the process in pidFile and waits until it is
// gone, so its port is free again.
func killPidFile(pidFile string) error {
	b, err := os.ReadFile(pidFile)
	if err != nil {
		return fmt.Errorf("read pid file: %w", err)
	}
	pid, err := strconv.Atoi(string(b))
	if err != nil {
		return fmt.Errorf("pid file: %w", err)
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		return fmt.Errorf("kill %d: %w", pid, err)
	}
	for range 200 {
		if syscall.Kill(pid, 0) != nil {
			return nil
		}
		time.Sleep(10 * time.Millisecond)
	}
	return fmt.Errorf("process %d still running after SIGKILL", pid)
}
