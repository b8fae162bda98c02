package edge

import (
	"context"
	"testing"

	"go.opentelemetry.io/otel/baggage"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
)

// TestPropagateTrace: without client spans a call still carries the
// request's trace context and baggage, beside the metadata already there.
func TestPropagateTrace(t *testing.T) {
	p := propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})
	sc := trace.NewSpanContext(trace.SpanContextConfig{
		TraceID:    trace.TraceID{0x4b, 0xf9, 0x2f, 0x35, 0x77, 0xb3, 0x4d, 0xa6, 0xa3, 0xce, 0x92, 0x9d, 0x0e, 0x0e, 0x47, 0x36},
		SpanID:     trace.SpanID{0x00, 0xf0, 0x67, 0xaa, 0x0b, 0xa9, 0x02, 0xb7},
		TraceFlags: trace.FlagsSampled,
	})
	member, _ := baggage.NewMember("chamber", "fes-meknes")
	bag, _ := baggage.New(member)
	ctx := baggage.ContextWithBaggage(trace.ContextWithSpanContext(context.Background(), sc), bag)
	ctx = metadata.NewOutgoingContext(ctx, metadata.Pairs("authorization", "Bearer t"))
	check := func(name string, ctx context.Context) {
		t.Helper()
		md, _ := metadata.FromOutgoingContext(ctx)
		want := map[string]string{
			"traceparent":   "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
			"baggage":       "chamber=fes-meknes",
			"authorization": "Bearer t",
		}
		for k, v := range want {
			if got := md.Get(k); len(got) != 1 || got[0] != v {
				t.Errorf("%s: metadata %s = %q, want [%q]", name, k, got, v)
			}
		}
	}
	unary := propagateUnary(p)
	_ = unary(ctx, "/m", nil, nil, nil, func(ctx context.Context, _ string, _, _ any, _ *grpc.ClientConn, _ ...grpc.CallOption) error {
		check("unary", ctx)
		return nil
	})
	stream := propagateStream(p)
	_, _ = stream(ctx, &grpc.StreamDesc{}, nil, "/m", func(ctx context.Context, _ *grpc.StreamDesc, _ *grpc.ClientConn, _ string, _ ...grpc.CallOption) (grpc.ClientStream, error) {
		check("stream", ctx)
		return nil, nil
	})

	// No trace in the context: nothing is added.
	_ = unary(context.Background(), "/m", nil, nil, nil, func(ctx context.Context, _ string, _, _ any, _ *grpc.ClientConn, _ ...grpc.CallOption) error {
		if md, ok := metadata.FromOutgoingContext(ctx); ok && len(md) > 0 {
			t.Errorf("no trace: metadata %v", md)
		}
		return nil
	})
}
