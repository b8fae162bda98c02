package edge

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"testing"
	"time"

	"github.com/hirfa/hirfa/pkg/ratelimit"
)

// fixedLimiter allows every request with the same answer and allocates
// nothing, so the test below counts the guard's own allocations only.
type fixedLimiter struct{}

func (fixedLimiter) Allow(context.Context, string, ratelimit.Limit) (ratelimit.Result, error) {
	return ratelimit.Result{Allowed: true, Remaining: 999, ResetAfter: time.Second}, nil
}

// headerWriter is a ResponseWriter that keeps only the header map, reused
// from one call to the next.
type headerWriter struct{ h http.Header }

func (w headerWriter) Header() http.Header       { return w.h }
func (headerWriter) Write(b []byte) (int, error) { return len(b), nil }
func (headerWriter) WriteHeader(int)             {}

// TestRateLimitHeadersCostNoCanonicalisation: an allowed request gets its
// three RateLimit headers under the names Header.Set would give them, and
// setting them costs one allocation, the array of the three values (the
// bucket key and the remaining count's digits aside): neither a fresh
// canonical name per header on every request, as Header.Set made, nor a
// slice per value.
func TestRateLimitHeadersCostNoCanonicalisation(t *testing.T) {
	g := &Guard{Limiter: fixedLimiter{}, Limits: DefaultLimits(), Logger: slog.New(slog.DiscardHandler)}
	h := g.rateLimit(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	r := httptest.NewRequest(http.MethodGet, "/v1/chambers/fes-meknes", nil)
	w := headerWriter{h: http.Header{}}
	h.ServeHTTP(w, r)
	want := http.Header{}
	want.Set("RateLimit-Limit", "60") // the anonymous burst
	want.Set("RateLimit-Remaining", "999")
	want.Set("RateLimit-Reset", "1")
	for k, v := range want {
		if got := w.h[k]; len(got) != 1 || got[0] != v[0] {
			t.Errorf("%s = %q, want %q (all: %v)", k, got, v, w.h)
		}
	}
	if len(w.h) != len(want) {
		t.Errorf("headers %v, want %v", w.h, want)
	}
	// "ip:"+address, "999", and the three values' one array.
	const max = 3
	if n := testing.AllocsPerRun(200, func() { clear(w.h); h.ServeHTTP(w, r) }); n > max {
		t.Errorf("%.0f allocations per request, want at most %d", n, max)
	}
}

// TestOutgoingHeaderNamesCanonical: the HTTP names of a service's response
// metadata come back canonical, so Header.Add keeps them as they are, and
// the content-type every answer carries costs no allocation at all.
func TestOutgoingHeaderNamesCanonical(t *testing.T) {
	for k, want := range map[string]string{
		"content-type":        "Grpc-Metadata-Content-Type",
		"content-disposition": "Content-Disposition",
		"x-custom-thing":      "Grpc-Metadata-X-Custom-Thing",
	} {
		got, ok := outgoingHeader(k)
		if !ok || got != want || got != textproto.CanonicalMIMEHeaderKey(got) {
			t.Errorf("outgoingHeader(%q) = %q %v, want %q", k, got, ok, want)
		}
	}
	if n := testing.AllocsPerRun(200, func() { _, _ = outgoingHeader("content-type") }); n != 0 {
		t.Errorf("content-type: %.0f allocations, want 0", n)
	}
}
