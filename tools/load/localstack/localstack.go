// Package localstack drives deploy/local/up.sh and down.sh from Go: it
// starts the suite as separate processes on given PostgreSQL and Redis
// servers, signals and restarts single services, and issues tokens from the
// stack's dev issuer. The end-to-end tests use it; so can any program that
// needs a real multi-process stack.
package localstack

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/auth/devissuer"
)

// Options configure Up.
type Options struct {
	// Root is the repository root (holding deploy/local); see RepoRoot.
	Root string
	// Dir keeps the stack's state (pids, environments, logs under log/).
	Dir string
	// Bin holds the service binaries (registry, gateway, …).
	Bin string
	// PostgresURL is a server whose role may create databases; RedisURL a
	// Redis server. Both required: tests bring their own servers.
	PostgresURL string
	RedisURL    string
	// DBPrefix names the databases DBPrefix<service>; make it unique per
	// stack on a shared server.
	DBPrefix string
	// Env are extra KEY=VALUE inputs of up.sh (HIRFA_SHUTDOWN_TIMEOUT,
	// HIRFA_SEED_DEMO, HIRFA_LOG_LEVEL, HIRFA_RATE_LIMITS…).
	Env []string
}

// Stack is a running stack.
type Stack struct {
	root string
	// Dir is the state directory.
	Dir string
	// HTTP is the REST edge's base URL, e.g. http://127.0.0.1:23456.
	HTTP string
	// Services are the gRPC services in start order.
	Services []string
	// KeyFile is the dev issuer key every process reads.
	KeyFile string
	env     map[string]string
}

// RepoRoot finds the repository root: the nearest parent of the working
// directory holding go.work.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("repo root: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.work")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("repo root: no go.work above the working directory")
		}
		dir = parent
	}
}

// Services returns the gRPC services up.sh runs, in start order.
func Services(ctx context.Context, root string) ([]string, error) {
	cmd := exec.CommandContext(ctx, "bash", filepath.Join(root, "deploy/local/up.sh"), "services")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("up.sh services: %w", err)
	}
	return strings.Fields(string(out)), nil
}

// Build compiles the binaries up.sh starts (every service, the gateway and
// hirfactl) into out, with the workspace's default build settings so that
// the build cache of `go test` is reused.
func Build(ctx context.Context, root, out string) error {
	services, err := Services(ctx, root)
	if err != nil {
		return err
	}
	pkgs := []string{"./services/gateway/cmd/gateway", "./services/gateway/cmd/hirfactl"}
	for _, s := range services {
		pkgs = append(pkgs, "./services/"+s+"/cmd/"+s)
	}
	cmd := exec.CommandContext(ctx, "go", append([]string{"build", "-o", out + string(filepath.Separator)}, pkgs...)...)
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %w\n%s", err, b)
	}
	return nil
}

// Up starts the stack on free loopback ports and waits until the edge is
// ready. The processes stop by themselves if this process ends without
// calling Down.
func Up(ctx context.Context, o Options) (*Stack, error) {
	if o.PostgresURL == "" || o.RedisURL == "" {
		return nil, errors.New("localstack: PostgresURL and RedisURL are required")
	}
	args := []string{filepath.Join(o.Root, "deploy/local/up.sh"), "--dir", o.Dir, "--log-dir", filepath.Join(o.Dir, "log"),
		"--bin", o.Bin, "--free-ports", "--db-prefix", o.DBPrefix, "--owner", strconv.Itoa(os.Getpid())}
	cmd := exec.CommandContext(ctx, "bash", args...)
	cmd.Dir = o.Root
	cmd.Env = append(cleanEnv(), "HIRFA_POSTGRES_URL="+o.PostgresURL, "HIRFA_REDIS_URL="+o.RedisURL)
	cmd.Env = append(cmd.Env, o.Env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("up.sh: %w\n%s", err, out)
	}
	s := &Stack{root: o.Root, Dir: o.Dir}
	if s.env, err = readEnv(filepath.Join(o.Dir, "stack.env")); err != nil {
		return nil, err
	}
	s.HTTP = s.env["HIRFA_STACK_HTTP"]
	s.Services = strings.Fields(s.env["HIRFA_STACK_SERVICES"])
	s.KeyFile = s.env["HIRFA_AUTH_DEV_KEY_FILE"]
	return s, nil
}

// ServiceEnv returns the variables up.sh gave a service (DIR/<name>.env).
func (s *Stack) ServiceEnv(name string) (map[string]string, error) {
	return readEnv(filepath.Join(s.Dir, name+".env"))
}

// cleanEnv is this process's environment without HIRFA_* variables, so
// up.sh sees only the inputs given in Options.
func cleanEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "HIRFA_") {
			out = append(out, kv)
		}
	}
	return out
}

// readEnv parses the KEY='value' lines (optionally prefixed by export)
// that up.sh writes.
func readEnv(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	env := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := strings.TrimPrefix(sc.Text(), "export ")
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		env[k] = strings.TrimSuffix(strings.TrimPrefix(v, "'"), "'")
	}
	return env, nil
}

// Down stops the stack (SIGTERM, gateway first) and, with drop, drops its
// databases.
func (s *Stack) Down(ctx context.Context, drop bool) error {
	args := []string{filepath.Join(s.root, "deploy/local/down.sh"), "--dir", s.Dir}
	if drop {
		args = append(args, "--drop-databases")
	}
	cmd := exec.CommandContext(ctx, "bash", args...)
	cmd.Dir = s.root
	cmd.Env = cleanEnv()
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("down.sh: %w\n%s", err, out)
	}
	return nil
}

// Addr is the gRPC address of a service.
func (s *Stack) Addr(service string) string {
	return s.env["HIRFA_STACK_"+strings.ToUpper(strings.ReplaceAll(service, "-", "_"))+"_ADDR"]
}

// LogFile is the path of a process's log.
func (s *Stack) LogFile(name string) string {
	return filepath.Join(s.env["HIRFA_STACK_LOG_DIR"], name+".log")
}

// Pid is the process id of a running service (or "gateway").
func (s *Stack) Pid(name string) (int, error) {
	b, err := os.ReadFile(filepath.Join(s.Dir, name+".pid"))
	if err != nil {
		return 0, fmt.Errorf("pid of %s: %w", name, err)
	}
	return strconv.Atoi(strings.TrimSpace(string(b)))
}

// Signal sends sig to a service and returns its pid.
func (s *Stack) Signal(name string, sig syscall.Signal) (int, error) {
	pid, err := s.Pid(name)
	if err != nil {
		return 0, err
	}
	if err := syscall.Kill(pid, sig); err != nil {
		return pid, fmt.Errorf("signal %s (pid %d): %w", name, pid, err)
	}
	return pid, nil
}

// WaitExit waits until the process pid of service name has ended and
// returns its exit status as its supervisor recorded it (128+n after
// signal n) and when the end was seen (polled every 5 ms).
func (s *Stack) WaitExit(ctx context.Context, name string, pid int) (int, time.Time, error) {
	exitFile := filepath.Join(s.Dir, name+".exit")
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	var gone time.Time
	for {
		if gone.IsZero() && !running(pid) {
			gone = time.Now()
		}
		if !gone.IsZero() {
			if b, err := os.ReadFile(exitFile); err == nil && len(bytes.TrimSpace(b)) > 0 {
				rc, err := strconv.Atoi(strings.TrimSpace(string(b)))
				return rc, gone, err
			}
		}
		select {
		case <-ctx.Done():
			return 0, gone, fmt.Errorf("wait for %s (pid %d) to exit: %w", name, pid, ctx.Err())
		case <-t.C:
		}
	}
}

// running reports whether pid is a live process (not a zombie).
func running(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// The state follows the parenthesised command name.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 || i+2 >= len(b) {
		return false
	}
	st := b[i+2]
	return st != 'Z' && st != 'X'
}

// Start (re)starts one service with its recorded environment and waits
// until it listens.
func (s *Stack) Start(ctx context.Context, name string) error {
	cmd := exec.CommandContext(ctx, "bash", filepath.Join(s.root, "deploy/local/up.sh"), "--dir", s.Dir, "start", name)
	cmd.Dir = s.root
	cmd.Env = cleanEnv()
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("up.sh start %s: %w\n%s", name, err, out)
	}
	return nil
}

// Token issues a dev token for role in chamber ("" for national roles).
func (s *Stack) Token(role auth.Role, chamber, subject string) (string, error) {
	iss, err := devissuer.Load(s.KeyFile)
	if err != nil {
		return "", err
	}
	return iss.Issue(devissuer.Claims{Subject: subject, Role: role, Chamber: chamber, TTL: time.Hour})
}

// Tail returns the last n lines of a process's log, for failure reports.
func (s *Stack) Tail(name string, n int) string {
	b, err := os.ReadFile(s.LogFile(name))
	if err != nil {
		return err.Error()
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
