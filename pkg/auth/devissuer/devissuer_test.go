package devissuer

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/hirfa/hirfa/pkg/auth"
)

func TestLoadCreatesPrivateKeyFileAndReusesIt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "var", "dev-issuer.pem")
	first, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := st.Mode().Perm(); perm != 0o600 {
		t.Errorf("key file mode = %#o, want 0600", perm)
	}
	if dst, err := os.Stat(filepath.Dir(path)); err != nil || dst.Mode().Perm() != 0o700 {
		t.Errorf("key directory mode = %v, %v; want 0700", dst.Mode().Perm(), err)
	}
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil || len(entries) != 1 {
		t.Errorf("directory holds %d entries (temp file left behind?): %v", len(entries), err)
	}

	tok, err := first.Issue(Claims{Subject: "clerk-1", Role: auth.RoleChamberClerk, Chamber: "fes-meknes"})
	if err != nil {
		t.Fatal(err)
	}
	// A restart loads the same key: tokens printed before it still verify.
	second, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if first.KeyID() != second.KeyID() {
		t.Fatalf("kid changed across restarts: %s → %s", first.KeyID(), second.KeyID())
	}
	v, err := auth.NewVerifier(second.VerifierConfig())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(context.Background(), tok); err != nil {
		t.Fatalf("token from before the restart: %v", err)
	}
}

func TestLoadConcurrentFirstStartAgrees(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dev-issuer.pem")
	kids := make([]string, 8)
	var wg sync.WaitGroup
	for n := range kids {
		wg.Go(func() {
			iss, err := Load(path)
			if err != nil {
				t.Error(err)
				return
			}
			kids[n] = iss.KeyID()
		})
	}
	wg.Wait()
	for _, k := range kids[1:] {
		if k != kids[0] {
			t.Fatalf("concurrent Loads disagree on the key: %v", kids)
		}
	}
}

func TestLoadRejects(t *testing.T) {
	dir := t.TempDir()
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	p384, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pkcs8 := func(k any) []byte {
		der, err := x509.MarshalPKCS8PrivateKey(k)
		if err != nil {
			t.Fatal(err)
		}
		return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	}
	tests := []struct {
		name    string
		content []byte
		mode    os.FileMode
		wantErr string
	}{
		{"world-readable", pkcs8(ecKey), 0o644, "chmod 600"},
		{"group-readable", pkcs8(ecKey), 0o640, "chmod 600"},
		{"not PEM", []byte("hello"), 0o600, "no PEM block"},
		{"certificate", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte{1}}), 0o600, "unexpected PEM block"},
		{"RSA key", pkcs8(rsaKey), 0o600, "not an ECDSA P-256 key"},
		{"P-384 key", pkcs8(p384), 0o600, "not an ECDSA P-256 key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-")+".pem")
			if err := os.WriteFile(path, tt.content, tt.mode); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, tt.mode); err != nil { // umask-proof
				t.Fatal(err)
			}
			_, err := Load(path)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Load = %v, want error containing %q", err, tt.wantErr)
			}
		})
	}
	// A SEC 1 ("EC PRIVATE KEY") file, as openssl ecparam writes, loads.
	der, err := x509.MarshalECPrivateKey(ecKey)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "sec1.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); err != nil {
		t.Fatalf("SEC 1 key: %v", err)
	}
}

func TestIssueVerifies(t *testing.T) {
	iss, err := Load(filepath.Join(t.TempDir(), "k.pem"))
	if err != nil {
		t.Fatal(err)
	}
	v, err := auth.NewVerifier(iss.VerifierConfig())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		claims Claims
		want   auth.Principal
	}{
		{Claims{Subject: "min-1", Role: auth.RoleMinistry}, auth.Principal{Subject: "min-1", Role: auth.RoleMinistry}},
		{Claims{Subject: "fed-1", Role: auth.RoleFederation}, auth.Principal{Subject: "fed-1", Role: auth.RoleFederation}},
		{Claims{Subject: "adm-1", Role: auth.RoleChamberAdmin, Chamber: "oriental"}, auth.Principal{Subject: "adm-1", Role: auth.RoleChamberAdmin, Chamber: "oriental"}},
		{Claims{Subject: "clk-1", Role: auth.RoleChamberClerk, Chamber: "fes-meknes", TTL: time.Minute}, auth.Principal{Subject: "clk-1", Role: auth.RoleChamberClerk, Chamber: "fes-meknes"}},
		{Claims{Subject: "aud-1", Role: auth.RoleAuditor, Chamber: "souss-massa"}, auth.Principal{Subject: "aud-1", Role: auth.RoleAuditor, Chamber: "souss-massa"}},
		{Claims{Subject: "odco-1", Role: auth.RoleODCOOfficer}, auth.Principal{Subject: "odco-1", Role: auth.RoleODCOOfficer}},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		t.Run(string(tt.claims.Role), func(t *testing.T) {
			tok, err := iss.Issue(tt.claims)
			if err != nil {
				t.Fatal(err)
			}
			got, err := v.Verify(context.Background(), tok)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if got.TokenID == "" || seen[got.TokenID] {
				t.Errorf("token id %q empty or reused", got.TokenID)
			}
			seen[got.TokenID] = true
			if diff := cmp.Diff(tt.want, got, cmpopts.IgnoreFields(auth.Principal{}, "TokenID", "Raw")); diff != "" {
				t.Errorf("principal (-want +got):\n%s", diff)
			}
			// The lifetime is the requested TTL (or the default).
			var rc jwt.RegisteredClaims
			if _, _, err := jwt.NewParser().ParseUnverified(tok, &rc); err != nil {
				t.Fatal(err)
			}
			wantTTL := tt.claims.TTL
			if wantTTL == 0 {
				wantTTL = DefaultTTL
			}
			if got := rc.ExpiresAt.Sub(rc.IssuedAt.Time); got != wantTTL {
				t.Errorf("lifetime = %s, want %s", got, wantTTL)
			}
		})
	}
}

func TestIssueRejects(t *testing.T) {
	iss, err := Load(filepath.Join(t.TempDir(), "k.pem"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		claims  Claims
		wantErr string
	}{
		{"no subject", Claims{Role: auth.RoleMinistry}, "subject is required"},
		{"unknown role", Claims{Subject: "s", Role: "root"}, "unknown role"},
		{"clerk without chamber", Claims{Subject: "s", Role: auth.RoleChamberClerk}, "needs a chamber"},
		{"malformed chamber", Claims{Subject: "s", Role: auth.RoleAuditor, Chamber: "Fès"}, "needs a chamber"},
		{"ministry with chamber", Claims{Subject: "s", Role: auth.RoleMinistry, Chamber: "oriental"}, "takes no chamber"},
		{"odco officer with chamber", Claims{Subject: "s", Role: auth.RoleODCOOfficer, Chamber: "oriental"}, "takes no chamber"},
		{"negative ttl", Claims{Subject: "s", Role: auth.RoleMinistry, TTL: -time.Second}, "ttl"},
		{"ttl too long", Claims{Subject: "s", Role: auth.RoleMinistry, TTL: MaxTTL + time.Hour}, "ttl"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := iss.Issue(tt.claims); err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Issue = %v, want error containing %q", err, tt.wantErr)
			}
		})
	}
}

// TestJWKSServesVerification publishes JWKS() over HTTP and verifies a dev
// token through auth.NewJWKS, as a service configured for OIDC would.
func TestJWKSServesVerification(t *testing.T) {
	iss, err := Load(filepath.Join(t.TempDir(), "k.pem"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Keys []map[string]string `json:"keys"`
	}
	if err := json.Unmarshal(iss.JWKS(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Keys) != 1 || doc.Keys[0]["kid"] != iss.KeyID() || doc.Keys[0]["alg"] != "ES256" || doc.Keys[0]["d"] != "" {
		t.Fatalf("jwks = %s", iss.JWKS())
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/jwk-set+json")
		_, _ = w.Write(iss.JWKS())
	}))
	t.Cleanup(srv.Close)
	keys, err := auth.NewJWKS(srv.URL, srv.Client(), auth.JWKSOptions{})
	if err != nil {
		t.Fatal(err)
	}
	v, err := auth.NewVerifier(auth.VerifierConfig{Issuer: IssuerURL, Audience: Audience, Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := iss.Issue(Claims{Subject: "fed-1", Role: auth.RoleFederation})
	if err != nil {
		t.Fatal(err)
	}
	if p, err := v.Verify(context.Background(), tok); err != nil || p.Role != auth.RoleFederation {
		t.Fatalf("Verify via JWKS = %v, %v", p, err)
	}
}

// TestKeyIDIsThumbprint checks the kid against the RFC 7638 §3 method,
// computed independently from the published JWK with encoding/json.
func TestKeyIDIsThumbprint(t *testing.T) {
	iss, err := Load(filepath.Join(t.TempDir(), "k.pem"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Keys []map[string]string `json:"keys"`
	}
	if err := json.Unmarshal(iss.JWKS(), &doc); err != nil {
		t.Fatal(err)
	}
	k := doc.Keys[0]
	// encoding/json sorts map keys, which is the RFC's lexicographic order.
	canon, err := json.Marshal(map[string]string{"crv": k["crv"], "kty": k["kty"], "x": k["x"], "y": k["y"]})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := iss.KeyID(), thumbprintOf(canon); got != want {
		t.Fatalf("kid = %s, want thumbprint %s", got, want)
	}
}

func thumbprintOf(canon []byte) string {
	sum := sha256.Sum256(canon)
	return base64.RawURLEncoding.EncodeToString(sum[:])
}
