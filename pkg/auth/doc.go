// Package auth authenticates callers of Hirfa services.
//
// Every call carries a bearer JWT (OIDC-issued in production, signed by the
// local dev issuer in the embedded default). A [Verifier] checks the token's
// signature against a pinned algorithm allow-list and a [KeySource] (static
// keys or a cached JWKS document), validates the registered claims (iss, aud,
// exp, nbf, iat, sub) and maps the private claims hirfa_role and
// hirfa_chamber to a [Principal].
//
// The gRPC server interceptors put the verified Principal in the request
// context; the client interceptors forward the caller's verified token to
// downstream services so the principal propagates edge → service → service.
// A principal is only ever derived from a verified token: identity headers
// sent without one are refused.
//
// Authorization (which principal may touch which object) is not decided
// here; services decide it per object from the Principal.
package auth
