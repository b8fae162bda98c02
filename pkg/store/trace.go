package store

import (
	"context"

	"go.opentelemetry.io/otel/propagation"
)

// Traceparent returns the W3C traceparent of the span in ctx
// ("00-<trace id>-<span id>-<flags>"), or "" when ctx carries no valid span.
// The outbox stores it so the event bus continues the request's trace.
func Traceparent(ctx context.Context) string {
	c := propagation.MapCarrier{}
	propagation.TraceContext{}.Inject(ctx, c)
	return c["traceparent"]
}
