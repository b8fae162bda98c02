package ratelimit

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hirfa/hirfa/pkg/testenv"
)

type response struct {
	Status int
	Header map[string]string // only the headers the middleware owns
	Body   string
}

var ownedHeaders = []string{"Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "Content-Type"}

func serve(t *testing.T, h http.Handler, path string) response {
	t.Helper()
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	got := response{Status: resp.StatusCode, Header: map[string]string{}, Body: string(body)}
	for _, k := range ownedHeaders {
		if v := resp.Header.Get(k); v != "" {
			got.Header[k] = v
		}
	}
	return got
}

var okHandler = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain")
	_, _ = io.WriteString(w, "ok")
})

// byPath limits every path except /healthz, keyed by path; /bad carries an invalid limit.
func byPath(limit Limit) func(*http.Request) (string, Limit, bool) {
	return func(r *http.Request) (string, Limit, bool) {
		switch r.URL.Path {
		case "/healthz":
			return "", Limit{}, false
		case "/bad":
			return "bad", Limit{}, true
		}
		return r.URL.Path, limit, true
	}
}

func TestMiddleware(t *testing.T) {
	rdb := newRedis(t)
	// Two at once, then one a minute: Retry-After after the burst is 60s minus the test's own
	// runtime, which rounds up to 60 unless a request takes a whole second.
	limit := Limit{Rate: 1, Per: time.Minute, Burst: 2}
	h := Middleware(New(rdb, Options{Prefix: testenv.RedisPrefix(t), Timeout: liveTimeout, Logger: discardLogger()}), byPath(limit), okHandler)

	ok := func(remaining, reset string) response {
		return response{Status: http.StatusOK, Body: "ok", Header: map[string]string{
			"Content-Type": "text/plain", "RateLimit-Limit": "2", "RateLimit-Remaining": remaining, "RateLimit-Reset": reset,
		}}
	}
	refused := response{Status: http.StatusTooManyRequests, Body: `{"code":8,"message":"rate limit exceeded","details":[]}`,
		Header: map[string]string{
			"Content-Type": "application/json", "Retry-After": "60",
			"RateLimit-Limit": "2", "RateLimit-Remaining": "0", "RateLimit-Reset": "120",
		}}
	steps := []struct {
		path string
		want response
	}{
		{"/a", ok("1", "60")},
		{"/a", ok("0", "120")},
		{"/a", refused},
		{"/a", refused},       // refusals do not push the reset further out
		{"/b", ok("1", "60")}, // another key has its own budget
		{"/healthz", response{Status: http.StatusOK, Body: "ok", Header: map[string]string{"Content-Type": "text/plain"}}},
		{"/bad", response{Status: http.StatusInternalServerError, Body: `{"code":13,"message":"internal error","details":[]}`,
			Header: map[string]string{"Content-Type": "application/json"}}},
	}
	for i, s := range steps {
		if diff := cmp.Diff(s.want, serve(t, h, s.path)); diff != "" {
			t.Errorf("step %d GET %s (-want +got):\n%s", i+1, s.path, diff)
		}
	}
}

func TestMiddlewareRedisDown(t *testing.T) {
	tests := []struct {
		name       string
		failClosed bool
		want       response
	}{
		{"fail open lets requests through without limit headers", false,
			response{Status: http.StatusOK, Body: "ok", Header: map[string]string{"Content-Type": "text/plain"}}},
		{"fail closed answers unavailable, not exceeded", true,
			response{Status: http.StatusServiceUnavailable, Body: `{"code":14,"message":"rate limiter unavailable","details":[]}`,
				Header: map[string]string{"Content-Type": "application/json", "Retry-After": "1"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lim := New(closedRedis(t), Options{FailClosed: tc.failClosed, Logger: discardLogger()})
			h := Middleware(lim, byPath(PerSecond(1)), okHandler)
			if diff := cmp.Diff(tc.want, serve(t, h, "/a")); diff != "" {
				t.Errorf("GET /a (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCeilSeconds(t *testing.T) {
	tests := []struct {
		in   time.Duration
		want int64
	}{
		{0, 0},
		{time.Microsecond, 1},
		{999 * time.Millisecond, 1},
		{time.Second, 1},
		{time.Second + time.Microsecond, 2},
		{59*time.Second + 999999*time.Microsecond, 60},
	}
	for _, tc := range tests {
		if got := ceilSeconds(tc.in); got != tc.want {
			t.Errorf("ceilSeconds(%v) = %d, want %d", tc.in, got, tc.want)
		}
	}
}
