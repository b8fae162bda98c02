package auth

import "errors"

// Reasons carried by *Error. They are stable: clients, dashboards and the
// gateway's error mapping match on them. They become the Reason of the
// ErrorInfo detail (domain [ErrorDomain]) on the gRPC status.
const (
	// ReasonMissing: no bearer token on a method that needs one.
	ReasonMissing = "TOKEN_MISSING"
	// ReasonMalformed: the authorization header or the token cannot be parsed.
	ReasonMalformed = "TOKEN_MALFORMED"
	// ReasonAlgorithm: alg is absent, "none", symmetric, not allowed, or does
	// not match the type of the key named by kid.
	ReasonAlgorithm = "TOKEN_ALGORITHM"
	// ReasonKeyIDMissing: the token header has no kid.
	ReasonKeyIDMissing = "TOKEN_KID_MISSING"
	// ReasonKeyIDUnknown: no key with the token's kid, even after a refresh.
	ReasonKeyIDUnknown = "TOKEN_KID_UNKNOWN"
	// ReasonSignature: the signature does not verify.
	ReasonSignature = "TOKEN_SIGNATURE"
	// ReasonExpired: exp is in the past (beyond the leeway).
	ReasonExpired = "TOKEN_EXPIRED"
	// ReasonNotYetValid: nbf or iat is in the future (beyond the leeway).
	ReasonNotYetValid = "TOKEN_NOT_YET_VALID"
	// ReasonIssuer: iss is not the configured issuer.
	ReasonIssuer = "TOKEN_ISSUER"
	// ReasonAudience: aud does not contain the configured audience.
	ReasonAudience = "TOKEN_AUDIENCE"
	// ReasonSubject: sub is missing or not printable.
	ReasonSubject = "TOKEN_SUBJECT"
	// ReasonRole: hirfa_role is missing or unknown.
	ReasonRole = "TOKEN_ROLE"
	// ReasonChamber: a chamber role without a well-formed hirfa_chamber, or a
	// national role with one.
	ReasonChamber = "TOKEN_CHAMBER"
	// ReasonClaims: other claim problems (missing exp, malformed jti).
	ReasonClaims = "TOKEN_CLAIMS"
	// ReasonUnverifiedPrincipal: identity headers (x-hirfa-principal and the
	// like) sent without a verified token.
	ReasonUnverifiedPrincipal = "PRINCIPAL_UNVERIFIED"
	// ReasonKeysUnavailable: the key source failed (e.g. JWKS unreachable and
	// nothing cached). Not the caller's fault; retryable.
	ReasonKeysUnavailable = "AUTH_KEYS_UNAVAILABLE"
)

// ErrorDomain is the ErrorInfo domain of authentication failures.
const ErrorDomain = "auth.hirfa"

var reasonText = map[string]string{
	ReasonMissing:             "bearer token required",
	ReasonMalformed:           "malformed bearer token",
	ReasonAlgorithm:           "token algorithm not accepted",
	ReasonKeyIDMissing:        "token has no key id",
	ReasonKeyIDUnknown:        "token signed with an unknown key",
	ReasonSignature:           "token signature invalid",
	ReasonExpired:             "token expired",
	ReasonNotYetValid:         "token not yet valid",
	ReasonIssuer:              "token issuer not accepted",
	ReasonAudience:            "token audience not accepted",
	ReasonSubject:             "token subject missing or invalid",
	ReasonRole:                "token role missing or unknown",
	ReasonChamber:             "token chamber does not fit its role",
	ReasonClaims:              "token claims invalid",
	ReasonUnverifiedPrincipal: "identity headers require a verified token",
	ReasonKeysUnavailable:     "verification keys unavailable",
}

// Error is an authentication failure. Its message is derived from Reason
// only (plus, for key-source failures, the key source's own error), so it
// never echoes the token or any part of it.
type Error struct {
	// Reason is one of the Reason* constants.
	Reason string
	cause  error
}

func newError(reason string, cause error) *Error {
	return &Error{Reason: reason, cause: cause}
}

// Error implements error.
func (e *Error) Error() string {
	msg := "auth: " + e.Description()
	if e.Reason == ReasonKeysUnavailable && e.cause != nil {
		msg += ": " + e.cause.Error()
	}
	return msg
}

// Description is a short, client-safe sentence for the reason.
func (e *Error) Description() string {
	if s, ok := reasonText[e.Reason]; ok {
		return s
	}
	return "authentication failed"
}

// Unwrap returns the key source's error for ReasonKeysUnavailable and nil
// otherwise: the parser's errors can quote token content and stay hidden.
func (e *Error) Unwrap() error {
	if e.Reason == ReasonKeysUnavailable {
		return e.cause
	}
	return nil
}

// Reason returns the reason of the *Error in err's chain, or "" if there is
// none.
func Reason(err error) string {
	var ae *Error
	if errors.As(err, &ae) {
		return ae.Reason
	}
	return ""
}
