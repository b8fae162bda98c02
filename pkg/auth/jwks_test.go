package auth

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func ecJWK(t testing.TB, kid string, pub *ecdsa.PublicKey) map[string]any {
	t.Helper()
	b, err := pub.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	size := (len(b) - 1) / 2
	crv := map[int]string{32: "P-256", 48: "P-384"}[size]
	enc := base64.RawURLEncoding
	return map[string]any{"kty": "EC", "crv": crv, "kid": kid, "use": "sig",
		"x": enc.EncodeToString(b[1 : 1+size]), "y": enc.EncodeToString(b[1+size:])}
}

func rsaJWK(kid string, pub *rsa.PublicKey) map[string]any {
	enc := base64.RawURLEncoding
	return map[string]any{"kty": "RSA", "kid": kid, "alg": "RS256",
		"n": enc.EncodeToString(pub.N.Bytes()), "e": enc.EncodeToString(big.NewInt(int64(pub.E)).Bytes())}
}

// jwksServer is an issuer's JWKS endpoint whose key set, status and
// Cache-Control the test changes between requests.
type jwksServer struct {
	*httptest.Server
	fetches atomic.Int64

	mu           sync.Mutex
	keys         []map[string]any
	status       int
	cacheControl string
	delay        time.Duration
}

func newJWKSServer(t *testing.T, keys ...map[string]any) *jwksServer {
	s := &jwksServer{keys: keys, status: http.StatusOK}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fetches.Add(1)
		s.mu.Lock()
		keys, status, cc, delay := s.keys, s.status, s.cacheControl, s.delay
		s.mu.Unlock()
		time.Sleep(delay)
		if cc != "" {
			w.Header().Set("Cache-Control", cc)
		}
		w.Header().Set("Content-Type", "application/jwk-set+json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(map[string]any{"keys": keys})
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *jwksServer) set(f func(s *jwksServer)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s)
}

type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func newTestJWKS(t *testing.T, srv *jwksServer, clock *fakeClock) *JWKS {
	t.Helper()
	j, err := NewJWKS(srv.URL+"/.well-known/jwks.json", srv.Client(), JWKSOptions{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// TestJWKSRotation walks an issuer's key rotation: a new kid appears, tokens
// signed with it verify after one refetch, the old kid is retired.
func TestJWKSRotation(t *testing.T) {
	ec, rs := testKeys()
	next, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	srv := newJWKSServer(t, ecJWK(t, testECKID, &ec.PublicKey), rsaJWK(testRSAKID, &rs.PublicKey))
	clock := &fakeClock{now: testNow}
	jwks := newTestJWKS(t, srv, clock)
	v, err := NewVerifier(VerifierConfig{Issuer: testIssuer, Audience: testAudience, Keys: jwks, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	oldTok := sign(t, jwt.SigningMethodES256, ec, testECKID, validClaims())
	rsaTok := sign(t, jwt.SigningMethodRS256, rs, testRSAKID, validClaims())
	newTok := sign(t, jwt.SigningMethodES256, next, "ec-2", validClaims())

	for _, tok := range []string{oldTok, rsaTok, oldTok} {
		if _, err := v.Verify(ctx, tok); err != nil {
			t.Fatalf("before rotation: %v", err)
		}
	}
	if n := srv.fetches.Load(); n != 1 {
		t.Fatalf("fetches after warm cache = %d, want 1", n)
	}

	// The issuer publishes ec-2 alongside ec-1 and starts signing with it.
	srv.set(func(s *jwksServer) {
		s.keys = []map[string]any{ecJWK(t, testECKID, &ec.PublicKey), ecJWK(t, "ec-2", &next.PublicKey)}
	})
	// Within the minimum interval of the last fetch, an unknown kid is not
	// fetched for.
	if _, err := v.Verify(ctx, newTok); Reason(err) != ReasonKeyIDUnknown {
		t.Fatalf("new kid within min interval: reason %q, want %s", Reason(err), ReasonKeyIDUnknown)
	}
	clock.Advance(DefaultJWKSMinRefresh)
	if _, err := v.Verify(ctx, newTok); err != nil {
		t.Fatalf("new kid after rotation: %v", err)
	}
	if n := srv.fetches.Load(); n != 2 {
		t.Fatalf("fetches after rotation = %d, want 2", n)
	}
	// The set now fetched no longer has rsa-1: it is retired.
	if _, err := v.Verify(ctx, rsaTok); Reason(err) != ReasonKeyIDUnknown {
		t.Fatalf("retired kid: reason %q, want %s", Reason(err), ReasonKeyIDUnknown)
	}
}

// TestJWKSNoThunderingHerd floods the source with unknown kids at once: one
// fetch serves them all, and no more happen until the interval passes.
func TestJWKSNoThunderingHerd(t *testing.T) {
	ec, _ := testKeys()
	srv := newJWKSServer(t, ecJWK(t, testECKID, &ec.PublicKey))
	srv.set(func(s *jwksServer) { s.delay = 50 * time.Millisecond })
	clock := &fakeClock{now: testNow}
	jwks := newTestJWKS(t, srv, clock)
	ctx := context.Background()

	var wg sync.WaitGroup
	var notFound, found atomic.Int64
	for i := range 64 {
		wg.Go(func() {
			kid := testECKID
			if i%2 == 0 {
				kid = "forged-" + string(rune('a'+i%26))
			}
			_, err := jwks.Key(ctx, kid)
			switch {
			case err == nil:
				found.Add(1)
			case errors.Is(err, ErrKeyNotFound):
				notFound.Add(1)
			default:
				t.Errorf("Key(%s): %v", kid, err)
			}
		})
	}
	wg.Wait()
	if n := srv.fetches.Load(); n != 1 {
		t.Fatalf("concurrent cold start made %d fetches, want 1", n)
	}
	if found.Load() != 32 || notFound.Load() != 32 {
		t.Fatalf("found %d, not found %d; want 32 each", found.Load(), notFound.Load())
	}
	for range 100 {
		if _, err := jwks.Key(ctx, "forged-again"); !errors.Is(err, ErrKeyNotFound) {
			t.Fatalf("unknown kid: %v", err)
		}
	}
	if n := srv.fetches.Load(); n != 1 {
		t.Fatalf("unknown kids within the interval made %d fetches, want 1", n)
	}
	clock.Advance(DefaultJWKSMinRefresh)
	for range 100 {
		_, _ = jwks.Key(ctx, "forged-again")
	}
	if n := srv.fetches.Load(); n != 2 {
		t.Fatalf("after the interval: %d fetches, want 2", n)
	}
}

func TestJWKSCacheControl(t *testing.T) {
	ec, _ := testKeys()
	tests := []struct {
		name         string
		cacheControl string
		fresh        time.Duration // still served from cache
	}{
		{"no header: default TTL", "", DefaultJWKSTTL},
		{"max-age", "public, max-age=120", 120 * time.Second},
		{"max-age below the floor", "max-age=1", DefaultJWKSMinRefresh},
		{"max-age above the cap", "max-age=9999999", DefaultJWKSMaxTTL},
		{"no-store", "no-store", DefaultJWKSMinRefresh},
		{"garbage", "max-age=soon", DefaultJWKSTTL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newJWKSServer(t, ecJWK(t, testECKID, &ec.PublicKey))
			srv.set(func(s *jwksServer) { s.cacheControl = tt.cacheControl })
			clock := &fakeClock{now: testNow}
			jwks := newTestJWKS(t, srv, clock)
			ctx := context.Background()
			if _, err := jwks.Key(ctx, testECKID); err != nil {
				t.Fatal(err)
			}
			clock.Advance(tt.fresh - time.Second)
			if _, err := jwks.Key(ctx, testECKID); err != nil {
				t.Fatal(err)
			}
			if n := srv.fetches.Load(); n != 1 {
				t.Fatalf("fetches before expiry = %d, want 1", n)
			}
			clock.Advance(2 * time.Second)
			if _, err := jwks.Key(ctx, testECKID); err != nil {
				t.Fatal(err)
			}
			if n := srv.fetches.Load(); n != 2 {
				t.Fatalf("fetches after expiry = %d, want 2", n)
			}
		})
	}
}

// TestJWKSIssuerDown keeps verifying with the last good set while the issuer
// is briefly down, retries no more often than the interval, and gives up
// after MaxStale.
func TestJWKSIssuerDown(t *testing.T) {
	ec, _ := testKeys()
	srv := newJWKSServer(t, ecJWK(t, testECKID, &ec.PublicKey))
	clock := &fakeClock{now: testNow}
	jwks := newTestJWKS(t, srv, clock)
	ctx := context.Background()
	if _, err := jwks.Key(ctx, testECKID); err != nil {
		t.Fatal(err)
	}
	srv.set(func(s *jwksServer) { s.status = http.StatusServiceUnavailable })

	clock.Advance(DefaultJWKSTTL + time.Second)
	for range 10 {
		if _, err := jwks.Key(ctx, testECKID); err != nil {
			t.Fatalf("stale key while issuer down: %v", err)
		}
	}
	if n := srv.fetches.Load(); n != 2 {
		t.Fatalf("fetches while down = %d, want 2 (one retry per interval)", n)
	}
	clock.Advance(DefaultJWKSMinRefresh)
	if _, err := jwks.Key(ctx, testECKID); err != nil {
		t.Fatalf("stale key on retry: %v", err)
	}
	if n := srv.fetches.Load(); n != 3 {
		t.Fatalf("fetches after interval = %d, want 3", n)
	}
	if err := jwks.Refresh(ctx); err == nil || !strings.Contains(err.Error(), "status 503") {
		t.Fatalf("Refresh while down = %v, want status 503", err)
	}

	clock.Advance(DefaultJWKSMaxStale)
	_, err := jwks.Key(ctx, testECKID)
	if err == nil || errors.Is(err, ErrKeyNotFound) {
		t.Fatalf("key past MaxStale: err %v, want unavailable", err)
	}
	v := newTestVerifier(t, jwks)
	if _, err := v.Verify(ctx, sign(t, jwt.SigningMethodES256, ec, testECKID, validClaims())); Reason(err) != ReasonKeysUnavailable {
		t.Fatalf("verify past MaxStale: reason %q, want %s", Reason(err), ReasonKeysUnavailable)
	}

	// The issuer comes back: the next attempt recovers.
	srv.set(func(s *jwksServer) { s.status = http.StatusOK })
	clock.Advance(DefaultJWKSMinRefresh)
	if _, err := jwks.Key(ctx, testECKID); err != nil {
		t.Fatalf("after recovery: %v", err)
	}
}

func TestJWKSColdStartDown(t *testing.T) {
	srv := newJWKSServer(t)
	srv.set(func(s *jwksServer) { s.status = http.StatusInternalServerError })
	jwks := newTestJWKS(t, srv, &fakeClock{now: testNow})
	_, err := jwks.Key(context.Background(), testECKID)
	if err == nil || errors.Is(err, ErrKeyNotFound) || !strings.Contains(err.Error(), "status 500") {
		t.Fatalf("cold start with issuer down: %v", err)
	}
}

func TestJWKSCallerCancelDoesNotFailSharedFetch(t *testing.T) {
	ec, _ := testKeys()
	srv := newJWKSServer(t, ecJWK(t, testECKID, &ec.PublicKey))
	srv.set(func(s *jwksServer) { s.delay = 100 * time.Millisecond })
	jwks := newTestJWKS(t, srv, &fakeClock{now: testNow})

	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := jwks.Key(cancelled, testECKID); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled caller: %v", err)
	}
	if _, err := jwks.Key(context.Background(), testECKID); err != nil {
		t.Fatalf("second caller sharing the fetch: %v", err)
	}
	if n := srv.fetches.Load(); n != 1 {
		t.Fatalf("fetches = %d, want 1", n)
	}
}

func TestParseJWKS(t *testing.T) {
	ec, rs := testKeys()
	p384 := mustP384(t)
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	offCurve := ecJWK(t, "off", &ec.PublicKey)
	offCurve["y"] = base64.RawURLEncoding.EncodeToString(make([]byte, 32))
	withKV := func(m map[string]any, kv ...any) map[string]any {
		out := map[string]any{}
		for k, v := range m {
			out[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			out[kv[i].(string)] = kv[i+1]
		}
		return out
	}
	doc := func(keys ...map[string]any) []byte {
		b, err := json.Marshal(map[string]any{"keys": keys})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	tests := []struct {
		name    string
		doc     []byte
		want    []string // kids accepted
		wantErr bool
	}{
		{"EC and RSA", doc(ecJWK(t, "a", &ec.PublicKey), rsaJWK("b", &rs.PublicKey)), []string{"a", "b"}, false},
		{"P-384", doc(ecJWK(t, "p384", &p384.PublicKey)), []string{"p384"}, false},
		{"symmetric key ignored", doc(map[string]any{"kty": "oct", "kid": "hs", "k": "c2VjcmV0"}, ecJWK(t, "a", &ec.PublicKey)), []string{"a"}, false},
		{"encryption key ignored", doc(withKV(ecJWK(t, "enc", &ec.PublicKey), "use", "enc"), ecJWK(t, "a", &ec.PublicKey)), []string{"a"}, false},
		{"key_ops without verify ignored", doc(withKV(ecJWK(t, "ops", &ec.PublicKey), "key_ops", []string{"encrypt"}), ecJWK(t, "a", &ec.PublicKey)), []string{"a"}, false},
		{"RSA under 2048 bits ignored", doc(rsaJWK("small", &small.PublicKey), ecJWK(t, "a", &ec.PublicKey)), []string{"a"}, false},
		{"RSA key labelled ES256 ignored", doc(withKV(rsaJWK("mis", &rs.PublicKey), "alg", "ES256"), ecJWK(t, "a", &ec.PublicKey)), []string{"a"}, false},
		{"point off the curve ignored", doc(offCurve, ecJWK(t, "a", &ec.PublicKey)), []string{"a"}, false},
		{"no kid ignored", doc(withKV(ecJWK(t, "", &ec.PublicKey)), ecJWK(t, "a", &ec.PublicKey)), []string{"a"}, false},
		{"duplicate kid dropped", doc(ecJWK(t, "dup", &ec.PublicKey), rsaJWK("dup", &rs.PublicKey), ecJWK(t, "a", &ec.PublicKey)), []string{"a"}, false},
		{"nothing usable", doc(map[string]any{"kty": "oct", "kid": "hs", "k": "c2VjcmV0"}), nil, true},
		{"not JSON", []byte("<html>"), nil, true},
		{"empty", []byte(`{"keys":[]}`), nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseJWKS(tt.doc)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d keys, want %v", len(got), tt.want)
			}
			for _, kid := range tt.want {
				if _, ok := got[kid]; !ok {
					t.Errorf("kid %q missing", kid)
				}
			}
		})
	}
	// A parsed EC key is the same key.
	got, err := ParseJWKS(doc(ecJWK(t, "a", &ec.PublicKey)))
	if err != nil {
		t.Fatal(err)
	}
	if !ec.PublicKey.Equal(got["a"]) {
		t.Error("parsed EC key differs from the original")
	}
}

func TestNewJWKSURL(t *testing.T) {
	for url, ok := range map[string]bool{
		"https://login.hirfa.ma/.well-known/jwks.json": true,
		"http://127.0.0.1:8080/jwks":                   true,
		"http://[::1]:8080/jwks":                       true,
		"http://localhost/jwks":                        true,
		"http://login.hirfa.ma/jwks":                   false,
		"file:///etc/jwks.json":                        false,
		"://bad":                                       false,
	} {
		_, err := NewJWKS(url, nil, JWKSOptions{})
		if (err == nil) != ok {
			t.Errorf("NewJWKS(%q) err = %v, want ok=%v", url, err, ok)
		}
	}
	if _, err := NewJWKS("https://x.test", nil, JWKSOptions{TTL: -1}); err == nil {
		t.Error("negative TTL accepted")
	}
}
