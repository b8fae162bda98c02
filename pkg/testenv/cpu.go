package testenv

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// ProcessCPU is the user+system CPU time process pid has spent, read from
// /proc (so the process must run on this machine). Benchmarks read it for
// one PostgreSQL backend (SELECT pg_backend_pid() on a pool of one
// connection) around the work they measure: the server's cost of that work
// alone, whatever else loads the machine. The unit is the kernel's clock
// tick (10 ms), so a figure per operation needs a thousand operations or
// more.
func ProcessCPU(tb testing.TB, pid int) time.Duration {
	tb.Helper()
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		tb.Fatalf("process %d is not on this machine: %v", pid, err)
	}
	// The fields after the parenthesised command name: state ppid …
	// utime(14) stime(15), in USER_HZ (100 on every Linux Go supports).
	s := string(raw)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	u, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(u+st) * 10 * time.Millisecond
}
