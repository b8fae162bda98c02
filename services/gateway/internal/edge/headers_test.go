package edge

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"path/filepath"
	"testing"
	"time"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/auth/devissuer"
	"github.com/hirfa/hirfa/pkg/ratelimit"
	"github.com/hirfa/hirfa/pkg/svcconfig"
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
	h := g.rateLimit(func(http.ResponseWriter, *http.Request, caller) {})
	r := httptest.NewRequest(http.MethodGet, "/v1/chambers/fes-meknes", nil)
	w := headerWriter{h: http.Header{}}
	h(w, r, caller{})
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
	if n := testing.AllocsPerRun(200, func() { clear(w.h); h(w, r, caller{}) }); n > max {
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

// TestGuardAllocations: an authenticated GET through the whole guard (CORS,
// the token found in the verifier's cache, the rate limit, idempotency)
// costs the bucket key, the digits of the limit (1000) and of the remaining
// count, and the RateLimit values' array: the verified caller goes from
// one step to the next as a value, not in a new context on a copy of the
// request (three allocations more).
func TestGuardAllocations(t *testing.T) {
	key := filepath.Join(t.TempDir(), "dev.pem")
	iss, err := devissuer.Load(key)
	if err != nil {
		t.Fatal(err)
	}
	v, err := svcconfig.DevVerifier(key, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := iss.Issue(devissuer.Claims{Subject: "clerk@fes-meknes", Role: auth.RoleChamberClerk, Chamber: "fes-meknes", TTL: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	g := &Guard{Verifier: v, Limiter: fixedLimiter{}, Limits: DefaultLimits(), Logger: slog.New(slog.DiscardHandler)}
	var got string
	h := g.Wrap(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	r := httptest.NewRequest(http.MethodGet, "/v1/chambers/fes-meknes/cooperatives/1", nil)
	r.Header.Set("Authorization", "Bearer "+tok)
	w := headerWriter{h: http.Header{}}
	g.Limiter = keyRecorder{&got}
	h.ServeHTTP(w, r)
	if got != "sub:clerk@fes-meknes" {
		t.Fatalf("rate-limit bucket %q, want the verified subject's", got)
	}
	g.Limiter = fixedLimiter{}
	const max = 4
	if n := testing.AllocsPerRun(200, func() { clear(w.h); h.ServeHTTP(w, r) }); n > max {
		t.Errorf("%.0f allocations per request, want at most %d", n, max)
	}
}

// keyRecorder is fixedLimiter noting the bucket it is asked about.
type keyRecorder struct{ key *string }

func (k keyRecorder) Allow(ctx context.Context, key string, lim ratelimit.Limit) (ratelimit.Result, error) {
	*k.key = key
	return fixedLimiter{}.Allow(ctx, key, lim)
}
