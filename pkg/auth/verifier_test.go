package auth

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/go-cmp/cmp"
)

func TestVerifyAccepts(t *testing.T) {
	ec, rs := testKeys()
	v := newTestVerifier(t, testKeySource())
	tests := []struct {
		name  string
		token string
		want  Principal
	}{
		{
			name:  "ES256 chamber clerk",
			token: sign(t, jwt.SigningMethodES256, ec, testECKID, validClaims()),
			want:  Principal{Subject: "user-42", Role: RoleChamberClerk, Chamber: "fes-meknes", TokenID: "tok-1"},
		},
		{
			name:  "RS256 ministry without chamber",
			token: sign(t, jwt.SigningMethodRS256, rs, testRSAKID, with(validClaims(), "hirfa_role", "ministry", "hirfa_chamber", nil)),
			want:  Principal{Subject: "user-42", Role: RoleMinistry, TokenID: "tok-1"},
		},
		{
			name:  "federation with empty chamber claim",
			token: sign(t, jwt.SigningMethodES256, ec, testECKID, with(validClaims(), "hirfa_role", "federation", "hirfa_chamber", "")),
			want:  Principal{Subject: "user-42", Role: RoleFederation, TokenID: "tok-1"},
		},
		{
			name:  "audience list containing ours",
			token: sign(t, jwt.SigningMethodES256, ec, testECKID, with(validClaims(), "aud", []string{"other", testAudience}, "hirfa_role", "auditor", "hirfa_chamber", "casablanca-settat")),
			want:  Principal{Subject: "user-42", Role: RoleAuditor, Chamber: "casablanca-settat", TokenID: "tok-1"},
		},
		{
			name:  "expired within leeway",
			token: sign(t, jwt.SigningMethodES256, ec, testECKID, with(validClaims(), "exp", testNow.Add(-20*time.Second).Unix(), "hirfa_role", "chamber-admin")),
			want:  Principal{Subject: "user-42", Role: RoleChamberAdmin, Chamber: "fes-meknes", TokenID: "tok-1"},
		},
		{
			name:  "no jti, no nbf",
			token: sign(t, jwt.SigningMethodES256, ec, testECKID, with(validClaims(), "jti", nil, "nbf", nil)),
			want:  Principal{Subject: "user-42", Role: RoleChamberClerk, Chamber: "fes-meknes"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := v.Verify(context.Background(), tt.token)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			tt.want.Raw = tt.token
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("principal (-want +got):\n%s", diff)
			}
		})
	}
}

// TestVerifyAttacks is the table of tokens that must be refused, each with
// the reason a client (and a dashboard) will see.
func TestVerifyAttacks(t *testing.T) {
	ec, rs := testKeys()
	otherEC, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecPubPEM := publicPEM(t, &ec.PublicKey)
	rsaPubPEM := publicPEM(t, &rs.PublicKey)
	valid := sign(t, jwt.SigningMethodES256, ec, testECKID, validClaims())
	parts := strings.Split(valid, ".")
	tampered := rawToken(t, map[string]any{"alg": "ES256", "kid": testECKID, "typ": "JWT"},
		with(validClaims(), "hirfa_role", "ministry", "hirfa_chamber", nil), nil)
	tampered = strings.Join(append(strings.Split(tampered, ".")[:2], parts[2]), ".")

	tests := []struct {
		name   string
		token  string
		reason string
	}{
		{"missing token", "", ReasonMissing},
		{"not a JWS", "not-a-token", ReasonMalformed},
		{"two segments", parts[0] + "." + parts[1], ReasonMalformed},
		{"header not base64", "%%%." + parts[1] + "." + parts[2], ReasonMalformed},
		{"oversized", strings.Repeat("a", maxTokenLen+1), ReasonMalformed},
		{"alg none", rawToken(t, map[string]any{"alg": "none", "kid": testECKID}, with(validClaims(), "hirfa_role", "ministry", "hirfa_chamber", nil), nil), ReasonAlgorithm},
		{"alg None (case)", rawToken(t, map[string]any{"alg": "None", "kid": testECKID}, validClaims(), nil), ReasonAlgorithm},
		{"alg missing", rawToken(t, map[string]any{"kid": testECKID}, validClaims(), []byte("x")), ReasonAlgorithm},
		{"HS256 keyed with EC public key PEM", sign(t, jwt.SigningMethodHS256, ecPubPEM, testECKID, validClaims()), ReasonAlgorithm},
		{"HS256 keyed with RSA public key PEM", sign(t, jwt.SigningMethodHS256, rsaPubPEM, testRSAKID, validClaims()), ReasonAlgorithm},
		{"ES384 not in allow-list", sign(t, jwt.SigningMethodES384, mustP384(t), testECKID, validClaims()), ReasonAlgorithm},
		{"RS256 header naming an EC key", sign(t, jwt.SigningMethodRS256, rs, testECKID, validClaims()), ReasonAlgorithm},
		{"ES256 header naming an RSA key", sign(t, jwt.SigningMethodES256, ec, testRSAKID, validClaims()), ReasonAlgorithm},
		{"missing kid", sign(t, jwt.SigningMethodES256, ec, "", validClaims()), ReasonKeyIDMissing},
		{"unknown kid", sign(t, jwt.SigningMethodES256, ec, "ec-retired", validClaims()), ReasonKeyIDUnknown},
		{"embedded jwk is not trusted", embeddedJWK(t, otherEC), ReasonSignature},
		{"bad signature (other key, same kid)", sign(t, jwt.SigningMethodES256, otherEC, testECKID, validClaims()), ReasonSignature},
		{"bad signature (payload tampered)", tampered, ReasonSignature},
		{"critical header", critToken(t, ec), ReasonMalformed},
		{"expired", sign(t, jwt.SigningMethodES256, ec, testECKID, with(validClaims(), "exp", testNow.Add(-time.Hour).Unix())), ReasonExpired},
		{"expired beyond leeway", sign(t, jwt.SigningMethodES256, ec, testECKID, with(validClaims(), "exp", testNow.Add(-31*time.Second).Unix())), ReasonExpired},
		{"no exp", sign(t, jwt.SigningMethodES256, ec, testECKID, with(validClaims(), "exp", nil)), ReasonClaims},
		{"exp as string", sign(t, jwt.SigningMethodES256, ec, testECKID, with(validClaims(), "exp", "tomorrow")), ReasonMalformed},
		{"nbf in the future", sign(t, jwt.SigningMethodES256, ec, testECKID, with(validClaims(), "nbf", testNow.Add(5*time.Minute).Unix())), ReasonNotYetValid},
		{"iat in the future", sign(t, jwt.SigningMethodES256, ec, testECKID, with(validClaims(), "iat", testNow.Add(5*time.Minute).Unix())), ReasonNotYetValid},
		{"wrong audience", sign(t, jwt.SigningMethodES256, ec, testECKID, with(validClaims(), "aud", "another-platform")), ReasonAudience},
		{"no audience", sign(t, jwt.SigningMethodES256, ec, testECKID, with(validClaims(), "aud", nil)), ReasonAudience},
		{"wrong issuer", sign(t, jwt.SigningMethodES256, ec, testECKID, with(validClaims(), "iss", "https://evil.test")), ReasonIssuer},
		{"no issuer", sign(t, jwt.SigningMethodES256, ec, testECKID, with(validClaims(), "iss", nil)), ReasonIssuer},
		{"missing subject", sign(t, jwt.SigningMethodES256, ec, testECKID, with(validClaims(), "sub", nil)), ReasonSubject},
		{"subject with newline", sign(t, jwt.SigningMethodES256, ec, testECKID, with(validClaims(), "sub", "u1\nlevel=admin")), ReasonSubject},
		{"unknown role", sign(t, jwt.SigningMethodES256, ec, testECKID, with(validClaims(), "hirfa_role", "superuser")), ReasonRole},
		{"missing role", sign(t, jwt.SigningMethodES256, ec, testECKID, with(validClaims(), "hirfa_role", nil)), ReasonRole},
		{"role case differs", sign(t, jwt.SigningMethodES256, ec, testECKID, with(validClaims(), "hirfa_role", "Ministry", "hirfa_chamber", nil)), ReasonRole},
		{"claim names are case-sensitive (role)", sign(t, jwt.SigningMethodES256, ec, testECKID, with(validClaims(), "hirfa_role", nil, "HIRFA_ROLE", "chamber-clerk")), ReasonRole},
		{"claim names are case-sensitive (sub)", sign(t, jwt.SigningMethodES256, ec, testECKID, with(validClaims(), "sub", nil, "Sub", "user-42")), ReasonSubject},
		{"claims not an object", rawTokenJSON(t, ec, `["sub"]`), ReasonMalformed},
		// The parser decodes a null payload as "no claims"; the first
		// required claim it misses is iss.
		{"claims null", rawTokenJSON(t, ec, `null`), ReasonIssuer},
		{"clerk without chamber", sign(t, jwt.SigningMethodES256, ec, testECKID, with(validClaims(), "hirfa_chamber", nil)), ReasonChamber},
		{"auditor with malformed chamber", sign(t, jwt.SigningMethodES256, ec, testECKID, with(validClaims(), "hirfa_role", "auditor", "hirfa_chamber", "../fes")), ReasonChamber},
		{"ministry with a chamber", sign(t, jwt.SigningMethodES256, ec, testECKID, with(validClaims(), "hirfa_role", "ministry")), ReasonChamber},
		{"role claim of wrong type", sign(t, jwt.SigningMethodES256, ec, testECKID, with(validClaims(), "hirfa_role", []string{"ministry"})), ReasonMalformed},
	}
	v := newTestVerifier(t, testKeySource())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := v.Verify(context.Background(), tt.token)
			if err == nil {
				t.Fatalf("Verify accepted the token as %v", p)
			}
			var ae *Error
			if !errors.As(err, &ae) {
				t.Fatalf("error %v is not an *Error", err)
			}
			if ae.Reason != tt.reason {
				t.Errorf("reason = %s, want %s", ae.Reason, tt.reason)
			}
			if tt.token != "" && strings.Contains(err.Error(), tt.token[:min(len(tt.token), 16)]) {
				t.Errorf("error message echoes the token: %q", err)
			}
		})
	}
}

func TestVerifyKeySourceFailure(t *testing.T) {
	ec, _ := testKeys()
	boom := errors.New("issuer unreachable")
	v := newTestVerifier(t, keySourceFunc(func(context.Context, string) (crypto.PublicKey, error) { return nil, boom }))
	_, err := v.Verify(context.Background(), sign(t, jwt.SigningMethodES256, ec, testECKID, validClaims()))
	if Reason(err) != ReasonKeysUnavailable {
		t.Fatalf("reason = %q, want %s (err %v)", Reason(err), ReasonKeysUnavailable, err)
	}
	if !errors.Is(err, boom) {
		t.Errorf("key source error not wrapped: %v", err)
	}
}

func TestNewVerifierConfig(t *testing.T) {
	keys := testKeySource()
	tests := []struct {
		name    string
		cfg     VerifierConfig
		wantErr []string
	}{
		{"defaults", VerifierConfig{Issuer: testIssuer, Audience: testAudience, Keys: keys}, nil},
		{"everything missing", VerifierConfig{}, []string{"issuer is required", "audience is required", "key source is required"}},
		{"none listed", VerifierConfig{Issuer: testIssuer, Audience: testAudience, Keys: keys, Algorithms: []string{"ES256", "none"}}, []string{`"none"`}},
		{"HS256 listed", VerifierConfig{Issuer: testIssuer, Audience: testAudience, Keys: keys, Algorithms: []string{"HS256"}}, []string{`"HS256"`}},
		{"negative leeway", VerifierConfig{Issuer: testIssuer, Audience: testAudience, Keys: keys, Leeway: -time.Second}, []string{"negative"}},
		{"PS256 and ES384", VerifierConfig{Issuer: testIssuer, Audience: testAudience, Keys: keys, Algorithms: []string{"PS256", "ES384"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewVerifier(tt.cfg)
			if (err != nil) != (len(tt.wantErr) > 0) {
				t.Fatalf("err = %v, want errors containing %q", err, tt.wantErr)
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("err %q does not mention %q", err, w)
				}
			}
		})
	}
}

// TestAllowListIsPinned proves an algorithm the key could verify is still
// refused when it is not on the allow-list.
func TestAllowListIsPinned(t *testing.T) {
	ec, rs := testKeys()
	v, err := NewVerifier(VerifierConfig{Issuer: testIssuer, Audience: testAudience, Keys: testKeySource(),
		Algorithms: []string{"ES256"}, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(context.Background(), sign(t, jwt.SigningMethodES256, ec, testECKID, validClaims())); err != nil {
		t.Fatalf("ES256: %v", err)
	}
	_, err = v.Verify(context.Background(), sign(t, jwt.SigningMethodRS256, rs, testRSAKID, validClaims()))
	if Reason(err) != ReasonAlgorithm {
		t.Fatalf("RS256 with ES256-only verifier: reason %q, want %s", Reason(err), ReasonAlgorithm)
	}
}

func TestPrincipalNeverPrintsRawToken(t *testing.T) {
	p := Principal{Subject: "user-42", Role: RoleChamberClerk, Chamber: "fes-meknes", TokenID: "tok-1", Raw: "SECRET.TOKEN.VALUE"}
	var logged strings.Builder
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("call", "principal", p)
	js, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	outputs := map[string]string{
		"slog":   logged.String(),
		"%v":     fmt.Sprintf("%v", p),
		"%+v":    fmt.Sprintf("%+v", p),
		"%#v":    fmt.Sprintf("%#v", p),
		"%s ptr": fmt.Sprintf("%s", &p), //nolint:staticcheck // S1025: what %s prints for a pointer is the point of the test
		"json":   string(js),
	}
	for how, out := range outputs {
		if strings.Contains(out, "SECRET") {
			t.Errorf("%s output contains the raw token: %s", how, out)
		}
		if !strings.Contains(out, "fes-meknes") {
			t.Errorf("%s output lacks the chamber: %s", how, out)
		}
	}
}

func TestPrincipalContext(t *testing.T) {
	if _, ok := FromContext(context.Background()); ok {
		t.Fatal("empty context has a principal")
	}
	want := Principal{Subject: "s", Role: RoleMinistry}
	got, ok := FromContext(NewContext(context.Background(), want))
	if !ok || got != want {
		t.Fatalf("FromContext = %v, %v; want %v", got, ok, want)
	}
	if !got.National() || (Principal{Role: RoleAuditor}).National() {
		t.Error("National() wrong")
	}
}

func TestValidChamberID(t *testing.T) {
	for id, want := range map[string]bool{
		"fes-meknes": true, "oriental": true, "casablanca-settat": true, "r12": true,
		"": false, "-fes": false, "fes-": false, "fes--meknes": false, "Fes": false, "fès": false,
		"fes meknes": false, "../x": false, strings.Repeat("a", 64): false, strings.Repeat("a", 63): true,
	} {
		if got := ValidChamberID(id); got != want {
			t.Errorf("ValidChamberID(%q) = %v, want %v", id, got, want)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	ec, rs := testKeys()
	v := newTestVerifier(b, testKeySource())
	for _, bc := range []struct {
		name  string
		token string
	}{
		{"ES256", sign(b, jwt.SigningMethodES256, ec, testECKID, validClaims())},
		{"RS256", sign(b, jwt.SigningMethodRS256, rs, testRSAKID, validClaims())},
	} {
		b.Run(bc.name, func(b *testing.B) {
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := v.Verify(ctx, bc.token); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

type keySourceFunc func(ctx context.Context, kid string) (crypto.PublicKey, error)

func (f keySourceFunc) Key(ctx context.Context, kid string) (crypto.PublicKey, error) {
	return f(ctx, kid)
}

func publicPEM(t *testing.T, pub crypto.PublicKey) []byte {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

func mustP384(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// embeddedJWK signs with the attacker's key and puts that key in the "jwk"
// header under our kid: the verifier must ignore the header's key.
func embeddedJWK(t *testing.T, attacker *ecdsa.PrivateKey) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodES256, with(validClaims(), "hirfa_role", "ministry", "hirfa_chamber", nil))
	tok.Header["kid"] = testECKID
	tok.Header["jwk"] = ecJWK(t, testECKID, &attacker.PublicKey)
	s, err := tok.SignedString(attacker)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// rawTokenJSON signs an arbitrary claims payload with ES256 under testECKID.
func rawTokenJSON(tb testing.TB, key *ecdsa.PrivateKey, payload string) string {
	tb.Helper()
	enc := base64.RawURLEncoding
	signing := enc.EncodeToString([]byte(`{"alg":"ES256","kid":"`+testECKID+`","typ":"JWT"}`)) + "." + enc.EncodeToString([]byte(payload))
	sig, err := jwt.SigningMethodES256.Sign(signing, key)
	if err != nil {
		tb.Fatal(err)
	}
	return signing + "." + enc.EncodeToString(sig)
}

func critToken(t *testing.T, key *ecdsa.PrivateKey) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodES256, validClaims())
	tok.Header["kid"] = testECKID
	tok.Header["crit"] = []string{"exp-policy"}
	tok.Header["exp-policy"] = "lenient"
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
