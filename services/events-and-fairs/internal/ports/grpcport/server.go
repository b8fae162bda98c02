// Package grpcport is the events-and-fairs gRPC transport: it maps protobuf
// messages to the application's use cases and domain errors to gRPC
// statuses (errors.go). It holds no rules of its own.
package grpcport

import (
	"context"
	"log/slog"

	"github.com/hirfa/hirfa/pkg/fieldmask"
	"github.com/hirfa/hirfa/pkg/resource"
	eventsfairsv1 "github.com/hirfa/hirfa/proto/gen/hirfa/eventsfairs/v1"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/app"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/fieldmaskpb"
)

// Server implements every events-and-fairs gRPC service.
type Server struct {
	eventsfairsv1.UnsafeEventServiceServer
	eventsfairsv1.UnsafeFairServiceServer
	eventsfairsv1.UnsafeRegistrationServiceServer
	eventsfairsv1.UnsafeAssemblyServiceServer
	eventsfairsv1.UnsafeAgreementServiceServer

	app *app.EventsFairs
	log *slog.Logger
}

// New returns the server.
func New(a *app.EventsFairs, log *slog.Logger) *Server { return &Server{app: a, log: log} }

// Register registers every events-and-fairs service on g.
func (s *Server) Register(g grpc.ServiceRegistrar) {
	eventsfairsv1.RegisterEventServiceServer(g, s)
	eventsfairsv1.RegisterFairServiceServer(g, s)
	eventsfairsv1.RegisterRegistrationServiceServer(g, s)
	eventsfairsv1.RegisterAssemblyServiceServer(g, s)
	eventsfairsv1.RegisterAgreementServiceServer(g, s)
}

// mutation collects the transport facts of a write.
func mutation(ctx context.Context, requestID, etag, reason string) app.Mutation {
	m, _ := grpc.Method(ctx)
	tid := ""
	if sc := trace.SpanContextFromContext(ctx); sc.HasTraceID() {
		tid = sc.TraceID().String()
	}
	return app.Mutation{Method: m, RequestID: requestID, Etag: etag, Reason: reason, TraceID: tid}
}

func listQuery(parent string, pageSize int32, token, filter, orderBy string) (resource.ListQuery, error) {
	chamber, err := resource.ParseParent(parent, "parent", true)
	if err != nil {
		return resource.ListQuery{}, err
	}
	return resource.ListQuery{Chamber: chamber, PageSize: int(pageSize), PageToken: token, Filter: filter, OrderBy: orderBy}, nil
}

// childQuery is the page request of a nested collection.
func childQuery(pageSize int32, token, filter, orderBy string) resource.ListQuery {
	return resource.ListQuery{PageSize: int(pageSize), PageToken: token, Filter: filter, OrderBy: orderBy}
}

// patch builds the closure that applies an update mask: the stored record is
// rendered as its message, the masked fields are copied from the request,
// and the result is copied back onto the record.
func patch[D any, P proto.Message](req P, mask *fieldmaskpb.FieldMask, updatable []string, field string, render func(D) P, fields func(D, P)) func(D) error {
	return func(cur D) error {
		msg := render(cur)
		if err := fieldmask.Apply(msg, req, mask, updatable, field); err != nil {
			return err
		}
		fields(cur, msg)
		return nil
	}
}
