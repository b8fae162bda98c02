package edge

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/netip"
	"net/textproto"
	"strconv"
	"strings"
	"time"

	"google.golang.org/grpc/codes"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/idempotency"
	"github.com/hirfa/hirfa/pkg/ratelimit"
)

// Guard is the edge's defence against abuse: it authenticates the bearer
// token once at the edge (services verify it again — the edge is not
// trusted with identity, it only refuses bad tokens early and picks the
// rate-limit bucket), applies per-principal (or per-IP) rate limits, turns
// an Idempotency-Key header into the request_id of the call and replays the
// stored response of a repeated key, and answers CORS for allowed origins.
type Guard struct {
	Verifier    *auth.Verifier
	Limiter     RateLimiter // nil: no rate limits
	Limits      Limits
	Idempotency *idempotency.Store // nil: Idempotency-Key only becomes request_id
	CORSOrigins []string
	Logger      *slog.Logger
	// TrustedProxies are the peers (the ingress, load balancers) whose
	// X-Forwarded-For names the client (HIRFA_TRUSTED_PROXIES); from any
	// other peer the header is ignored.
	TrustedProxies []netip.Prefix
	// AuthFailures is how many failed authentications one address may
	// make before its attempts are answered 429; zero: DefaultAuthFailures.
	AuthFailures ratelimit.Limit
}

// RateLimiter decides whether a request fits its limit: ratelimit.Limiter
// (one Redis decision per request) or ratelimit.Local (decided in memory,
// kept in step with Redis in the background).
type RateLimiter interface {
	Allow(ctx context.Context, key string, lim ratelimit.Limit) (ratelimit.Result, error)
}

// DefaultAuthFailures lets a console retry a stale token a few times and
// stops a token-guessing script.
var DefaultAuthFailures = ratelimit.Limit{Rate: 20, Per: time.Minute, Burst: 20}

// Limits are the rate limits per role, and for anonymous callers (per IP).
type Limits struct {
	Anonymous ratelimit.Limit
	ByRole    map[auth.Role]ratelimit.Limit
}

// DefaultLimits are generous enough for a chamber's busiest console and a
// ministry batch, and stop a runaway script.
func DefaultLimits() Limits {
	l := Limits{Anonymous: ratelimit.Limit{Rate: 30, Per: 1e9, Burst: 60}, ByRole: map[auth.Role]ratelimit.Limit{}}
	for _, r := range []auth.Role{auth.RoleMinistry, auth.RoleFederation, auth.RoleChamberAdmin, auth.RoleChamberClerk, auth.RoleAuditor, auth.RoleODCOOfficer} {
		l.ByRole[r] = ratelimit.Limit{Rate: 500, Per: 1e9, Burst: 1000}
	}
	return l
}

// ParseLimits reads "anonymous=30/s:60,chamber-clerk=100/s:200,ministry=20/m"
// over the defaults; "off" disables rate limiting (returns ok=false).
func ParseLimits(s string) (Limits, bool, error) {
	l := DefaultLimits()
	s = strings.TrimSpace(s)
	if s == "off" {
		return l, false, nil
	}
	if s == "" {
		return l, true, nil
	}
	for _, part := range strings.Split(s, ",") {
		who, spec, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return l, true, fmt.Errorf("HIRFA_RATE_LIMITS: %q is not who=rate/unit[:burst]", part)
		}
		lim, err := parseLimit(spec)
		if err != nil {
			return l, true, fmt.Errorf("HIRFA_RATE_LIMITS: %s: %w", who, err)
		}
		switch r := auth.Role(who); {
		case who == "anonymous":
			l.Anonymous = lim
		case r.Known():
			l.ByRole[r] = lim
		default:
			return l, true, fmt.Errorf("HIRFA_RATE_LIMITS: unknown role %q", who)
		}
	}
	return l, true, nil
}

func parseLimit(spec string) (ratelimit.Limit, error) {
	rate, burst, hasBurst := strings.Cut(spec, ":")
	n, unit, ok := strings.Cut(rate, "/")
	var lim ratelimit.Limit
	v, err := strconv.Atoi(n)
	if !ok || err != nil || v <= 0 {
		return lim, fmt.Errorf("bad rate %q", rate)
	}
	switch unit {
	case "s":
		lim = ratelimit.PerSecond(v)
	case "m":
		lim = ratelimit.PerMinute(v)
	default:
		return lim, fmt.Errorf("bad unit %q (s or m)", unit)
	}
	if hasBurst {
		b, err := strconv.Atoi(burst)
		if err != nil || b <= 0 {
			return lim, fmt.Errorf("bad burst %q", burst)
		}
		lim.Burst = b
	}
	return lim, nil
}

// Wrap returns next behind the guard.
func (g *Guard) Wrap(next http.Handler) http.Handler {
	h := g.idempotent(next)
	if g.Limiter != nil {
		h = g.rateLimit(h)
	}
	return g.cors(g.authenticate(h))
}

// caller is who authentication found: the verified principal (ok), or an
// anonymous caller.
type caller struct {
	p  auth.Principal
	ok bool
}

// guarded is a step of the guard after authentication. The caller is
// handed from step to step as a value: put into the request's context, it
// cost a context, the principal's copy on the heap and a copy of the
// request on every authenticated call, and nothing past the guard reads it
// (the services verify the token themselves).
type guarded func(w http.ResponseWriter, r *http.Request, c caller)

// authenticate verifies a bearer token if present. Missing tokens pass (the
// service decides whether the method is public); a bad token is refused here.
func (g *Guard) authenticate(next guarded) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Get("Authorization")
		if h == "" || g.Verifier == nil {
			next(w, r, caller{})
			return
		}
		raw, ok := strings.CutPrefix(h, "Bearer ")
		if !ok && g.authFailuresExceeded(w, r) {
			return
		}
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="hirfa"`)
			writeError(w, r, http.StatusUnauthorized, int32(codes.Unauthenticated), "malformed authorization header", "TOKEN_MALFORMED", "")
			return
		}
		p, err := g.Verifier.Verify(r.Context(), strings.TrimSpace(raw))
		if err != nil && g.authFailuresExceeded(w, r) {
			return
		}
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="hirfa", error="invalid_token"`)
			writeError(w, r, http.StatusUnauthorized, int32(codes.Unauthenticated), "invalid bearer token", auth.Reason(err), "")
			return
		}
		next(w, r, caller{p: p, ok: true})
	})
}

// authFailuresExceeded charges a failed authentication to the client's
// address and, once the address has used up its budget, answers 429 in
// place of the 401 (so a guessing script learns nothing more and is told
// to back off). Without a limiter, or while Redis is down, it lets the 401
// through.
func (g *Guard) authFailuresExceeded(w http.ResponseWriter, r *http.Request) bool {
	if g.Limiter == nil {
		return false
	}
	lim := g.AuthFailures
	if lim.Rate == 0 {
		lim = DefaultAuthFailures
	}
	res, err := g.Limiter.Allow(r.Context(), "authfail:"+ratelimit.ClientIP(r, g.TrustedProxies), lim)
	if err != nil || res.Degraded || res.Allowed {
		return false
	}
	w.Header().Set("Retry-After", strconv.FormatInt(max(ceilSeconds(res.RetryAfter), 1), 10))
	writeError(w, r, http.StatusTooManyRequests, int32(codes.ResourceExhausted), "too many failed authentications from this address", ReasonAuthFailuresExceeded, "")
	return true
}

// rateLimit charges each request to its bucket (see bucket). An allowed
// request gets RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset; a
// refused one is answered 429 with the same headers and Retry-After, and a
// limiter that fails closed while Redis is down answers 503 with
// Retry-After: 1. Both bodies are the edge's error body in the caller's
// language (ReasonRateLimited, ReasonRateLimiterDown).
func (g *Guard) rateLimit(next guarded) guarded {
	return func(w http.ResponseWriter, r *http.Request, c caller) {
		key, lim := g.bucket(r, c)
		res, err := g.Limiter.Allow(r.Context(), key, lim)
		if err != nil {
			// An invalid limit (a configuration bug) or a caller already gone.
			g.Logger.ErrorContext(r.Context(), "rate limit check failed", slog.String("error", err.Error()))
			writeError(w, r, http.StatusInternalServerError, int32(codes.Internal), "internal error", ReasonRateLimiterDown, "")
			return
		}
		if res.Degraded {
			if res.Allowed {
				next(w, r, c)
				return
			}
			w.Header().Set("Retry-After", "1")
			writeError(w, r, http.StatusServiceUnavailable, int32(codes.Unavailable), "rate limiter unavailable, retry later", ReasonRateLimiterDown, "")
			return
		}
		// Stored under their canonical names (what Set would store them
		// under): Set canonicalises "RateLimit-…" into a new string on
		// every call, three allocations per request for the same three keys.
		// The three values share one array (capped slices, so an Add to
		// one copies it rather than overwrite the next).
		v := [...]string{strconv.Itoa(lim.EffectiveBurst()), strconv.Itoa(res.Remaining), strconv.FormatInt(ceilSeconds(res.ResetAfter), 10)}
		h := w.Header()
		h[hdrRateLimitLimit] = v[0:1:1]
		h[hdrRateLimitRemaining] = v[1:2:2]
		h[hdrRateLimitReset] = v[2:3:3]
		if !res.Allowed {
			retry := max(ceilSeconds(res.RetryAfter), 1)
			h.Set("Retry-After", strconv.FormatInt(retry, 10))
			writeError(w, r, http.StatusTooManyRequests, int32(codes.ResourceExhausted), "rate limit exceeded", ReasonRateLimited, strconv.FormatInt(retry, 10))
			return
		}
		next(w, r, c)
	}
}

// The rate-limit headers' canonical names (textproto.CanonicalMIMEHeaderKey
// of "RateLimit-Limit" and so on), as Header.Set would write them.
var (
	hdrRateLimitLimit     = textproto.CanonicalMIMEHeaderKey("RateLimit-Limit")
	hdrRateLimitRemaining = textproto.CanonicalMIMEHeaderKey("RateLimit-Remaining")
	hdrRateLimitReset     = textproto.CanonicalMIMEHeaderKey("RateLimit-Reset")
)

// ceilSeconds rounds d up to whole seconds, the unit of Retry-After and
// RateLimit-Reset.
func ceilSeconds(d time.Duration) int64 { return int64(math.Ceil(d.Seconds())) }

// bucket is the rate-limit key: the verified subject, or the client IP.
func (g *Guard) bucket(r *http.Request, c caller) (string, ratelimit.Limit) {
	if c.ok {
		lim, ok := g.Limits.ByRole[c.p.Role]
		if !ok {
			lim = g.Limits.Anonymous
		}
		return "sub:" + c.p.Subject, lim
	}
	return "ip:" + ratelimit.ClientIP(r, g.TrustedProxies), g.Limits.Anonymous
}

// idempotent handles Idempotency-Key on POST: the key (scoped to the caller)
// becomes the request_id of the call — so the database's uniqueness is the
// final guard — and a repeated key replays the first response.
func (g *Guard) idempotent(next http.Handler) guarded {
	return func(w http.ResponseWriter, r *http.Request, c caller) {
		key := r.Header.Get("Idempotency-Key")
		if key == "" || r.Method != http.MethodPost {
			next.ServeHTTP(w, r)
			return
		}
		if !idempotency.ValidKey(key) {
			writeError(w, r, http.StatusBadRequest, int32(codes.InvalidArgument),
				fmt.Sprintf("Idempotency-Key: must be %s, got %d bytes", idempotency.KeyRule, len(key)), ReasonIdempotencyKeyInvalid, "")
			return
		}
		// Anonymous callers are scoped by address: one shared scope would
		// let any anonymous caller replay (or block) another's key.
		scope := "anon:" + ratelimit.ClientIP(r, g.TrustedProxies)
		if c.ok {
			scope = "sub:" + c.p.Subject
		}
		var body []byte
		if r.Body != nil {
			body, _ = readAll(r) // already bounded by limitBody
		}
		sum := sha256.Sum256(append([]byte(r.Method+" "+r.URL.Path+"?"+r.URL.RawQuery+"\n"), body...))
		fingerprint := hex.EncodeToString(sum[:])
		requestID := requestIDFor(scope, key)
		r = withRequestID(r, body, requestID)
		if g.Idempotency == nil {
			next.ServeHTTP(w, r)
			return
		}
		out, err := g.Idempotency.Begin(r.Context(), scope, key, fingerprint)
		if err != nil {
			// The request id still makes the write idempotent in the
			// database; only the stored-response replay is unavailable.
			g.Logger.WarnContext(r.Context(), "idempotency store unavailable", slog.String("error", err.Error()))
			next.ServeHTTP(w, r)
			return
		}
		switch o := out.(type) {
		case idempotency.Replay:
			for k, vs := range o.Header {
				w.Header()[k] = vs
			}
			w.Header().Set("Idempotent-Replayed", "true")
			w.WriteHeader(o.Status)
			_, _ = w.Write(o.Body)
			return
		case idempotency.InProgress:
			writeError(w, r, http.StatusConflict, int32(codes.Aborted), "a request with this Idempotency-Key is in progress", "IDEMPOTENCY_IN_PROGRESS", "")
			return
		case idempotency.Mismatch:
			writeError(w, r, http.StatusUnprocessableEntity, int32(codes.InvalidArgument), "this Idempotency-Key was used for a different request", "IDEMPOTENCY_KEY_REUSED", "")
			return
		case idempotency.Exhausted:
			w.Header().Set("Retry-After", "3600")
			writeError(w, r, http.StatusTooManyRequests, int32(codes.ResourceExhausted),
				"too many Idempotency-Key values kept for this caller in the last 24 hours; send the request without one or later", ReasonIdempotencyKeysSpent, "")
			return
		}
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		ctx := r.Context()
		// Only a success is kept: it is what a retry must not repeat. A
		// refusal (4xx) is cheap to recompute, and storing it would let
		// any caller fill the store with bad requests; a 5xx may succeed
		// on retry.
		if rec.status >= 400 {
			_ = g.Idempotency.Abort(ctx, scope, key)
			return
		}
		hdr := http.Header{"Content-Type": rec.Header().Values("Content-Type")}
		if err := g.Idempotency.Complete(ctx, scope, key, fingerprint, idempotency.StoredResponse{Status: rec.status, Header: hdr, Body: rec.body.Bytes()}); err != nil {
			g.Logger.WarnContext(ctx, "idempotency store: could not keep response", slog.String("error", err.Error()))
		}
	}
}

// requestIDFor derives a request_id (which the APIs restrict to
// [A-Za-z0-9_-]{1,64}) from the caller and their key.
func requestIDFor(scope, key string) string {
	sum := sha256.Sum256([]byte(scope + "\x00" + key))
	return "idem-" + hex.EncodeToString(sum[:20])
}

// withRequestID puts the request id where grpc-gateway reads it: into the
// JSON body for custom methods (body "*"), as a query parameter otherwise
// (creates, whose body is the resource).
func withRequestID(r *http.Request, body []byte, id string) *http.Request {
	if strings.Contains(r.URL.Path, ":") {
		var m map[string]json.RawMessage
		if len(bytes.TrimSpace(body)) == 0 {
			m = map[string]json.RawMessage{}
		} else if err := json.Unmarshal(body, &m); err != nil {
			r.Body = readerOf(body) // malformed: let the gateway report it
			return r
		}
		if _, set := m["request_id"]; !set {
			m["request_id"], _ = json.Marshal(id)
		}
		nb, _ := json.Marshal(m)
		r.Body, r.ContentLength = readerOf(nb), int64(len(nb))
		return r
	}
	q := r.URL.Query()
	if q.Get("request_id") == "" {
		q.Set("request_id", id)
	}
	u := *r.URL
	u.RawQuery = q.Encode()
	r2 := r.Clone(r.Context())
	r2.URL = &u
	r2.Body = readerOf(body)
	return r2
}

// cors answers preflights and sets the CORS headers for allowed origins only.
func (g *Guard) cors(next http.Handler) http.Handler {
	allowed := map[string]bool{}
	for _, o := range g.CORSOrigins {
		allowed[o] = true
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin == "" {
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Add("Vary", "Origin")
		if !allowed[origin] {
			if r.Method == http.MethodOptions {
				writeError(w, r, http.StatusForbidden, int32(codes.PermissionDenied), "origin not allowed", "CORS_ORIGIN", origin)
				return
			}
			next.ServeHTTP(w, r) // no CORS headers: the browser blocks the response
			return
		}
		w.Header().Set("Access-Control-Allow-Origin", origin)
		w.Header().Set("Access-Control-Expose-Headers", "Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Idempotent-Replayed")
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			w.Header().Set("Access-Control-Allow-Methods", "GET, POST, PATCH, DELETE")
			w.Header().Set("Access-Control-Allow-Headers", "Authorization, Content-Type, Idempotency-Key, Accept-Language, X-Request-Id")
			w.Header().Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}

type recorder struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (r *recorder) WriteHeader(code int) { r.status = code; r.ResponseWriter.WriteHeader(code) }
func (r *recorder) Write(b []byte) (int, error) {
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}
