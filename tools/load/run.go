package load

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"strings"
	"sync"
	"time"

	"google.golang.org/grpc/codes"
)

// Op is the kind of one request of a run.
type Op int

// The requests a run sends.
const (
	OpRead   Op = iota + 1 // GetCooperative of a known cooperative
	OpCreate               // CreateCooperative with a fresh request_id
)

func (o Op) String() string {
	switch o {
	case OpRead:
		return "read"
	case OpCreate:
		return "create"
	}
	return fmt.Sprintf("Op(%d)", int(o))
}

// Config is one load run.
type Config struct {
	// Rate is the number of requests started per second. The schedule is
	// fixed (open loop): a slow answer does not delay the next request,
	// up to MaxInFlight outstanding requests.
	Rate float64
	// Duration is how long requests are started; Run then waits for the
	// outstanding ones.
	Duration time.Duration
	// CreateShare is the fraction of requests that are creates (0..1); the
	// others read a cooperative known to exist (Seed, or one this run
	// created). Until one is known, every request is a create.
	CreateShare float64
	// MaxInFlight bounds outstanding requests (default 512); a start that
	// finds it reached waits and is counted late.
	MaxInFlight int
	// Parent is the chamber creates go to, e.g. "chambers/fes-meknes".
	Parent string
	// RunID prefixes request ids (RunID-000001…); default a random one.
	// Request ids allow [A-Za-z0-9_-], at most 64 characters.
	RunID string
	// Seed are resource names of existing cooperatives to read.
	Seed []string
	// Retry is the client's retry policy for every request.
	Retry Retry
}

// Result is one request of a run, after all its attempts.
type Result struct {
	Op        Op
	Seq       int
	Start     time.Time
	End       time.Time
	Attempts  int
	Err       error
	RequestID string // creates
	Name      string // the cooperative read or created
}

// Latency is the time the caller waited, retries included.
func (r Result) Latency() time.Duration { return r.End.Sub(r.Start) }

// Ack is an acknowledged create: the service answered OK, so the
// cooperative must exist.
type Ack struct {
	RequestID string
	Name      string
}

// Report is what a run did.
type Report struct {
	RunID   string
	Start   time.Time
	Elapsed time.Duration // first start to last answer
	Results []Result      // in schedule order
	// Late counts requests started after their slot because MaxInFlight
	// requests were outstanding.
	Late int
}

// NewRunID returns a random run id usable as a request-id prefix.
func NewRunID() string {
	b := make([]byte, 5)
	_, _ = rand.Read(b) // never fails (crashes the program instead)
	return "ld" + hex.EncodeToString(b)
}

// Run sends cfg.Rate requests per second for cfg.Duration to c and
// returns every result. It stops starting requests when ctx ends; the
// outstanding ones still finish (their own contexts end with ctx).
func Run(ctx context.Context, c Client, cfg Config) (*Report, error) {
	if cfg.Rate <= 0 || cfg.Duration <= 0 {
		return nil, errors.New("load: rate and duration must be positive")
	}
	if cfg.CreateShare < 0 || cfg.CreateShare > 1 {
		return nil, errors.New("load: create share must be within 0..1")
	}
	if !strings.HasPrefix(cfg.Parent, "chambers/") {
		return nil, fmt.Errorf("load: parent %q is not chambers/{chamber}", cfg.Parent)
	}
	if cfg.MaxInFlight <= 0 {
		cfg.MaxInFlight = 512
	}
	if cfg.RunID == "" {
		cfg.RunID = NewRunID()
	}
	n := int(cfg.Rate * cfg.Duration.Seconds())
	interval := time.Duration(float64(time.Second) / cfg.Rate)

	rep := &Report{RunID: cfg.RunID, Results: make([]Result, n)}
	known := &pool{names: append([]string(nil), cfg.Seed...)}
	sem := make(chan struct{}, cfg.MaxInFlight)
	var wg sync.WaitGroup
	rep.Start = time.Now()
	timer := time.NewTimer(0)
	defer timer.Stop()
	scheduled := 0
schedule:
	for i := range n {
		due := rep.Start.Add(time.Duration(i) * interval)
		if d := time.Until(due); d > 0 {
			timer.Reset(d)
			select {
			case <-ctx.Done():
				break schedule
			case <-timer.C:
			}
		}
		select {
		case sem <- struct{}{}:
		default:
			rep.Late++
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				break schedule
			}
		}
		scheduled++
		op, name := OpCreate, ""
		if mrand.Float64() >= cfg.CreateShare {
			if nm, ok := known.pick(); ok {
				op, name = OpRead, nm
			}
		}
		wg.Add(1)
		go func(i int) {
			defer func() { <-sem; wg.Done() }()
			rep.Results[i] = one(ctx, c, cfg, i, op, name, known)
		}(i)
	}
	wg.Wait()
	rep.Results = rep.Results[:scheduled]
	for _, r := range rep.Results {
		rep.Elapsed = max(rep.Elapsed, r.End.Sub(rep.Start))
	}
	return rep, nil
}

func one(ctx context.Context, c Client, cfg Config, seq int, op Op, name string, known *pool) Result {
	r := Result{Op: op, Seq: seq + 1, Start: time.Now(), Name: name}
	switch op {
	case OpRead:
		r.Attempts, r.Err = cfg.Retry.Do(ctx, func(ctx context.Context) error {
			_, err := c.GetCooperative(ctx, name)
			return err
		})
	case OpCreate:
		r.RequestID = fmt.Sprintf("%s-%06d", cfg.RunID, seq+1)
		coop := NewCooperative(r.RequestID)
		r.Attempts, r.Err = cfg.Retry.Do(ctx, func(ctx context.Context) error {
			out, err := c.CreateCooperative(ctx, cfg.Parent, r.RequestID, coop)
			if err == nil {
				r.Name = out.GetName()
			}
			return err
		})
		if r.Err == nil {
			known.add(r.Name)
		}
	}
	r.End = time.Now()
	return r
}

// pool is the set of cooperatives known to exist.
type pool struct {
	mu    sync.Mutex
	names []string
}

func (p *pool) add(name string) {
	p.mu.Lock()
	p.names = append(p.names, name)
	p.mu.Unlock()
}

func (p *pool) pick() (string, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.names) == 0 {
		return "", false
	}
	return p.names[mrand.IntN(len(p.names))], true
}

// Acked returns every acknowledged create.
func (r *Report) Acked() []Ack {
	var out []Ack
	for _, x := range r.Results {
		if x.Op == OpCreate && x.Err == nil {
			out = append(out, Ack{RequestID: x.RequestID, Name: x.Name})
		}
	}
	return out
}

// Failed returns the requests that failed after all their attempts.
func (r *Report) Failed() []Result {
	var out []Result
	for _, x := range r.Results {
		if x.Err != nil {
			out = append(out, x)
		}
	}
	return out
}

// Retried counts the requests that needed more than one attempt.
func (r *Report) Retried() int {
	n := 0
	for _, x := range r.Results {
		if x.Attempts > 1 {
			n++
		}
	}
	return n
}

// Stats summarises the requests of one kind (0: all kinds).
func (r *Report) Stats(op Op) Stats {
	var lat []time.Duration
	failed := 0
	for _, x := range r.Results {
		if op != 0 && x.Op != op {
			continue
		}
		lat = append(lat, x.Latency())
		if x.Err != nil {
			failed++
		}
	}
	return Summarize(lat, failed)
}

// FailureCodes counts failed requests by gRPC code.
func (r *Report) FailureCodes() map[codes.Code]int {
	out := map[codes.Code]int{}
	for _, x := range r.Failed() {
		out[Code(x.Err)]++
	}
	return out
}

// Summary is a one-paragraph account of the run.
func (r *Report) Summary() string {
	var b strings.Builder
	rate := 0.0
	if r.Elapsed > 0 {
		rate = float64(len(r.Results)) / r.Elapsed.Seconds()
	}
	fmt.Fprintf(&b, "run %s: %d requests in %s (%.0f/s), %d failed, %d retried, %d late\n",
		r.RunID, len(r.Results), r.Elapsed.Round(time.Millisecond), rate, len(r.Failed()), r.Retried(), r.Late)
	fmt.Fprintf(&b, "  reads:   %s\n", r.Stats(OpRead))
	fmt.Fprintf(&b, "  creates: %s, acknowledged %d\n", r.Stats(OpCreate), len(r.Acked()))
	for code, n := range r.FailureCodes() {
		fmt.Fprintf(&b, "  failures %s: %d\n", code, n)
	}
	return b.String()
}
