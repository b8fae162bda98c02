package latency

import (
	"errors"
	"os"
	"slices"
	"sync"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		out := make([]time.Duration, len(v))
		for i, x := range v {
			out[i] = time.Duration(x) * time.Millisecond
		}
		return out
	}
	for _, tc := range []struct {
		in   []time.Duration
		p    float64
		want time.Duration
	}{
		{nil, 50, 0},
		{ms(7), 99, 7 * time.Millisecond},
		{ms(1, 2, 3, 4), 50, 2 * time.Millisecond},
		{ms(1, 2, 3, 4), 51, 3 * time.Millisecond},
		{ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 90, 9 * time.Millisecond},
		{ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 95, 10 * time.Millisecond},
		{ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 99, 10 * time.Millisecond},
		{ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 100, 10 * time.Millisecond},
	} {
		if got := Percentile(tc.in, tc.p); got != tc.want {
			t.Errorf("Percentile(%v, %v) = %v, want %v", tc.in, tc.p, got, tc.want)
		}
	}
}

// Every call number is made once, whatever the caller count, and each
// call's latency is in the sample, sorted.
func TestRunMakesEachCallOnce(t *testing.T) {
	for _, c := range []Callers{{N: 1}, {N: 7}, {N: 16, Yield: true}, {}} {
		var (
			mu   sync.Mutex
			seen []int
		)
		s, err := Run(c, 100, func(i int) error {
			mu.Lock()
			defer mu.Unlock()
			seen = append(seen, i)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(seen)
		if len(seen) != 100 {
			t.Fatalf("%+v: %d calls made, want 100", c, len(seen))
		}
		for i, n := range seen {
			if n != i {
				t.Fatalf("%+v: calls made %v, want 0 to 99 once each", c, seen)
			}
		}
		if len(s.Latencies) != 100 || !slices.IsSorted(s.Latencies) || s.Took <= 0 {
			t.Errorf("%+v: sample of %d latencies, sorted %v, took %s", c, len(s.Latencies), slices.IsSorted(s.Latencies), s.Took)
		}
	}
}

// A failed call stops its caller and is returned; the other calls made
// are in the sample.
func TestRunReturnsAFailure(t *testing.T) {
	boom := errors.New("boom")
	s, err := Run(Callers{N: 1}, 10, func(i int) error {
		if i == 3 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) || len(s.Latencies) != 3 {
		t.Errorf("Run = %d latencies, %v; want 3 and the call's error", len(s.Latencies), err)
	}
}

// TestProcessCPU: work on the processor shows in ProcessCPU, and a sleep
// adds less than that work did.
func TestProcessCPU(t *testing.T) {
	const work = 20 * time.Millisecond
	start := ProcessCPU()
	// Spin until the process has used work's CPU time, however long a
	// busy machine makes that; the wall deadline only ends a test that
	// would never see it.
	for deadline := time.Now().Add(time.Minute); ProcessCPU()-start < work; {
		if time.Now().After(deadline) {
			t.Fatalf("a minute of spinning added %s of CPU time", ProcessCPU()-start)
		}
	}
	before := ProcessCPU()
	time.Sleep(50 * time.Millisecond)
	if idle := ProcessCPU() - before; idle >= work {
		t.Errorf("a 50 ms sleep added %s of CPU time, as much as %s of work", idle, work)
	}
}

// TestPidCPU: a process's CPU time read from /proc grows as it works, and
// a missing process is an error.
func TestPidCPU(t *testing.T) {
	pid := os.Getpid()
	start, err := PidCPU(pid)
	if err != nil {
		t.Fatal(err)
	}
	// /proc counts in ticks of 10 ms: spin until two have passed.
	for deadline := time.Now().Add(time.Minute); ; {
		now, err := PidCPU(pid)
		if err != nil {
			t.Fatal(err)
		}
		if now-start >= 20*time.Millisecond {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("a minute of spinning added %s of CPU time in /proc", now-start)
		}
	}
	if _, err := PidCPU(1 << 30); err == nil {
		t.Error("the CPU time of a process that does not exist was read")
	}
}
