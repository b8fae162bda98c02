// Package devissuer is the local token issuer of Hirfa's embedded default
// (`make run`): one ES256 key kept in a PEM file, tokens for any subject,
// role and chamber, and the matching JWKS.
//
// It exists only so the whole suite runs on one machine with no identity
// provider. Anyone who can read the key file can mint a ministry token, so
// production deployments never use it: they verify OIDC tokens against the
// identity provider's JWKS (auth.NewJWKS). Services should refuse to load it
// outside the embedded mode.
package devissuer

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/hirfa/hirfa/pkg/auth"
)

const (
	// IssuerURL is the iss claim of dev tokens.
	IssuerURL = "https://dev.hirfa.local"
	// Audience is the aud claim of dev tokens.
	Audience = "hirfa"
	// DefaultTTL is a dev token's lifetime when Claims.TTL is zero: a
	// working day, so tokens printed at start keep working.
	DefaultTTL = 12 * time.Hour
	// MaxTTL bounds Claims.TTL.
	MaxTTL = 30 * 24 * time.Hour
)

// Claims describes a token to issue.
type Claims struct {
	Subject string
	Role    auth.Role
	// Chamber is required for chamber roles and must be empty for national ones.
	Chamber string
	// TTL is the token's lifetime; zero means DefaultTTL.
	TTL time.Duration
}

// Issuer signs dev tokens with one ES256 key.
type Issuer struct {
	key  *ecdsa.PrivateKey
	kid  string
	jwks []byte
	now  func() time.Time
}

// Load reads the ES256 private key at path, or creates it (mode 0600, in a
// directory created 0700 if missing) so that tokens survive restarts. A key
// file readable by group or others is refused. Concurrent first Loads of one
// path agree on a single key.
func Load(path string) (*Issuer, error) {
	key, err := readKey(path)
	if errors.Is(err, fs.ErrNotExist) {
		key, err = createKey(path)
	}
	if err != nil {
		return nil, fmt.Errorf("dev issuer: %w", err)
	}
	iss, err := newIssuer(key)
	if err != nil {
		return nil, fmt.Errorf("dev issuer: %w", err)
	}
	return iss, nil
}

func newIssuer(key *ecdsa.PrivateKey) (*Issuer, error) {
	b, err := key.PublicKey.Bytes() // 0x04 || X || Y, 32 bytes each
	if err != nil {
		return nil, fmt.Errorf("encode public key: %w", err)
	}
	enc := base64.RawURLEncoding
	x, y := enc.EncodeToString(b[1:33]), enc.EncodeToString(b[33:65])
	// RFC 7638 thumbprint: the required members in lexicographic order,
	// no whitespace, SHA-256, base64url.
	sum := sha256.Sum256(fmt.Appendf(nil, `{"crv":"P-256","kty":"EC","x":"%s","y":"%s"}`, x, y))
	kid := enc.EncodeToString(sum[:])
	jwks, err := json.Marshal(map[string]any{"keys": []map[string]string{{
		"kty": "EC", "crv": "P-256", "x": x, "y": y, "kid": kid, "use": "sig", "alg": "ES256",
	}}})
	if err != nil {
		return nil, fmt.Errorf("encode jwks: %w", err)
	}
	return &Issuer{key: key, kid: kid, jwks: jwks, now: time.Now}, nil
}

func readKey(path string) (*ecdsa.PrivateKey, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if perm := st.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("key file %s has mode %#o; it signs tokens for any role, run: chmod 600 %s", path, perm, path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parseKey(b, path)
}

func parseKey(b []byte, path string) (*ecdsa.PrivateKey, error) {
	blk, _ := pem.Decode(b)
	if blk == nil {
		return nil, fmt.Errorf("key file %s: no PEM block", path)
	}
	var (
		parsed any
		err    error
	)
	switch blk.Type {
	case "PRIVATE KEY":
		parsed, err = x509.ParsePKCS8PrivateKey(blk.Bytes)
	case "EC PRIVATE KEY":
		parsed, err = x509.ParseECPrivateKey(blk.Bytes)
	default:
		return nil, fmt.Errorf("key file %s: unexpected PEM block %q", path, blk.Type)
	}
	if err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	key, ok := parsed.(*ecdsa.PrivateKey)
	if !ok || key.Curve != elliptic.P256() {
		return nil, fmt.Errorf("key file %s: not an ECDSA P-256 key", path)
	}
	return key, nil
}

// createKey writes a new key to a temporary file and links it into place:
// the link fails if another process won the race, and then its key is used.
// A reader never sees a half-written file.
func createKey(path string) (*ecdsa.PrivateKey, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create key directory: %w", err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate key: %w", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("encode key: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".devissuer-*.pem") // created 0600
	if err != nil {
		return nil, fmt.Errorf("write key: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := pem.Encode(tmp, &pem.Block{Type: "PRIVATE KEY", Bytes: der}); err != nil {
		tmp.Close()
		return nil, fmt.Errorf("write key: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return nil, fmt.Errorf("write key: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return nil, fmt.Errorf("write key: %w", err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return readKey(path)
		}
		return nil, fmt.Errorf("install key: %w", err)
	}
	return key, nil
}

// KeyID is the kid of the signing key: its RFC 7638 JWK thumbprint, stable
// across restarts.
func (i *Issuer) KeyID() string { return i.kid }

// Issue signs a token for c, valid from now for c.TTL.
func (i *Issuer) Issue(c Claims) (string, error) {
	if err := c.validate(); err != nil {
		return "", fmt.Errorf("dev issuer: %w", err)
	}
	ttl := c.TTL
	if ttl == 0 {
		ttl = DefaultTTL
	}
	now := i.now()
	claims := jwt.MapClaims{
		"iss":        IssuerURL,
		"aud":        Audience,
		"sub":        c.Subject,
		"iat":        now.Unix(),
		"nbf":        now.Unix(),
		"exp":        now.Add(ttl).Unix(),
		"jti":        rand.Text(),
		"hirfa_role": string(c.Role),
	}
	if c.Chamber != "" {
		claims["hirfa_chamber"] = c.Chamber
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodES256, claims)
	tok.Header["kid"] = i.kid
	s, err := tok.SignedString(i.key)
	if err != nil {
		return "", fmt.Errorf("dev issuer: sign: %w", err)
	}
	return s, nil
}

// validate applies the rules the verifier enforces, so a bad request fails
// here rather than as a token every service refuses.
func (c Claims) validate() error {
	var problems []error
	if c.Subject == "" {
		problems = append(problems, errors.New("subject is required"))
	}
	switch {
	case !c.Role.Known():
		problems = append(problems, fmt.Errorf("unknown role %q", c.Role))
	case c.Role.Chamberless() && c.Chamber != "":
		problems = append(problems, fmt.Errorf("role %q takes no chamber", c.Role))
	case !c.Role.Chamberless() && !auth.ValidChamberID(c.Chamber):
		problems = append(problems, fmt.Errorf("role %q needs a chamber id like \"fes-meknes\", got %q", c.Role, c.Chamber))
	}
	if c.TTL < 0 || c.TTL > MaxTTL {
		problems = append(problems, fmt.Errorf("ttl %s outside [0, %s]", c.TTL, MaxTTL))
	}
	return errors.Join(problems...)
}

// JWKS returns the JSON Web Key Set publishing the verification key, for a
// /.well-known/jwks.json endpoint.
func (i *Issuer) JWKS() []byte { return slices.Clone(i.jwks) }

// KeySource returns the verification key as an auth.KeySource.
func (i *Issuer) KeySource() auth.KeySource {
	return auth.StaticKeys(map[string]crypto.PublicKey{i.kid: &i.key.PublicKey})
}

// VerifierConfig returns a verifier configuration accepting this issuer's
// tokens (ES256 only).
func (i *Issuer) VerifierConfig() auth.VerifierConfig {
	return auth.VerifierConfig{
		Issuer:     IssuerURL,
		Audience:   Audience,
		Algorithms: []string{"ES256"},
		Keys:       i.KeySource(),
	}
}
