package testenv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strings"
	"time"
)

// watchdog is a shell process that waits for its standard input to close
// and then runs a cleanup script. Only this process holds the pipe's write
// end, so the kernel closes it however the test binary ends (normal exit,
// panic, test timeout, kill), and a throwaway server never outlives its
// tests. It ignores the terminal's signals so that Ctrl-C, which kills the
// test binary, does not also kill the cleanup.
type watchdog struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
}

func startWatchdog(cleanup string) (*watchdog, error) {
	cmd := exec.Command("sh", "-c", "trap '' INT HUP TERM; cat >/dev/null; "+cleanup)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("watchdog pipe: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start watchdog: %w", err)
	}
	return &watchdog{cmd: cmd, stdin: stdin}, nil
}

// stop runs the cleanup now and waits for it to finish.
func (w *watchdog) stop(timeout time.Duration) error {
	_ = w.stdin.Close() // closing is the signal; a second close is harmless
	done := make(chan error, 1)
	go func() { done <- w.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("cleanup: %w", err)
		}
		return nil
	case <-time.After(timeout):
		_ = w.cmd.Process.Kill()
		return fmt.Errorf("cleanup still running after %s", timeout)
	}
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago.
// Servers started on it can still lose a race for it; callers retry.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find free port: %w", err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	if err := l.Close(); err != nil {
		return 0, fmt.Errorf("find free port: %w", err)
	}
	return port, nil
}

// run runs a command and returns its combined output in the error when it
// fails.
func run(ctx context.Context, argv ...string) error {
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := cmd.Run(); err != nil {
		if msg := strings.TrimSpace(out.String()); msg != "" {
			return fmt.Errorf("%s: %w: %s", argv[0], err, msg)
		}
		return fmt.Errorf("%s: %w", argv[0], err)
	}
	return nil
}

// shellQuote quotes s for sh.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// shellJoin quotes each word of a command line for sh.
func shellJoin(argv ...string) string {
	q := make([]string, len(argv))
	for i, a := range argv {
		q[i] = shellQuote(a)
	}
	return strings.Join(q, " ")
}

// logTail returns the last lines of a log file, to explain a failed start.
func logTail(path string, lines int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Sprintf("(no log: %v)", err)
	}
	all := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(all) > lines {
		all = all[len(all)-lines:]
	}
	return strings.Join(all, "\n")
}

// errPortTaken marks a start that failed because another process took the
// port first.
var errPortTaken = errors.New("port taken")
