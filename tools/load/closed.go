package load

import (
	"context"
	"sync"
	"time"
)

// ClosedResult is the outcome of a closed-loop measurement.
type ClosedResult struct {
	Workers  int
	Elapsed  time.Duration // the measured window
	Errors   int
	FirstErr error
	Latency  Stats // every measured call, failed ones included
}

// PerSecond is the rate of successful calls in the measured window.
func (r ClosedResult) PerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Latency.Count-r.Errors) / r.Elapsed.Seconds()
}

// Closed runs op back to back from workers goroutines: first for warmup
// (not measured: connections, caches and JIT-free but allocation-heavy
// paths settle), then for d, measured. Each worker has its own index and
// counts its calls, so op can build distinct requests without locking.
func Closed(ctx context.Context, workers int, warmup, d time.Duration, op func(ctx context.Context, worker, call int) error) ClosedResult {
	type acc struct {
		lat      []time.Duration
		errs     int
		firstErr error
	}
	accs := make([]acc, workers)
	begin := time.Now()
	measureFrom := begin.Add(warmup)
	end := measureFrom.Add(d)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a := &accs[w]
			a.lat = make([]time.Duration, 0, 4096)
			for call := 0; ctx.Err() == nil; call++ {
				t0 := time.Now()
				if !t0.Before(end) {
					return
				}
				err := op(ctx, w, call)
				if t0.Before(measureFrom) {
					continue
				}
				a.lat = append(a.lat, time.Since(t0))
				if err != nil {
					a.errs++
					if a.firstErr == nil {
						a.firstErr = err
					}
				}
			}
		}()
	}
	wg.Wait()
	// Calls started just before end finish after it; count the window to
	// the last answer so the rate is not inflated.
	window := max(time.Since(measureFrom), d)
	r := ClosedResult{Workers: workers, Elapsed: window}
	var all []time.Duration
	for _, a := range accs {
		all = append(all, a.lat...)
		r.Errors += a.errs
		if r.FirstErr == nil {
			r.FirstErr = a.firstErr
		}
	}
	r.Latency = Summarize(all, r.Errors)
	return r
}
