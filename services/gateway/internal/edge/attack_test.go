package edge

import (
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/pem"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/hirfa/hirfa/pkg/auth/devissuer"
)

// forge signs arbitrary claims with the dev issuer's real key, so each
// attack differs from a valid token in exactly one respect.
func forge(t *testing.T, s *stack, method jwt.SigningMethod, kid string, edit func(jwt.MapClaims)) string {
	t.Helper()
	now := time.Now()
	claims := jwt.MapClaims{
		"iss": devissuer.IssuerURL, "aud": devissuer.Audience, "sub": "attacker@fes", "hirfa_role": "chamber-clerk",
		"hirfa_chamber": "fes-meknes", "iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(time.Hour).Unix(),
	}
	edit(claims)
	tok := jwt.NewWithClaims(method, claims)
	tok.Header["kid"] = kid
	var key any = devKey(t, s)
	if method == jwt.SigningMethodHS256 {
		// The classic algorithm-confusion attack: HMAC keyed with the
		// public key, which anyone can fetch from the JWKS.
		der, err := x509.MarshalPKIXPublicKey(&devKey(t, s).PublicKey)
		if err != nil {
			t.Fatal(err)
		}
		key = pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	}
	signed, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return signed
}

func devKey(t *testing.T, s *stack) *ecdsa.PrivateKey {
	t.Helper()
	b, err := os.ReadFile(s.key)
	if err != nil {
		t.Fatal(err)
	}
	blk, _ := pem.Decode(b)
	if blk == nil {
		t.Fatal("no PEM block in the dev key")
	}
	if k, err := x509.ParseECPrivateKey(blk.Bytes); err == nil {
		return k
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return k.(*ecdsa.PrivateKey)
}

// TestAttackTable: each attack against the edge and its expected answer.
func TestAttackTable(t *testing.T) {
	s := startStack(t, "anonymous=1000/s:1000,chamber-clerk=1000/s:1000,ministry=1000/s:1000")
	kid := s.issuer.KeyID()
	es := jwt.SigningMethodES256
	fes := "/v1/chambers/fes-meknes/artisans"
	valid := forge(t, s, es, kid, func(jwt.MapClaims) {})
	tests := []struct {
		name   string
		header string // full Authorization header
		path   string
		status int
	}{
		{"control: a valid forged-with-the-real-key token", "Bearer " + valid, fes, 200},
		{"missing token", "", fes, 401},
		{"malformed header", "Bearer", fes, 401},
		{"basic auth", "Basic YWxhZGRpbjpvcGVuc2VzYW1l", fes, 401},
		{"alg none", "Bearer " + strings.Join([]string{header("alg:none"), strings.Split(valid, ".")[1], ""}, "."), fes, 401},
		{"HS256 signed with the public key", "Bearer " + forge(t, s, jwt.SigningMethodHS256, kid, func(jwt.MapClaims) {}), fes, 401},
		{"expired", "Bearer " + forge(t, s, es, kid, func(c jwt.MapClaims) { c["exp"] = time.Now().Add(-time.Hour).Unix() }), fes, 401},
		{"not yet valid", "Bearer " + forge(t, s, es, kid, func(c jwt.MapClaims) { c["nbf"] = time.Now().Add(time.Hour).Unix() }), fes, 401},
		{"wrong audience", "Bearer " + forge(t, s, es, kid, func(c jwt.MapClaims) { c["aud"] = "another-app" }), fes, 401},
		{"wrong issuer", "Bearer " + forge(t, s, es, kid, func(c jwt.MapClaims) { c["iss"] = "https://evil.example" }), fes, 401},
		{"unknown kid", "Bearer " + forge(t, s, es, "not-a-key", func(jwt.MapClaims) {}), fes, 401},
		{"tampered payload", "Bearer " + tamper(valid), fes, 401},
		{"unknown role", "Bearer " + forge(t, s, es, kid, func(c jwt.MapClaims) { c["hirfa_role"] = "superuser" }), fes, 401},
		{"another chamber's token", "Bearer " + forge(t, s, es, kid, func(c jwt.MapClaims) { c["hirfa_chamber"] = "marrakech-safi" }), fes + "?filter=" + url.QueryEscape("state = APPLICANT"), 404},
		{"clerk escalating to a national read", "Bearer " + valid, "/v1/chambers/-/artisans", 403},
		{"clerk naming another chamber as parent", "Bearer " + valid, "/v1/chambers/marrakech-safi/artisans", 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r response
			if tt.header == "" {
				r = s.do(t, "GET", tt.path, "", nil)
			} else {
				r = s.do(t, "GET", tt.path, "", nil, "Authorization", tt.header)
			}
			if r.Status != tt.status {
				t.Fatalf("status = %d, want %d: %s", r.Status, tt.status, r.Raw)
			}
			if strings.Contains(s.logs.String(), strings.TrimPrefix(tt.header, "Bearer ")) && len(tt.header) > 20 {
				t.Fatal("a token reached the logs")
			}
		})
	}
	// The burst: anonymous callers share an IP bucket.
	b := startStack(t, "anonymous=3/m:3")
	var last response
	for i := 0; i < 4; i++ {
		last = b.do(t, "GET", "/v1/regions", "", nil)
	}
	if last.Status != 429 || last.Header.Get("Retry-After") == "" {
		t.Fatalf("anonymous burst = %d %s", last.Status, last.Raw)
	}

}

// tamper flips the role in the payload without re-signing.
func tamper(tok string) string {
	parts := strings.Split(tok, ".")
	parts[1] = strings.TrimRight(parts[1], "A") + "B"
	return strings.Join(parts, ".")
}
