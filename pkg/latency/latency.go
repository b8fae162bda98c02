// Package latency measures calls as their callers see them: a number of
// concurrent callers sharing a number of calls, the latency of each call,
// and percentiles of those latencies. Benchmarks report through Bench; load
// tools read Percentile.
package latency

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// Percentile returns the p-th percentile (nearest rank) of sorted, or 0
// when it is empty.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	// Nearest rank: the smallest value with at least p% of values at or
	// below it.
	rank := int(p/100*float64(len(sorted)) + 0.999999999)
	rank = min(max(rank, 1), len(sorted))
	return sorted[rank-1]
}

// Callers is how calls are made.
type Callers struct {
	// N is the number of goroutines calling concurrently (at least 1).
	N int
	// Yield has each caller yield the processor between its calls, as an
	// RPC handler's goroutine parks on its connection between requests:
	// callers then take turns after every call, not only when the
	// scheduler preempts one that ran 10 ms without blocking.
	Yield bool
}

// Sample is the outcome of a Run.
type Sample struct {
	Latencies []time.Duration // of each call that succeeded, sorted
	Took      time.Duration   // from the first call's start to the last one's end
}

// Percentile is the p-th percentile of the latencies.
func (s Sample) Percentile(p float64) time.Duration { return Percentile(s.Latencies, p) }

// Rate is the calls per second that ended.
func (s Sample) Rate() float64 {
	if s.Took <= 0 {
		return 0
	}
	return float64(len(s.Latencies)) / s.Took.Seconds()
}

// Run makes calls calls of call, numbered 0 to calls-1, shared among c.N
// goroutines (each takes the next number when its last call returns), and
// times each. A failed call stops its caller; Run returns the first error
// with the sample of the calls that succeeded.
func Run(c Callers, calls int, call func(i int) error) (Sample, error) {
	callers := max(c.N, 1)
	var (
		next  atomic.Int64
		wg    sync.WaitGroup
		lats  = make([][]time.Duration, callers)
		errs  = make([]error, callers)
		began = time.Now()
	)
	for g := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			local := make([]time.Duration, 0, calls/callers+1)
			defer func() { lats[g] = local }()
			for {
				i := int(next.Add(1)) - 1
				if i >= calls {
					return
				}
				start := time.Now()
				if err := call(i); err != nil {
					errs[g] = fmt.Errorf("call %d: %w", i, err)
					return
				}
				local = append(local, time.Since(start))
				if c.Yield {
					runtime.Gosched()
				}
			}
		}()
	}
	wg.Wait()
	s := Sample{Latencies: slices.Concat(lats...), Took: time.Since(began)}
	slices.Sort(s.Latencies)
	for _, err := range errs {
		if err != nil {
			return s, err
		}
	}
	return s, nil
}

// Bench runs b.N calls of call with c (Run) inside b's timer and reports
// the p50, p95 and p99 of one call in milliseconds (p50-ms, p95-ms,
// p99-ms) and the calls per second (calls/s); a failed call fails b.
func Bench(b *testing.B, c Callers, call func(i int) error) Sample {
	b.Helper()
	b.ResetTimer()
	s, err := Run(c, b.N, call)
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	if len(s.Latencies) > 0 {
		for _, p := range []float64{50, 95, 99} {
			b.ReportMetric(float64(s.Percentile(p).Microseconds())/1000, fmt.Sprintf("p%g-ms", p))
		}
		b.ReportMetric(s.Rate(), "calls/s")
	}
	return s
}

// ProcessCPU is the user and system CPU time this process has used. On a
// machine shared with other work a benchmark's CPU per call, read as the
// difference of two calls, varies far less than its wall time, which
// mostly measures waiting for a core.
func ProcessCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// PidCPU is the user and system CPU time process pid has used, read from
// /proc/PID/stat (fields 14 and 15, in clock ticks of 1/100 s on Linux):
// the CPU a server spends on a load run against it.
func PidCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name, in parentheses, may hold spaces: fields are
	// counted after its closing one, from field 3.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: %d fields after the command, want at least 13", pid, len(f))
	}
	var ticks int64
	for _, v := range f[11:13] {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("/proc/%d/stat: %w", pid, err)
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / 100, nil
}
