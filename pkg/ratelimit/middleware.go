package ratelimit

import (
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"time"
)

// Bodies in the shape of the gateway's gRPC status errors ({"code", "message", "details"}), so clients
// parse one error format whichever layer refused them. Codes are gRPC's: 8 RESOURCE_EXHAUSTED,
// 14 UNAVAILABLE, 13 INTERNAL.
const (
	bodyExceeded    = `{"code":8,"message":"rate limit exceeded","details":[]}`
	bodyUnavailable = `{"code":14,"message":"rate limiter unavailable","details":[]}`
	bodyInternal    = `{"code":13,"message":"internal error","details":[]}`
)

// Middleware limits the requests that reach next. keyFunc names the key and limit for a request (for
// example per principal); ok=false lets the request through unlimited (health checks, for example).
//
// An allowed request gets RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset headers. A refused
// one is answered 429 with the same headers, Retry-After in whole seconds rounded up, and a JSON
// status body with code 8 (RESOURCE_EXHAUSTED). While Redis is down a fail-open limiter lets requests
// through without headers; a fail-closed one answers 503 (code 14, Retry-After: 1), because telling a
// client it exceeded a limit it never reached would send it into a pointless back-off.
func Middleware(l *Limiter, keyFunc func(*http.Request) (key string, limit Limit, ok bool), next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key, lim, ok := keyFunc(r)
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		res, err := l.Allow(r.Context(), key, lim)
		if err != nil {
			// An invalid limit is a configuration bug and the caller being gone leaves nobody to
			// answer; either way this is the last place the error can be handled.
			l.logger.LogAttrs(r.Context(), slog.LevelError, "rate limit check failed",
				slog.String("error", err.Error()))
			writeStatus(w, http.StatusInternalServerError, bodyInternal)
			return
		}
		if res.Degraded {
			if res.Allowed {
				next.ServeHTTP(w, r)
				return
			}
			w.Header().Set("Retry-After", "1")
			writeStatus(w, http.StatusServiceUnavailable, bodyUnavailable)
			return
		}
		h := w.Header()
		h.Set("RateLimit-Limit", strconv.Itoa(lim.EffectiveBurst()))
		h.Set("RateLimit-Remaining", strconv.Itoa(res.Remaining))
		h.Set("RateLimit-Reset", strconv.FormatInt(ceilSeconds(res.ResetAfter), 10))
		if !res.Allowed {
			h.Set("Retry-After", strconv.FormatInt(max(ceilSeconds(res.RetryAfter), 1), 10))
			writeStatus(w, http.StatusTooManyRequests, bodyExceeded)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func writeStatus(w http.ResponseWriter, status int, body string) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	// The client may have gone; there is no one left to tell about a failed write.
	_, _ = w.Write([]byte(body))
}

// ceilSeconds rounds d up to whole seconds, the unit of Retry-After and RateLimit-Reset.
func ceilSeconds(d time.Duration) int64 {
	return int64(math.Ceil(d.Seconds()))
}
