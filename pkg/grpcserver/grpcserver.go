// Package grpcserver builds the gRPC server every Hirfa service runs: health
// and reflection registered, OpenTelemetry on every call, protovalidate on
// every request before any handler runs, panics turned into Internal, and a
// graceful stop that flips health to NOT_SERVING before draining.
package grpcserver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"regexp"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	"buf.build/go/protovalidate"
	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/keepalive"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/reflection"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/fault/catalog"
	"github.com/hirfa/hirfa/pkg/fault/faultgrpc"
)

// Options configure a server.
type Options struct {
	Logger      *slog.Logger
	ErrorDomain string // ErrorInfo domain, e.g. "registry.hirfa"
	// Catalog translates the service's error reasons; every error leaves
	// in the language of the call's grpc-accept-language metadata. Nil
	// means catalog.Common only.
	Catalog *catalog.Catalog
	// Extra interceptors run after telemetry and recovery and before
	// validation (authentication goes here).
	Unary  []grpc.UnaryServerInterceptor
	Stream []grpc.StreamServerInterceptor
	// ServerOptions are appended (e.g. TLS credentials).
	ServerOptions []grpc.ServerOption
	// DisableReflection leaves the reflection service out (production: the
	// schema is published through the proto files, not probed for).
	DisableReflection bool
	// DrainDelay is how long health reports NOT_SERVING, with the listener
	// still accepting, before draining starts: time for health watchers,
	// probes and client-side balancers to move away before connections are
	// refused.
	DrainDelay time.Duration
}

// Resource limits of every server: what one client or connection may take.
const (
	// MaxRecvMsgSize bounds a request message (a page of records is far below).
	MaxRecvMsgSize = 4 << 20
	// MaxSendMsgSize bounds a response message (a full page of the largest
	// records, minutes of an assembly).
	MaxSendMsgSize = 16 << 20
	// MaxConcurrentStreams bounds the calls in flight on one connection,
	// so one client cannot hold every handler goroutine.
	MaxConcurrentStreams = 256
	// KeepaliveMinTime is the most often a client may ping; faster pings
	// (a ping flood) close its connection with GOAWAY.
	KeepaliveMinTime = 10 * time.Second
	// StreamWorkers is the number of goroutines kept to run calls. Without
	// them gRPC starts a goroutine per call, whose stack starts small and
	// is grown, by copying, through the interceptors, protovalidate and
	// the database driver on every call: in a profile of the registry's
	// Get that was 13 µs of its ~115 µs. A worker keeps its grown stack
	// from call to call. Calls beyond the workers get a goroutine of their
	// own, as before; an idle worker costs its stack (tens of KB).
	StreamWorkers = 64
)

// Limits are the server options that enforce the resource limits above and
// the keepalive policy: idle connections are closed after 15 minutes, and
// every connection is recycled after 30 minutes (with 30 s to finish its
// calls) so load spreads over new replicas.
func Limits() []grpc.ServerOption {
	return []grpc.ServerOption{
		grpc.MaxRecvMsgSize(MaxRecvMsgSize),
		grpc.MaxSendMsgSize(MaxSendMsgSize),
		grpc.MaxConcurrentStreams(MaxConcurrentStreams),
		grpc.KeepaliveEnforcementPolicy(keepalive.EnforcementPolicy{MinTime: KeepaliveMinTime, PermitWithoutStream: true}),
		grpc.KeepaliveParams(keepalive.ServerParameters{
			MaxConnectionIdle:     15 * time.Minute,
			MaxConnectionAge:      30 * time.Minute,
			MaxConnectionAgeGrace: 30 * time.Second,
			Time:                  2 * time.Minute,
			Timeout:               20 * time.Second,
		}),
	}
}

// Server is a gRPC server with health.
type Server struct {
	GRPC       *grpc.Server
	Health     *health.Server
	log        *slog.Logger
	drainDelay time.Duration
	// listening is set once ServeListener accepts connections: before, the
	// health server already says SERVING (its default) but nobody can call.
	listening atomic.Bool
}

// ErrNotServing is what Ready answers before the server listens and once it
// drains.
var ErrNotServing = errors.New("grpc: not serving")

// Ready reports whether the server takes calls: it listens and its overall
// health status (service "") is SERVING, which turns NOT_SERVING when the
// drain starts. The plaintext readiness endpoint reflects it, since the
// kubelet cannot speak the gRPC health protocol over TLS.
func (s *Server) Ready(ctx context.Context) error {
	if !s.listening.Load() {
		return ErrNotServing
	}
	resp, err := s.Health.Check(ctx, &healthpb.HealthCheckRequest{})
	if err != nil {
		return fmt.Errorf("grpc health: %w", err)
	}
	if st := resp.GetStatus(); st != healthpb.HealthCheckResponse_SERVING {
		return fmt.Errorf("%w: health %s", ErrNotServing, st)
	}
	return nil
}

// New builds the server.
func New(o Options) (*Server, error) {
	v, err := protovalidate.New()
	if err != nil {
		return nil, fmt.Errorf("protovalidate: %w", err)
	}
	cat := o.Catalog
	if cat == nil {
		cat = catalog.New([][]catalog.Entry{catalog.Common}, catalog.CommonLabels)
	}
	unary := []grpc.UnaryServerInterceptor{localeUnary(cat), recoverUnary(o.Logger)}
	unary = append(unary, o.Unary...)
	unary = append(unary, validateUnary(v, o.Logger, o.ErrorDomain))
	stream := []grpc.StreamServerInterceptor{localeStream(cat), recoverStream(o.Logger)}
	stream = append(stream, o.Stream...)
	opts := []grpc.ServerOption{
		grpc.NumStreamWorkers(StreamWorkers),
		grpc.StatsHandler(otelgrpc.NewServerHandler()),
		grpc.ChainUnaryInterceptor(unary...),
		grpc.ChainStreamInterceptor(stream...),
	}
	opts = append(opts, Limits()...)
	opts = append(opts, o.ServerOptions...)
	g := grpc.NewServer(opts...)
	h := health.NewServer()
	healthpb.RegisterHealthServer(g, h)
	if !o.DisableReflection {
		reflection.Register(g)
	}
	return &Server{GRPC: g, Health: h, log: o.Logger, drainDelay: o.DrainDelay}, nil
}

// Serve listens on addr until ctx ends, then shuts down gracefully: health
// turns NOT_SERVING (so load balancers and readiness probes stop sending new
// calls), in-flight calls get up to drain to finish, and only then is the
// server stopped hard.
func (s *Server) Serve(ctx context.Context, addr string, drain time.Duration) error {
	lis, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", addr, err)
	}
	return s.ServeListener(ctx, lis, drain)
}

// ServeListener is Serve on an existing listener.
func (s *Server) ServeListener(ctx context.Context, lis net.Listener, drain time.Duration) error {
	s.Health.Resume()
	errc := make(chan error, 1)
	go func() { errc <- s.GRPC.Serve(lis) }()
	s.listening.Store(true)
	defer s.listening.Store(false)
	s.log.Info("grpc serving", slog.String("addr", lis.Addr().String()))
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	start := time.Now()
	s.Health.Shutdown() // every service NOT_SERVING before the listener closes
	if s.drainDelay > 0 {
		s.log.Info("grpc not serving; draining shortly", slog.Duration("delay", s.drainDelay))
		time.Sleep(s.drainDelay)
	}
	s.log.Info("grpc draining", slog.Duration("deadline", drain))
	done := make(chan struct{})
	go func() { s.GRPC.GracefulStop(); close(done) }()
	select {
	case <-done:
	case <-time.After(drain):
		s.log.Warn("drain deadline passed, stopping hard")
		s.GRPC.Stop()
	}
	s.log.Info("grpc stopped", slog.Duration("drain", time.Since(start)))
	if err := <-errc; err != nil && !errors.Is(err, grpc.ErrServerStopped) {
		return err
	}
	return nil
}

func validateUnary(v protovalidate.Validator, log *slog.Logger, domain string) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, next grpc.UnaryHandler) (any, error) {
		if m, ok := req.(proto.Message); ok {
			if err := v.Validate(m); err != nil {
				return nil, faultgrpc.Error(ctx, log, domain, ToFault(err))
			}
		}
		return next(ctx, req)
	}
}

// ToFault converts a protovalidate error to an InvalidError naming each
// field and rule. The figures and patterns of protovalidate's English message
// become the violation's parameters ({1}, {2} in the catalogue's templates),
// so "value length must be at least 3 characters" reads in Arabic and French
// with its 3.
func ToFault(err error) error {
	var ve *protovalidate.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	var vs fault.Violations
	for _, v := range ve.Violations {
		msg := v.Proto.GetMessage()
		vs = append(vs, fault.Violation{
			Field: protovalidate.FieldPathString(v.Proto.GetField()), Rule: v.Proto.GetRuleId(),
			Msg: msg, Args: ruleFigures.FindAllString(msg, -1),
		})
	}
	return vs.Err()
}

// ruleFigures finds the parameters in protovalidate's messages: a quoted
// pattern, a bracketed list, or a number.
var ruleFigures = regexp.MustCompile("`[^`]*`|\\[[^\\]]*\\]|-?[0-9]+(?:\\.[0-9]+)?")

// locale is the language of the call: grpc-accept-language metadata, matched
// over English, Arabic and French (English when nothing matches). Handlers
// find it with the catalogue in the context (faultgrpc renders with it), and
// an error built elsewhere (authentication, a recovered panic) is given its
// catalogued message on the way out.
func locale(ctx context.Context, cat *catalog.Catalog) catalog.Localizer {
	lang := catalog.English
	// ValueFromIncomingContext, not FromIncomingContext, which copies the
	// whole metadata (every key and value the edge forwards) on each call.
	if v := metadata.ValueFromIncomingContext(ctx, catalog.LanguageMetadata); len(v) > 0 {
		lang = catalog.Match(strings.Join(v, ","))
	}
	return catalog.Localizer{Lang: lang, Catalog: cat}
}

func localeUnary(cat *catalog.Catalog) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, next grpc.UnaryHandler) (any, error) {
		loc := locale(ctx, cat)
		resp, err := next(catalog.NewContext(ctx, loc), req)
		if err != nil {
			if st, ok := status.FromError(err); ok {
				err = faultgrpc.Localize(loc, st).Err()
			}
		}
		return resp, err
	}
}

func localeStream(cat *catalog.Catalog) grpc.StreamServerInterceptor {
	return func(srv any, ss grpc.ServerStream, _ *grpc.StreamServerInfo, next grpc.StreamHandler) error {
		loc := locale(ss.Context(), cat)
		err := next(srv, &localeServerStream{ServerStream: ss, ctx: catalog.NewContext(ss.Context(), loc)})
		if err != nil {
			if st, ok := status.FromError(err); ok {
				err = faultgrpc.Localize(loc, st).Err()
			}
		}
		return err
	}
}

type localeServerStream struct {
	grpc.ServerStream
	ctx context.Context
}

func (s *localeServerStream) Context() context.Context { return s.ctx }

func recoverUnary(log *slog.Logger) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, next grpc.UnaryHandler) (resp any, err error) {
		defer func() {
			if r := recover(); r != nil {
				log.ErrorContext(ctx, "panic", slog.String("method", info.FullMethod), slog.Any("panic", r), slog.String("stack", string(debug.Stack())))
				err = status.Error(codes.Internal, "internal error")
			}
		}()
		return next(ctx, req)
	}
}

func recoverStream(log *slog.Logger) grpc.StreamServerInterceptor {
	return func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, next grpc.StreamHandler) (err error) {
		defer func() {
			if r := recover(); r != nil {
				log.ErrorContext(ss.Context(), "panic", slog.String("method", info.FullMethod), slog.Any("panic", r))
				err = status.Error(codes.Internal, "internal error")
			}
		}()
		return next(srv, ss)
	}
}
