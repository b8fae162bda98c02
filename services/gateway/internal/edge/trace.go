package edge

import (
	"context"

	"go.opentelemetry.io/otel/propagation"
	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
)

// The edge's gRPC calls carry the trace one of two ways. With traces
// exported (Options.ClientSpans), otelgrpc's client handler gives every
// call its own span under the HTTP request's. Without, no span is recorded
// anywhere (telemetry.Setup samples nothing), and a client span would only
// be built, started and ended unseen on every call — a twentieth of the
// edge's CPU per request — so only the trace context goes out, which is
// what the services need to log the same trace id.

// propagateUnary sends the context's trace (and baggage) as gRPC metadata.
func propagateUnary(p propagation.TextMapPropagator) grpc.UnaryClientInterceptor {
	return func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
		return invoker(withTrace(ctx, p), method, req, reply, cc, opts...)
	}
}

// propagateStream is propagateUnary for streams (the upload).
func propagateStream(p propagation.TextMapPropagator) grpc.StreamClientInterceptor {
	return func(ctx context.Context, desc *grpc.StreamDesc, cc *grpc.ClientConn, method string, streamer grpc.Streamer, opts ...grpc.CallOption) (grpc.ClientStream, error) {
		return streamer(withTrace(ctx, p), desc, cc, method, opts...)
	}
}

func withTrace(ctx context.Context, p propagation.TextMapPropagator) context.Context {
	var kv pairs
	p.Inject(ctx, &kv)
	if len(kv) == 0 {
		return ctx
	}
	// Appended, not copied: the metadata grpc-gateway put there stays.
	return metadata.AppendToOutgoingContext(ctx, kv...)
}

// pairs collects what a propagator injects as metadata key-value pairs.
type pairs []string

func (p *pairs) Set(k, v string) { *p = append(*p, k, v) }

// Get and Keys are never called on an injecting carrier.
func (p *pairs) Get(string) string { return "" }
func (p *pairs) Keys() []string    { return nil }
