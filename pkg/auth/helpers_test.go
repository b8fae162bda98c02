package auth

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Fixed test identities. The keys under testdata/ are test-only.
const (
	testIssuer   = "https://issuer.hirfa.test"
	testAudience = "hirfa"
	testECKID    = "ec-1"
	testRSAKID   = "rsa-1"
)

// testNow is the verifiers' clock in tests, so committed fuzz seeds stay
// valid (or expired) forever.
var testNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

var loadKeys = sync.OnceValues(func() (*ecdsa.PrivateKey, *rsa.PrivateKey) {
	ec := mustParseKey(filepath.Join("testdata", "es256-test-key.pem")).(*ecdsa.PrivateKey)
	rs := mustParseKey(filepath.Join("testdata", "rs256-test-key.pem")).(*rsa.PrivateKey)
	return ec, rs
})

func mustParseKey(path string) crypto.Signer {
	b, err := os.ReadFile(path)
	if err != nil {
		panic(err)
	}
	blk, _ := pem.Decode(b)
	if blk == nil {
		panic("no PEM block in " + path)
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		panic(err)
	}
	return k.(crypto.Signer)
}

func testKeys() (*ecdsa.PrivateKey, *rsa.PrivateKey) { return loadKeys() }

// testKeySource knows the EC and RSA test keys under their kids.
func testKeySource() KeySource {
	ec, rs := testKeys()
	return StaticKeys(map[string]crypto.PublicKey{testECKID: &ec.PublicKey, testRSAKID: &rs.PublicKey})
}

func newTestVerifier(tb testing.TB, keys KeySource) *Verifier {
	tb.Helper()
	v, err := NewVerifier(VerifierConfig{
		Issuer:   testIssuer,
		Audience: testAudience,
		Keys:     keys,
		Now:      func() time.Time { return testNow },
	})
	if err != nil {
		tb.Fatalf("NewVerifier: %v", err)
	}
	return v
}

// validClaims is a clerk token of Fès-Meknès, valid at testNow.
func validClaims() jwt.MapClaims {
	return jwt.MapClaims{
		"iss":           testIssuer,
		"aud":           testAudience,
		"sub":           "user-42",
		"iat":           testNow.Add(-time.Minute).Unix(),
		"nbf":           testNow.Add(-time.Minute).Unix(),
		"exp":           testNow.Add(time.Hour).Unix(),
		"jti":           "tok-1",
		"hirfa_role":    "chamber-clerk",
		"hirfa_chamber": "fes-meknes",
	}
}

// with returns a copy of c with the given claims set; a nil value deletes.
func with(c jwt.MapClaims, kv ...any) jwt.MapClaims {
	out := jwt.MapClaims{}
	for k, v := range c {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(out, kv[i].(string))
			continue
		}
		out[kv[i].(string)] = kv[i+1]
	}
	return out
}

// sign signs claims with method and key under kid ("" leaves kid out).
func sign(tb testing.TB, method jwt.SigningMethod, key any, kid string, claims jwt.MapClaims) string {
	tb.Helper()
	tok := jwt.NewWithClaims(method, claims)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	if err != nil {
		tb.Fatalf("sign: %v", err)
	}
	return s
}

// rawToken assembles a compact JWS from arbitrary header and claims JSON and
// a signature, for tokens no honest library would produce.
func rawToken(tb testing.TB, header map[string]any, claims jwt.MapClaims, sig []byte) string {
	tb.Helper()
	h, err := json.Marshal(header)
	if err != nil {
		tb.Fatal(err)
	}
	c, err := json.Marshal(claims)
	if err != nil {
		tb.Fatal(err)
	}
	enc := base64.RawURLEncoding
	return enc.EncodeToString(h) + "." + enc.EncodeToString(c) + "." + enc.EncodeToString(sig)
}
