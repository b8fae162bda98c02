package edge

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/auth/devissuer"
	"github.com/hirfa/hirfa/pkg/idempotency"
	"github.com/hirfa/hirfa/pkg/ratelimit"
	"github.com/hirfa/hirfa/pkg/svcconfig"
)

// guardOnly is a Guard in front of a handler that counts its calls and
// answers status (or 200); Redis is an in-process server, as in the
// embedded default.
type guardOnly struct {
	g      *Guard
	h      http.Handler
	calls  atomic.Int64
	status atomic.Int64
	iss    *devissuer.Issuer
}

func newGuardOnly(t *testing.T, limits string, opts idempotency.Options) *guardOnly {
	t.Helper()
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { _ = rdb.Close() })
	key := filepath.Join(t.TempDir(), "dev.pem")
	iss, err := devissuer.Load(key)
	if err != nil {
		t.Fatal(err)
	}
	v, err := svcconfig.DevVerifier(key, 0)
	if err != nil {
		t.Fatal(err)
	}
	lim, _, err := ParseLimits(limits)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	o := &guardOnly{iss: iss}
	o.g = &Guard{Verifier: v, Limits: lim, Logger: log, Idempotency: idempotency.New(rdb, opts),
		Limiter: ratelimit.New(rdb, ratelimit.Options{Logger: log})}
	o.h = o.g.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o.calls.Add(1)
		st := int(o.status.Load())
		if st == 0 {
			st = http.StatusOK
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(st)
		_, _ = w.Write([]byte(`{}`))
	}))
	return o
}

func (o *guardOnly) do(method, remote string, hdr map[string]string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, "/v1/chambers/fes-meknes/cooperatives", strings.NewReader(`{}`))
	r.RemoteAddr = remote
	for k, v := range hdr {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	o.h.ServeHTTP(w, r)
	return w
}

func (o *guardOnly) token(t *testing.T, subject string) string {
	t.Helper()
	tok, err := o.iss.Issue(devissuer.Claims{Subject: subject, Role: auth.RoleChamberClerk, Chamber: "fes-meknes", TTL: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	return "Bearer " + tok
}

// TestAnonymousLimitBehindProxy: behind a trusted proxy the anonymous budget
// is the client's (X-Forwarded-For), not the proxy's; from anyone else the
// header is ignored, so a client cannot pick a fresh budget per request.
func TestAnonymousLimitBehindProxy(t *testing.T) {
	o := newGuardOnly(t, "anonymous=1/m:1", idempotency.Options{})
	o.g.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	proxy := "10.1.2.3:5555"
	if w := o.do("GET", proxy, map[string]string{"X-Forwarded-For": "203.0.113.7"}); w.Code != 200 {
		t.Fatalf("first client = %d", w.Code)
	}
	if w := o.do("GET", proxy, map[string]string{"X-Forwarded-For": "203.0.113.8, 10.9.9.9"}); w.Code != 200 {
		t.Fatalf("second client through the same proxy = %d, want its own budget", w.Code)
	}
	if w := o.do("GET", proxy, map[string]string{"X-Forwarded-For": "203.0.113.7"}); w.Code != http.StatusTooManyRequests {
		t.Fatalf("first client again = %d, want 429", w.Code)
	}
	// Not a trusted proxy: X-Forwarded-For is the client's own claim.
	if w := o.do("GET", "198.51.100.1:1", map[string]string{"X-Forwarded-For": "1.1.1.1"}); w.Code != 200 {
		t.Fatalf("direct client = %d", w.Code)
	}
	if w := o.do("GET", "198.51.100.1:2", map[string]string{"X-Forwarded-For": "2.2.2.2"}); w.Code != http.StatusTooManyRequests {
		t.Fatalf("direct client with a spoofed header = %d, want 429 (keyed on its address)", w.Code)
	}
}

// TestFailedAuthenticationsLimited: an address sending bad tokens is slowed
// down after a few failures (429), without touching other addresses.
func TestFailedAuthenticationsLimited(t *testing.T) {
	o := newGuardOnly(t, "", idempotency.Options{})
	o.g.AuthFailures = ratelimit.Limit{Rate: 3, Per: time.Minute, Burst: 3}
	bad := map[string]string{"Authorization": "Bearer not.a.token"}
	for i := range 3 {
		if w := o.do("GET", "198.51.100.9:1", bad); w.Code != http.StatusUnauthorized {
			t.Fatalf("bad token %d = %d, want 401", i, w.Code)
		}
	}
	if w := o.do("GET", "198.51.100.9:1", bad); w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" {
		t.Fatalf("fourth bad token = %d, want 429 with Retry-After", w.Code)
	}
	// The 429 body speaks the caller's language.
	for lang, want := range map[string]string{"ar": "محاولات مصادقة فاشلة كثيرة", "fr;q=0.8": "Trop d'échecs d'authentification"} {
		hdr := map[string]string{"Authorization": "Bearer not.a.token", "Accept-Language": lang}
		if w := o.do("GET", "198.51.100.9:1", hdr); w.Code != http.StatusTooManyRequests || !strings.Contains(w.Body.String(), want) {
			t.Fatalf("Accept-Language %s: %d %s, want 429 saying %q", lang, w.Code, w.Body.String(), want)
		}
	}
	if w := o.do("GET", "198.51.100.10:1", bad); w.Code != http.StatusUnauthorized {
		t.Fatalf("another address = %d, want 401", w.Code)
	}
}

// TestIdempotencyKeyRules: a malformed key is a 400 naming the header and
// the rule; a 4xx is not stored (the retry runs again); anonymous callers
// do not share one scope; a principal's stored keys are capped.
func TestIdempotencyKeyRules(t *testing.T) {
	o := newGuardOnly(t, "off", idempotency.Options{MaxKeysPerScope: 2})
	tok := o.token(t, "clerk@fes-meknes")
	for _, key := range []string{strings.Repeat("k", idempotency.MaxKeyLen+1), "has space", "ctl\x01"} {
		w := o.do("POST", "198.51.100.1:1", map[string]string{"Authorization": tok, "Idempotency-Key": key})
		var body struct {
			Message string `json:"message"`
		}
		_ = json.Unmarshal(w.Body.Bytes(), &body)
		if w.Code != http.StatusBadRequest || !strings.Contains(body.Message, "Idempotency-Key") {
			t.Fatalf("key %q = %d %s, want 400 naming the header", key, w.Code, w.Body)
		}
	}
	if o.calls.Load() != 0 {
		t.Fatalf("a malformed key reached the service %d times", o.calls.Load())
	}
	o.status.Store(http.StatusBadRequest)
	for range 2 {
		o.do("POST", "198.51.100.1:1", map[string]string{"Authorization": tok, "Idempotency-Key": "bad-form"})
	}
	if o.calls.Load() != 2 {
		t.Fatalf("a 400 was replayed (%d calls), want it run again", o.calls.Load())
	}
	o.status.Store(http.StatusOK)
	before := o.calls.Load()
	o.do("POST", "198.51.100.1:1", map[string]string{"Idempotency-Key": "anon-1"})
	o.do("POST", "198.51.100.2:1", map[string]string{"Idempotency-Key": "anon-1"})
	if o.calls.Load()-before != 2 {
		t.Fatalf("two anonymous callers with one key: %d service calls, want 2", o.calls.Load()-before)
	}
	for i, key := range []string{"c-1", "c-2"} {
		if w := o.do("POST", "198.51.100.1:1", map[string]string{"Authorization": tok, "Idempotency-Key": key}); w.Code != 200 {
			t.Fatalf("key %d = %d", i, w.Code)
		}
	}
	if w := o.do("POST", "198.51.100.1:1", map[string]string{"Authorization": tok, "Idempotency-Key": "c-3"}); w.Code != http.StatusTooManyRequests ||
		!strings.Contains(w.Body.String(), "Idempotency-Key") {
		t.Fatalf("key over the cap = %d %s, want 429", w.Code, w.Body)
	}
	if w := o.do("POST", "198.51.100.1:1", map[string]string{"Authorization": tok, "Idempotency-Key": "c-1"}); w.Code != 200 || w.Header().Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay of a stored key = %d replayed=%q", w.Code, w.Header().Get("Idempotent-Replayed"))
	}
}

// TestOpenAPIByConfiguration: the document is served unless turned off.
func TestOpenAPIByConfiguration(t *testing.T) {
	for _, off := range []bool{false, true} {
		e, err := New(t.Context(), Options{MaxBodyBytes: 1 << 20, RequestTimeout: time.Second, NoOpenAPI: off,
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			t.Fatal(err)
		}
		w := httptest.NewRecorder()
		e.Handler.ServeHTTP(w, httptest.NewRequest("GET", "/openapi.json", nil))
		e.Close()
		if got := w.Code == http.StatusOK; got == off {
			t.Fatalf("NoOpenAPI=%v: GET /openapi.json = %d", off, w.Code)
		}
	}
}

// TestRateLimitBodiesLocalized: the 429 of the rate limit and the 503 of a
// limiter that fails closed while Redis is down are the edge's error body
// (reason, retry figure) in the caller's language, like every other error.
func TestRateLimitBodiesLocalized(t *testing.T) {
	o := newGuardOnly(t, "anonymous=1/m:1", idempotency.Options{})
	if w := o.do("GET", "198.51.100.1:1", nil); w.Code != 200 {
		t.Fatalf("first call = %d", w.Code)
	}
	cases := []struct{ lang, want string }{
		{"ar", "تجاوزت عدد الطلبات المسموح به"},
		{"fr-FR;q=0.9, en;q=0.5", "Limite de requêtes dépassée ; réessayez dans"},
		{"", "rate limit exceeded"},
	}
	for _, c := range cases {
		w := o.do("GET", "198.51.100.1:1", map[string]string{"Accept-Language": c.lang})
		if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" || w.Header().Get("RateLimit-Limit") != "1" {
			t.Fatalf("%q: over the limit = %d %v", c.lang, w.Code, w.Header())
		}
		body := w.Body.String()
		if !strings.Contains(body, c.want) || !strings.Contains(body, ReasonRateLimited) {
			t.Fatalf("%q: 429 body %s, want %q and reason %s", c.lang, body, c.want, ReasonRateLimited)
		}
		if c.lang == "ar" && !strings.Contains(body, "بعد "+w.Header().Get("Retry-After")+" ثانية") {
			t.Fatalf("Arabic 429 does not carry the Retry-After figure: %s", body)
		}
	}

	// Redis gone, failing closed: 503 in French.
	dead := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1})
	t.Cleanup(func() { _ = dead.Close() })
	o.g.Limiter = ratelimit.New(dead, ratelimit.Options{FailClosed: true, Logger: o.g.Logger})
	w := o.do("GET", "198.51.100.2:1", map[string]string{"Accept-Language": "fr"})
	if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") != "1" {
		t.Fatalf("limiter down = %d %v", w.Code, w.Header())
	}
	var body struct {
		Code    int
		Message string
	}
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
		t.Fatal(err)
	}
	if body.Code != 14 || !strings.Contains(body.Message, "limiteur de requêtes est momentanément indisponible") || !strings.Contains(w.Body.String(), ReasonRateLimiterDown) {
		t.Fatalf("503 body %s", w.Body)
	}
}
