package auth

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"errors"
	"maps"
)

// KeySource returns the public key that verifies tokens carrying a key id.
type KeySource interface {
	// Key returns the key for kid. It returns an error wrapping
	// ErrKeyNotFound when the source has no such key; any other error means
	// the source itself failed.
	Key(ctx context.Context, kid string) (crypto.PublicKey, error)
}

// ErrKeyNotFound is returned (wrapped) by a KeySource that has no key for a kid.
var ErrKeyNotFound = errors.New("key not found")

// StaticKeys is a KeySource over a fixed set of keys, by key id. The map is
// copied.
func StaticKeys(keys map[string]crypto.PublicKey) KeySource {
	return staticKeys(maps.Clone(keys))
}

type staticKeys map[string]crypto.PublicKey

func (s staticKeys) Key(_ context.Context, kid string) (crypto.PublicKey, error) {
	if k, ok := s[kid]; ok {
		return k, nil
	}
	// The kid comes from the token: never put it in the message.
	return nil, ErrKeyNotFound
}

// minRSABits is the smallest RSA modulus accepted for verification.
const minRSABits = 2048

// keyFits reports whether key is of the type (and curve or size) that alg
// requires. This is what stops algorithm switching: an RS256 token is never
// checked against an EC key, nor ES256 against an RSA key, nor ES384 against
// a P-256 key.
func keyFits(alg string, key crypto.PublicKey) bool {
	switch alg {
	case "ES256":
		k, ok := key.(*ecdsa.PublicKey)
		return ok && k.Curve == elliptic.P256()
	case "ES384":
		k, ok := key.(*ecdsa.PublicKey)
		return ok && k.Curve == elliptic.P384()
	case "RS256", "RS384", "RS512", "PS256", "PS384", "PS512":
		k, ok := key.(*rsa.PublicKey)
		return ok && k.N != nil && k.N.BitLen() >= minRSABits
	}
	return false
}
