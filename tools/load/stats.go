package load

import (
	"fmt"
	"slices"
	"time"

	"github.com/hirfa/hirfa/pkg/latency"
)

// Stats summarises the latencies of one kind of call.
type Stats struct {
	Count  int
	Failed int
	P50    time.Duration
	P90    time.Duration
	P99    time.Duration
	Max    time.Duration
}

// Summarize computes Stats over latencies (all calls) with failed of them
// failed. latencies is sorted in place.
func Summarize(latencies []time.Duration, failed int) Stats {
	s := Stats{Count: len(latencies), Failed: failed}
	if len(latencies) == 0 {
		return s
	}
	slices.Sort(latencies)
	s.P50 = latency.Percentile(latencies, 50)
	s.P90 = latency.Percentile(latencies, 90)
	s.P99 = latency.Percentile(latencies, 99)
	s.Max = latencies[len(latencies)-1]
	return s
}

func (s Stats) String() string {
	return fmt.Sprintf("n=%d failed=%d p50=%s p90=%s p99=%s max=%s", s.Count, s.Failed, Round(s.P50), Round(s.P90), Round(s.P99), Round(s.Max))
}

// Round shortens a duration for reports: microseconds below 10 ms, then
// tenths of milliseconds.
func Round(d time.Duration) time.Duration {
	if d < 10*time.Millisecond {
		return d.Round(time.Microsecond)
	}
	return d.Round(100 * time.Microsecond)
}
