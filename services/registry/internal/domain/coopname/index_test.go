package coopname

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hirfa/hirfa/pkg/latency"
	"github.com/hirfa/hirfa/services/registry/internal/domain/coopname/coopnametest"
)

func TestIndexFindsConflictsAndOnlyThem(t *testing.T) {
	x := NewIndex()
	x.Put("chambers/fes-meknes/cooperatives/1", "COOPERATIVE", "تعاونية الأطلس للنسيج")
	x.Put("chambers/rabat-sale-kenitra/cooperatives/2", "COOPERATIVE", "Coopérative Tifawt")
	x.Put("nameRequests/7", "RESERVED", "Coopérative Mohammed Elfassi")
	x.Put("chambers/oriental/cooperatives/3", "COOPERATIVE", "تعاونية الريف للنسيج")
	x.Put("chambers/oriental/cooperatives/4", "UNION", "Union Sahara")

	refs := func(hits []Hit) []string {
		var out []string
		for _, h := range hits {
			out = append(out, h.Ref)
		}
		slices.Sort(out)
		return out
	}
	cases := []struct {
		query string
		want  []string
	}{
		{"Coopérative Atlas", []string{"chambers/fes-meknes/cooperatives/1"}},
		{"اتحاد تيفاوت", []string{"chambers/rabat-sale-kenitra/cooperatives/2"}},
		{"محمد الفاسي", []string{"nameRequests/7"}},
		{"Mohamed El Fassi", []string{"nameRequests/7"}},
		{"تعاونية النسيج", nil},
		{"Coopérative Tissage Argane Dades", nil},
		{"جمعية الصحراء", []string{"chambers/oriental/cooperatives/4"}},
	}
	for _, c := range cases {
		if got := refs(x.Check(c.query, 10)); !slices.Equal(got, c.want) {
			t.Errorf("Check(%q) = %v, want %v", c.query, got, c.want)
		}
	}

	// Replacing and removing a name takes effect at once.
	x.Put("chambers/oriental/cooperatives/4", "UNION", "Union Oasis")
	if got := x.Check("جمعية الصحراء", 10); len(got) != 0 {
		t.Errorf("renamed entry still answers under its old name: %v", got)
	}
	x.Remove("nameRequests/7")
	if got := x.Check("محمد الفاسي", 10); len(got) != 0 {
		t.Errorf("removed entry still answers: %v", got)
	}
	if x.Len() != 4 {
		t.Errorf("Len = %d, want 4", x.Len())
	}
}

// The index must answer exactly what comparing the query with every held
// name answers, for names drawn like real ones.
func TestIndexAgreesWithFullScan(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	x := NewIndex()
	var all []Entry
	for i := range 3000 {
		ref := fmt.Sprint(i)
		name := syntheticName(r)
		x.Put(ref, "COOPERATIVE", name)
		all = append(all, Entry{Ref: ref, Name: Analyze(name)})
	}
	missed := 0
	for range 200 {
		q := syntheticName(r)
		aq := Analyze(q)
		got := map[string]bool{}
		for _, h := range x.Check(q, 0) {
			got[h.Ref] = true
		}
		for _, e := range all {
			m := Compare(aq, e.Name)
			if m.Conflicts() && !got[e.Ref] {
				missed++
				if missed < 5 {
					t.Errorf("index missed %q vs %q (%.2f %v)", q, e.Name.Raw, m.Score, m.Reason)
				}
			}
		}
	}
	if missed > 0 {
		t.Errorf("index missed %d conflicts a full scan finds", missed)
	}
}

// syntheticName draws a cooperative name in either script
// (coopnametest.Name).
func syntheticName(r *rand.Rand) string {
	return coopnametest.Name(r, r.IntN(2) == 0)
}

// BenchmarkCheck100k measures the name check over 100,000 held names at
// one and at 16 concurrent callers, with p50, p95 and p99 of one check.
//
//	go test -run '^$' -bench Check100k -benchtime 20000x ./internal/domain/coopname/
//
// A check is short CPU work that never blocks, so with more callers than
// cores its latency is mostly queueing, which the sub-benchmarks separate:
//
//   - callers=N: N goroutines checking back to back. None of them ever
//     blocks, so the Go scheduler rotates them only by preempting one that
//     ran 10 ms: a check caught by that waits for every other runnable
//     caller's 10 ms, and the p99 is then set by GOMAXPROCS, the caller
//     count and the machine's load, not by the check.
//   - callers=N/spin: the same callers making a call of fixed CPU work
//     calibrated in the same run to the mean check: the tail any call of
//     that cost gets from the scheduler and the machine (the baseline).
//   - callers=N/noop: an empty call: the harness's own tail.
//   - callers=N/yielding: each caller yields between checks, as an RPC
//     handler's goroutine parks on its connection between requests, so
//     callers rotate after every check rather than every 10 ms.
func BenchmarkCheck100k(b *testing.B) {
	x, queries := bench100k()
	check := func(i int) int { return len(x.Check(queries[i%len(queries)], 20)) }
	// Calibrate the spin baseline to the mean check, measured here.
	start := time.Now()
	for i := range len(queries) {
		check(i)
	}
	mean := time.Since(start) / time.Duration(len(queries))
	rounds := spinRounds(mean)
	for _, callers := range []int{1, 16} {
		b.Run(fmt.Sprintf("callers=%d", callers), func(b *testing.B) { benchCallers(b, callers, false, check) })
		b.Run(fmt.Sprintf("callers=%d/spin", callers), func(b *testing.B) {
			benchCallers(b, callers, false, func(int) int { return spin(rounds) })
			b.ReportMetric(float64(mean.Microseconds())/1000, "spin-ms")
		})
		b.Run(fmt.Sprintf("callers=%d/noop", callers), func(b *testing.B) { benchCallers(b, callers, false, func(int) int { return 0 }) })
		if callers > 1 {
			b.Run(fmt.Sprintf("callers=%d/yielding", callers), func(b *testing.B) { benchCallers(b, callers, true, check) })
		}
	}
}

var spinSink uint64

// spin does rounds of integer work that the compiler cannot drop.
func spin(rounds int) int {
	h := uint64(rounds)
	for i := range rounds {
		h ^= h<<13 + uint64(i)
		h ^= h >> 7
	}
	atomic.AddUint64(&spinSink, h&1)
	return 0
}

// spinRounds is the number of spin rounds taking d on one core.
func spinRounds(d time.Duration) int {
	rounds := 1 << 16
	for {
		start := time.Now()
		spin(rounds)
		if took := time.Since(start); took >= 20*time.Millisecond {
			return max(1, int(float64(rounds)*float64(d)/float64(took)))
		}
		rounds *= 2
	}
}

var (
	benchOnce    sync.Once
	benchIndex   *Index
	benchQueries []string
)

func bench100k() (*Index, []string) {
	benchOnce.Do(func() {
		r := rand.New(rand.NewPCG(3, 4))
		benchIndex = NewIndex()
		for i := range 100_000 {
			benchIndex.Put(fmt.Sprint(i), "COOPERATIVE", syntheticName(r))
		}
		benchQueries = make([]string, 4096)
		for i := range benchQueries {
			benchQueries[i] = syntheticName(r)
		}
	})
	return benchIndex, benchQueries
}

// benchCallers runs b.N calls shared among callers goroutines
// (latency.Bench: p50, p95 and p99 of one call, calls/s) and reports the
// mean of call's results per call (hits/call).
func benchCallers(b *testing.B, callers int, yield bool, call func(i int) int) {
	var hits atomic.Int64
	s := latency.Bench(b, latency.Callers{N: callers, Yield: yield}, func(i int) error {
		if n := call(i); n != 0 {
			hits.Add(int64(n))
		}
		return nil
	})
	if len(s.Latencies) > 0 {
		b.ReportMetric(float64(hits.Load())/float64(len(s.Latencies)), "hits/call")
	}
}
