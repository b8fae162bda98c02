package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// DefaultLeeway is the clock skew tolerated on exp, nbf and iat.
const DefaultLeeway = 30 * time.Second

// DefaultAlgorithms is the allow-list used when VerifierConfig.Algorithms is empty.
var DefaultAlgorithms = []string{"ES256", "RS256"}

// supportedAlgorithms are the asymmetric algorithms a Verifier can be pinned
// to. "none" and HMAC (HS*) are deliberately absent: with a public key
// published in a JWKS, a symmetric algorithm lets anyone forge tokens.
var supportedAlgorithms = []string{"ES256", "ES384", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512"}

// maxTokenLen bounds the work done on a token before its signature is
// checked; real tokens are well under 2 KiB.
const maxTokenLen = 8 << 10

// VerifierConfig configures a Verifier.
type VerifierConfig struct {
	// Issuer is the required iss claim (e.g. the OIDC issuer URL).
	Issuer string
	// Audience must be one of the token's aud values.
	Audience string
	// Leeway is the tolerated clock skew; zero means DefaultLeeway.
	Leeway time.Duration
	// Algorithms is the pinned allow-list of JWS algorithms; empty means
	// DefaultAlgorithms. Listing "none", an HS* algorithm or any algorithm
	// outside ES256, ES384, RS256/384/512, PS256/384/512 is a configuration
	// error: those tokens are never accepted.
	Algorithms []string
	// Keys resolves the token's kid to a public key.
	Keys KeySource
	// CacheTTL, when positive, remembers verified tokens for up to this long
	// (never past their exp), trading instant key revocation for not paying
	// the signature check on every call. Zero checks every call in full.
	CacheTTL time.Duration
	// Now returns the current time; nil means time.Now. For tests.
	Now func() time.Time
}

// Verifier verifies bearer tokens and maps them to principals. It is safe
// for concurrent use.
type Verifier struct {
	keys       KeySource
	algorithms []string
	parser     *jwt.Parser
	cache      *verifiedCache
}

// NewVerifier validates cfg and returns a Verifier.
func NewVerifier(cfg VerifierConfig) (*Verifier, error) {
	var problems []error
	if cfg.Issuer == "" {
		problems = append(problems, errors.New("issuer is required"))
	}
	if cfg.Audience == "" {
		problems = append(problems, errors.New("audience is required"))
	}
	if cfg.Keys == nil {
		problems = append(problems, errors.New("key source is required"))
	}
	if cfg.Leeway < 0 {
		problems = append(problems, fmt.Errorf("leeway %s is negative", cfg.Leeway))
	}
	if cfg.Leeway == 0 {
		cfg.Leeway = DefaultLeeway
	}
	algs := slices.Clone(cfg.Algorithms)
	if len(algs) == 0 {
		algs = slices.Clone(DefaultAlgorithms)
	}
	for _, a := range algs {
		if !slices.Contains(supportedAlgorithms, a) {
			problems = append(problems, fmt.Errorf("algorithm %q is not accepted (allowed: %s)", a, strings.Join(supportedAlgorithms, ", ")))
		}
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("auth verifier config: %w", errors.Join(problems...))
	}

	opts := []jwt.ParserOption{
		jwt.WithValidMethods(algs),
		jwt.WithIssuer(cfg.Issuer),
		jwt.WithAudience(cfg.Audience),
		jwt.WithLeeway(cfg.Leeway),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
	}
	if cfg.Now != nil {
		opts = append(opts, jwt.WithTimeFunc(cfg.Now))
	}
	return &Verifier{keys: cfg.Keys, algorithms: algs, parser: jwt.NewParser(opts...), cache: newVerifiedCache(cfg.CacheTTL, cfg.Now)}, nil
}

// tokenClaims is the JWT claims set: the registered claims plus Hirfa's
// private claims.
type tokenClaims struct {
	jwt.RegisteredClaims
	Role    string `json:"hirfa_role,omitempty"`
	Chamber string `json:"hirfa_chamber,omitempty"`
}

// UnmarshalJSON decodes claims by exact name. encoding/json on its own
// matches struct fields case-insensitively, so {"HIRFA_ROLE": ...} or
// {"Sub": ...} would set claims that no other JWT library reads the same
// way; here a claim counts only under its registered name. A repeated name
// takes its last value (RFC 7519 §4, lexically last), as a map decode does.
func (c *tokenClaims) UnmarshalJSON(b []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	if m == nil {
		return errors.New("claims are not a JSON object")
	}
	*c = tokenClaims{}
	fields := []struct {
		name string
		dst  any
	}{
		{"iss", &c.Issuer},
		{"sub", &c.Subject},
		{"aud", &c.Audience},
		{"exp", &c.ExpiresAt},
		{"nbf", &c.NotBefore},
		{"iat", &c.IssuedAt},
		{"jti", &c.ID},
		{"hirfa_role", &c.Role},
		{"hirfa_chamber", &c.Chamber},
	}
	for _, f := range fields {
		raw, ok := m[f.name]
		if !ok {
			continue
		}
		if err := json.Unmarshal(raw, f.dst); err != nil {
			return fmt.Errorf("claim %s: %w", f.name, err)
		}
	}
	return nil
}

// Verify checks raw (a compact JWS, without the "Bearer " prefix) and returns
// the principal it names. Every failure is an *Error whose Reason says why.
func (v *Verifier) Verify(ctx context.Context, raw string) (Principal, error) {
	if raw == "" {
		return Principal{}, newError(ReasonMissing, nil)
	}
	if len(raw) > maxTokenLen {
		return Principal{}, newError(ReasonMalformed, nil)
	}
	if p, ok := v.cache.get(raw); ok { // a nil cache never hits
		return p, nil
	}
	var claims tokenClaims
	tok, err := v.parser.ParseWithClaims(raw, &claims, func(t *jwt.Token) (any, error) {
		return v.key(ctx, t)
	})
	if err != nil {
		return Principal{}, v.classify(tok, &claims, err)
	}
	p, err := principalFromClaims(&claims, raw)
	if err != nil {
		return p, err
	}
	var exp time.Time
	if claims.ExpiresAt != nil {
		exp = claims.ExpiresAt.Time
	}
	v.cache.put(raw, p, exp)
	return p, nil
}

// key is the parser's Keyfunc. It runs only once alg is in the allow-list.
func (v *Verifier) key(ctx context.Context, t *jwt.Token) (any, error) {
	// RFC 7515 §4.1.11: a critical header extension we do not understand
	// makes the token unusable; we understand none.
	if _, ok := t.Header["crit"]; ok {
		return nil, newError(ReasonMalformed, nil)
	}
	kid, ok := t.Header["kid"].(string)
	if !ok || kid == "" {
		return nil, newError(ReasonKeyIDMissing, nil)
	}
	k, err := v.keys.Key(ctx, kid)
	switch {
	case errors.Is(err, ErrKeyNotFound):
		return nil, newError(ReasonKeyIDUnknown, nil)
	case err != nil:
		return nil, newError(ReasonKeysUnavailable, err)
	}
	if !keyFits(t.Method.Alg(), k) {
		return nil, newError(ReasonAlgorithm, nil)
	}
	return k, nil
}

// classify turns a parser error into an *Error. The parser's own messages
// are dropped: they may quote decoded token content.
func (v *Verifier) classify(tok *jwt.Token, claims *tokenClaims, err error) *Error {
	var ae *Error
	if errors.As(err, &ae) {
		return ae
	}
	if errors.Is(err, jwt.ErrTokenMalformed) {
		return newError(ReasonMalformed, nil)
	}
	// An absent, unknown, "none", HS* or otherwise unlisted alg: the parser
	// reports these as unverifiable or as a signature error, before any key
	// is looked up.
	if tok != nil {
		alg, _ := tok.Header["alg"].(string)
		if !slices.Contains(v.algorithms, alg) {
			return newError(ReasonAlgorithm, nil)
		}
	}
	switch {
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return newError(ReasonSignature, nil)
	}
	// Claims are validated only after the signature verified, so reading
	// them here to tell which required claim is missing is safe.
	missing := errors.Is(err, jwt.ErrTokenRequiredClaimMissing)
	switch {
	case errors.Is(err, jwt.ErrTokenInvalidIssuer), missing && claims.Issuer == "":
		return newError(ReasonIssuer, nil)
	case errors.Is(err, jwt.ErrTokenInvalidAudience), missing && len(claims.Audience) == 0:
		return newError(ReasonAudience, nil)
	case errors.Is(err, jwt.ErrTokenExpired):
		return newError(ReasonExpired, nil)
	case errors.Is(err, jwt.ErrTokenNotValidYet), errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		return newError(ReasonNotYetValid, nil)
	case errors.Is(err, jwt.ErrTokenInvalidClaims), errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		return newError(ReasonClaims, nil)
	}
	return newError(ReasonMalformed, nil)
}
