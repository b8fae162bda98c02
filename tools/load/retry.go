package load

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"
)

// Retry is how a client sends a request again after a retryable error
// (see Retryable): exponential backoff with full jitter from Initial up to
// Max, honouring a server's Retry-After up to Max, until MaxElapsed has
// passed since the first attempt. Each attempt gets at most Attempt.
type Retry struct {
	Initial    time.Duration
	Max        time.Duration
	MaxElapsed time.Duration
	Attempt    time.Duration
}

// DefaultRetry rides out a service restart: a restarting registry is back
// within seconds, and the edge itself reconnects with backoff.
var DefaultRetry = Retry{Initial: 50 * time.Millisecond, Max: time.Second, MaxElapsed: 60 * time.Second, Attempt: 15 * time.Second}

// NoRetry makes a single attempt.
var NoRetry = Retry{}

// Do calls fn until it succeeds, fails with an error that is not
// retryable, or the policy gives up; it returns the number of attempts and
// the last error. fn must be safe to repeat: creates reuse their
// request_id.
func (p Retry) Do(ctx context.Context, fn func(ctx context.Context) error) (attempts int, err error) {
	start := time.Now()
	backoff := p.Initial
	for {
		attempts++
		err = p.attempt(ctx, fn)
		if err == nil || !Retryable(err) || p.MaxElapsed <= 0 || ctx.Err() != nil {
			return attempts, err
		}
		wait := time.Duration(0)
		if backoff > 0 {
			wait = rand.N(backoff) + 1
		}
		var se *StatusError
		if errors.As(err, &se) && se.RetryAfter > wait {
			wait = min(se.RetryAfter, max(p.Max, time.Millisecond))
		}
		if time.Since(start)+wait > p.MaxElapsed {
			return attempts, err
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return attempts, err
		case <-t.C:
		}
		backoff = min(backoff*2, p.Max)
	}
}

// attempt runs fn under the per-attempt timeout; running out of it is a
// retryable attemptTimeout, unlike the caller's own deadline.
func (p Retry) attempt(ctx context.Context, fn func(ctx context.Context) error) error {
	if p.Attempt <= 0 {
		return fn(ctx)
	}
	actx, cancel := context.WithTimeout(ctx, p.Attempt)
	defer cancel()
	err := fn(actx)
	if err != nil && ctx.Err() == nil && actx.Err() != nil {
		return &attemptTimeout{err: err}
	}
	return err
}
