package testenv

import (
	"testing"
	"time"

	"github.com/hirfa/hirfa/pkg/latency"
)

// ProcessCPU is the user+system CPU time process pid has spent
// (latency.PidCPU), failing the test when the process is not on this
// machine. Benchmarks read it for one PostgreSQL backend (SELECT
// pg_backend_pid() on a pool of one connection) around the work they
// measure: the server's cost of that work alone, whatever else loads the
// machine. The unit is the kernel's clock tick (10 ms), so a figure per
// operation needs a thousand operations or more.
func ProcessCPU(tb testing.TB, pid int) time.Duration {
	tb.Helper()
	d, err := latency.PidCPU(pid)
	if err != nil {
		tb.Fatalf("process %d is not on this machine: %v", pid, err)
	}
	return d
}
