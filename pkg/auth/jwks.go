package auth

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// JWKS defaults.
const (
	DefaultJWKSTTL              = 10 * time.Minute
	DefaultJWKSMinRefresh       = 30 * time.Second
	DefaultJWKSMaxTTL           = 24 * time.Hour
	DefaultJWKSMaxStale         = time.Hour
	DefaultJWKSTimeout          = 5 * time.Second
	maxJWKSBody           int64 = 1 << 20
)

// JWKSOptions tunes a JWKS key source. Zero values mean the defaults.
type JWKSOptions struct {
	// TTL is how long a fetched set is fresh when the response has no
	// Cache-Control max-age. Default 10 minutes.
	TTL time.Duration
	// MinRefreshInterval is the least time between two fetches: an unknown
	// kid triggers a refetch at most this often, however many requests carry
	// it, and a failed fetch is retried no sooner. It is also the floor of a
	// max-age. Default 30 seconds.
	MinRefreshInterval time.Duration
	// MaxTTL caps a Cache-Control max-age. Default 24 hours.
	MaxTTL time.Duration
	// MaxStale is how long past its expiry the last good set keeps being used
	// while the issuer cannot be reached. Default 1 hour.
	MaxStale time.Duration
	// Timeout bounds one fetch. Default 5 seconds.
	Timeout time.Duration
	// Logger receives a warning when a fetch fails. Default: discard.
	Logger *slog.Logger
	// Now returns the current time; nil means time.Now. For tests.
	Now func() time.Time
}

// JWKS is a KeySource backed by a JSON Web Key Set document (RFC 7517) served
// by an OIDC issuer. It accepts RSA (≥ 2048 bits) and EC P-256/P-384 signing
// keys; symmetric ("oct") keys, encryption keys and keys without a kid are
// ignored. It is safe for concurrent use; concurrent callers share one fetch.
type JWKS struct {
	url    string
	client *http.Client
	opts   JWKSOptions

	mu          sync.Mutex
	keys        map[string]crypto.PublicKey // last good set; nil before the first success
	expires     time.Time                   // when keys stop being fresh
	lastAttempt time.Time
	lastErr     error
	inflight    *fetchCall
}

type fetchCall struct {
	done chan struct{}
	err  error
}

// NewJWKS returns a key source fetching the set at rawURL with client (nil
// means a plain *http.Client). The URL must be https, except on a loopback
// host. Nothing is fetched until the first Key or Refresh call.
func NewJWKS(rawURL string, client *http.Client, opts JWKSOptions) (*JWKS, error) {
	if err := checkJWKSURL(rawURL); err != nil {
		return nil, fmt.Errorf("jwks: %w", err)
	}
	var problems []error
	for name, d := range map[string]time.Duration{
		"TTL": opts.TTL, "MinRefreshInterval": opts.MinRefreshInterval, "MaxTTL": opts.MaxTTL,
		"MaxStale": opts.MaxStale, "Timeout": opts.Timeout,
	} {
		if d < 0 {
			problems = append(problems, fmt.Errorf("%s %s is negative", name, d))
		}
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("jwks options: %w", errors.Join(problems...))
	}
	setDefault(&opts.TTL, DefaultJWKSTTL)
	setDefault(&opts.MinRefreshInterval, DefaultJWKSMinRefresh)
	setDefault(&opts.MaxTTL, DefaultJWKSMaxTTL)
	setDefault(&opts.MaxStale, DefaultJWKSMaxStale)
	setDefault(&opts.Timeout, DefaultJWKSTimeout)
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if client == nil {
		client = &http.Client{}
	}
	return &JWKS{url: rawURL, client: client, opts: opts}, nil
}

func setDefault(d *time.Duration, def time.Duration) {
	if *d == 0 {
		*d = def
	}
}

func checkJWKSURL(rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return fmt.Errorf("parse url: %w", err)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		host := u.Hostname()
		if host == "localhost" {
			return nil
		}
		if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
			return nil
		}
		return errors.New("url must be https (plain http only on loopback)")
	}
	return fmt.Errorf("unsupported url scheme %q", u.Scheme)
}

// Key implements KeySource. A fresh set answers directly. An expired set, or
// an unknown kid, triggers a fetch unless one happened within
// MinRefreshInterval. While fetches fail, the last good set answers for up to
// MaxStale past its expiry.
func (j *JWKS) Key(ctx context.Context, kid string) (crypto.PublicKey, error) {
	for {
		j.mu.Lock()
		now := j.opts.Now()
		k, found := j.keys[kid]
		if found && now.Before(j.expires) {
			j.mu.Unlock()
			return k, nil
		}
		call := j.inflight
		if call == nil && (j.lastAttempt.IsZero() || now.Sub(j.lastAttempt) >= j.opts.MinRefreshInterval) {
			call = j.startFetchLocked(ctx, now)
		}
		if call == nil {
			k, err := j.lookupLocked(kid, now)
			j.mu.Unlock()
			return k, err
		}
		j.mu.Unlock()

		select {
		case <-call.done:
			// Re-evaluate against the new state; lastAttempt is now recent,
			// so this loop fetches at most once per call.
		case <-ctx.Done():
			return nil, fmt.Errorf("jwks: wait for fetch: %w", ctx.Err())
		}
	}
}

// Refresh fetches the set now (sharing a fetch already in flight) and reports
// whether that fetch succeeded. Useful to warm the cache at start-up.
func (j *JWKS) Refresh(ctx context.Context) error {
	j.mu.Lock()
	call := j.inflight
	if call == nil {
		call = j.startFetchLocked(ctx, j.opts.Now())
	}
	j.mu.Unlock()
	select {
	case <-call.done:
		return call.err
	case <-ctx.Done():
		return fmt.Errorf("jwks: wait for fetch: %w", ctx.Err())
	}
}

// lookupLocked answers from the current set without fetching.
func (j *JWKS) lookupLocked(kid string, now time.Time) (crypto.PublicKey, error) {
	if j.keys == nil || !now.Before(j.expires.Add(j.opts.MaxStale)) {
		if j.lastErr != nil {
			return nil, fmt.Errorf("jwks: no usable key set: %w", j.lastErr)
		}
		return nil, errors.New("jwks: no usable key set")
	}
	if k, ok := j.keys[kid]; ok {
		return k, nil
	}
	return nil, ErrKeyNotFound
}

// startFetchLocked starts one fetch in its own goroutine so that a caller
// giving up (its ctx cancelled) does not fail the fetch for the others
// waiting on it. The fetch is bounded by Timeout.
func (j *JWKS) startFetchLocked(ctx context.Context, now time.Time) *fetchCall {
	call := &fetchCall{done: make(chan struct{})}
	j.inflight = call
	j.lastAttempt = now
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), j.opts.Timeout)
	go func() {
		defer cancel()
		keys, ttl, err := j.fetch(fctx)
		j.mu.Lock()
		if err != nil {
			j.lastErr = err
			j.opts.Logger.WarnContext(fctx, "jwks fetch failed; keeping last good key set",
				slog.String("url", j.url), slog.Int("cached_keys", len(j.keys)), slog.Any("error", err))
		} else {
			j.keys, j.lastErr = keys, nil
			j.expires = j.opts.Now().Add(ttl)
		}
		call.err = err
		j.inflight = nil
		j.mu.Unlock()
		close(call.done)
	}()
	return call
}

func (j *JWKS) fetch(ctx context.Context) (map[string]crypto.PublicKey, time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, j.url, nil)
	if err != nil {
		return nil, 0, fmt.Errorf("fetch jwks: %w", err)
	}
	req.Header.Set("Accept", "application/jwk-set+json, application/json")
	resp, err := j.client.Do(req)
	if err != nil {
		return nil, 0, fmt.Errorf("fetch jwks: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxJWKSBody+1))
	if err != nil {
		return nil, 0, fmt.Errorf("fetch jwks: read body: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, 0, fmt.Errorf("fetch jwks %s: status %d", j.url, resp.StatusCode)
	}
	if int64(len(body)) > maxJWKSBody {
		return nil, 0, fmt.Errorf("fetch jwks %s: document larger than %d bytes", j.url, maxJWKSBody)
	}
	keys, err := ParseJWKS(body)
	if err != nil {
		return nil, 0, fmt.Errorf("fetch jwks %s: %w", j.url, err)
	}
	return keys, j.ttl(resp.Header.Values("Cache-Control")), nil
}

// ttl honours Cache-Control max-age (clamped to [MinRefreshInterval,
// MaxTTL]); no-store and no-cache mean MinRefreshInterval.
func (j *JWKS) ttl(cacheControl []string) time.Duration {
	ttl := j.opts.TTL
	for _, line := range cacheControl {
		for d := range strings.SplitSeq(line, ",") {
			d = strings.ToLower(strings.TrimSpace(d))
			switch {
			case d == "no-store" || d == "no-cache":
				return j.opts.MinRefreshInterval
			case strings.HasPrefix(d, "max-age="):
				secs, err := strconv.ParseInt(strings.Trim(d[len("max-age="):], `"`), 10, 64)
				if err != nil || secs < 0 {
					continue
				}
				ttl = time.Duration(min(secs, int64(j.opts.MaxTTL/time.Second))) * time.Second
			}
		}
	}
	return min(max(ttl, j.opts.MinRefreshInterval), j.opts.MaxTTL)
}

// jwk is the subset of RFC 7517/7518 members this package reads.
type jwk struct {
	Kty    string   `json:"kty"`
	Kid    string   `json:"kid"`
	Use    string   `json:"use"`
	KeyOps []string `json:"key_ops"`
	Alg    string   `json:"alg"`
	Crv    string   `json:"crv"`
	N      string   `json:"n"`
	E      string   `json:"e"`
	X      string   `json:"x"`
	Y      string   `json:"y"`
}

// ParseJWKS parses a JWK Set document into verification keys by kid. Keys
// that are not usable signing keys (symmetric, encryption-only, unsupported
// curve, RSA under 2048 bits, no kid, malformed, or a kid used twice) are
// skipped; a document with no usable key is an error.
func ParseJWKS(doc []byte) (map[string]crypto.PublicKey, error) {
	var set struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(doc, &set); err != nil {
		return nil, fmt.Errorf("parse jwks: %w", err)
	}
	keys := make(map[string]crypto.PublicKey, len(set.Keys))
	seen := make(map[string]bool, len(set.Keys))
	for _, raw := range set.Keys {
		var k jwk
		if err := json.Unmarshal(raw, &k); err != nil || k.Kid == "" {
			continue
		}
		if seen[k.Kid] {
			// Two keys under one kid: which one the issuer means is
			// ambiguous, so neither is trusted.
			delete(keys, k.Kid)
			continue
		}
		seen[k.Kid] = true
		if pub, ok := k.publicKey(); ok {
			keys[k.Kid] = pub
		}
	}
	if len(keys) == 0 {
		return nil, errors.New("parse jwks: no usable signing key")
	}
	return keys, nil
}

func (k jwk) publicKey() (crypto.PublicKey, bool) {
	if k.Use != "" && k.Use != "sig" {
		return nil, false
	}
	if k.KeyOps != nil && !slices.Contains(k.KeyOps, "verify") {
		return nil, false
	}
	switch k.Kty {
	case "RSA":
		if k.Alg != "" && !strings.HasPrefix(k.Alg, "RS") && !strings.HasPrefix(k.Alg, "PS") {
			return nil, false
		}
		return k.rsaKey()
	case "EC":
		return k.ecKey()
	}
	return nil, false
}

func (k jwk) rsaKey() (crypto.PublicKey, bool) {
	n, err := base64.RawURLEncoding.DecodeString(k.N)
	if err != nil || len(n) == 0 {
		return nil, false
	}
	e, err := base64.RawURLEncoding.DecodeString(k.E)
	if err != nil || len(e) == 0 || len(e) > 4 {
		return nil, false
	}
	exp := new(big.Int).SetBytes(e)
	if exp.Int64() < 3 || exp.Bit(0) == 0 || !exp.IsInt64() || exp.Int64() > 1<<31-1 {
		return nil, false
	}
	pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(exp.Int64())}
	if pub.N.BitLen() < minRSABits {
		return nil, false
	}
	return pub, true
}

func (k jwk) ecKey() (crypto.PublicKey, bool) {
	var curve elliptic.Curve
	var size int
	switch k.Crv {
	case "P-256":
		if k.Alg != "" && k.Alg != "ES256" {
			return nil, false
		}
		curve, size = elliptic.P256(), 32
	case "P-384":
		if k.Alg != "" && k.Alg != "ES384" {
			return nil, false
		}
		curve, size = elliptic.P384(), 48
	default:
		return nil, false
	}
	x, errX := base64.RawURLEncoding.DecodeString(k.X)
	y, errY := base64.RawURLEncoding.DecodeString(k.Y)
	if errX != nil || errY != nil || len(x) != size || len(y) != size {
		return nil, false
	}
	// ParseUncompressedPublicKey rejects points that are not on the curve
	// (invalid-curve attacks).
	pub, err := ecdsa.ParseUncompressedPublicKey(curve, append(append([]byte{4}, x...), y...))
	if err != nil {
		return nil, false
	}
	return pub, true
}
