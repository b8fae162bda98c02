package auth

import (
	"context"
	"errors"
	"strings"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// AuthorizationHeader is the metadata key carrying "Bearer <jwt>".
const AuthorizationHeader = "authorization"

// identityHeaderPrefixes are metadata keys that claim an identity. No Hirfa
// component sends them, and none trusts them: a principal comes only from a
// verified token. A call carrying one without a verified token is refused,
// so a misconfigured proxy or a forged header cannot be mistaken for
// authentication anywhere downstream.
var identityHeaderPrefixes = []string{
	"x-hirfa-principal",
	"x-hirfa-subject",
	"x-hirfa-role",
	"x-hirfa-chamber",
	"x-hirfa-user",
	"x-forwarded-user",
	"x-forwarded-email",
	"x-remote-user",
	"x-auth-request-",
}

// alwaysPublic are services every caller may reach without a token: probes
// (kubelet's grpc probe sends none) and reflection for tooling.
var alwaysPublic = []string{
	"/grpc.health.v1.Health/",
	"/grpc.reflection.v1.ServerReflection/",
	"/grpc.reflection.v1alpha.ServerReflection/",
}

// UnaryServerInterceptor authenticates unary calls with v. Methods for which
// public returns true (public may be nil), and the health and reflection
// services, need no token; a token sent to them is still verified and its
// principal attached. Failures are Unauthenticated (Unavailable when the keys
// cannot be fetched) with an ErrorInfo{Reason, Domain: "auth.hirfa"}.
func UnaryServerInterceptor(v *Verifier, public func(fullMethod string) bool) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		ctx, err := authenticate(ctx, v, isPublic(public, info.FullMethod))
		if err != nil {
			return nil, err
		}
		return handler(ctx, req)
	}
}

// StreamServerInterceptor is UnaryServerInterceptor for streaming calls.
func StreamServerInterceptor(v *Verifier, public func(fullMethod string) bool) grpc.StreamServerInterceptor {
	return func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
		ctx, err := authenticate(ss.Context(), v, isPublic(public, info.FullMethod))
		if err != nil {
			return err
		}
		return handler(srv, &authenticatedStream{ServerStream: ss, ctx: ctx})
	}
}

type authenticatedStream struct {
	grpc.ServerStream
	ctx context.Context
}

func (s *authenticatedStream) Context() context.Context { return s.ctx }

func isPublic(public func(string) bool, fullMethod string) bool {
	for _, p := range alwaysPublic {
		if strings.HasPrefix(fullMethod, p) {
			return true
		}
	}
	return public != nil && public(fullMethod)
}

// authenticate returns ctx with the verified principal attached, or a gRPC
// status error.
func authenticate(ctx context.Context, v *Verifier, public bool) (context.Context, error) {
	// The one key, not the whole metadata: FromIncomingContext copies every
	// key and value on each call.
	values := metadata.ValueFromIncomingContext(ctx, AuthorizationHeader)
	if len(values) == 0 {
		if md, _ := metadata.FromIncomingContext(ctx); hasIdentityHeader(md) {
			return nil, statusError(newError(ReasonUnverifiedPrincipal, nil))
		}
		if public {
			return ctx, nil
		}
		return nil, statusError(newError(ReasonMissing, nil))
	}
	if len(values) > 1 {
		// Two credentials: which one a proxy or a handler would use is
		// ambiguous, so neither is.
		return nil, statusError(newError(ReasonMalformed, nil))
	}
	raw, ok := bearerToken(values[0])
	if !ok {
		return nil, statusError(newError(ReasonMalformed, nil))
	}
	p, err := v.Verify(ctx, raw)
	if err != nil {
		return nil, statusError(err)
	}
	return NewContext(ctx, p), nil
}

// bearerToken extracts the token from an RFC 6750 "Bearer <token>" value
// (scheme case-insensitive).
func bearerToken(header string) (string, bool) {
	scheme, token, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	if token == "" || strings.ContainsAny(token, " \t") {
		return "", false
	}
	return token, true
}

func hasIdentityHeader(md metadata.MD) bool {
	for k := range md {
		k = strings.ToLower(k)
		for _, p := range identityHeaderPrefixes {
			if strings.HasPrefix(k, p) {
				return true
			}
		}
	}
	return false
}

// statusError converts an authentication error into a gRPC status with an
// ErrorInfo detail. The message is the reason's fixed description: never
// the token, never the key source's internals.
func statusError(err error) error {
	ae := newError(ReasonMalformed, nil)
	errors.As(err, &ae)
	reason, desc := ae.Reason, ae.Description()
	code := codes.Unauthenticated
	if reason == ReasonKeysUnavailable {
		code = codes.Unavailable
	}
	st := status.New(code, desc)
	if withInfo, err := st.WithDetails(&errdetails.ErrorInfo{Reason: reason, Domain: ErrorDomain}); err == nil {
		st = withInfo
	}
	return st.Err()
}

// UnaryClientInterceptor forwards the caller's verified bearer token
// (Principal.Raw from the context) to the downstream service, unless the
// call already sets an authorization header. Calls without a principal go
// out unchanged.
func UnaryClientInterceptor() grpc.UnaryClientInterceptor {
	return func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
		return invoker(propagate(ctx), method, req, reply, cc, opts...)
	}
}

// StreamClientInterceptor is UnaryClientInterceptor for streaming calls.
func StreamClientInterceptor() grpc.StreamClientInterceptor {
	return func(ctx context.Context, desc *grpc.StreamDesc, cc *grpc.ClientConn, method string, streamer grpc.Streamer, opts ...grpc.CallOption) (grpc.ClientStream, error) {
		return streamer(propagate(ctx), desc, cc, method, opts...)
	}
}

func propagate(ctx context.Context) context.Context {
	p, ok := FromContext(ctx)
	if !ok || p.Raw == "" {
		return ctx
	}
	if md, ok := metadata.FromOutgoingContext(ctx); ok && len(md.Get(AuthorizationHeader)) > 0 {
		return ctx
	}
	return metadata.AppendToOutgoingContext(ctx, AuthorizationHeader, "Bearer "+p.Raw)
}
