package auth

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

// The probe service is a hand-written gRPC service (no generated code) that
// reports the principal its handlers see, and can relay to a downstream
// probe to show propagation.
const (
	probeService     = "hirfa.authtest.v1.Probe"
	methodWhoAmI     = "/" + probeService + "/WhoAmI"
	methodPublic     = "/" + probeService + "/Public"
	methodRelay      = "/" + probeService + "/Relay"
	methodWhoStream  = "/" + probeService + "/WhoAmIStream"
	methodRelayStrm  = "/" + probeService + "/RelayStream"
	anonymousPrinted = "anonymous"
)

type probe struct {
	downstream *grpc.ClientConn // nil on a leaf service
}

func describe(ctx context.Context) string {
	p, ok := FromContext(ctx)
	if !ok {
		return anonymousPrinted
	}
	return fmt.Sprintf("%s/%s/%s/%s", p.Subject, p.Role, p.Chamber, p.TokenID)
}

func (s *probe) unary(name string, h func(ctx context.Context) (string, error)) grpc.MethodDesc {
	return grpc.MethodDesc{
		MethodName: name,
		Handler: func(_ any, ctx context.Context, dec func(any) error, icpt grpc.UnaryServerInterceptor) (any, error) {
			in := new(emptypb.Empty)
			if err := dec(in); err != nil {
				return nil, err
			}
			run := func(ctx context.Context, _ any) (any, error) {
				out, err := h(ctx)
				if err != nil {
					return nil, err
				}
				return wrapperspb.String(out), nil
			}
			if icpt == nil {
				return run(ctx, in)
			}
			return icpt(ctx, in, &grpc.UnaryServerInfo{FullMethod: "/" + probeService + "/" + name}, run)
		},
	}
}

func (s *probe) desc() *grpc.ServiceDesc {
	return &grpc.ServiceDesc{
		ServiceName: probeService,
		HandlerType: (*any)(nil),
		Methods: []grpc.MethodDesc{
			s.unary("WhoAmI", func(ctx context.Context) (string, error) { return describe(ctx), nil }),
			s.unary("Public", func(ctx context.Context) (string, error) { return describe(ctx), nil }),
			s.unary("Relay", func(ctx context.Context) (string, error) {
				out := new(wrapperspb.StringValue)
				if err := s.downstream.Invoke(ctx, methodWhoAmI, &emptypb.Empty{}, out); err != nil {
					return "", err
				}
				return out.GetValue(), nil
			}),
		},
		Streams: []grpc.StreamDesc{
			{
				StreamName:    "WhoAmIStream",
				ServerStreams: true,
				Handler: func(_ any, ss grpc.ServerStream) error {
					if err := ss.RecvMsg(new(emptypb.Empty)); err != nil {
						return err
					}
					return ss.SendMsg(wrapperspb.String(describe(ss.Context())))
				},
			},
			{
				StreamName:    "RelayStream",
				ServerStreams: true,
				Handler: func(_ any, ss grpc.ServerStream) error {
					if err := ss.RecvMsg(new(emptypb.Empty)); err != nil {
						return err
					}
					got, err := callStream(ss.Context(), s.downstream, methodWhoStream)
					if err != nil {
						return err
					}
					return ss.SendMsg(wrapperspb.String(got))
				},
			},
		},
	}
}

// callStream opens a server stream, sends an Empty and returns the first
// reply.
func callStream(ctx context.Context, cc *grpc.ClientConn, method string) (string, error) {
	st, err := cc.NewStream(ctx, &grpc.StreamDesc{ServerStreams: true}, method)
	if err != nil {
		return "", err
	}
	if err := st.SendMsg(&emptypb.Empty{}); err != nil {
		return "", err
	}
	if err := st.CloseSend(); err != nil {
		return "", err
	}
	out := new(wrapperspb.StringValue)
	if err := st.RecvMsg(out); err != nil {
		return "", err
	}
	return out.GetValue(), nil
}

// startProbe serves a probe (plus health) behind the auth interceptors on a
// bufconn listener and returns a client connection to it. Client options
// (e.g. the propagation interceptors) apply to the connection.
func startProbe(t *testing.T, v *Verifier, downstream *grpc.ClientConn, clientOpts ...grpc.DialOption) *grpc.ClientConn {
	t.Helper()
	lis := bufconn.Listen(1 << 20)
	public := func(m string) bool { return m == methodPublic }
	srv := grpc.NewServer(
		grpc.ChainUnaryInterceptor(UnaryServerInterceptor(v, public)),
		grpc.ChainStreamInterceptor(StreamServerInterceptor(v, public)),
	)
	p := &probe{downstream: downstream}
	srv.RegisterService(p.desc(), p)
	healthpb.RegisterHealthServer(srv, health.NewServer())
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)

	opts := append([]grpc.DialOption{
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()),
	}, clientOpts...)
	cc, err := grpc.NewClient("passthrough:///probe", opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cc.Close() })
	return cc
}

func callCtx(t *testing.T, kv ...string) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	md := metadata.MD{}
	for i := 0; i < len(kv); i += 2 {
		md.Append(kv[i], kv[i+1])
	}
	return metadata.NewOutgoingContext(ctx, md)
}

// wantStatus checks a call's outcome: either success with want, or a status
// with code and ErrorInfo reason.
func wantStatus(t *testing.T, err error, code codes.Code, reason string) {
	t.Helper()
	if code == codes.OK {
		if err != nil {
			t.Fatalf("call failed: %v", err)
		}
		return
	}
	st, ok := status.FromError(err)
	if !ok || st.Code() != code {
		t.Fatalf("status = %v, want code %s", err, code)
	}
	var info *errdetails.ErrorInfo
	for _, d := range st.Details() {
		if i, ok := d.(*errdetails.ErrorInfo); ok {
			info = i
		}
	}
	if info == nil || info.GetReason() != reason || info.GetDomain() != ErrorDomain {
		t.Fatalf("ErrorInfo = %v, want reason %s domain %s", info, reason, ErrorDomain)
	}
}

func TestServerInterceptors(t *testing.T) {
	ec, _ := testKeys()
	v := newTestVerifier(t, testKeySource())
	cc := startProbe(t, v, nil)
	good := sign(t, jwt.SigningMethodES256, ec, testECKID, validClaims())
	expired := sign(t, jwt.SigningMethodES256, ec, testECKID, with(validClaims(), "exp", testNow.Add(-time.Hour).Unix()))
	none := rawToken(t, map[string]any{"alg": "none", "kid": testECKID}, with(validClaims(), "hirfa_role", "ministry", "hirfa_chamber", nil), nil)
	clerk := "user-42/chamber-clerk/fes-meknes/tok-1"

	tests := []struct {
		name   string
		method string
		md     []string
		code   codes.Code
		reason string
		want   string
	}{
		{"missing token", methodWhoAmI, nil, codes.Unauthenticated, ReasonMissing, ""},
		{"scheme only", methodWhoAmI, []string{"authorization", "Bearer"}, codes.Unauthenticated, ReasonMalformed, ""},
		{"scheme and blanks", methodWhoAmI, []string{"authorization", "Bearer    "}, codes.Unauthenticated, ReasonMalformed, ""},
		{"basic auth", methodWhoAmI, []string{"authorization", "Basic dXNlcjpwYXNz"}, codes.Unauthenticated, ReasonMalformed, ""},
		{"token without scheme", methodWhoAmI, []string{"authorization", good}, codes.Unauthenticated, ReasonMalformed, ""},
		{"two authorization values", methodWhoAmI, []string{"authorization", "Bearer " + good, "authorization", "Bearer " + good}, codes.Unauthenticated, ReasonMalformed, ""},
		{"alg none", methodWhoAmI, []string{"authorization", "Bearer " + none}, codes.Unauthenticated, ReasonAlgorithm, ""},
		{"expired", methodWhoAmI, []string{"authorization", "Bearer " + expired}, codes.Unauthenticated, ReasonExpired, ""},
		{"valid", methodWhoAmI, []string{"authorization", "Bearer " + good}, codes.OK, "", clerk},
		{"valid, lowercase scheme", methodWhoAmI, []string{"authorization", "bearer " + good}, codes.OK, "", clerk},
		{"forged principal header", methodWhoAmI, []string{"x-hirfa-principal", "ministry"}, codes.Unauthenticated, ReasonUnverifiedPrincipal, ""},
		{"forged role header", methodWhoAmI, []string{"x-hirfa-role", "ministry", "x-hirfa-chamber", "rabat-sale-kenitra"}, codes.Unauthenticated, ReasonUnverifiedPrincipal, ""},
		{"forged header with a bad token", methodWhoAmI, []string{"x-hirfa-principal", "ministry", "authorization", "Bearer " + expired}, codes.Unauthenticated, ReasonExpired, ""},
		{"header ignored beside a verified token", methodWhoAmI, []string{"x-hirfa-role", "ministry", "authorization", "Bearer " + good}, codes.OK, "", clerk},
		{"public without token", methodPublic, nil, codes.OK, "", anonymousPrinted},
		{"public with token attaches principal", methodPublic, []string{"authorization", "Bearer " + good}, codes.OK, "", clerk},
		{"public with bad token", methodPublic, []string{"authorization", "Bearer " + expired}, codes.Unauthenticated, ReasonExpired, ""},
		{"public with malformed header", methodPublic, []string{"authorization", "Basic x"}, codes.Unauthenticated, ReasonMalformed, ""},
		{"public with forged header", methodPublic, []string{"x-forwarded-user", "admin"}, codes.Unauthenticated, ReasonUnverifiedPrincipal, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := new(wrapperspb.StringValue)
			err := cc.Invoke(callCtx(t, tt.md...), tt.method, &emptypb.Empty{}, out)
			wantStatus(t, err, tt.code, tt.reason)
			if tt.code == codes.OK && out.GetValue() != tt.want {
				t.Errorf("principal = %q, want %q", out.GetValue(), tt.want)
			}
			if err != nil && strings.Contains(err.Error(), good[:20]) {
				t.Errorf("status echoes the token: %v", err)
			}
		})
	}
}

func TestStreamServerInterceptor(t *testing.T) {
	ec, _ := testKeys()
	cc := startProbe(t, newTestVerifier(t, testKeySource()), nil)
	good := sign(t, jwt.SigningMethodES256, ec, testECKID, with(validClaims(), "hirfa_role", "federation", "hirfa_chamber", nil))

	_, err := callStream(callCtx(t), cc, methodWhoStream)
	wantStatus(t, err, codes.Unauthenticated, ReasonMissing)

	_, err = callStream(callCtx(t, "x-hirfa-principal", "ministry"), cc, methodWhoStream)
	wantStatus(t, err, codes.Unauthenticated, ReasonUnverifiedPrincipal)

	got, err := callStream(callCtx(t, "authorization", "Bearer "+good), cc, methodWhoStream)
	wantStatus(t, err, codes.OK, "")
	if want := "user-42/federation//tok-1"; got != want {
		t.Errorf("principal = %q, want %q", got, want)
	}
}

// TestHealthAlwaysPublic: probes carry no token, so health must answer
// without one, for unary Check and streaming Watch alike.
func TestHealthAlwaysPublic(t *testing.T) {
	cc := startProbe(t, newTestVerifier(t, testKeySource()), nil)
	hc := healthpb.NewHealthClient(cc)
	resp, err := hc.Check(callCtx(t), &healthpb.HealthCheckRequest{})
	if err != nil || resp.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		t.Fatalf("Check = %v, %v", resp, err)
	}
	w, err := hc.Watch(callCtx(t), &healthpb.HealthCheckRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if r, err := w.Recv(); err != nil || r.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		t.Fatalf("Watch = %v, %v", r, err)
	}
	_, err = hc.Check(callCtx(t, "x-hirfa-chamber", "fes-meknes"), &healthpb.HealthCheckRequest{})
	wantStatus(t, err, codes.Unauthenticated, ReasonUnverifiedPrincipal)
}

func TestInterceptorKeysUnavailable(t *testing.T) {
	ec, _ := testKeys()
	down := keySourceFunc(func(context.Context, string) (crypto.PublicKey, error) {
		return nil, errors.New("dial tcp 10.0.0.9:443: connection refused")
	})
	cc := startProbe(t, newTestVerifier(t, down), nil)
	err := cc.Invoke(callCtx(t, "authorization", "Bearer "+sign(t, jwt.SigningMethodES256, ec, testECKID, validClaims())),
		methodWhoAmI, &emptypb.Empty{}, new(wrapperspb.StringValue))
	wantStatus(t, err, codes.Unavailable, ReasonKeysUnavailable)
	if strings.Contains(err.Error(), "10.0.0.9") {
		t.Errorf("status leaks key source internals: %v", err)
	}
}

// TestPropagation calls edge → service: the edge's handler calls the
// service with the context it was given, and the client interceptors carry
// the caller's token along, so the service sees the same principal.
func TestPropagation(t *testing.T) {
	ec, _ := testKeys()
	v := newTestVerifier(t, testKeySource())
	service := startProbe(t, v, nil)
	serviceWithForwarding := startProbe(t, v, nil,
		grpc.WithChainUnaryInterceptor(UnaryClientInterceptor()),
		grpc.WithChainStreamInterceptor(StreamClientInterceptor()))

	edge := startProbe(t, v, serviceWithForwarding)
	edgeWithoutForwarding := startProbe(t, v, service)

	tok := sign(t, jwt.SigningMethodES256, ec, testECKID, with(validClaims(), "hirfa_role", "chamber-admin", "hirfa_chamber", "souss-massa", "jti", "tok-prop"))
	want := "user-42/chamber-admin/souss-massa/tok-prop"

	out := new(wrapperspb.StringValue)
	err := edge.Invoke(callCtx(t, "authorization", "Bearer "+tok), methodRelay, &emptypb.Empty{}, out)
	wantStatus(t, err, codes.OK, "")
	if out.GetValue() != want {
		t.Errorf("unary: downstream principal = %q, want %q", out.GetValue(), want)
	}

	got, err := callStream(callCtx(t, "authorization", "Bearer "+tok), edge, methodRelayStrm)
	wantStatus(t, err, codes.OK, "")
	if got != want {
		t.Errorf("stream: downstream principal = %q, want %q", got, want)
	}

	// Without the client interceptor nothing is forwarded: incoming
	// metadata never leaks into outgoing calls by itself.
	err = edgeWithoutForwarding.Invoke(callCtx(t, "authorization", "Bearer "+tok), methodRelay, &emptypb.Empty{}, new(wrapperspb.StringValue))
	wantStatus(t, err, codes.Unauthenticated, ReasonMissing)
}

func TestPropagateKeepsExplicitAuthorization(t *testing.T) {
	ctx := NewContext(context.Background(), Principal{Subject: "s", Role: RoleMinistry, Raw: "caller.token.x"})
	md, _ := metadata.FromOutgoingContext(propagate(ctx))
	if got := md.Get(AuthorizationHeader); len(got) != 1 || got[0] != "Bearer caller.token.x" {
		t.Fatalf("forwarded = %q", got)
	}
	explicit := metadata.AppendToOutgoingContext(ctx, AuthorizationHeader, "Bearer service.token.y")
	md, _ = metadata.FromOutgoingContext(propagate(explicit))
	if got := md.Get(AuthorizationHeader); len(got) != 1 || got[0] != "Bearer service.token.y" {
		t.Fatalf("explicit header replaced or duplicated: %q", got)
	}
	md, _ = metadata.FromOutgoingContext(propagate(context.Background()))
	if len(md.Get(AuthorizationHeader)) != 0 {
		t.Fatal("header added without a principal")
	}
}

// edgeMetadata is what the REST edge sends beside the token on every call.
var edgeMetadata = []string{
	"x-forwarded-host", "api.hirfa.example", "x-forwarded-for", "203.0.113.7",
	"traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00",
	"x-request-id", "2f1e6a9c-3b7d-4c1e-9a2b-5d6e7f809a1b", "grpc-accept-language", "ar",
	"user-agent", "grpc-go/1.80.0",
}

// TestAuthenticateDoesNotCopyTheMetadata: reading the token costs the
// same whatever else the call carries. It copied the whole metadata per
// call (metadata.FromIncomingContext), so a call through the edge, with its
// forwarded keys, allocated more than the same call direct.
func TestAuthenticateDoesNotCopyTheMetadata(t *testing.T) {
	ec, _ := testKeys()
	v := newTestVerifier(t, testKeySource())
	bearer := "Bearer " + sign(t, jwt.SigningMethodES256, ec, testECKID, validClaims())
	allocs := func(pairs ...string) float64 {
		ctx := metadata.NewIncomingContext(context.Background(), metadata.Pairs(pairs...))
		return testing.AllocsPerRun(200, func() {
			if _, err := authenticate(ctx, v, false); err != nil {
				t.Fatal(err)
			}
		})
	}
	direct := allocs("authorization", bearer)
	edge := allocs(append([]string{"authorization", bearer}, edgeMetadata...)...)
	if edge > direct {
		t.Fatalf("authenticating a call with the edge's %d metadata keys allocates %.0f times, the token alone %.0f: the metadata is copied", len(edgeMetadata)/2, edge, direct)
	}
}
