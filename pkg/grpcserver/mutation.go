package grpcserver

import (
	"context"

	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc"

	"github.com/hirfa/hirfa/pkg/change"
)

// Mutation collects the transport facts of a write: the full method and
// the trace id from the call's context, with the request's fields.
func Mutation(ctx context.Context, requestID, etag, reason string) change.Mutation {
	m, _ := grpc.Method(ctx)
	tid := ""
	if sc := trace.SpanContextFromContext(ctx); sc.HasTraceID() {
		tid = sc.TraceID().String()
	}
	return change.Mutation{Method: m, RequestID: requestID, Etag: etag, Reason: reason, TraceID: tid}
}
