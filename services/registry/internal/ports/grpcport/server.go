// Package grpcport is the registry's gRPC transport: it maps protobuf
// messages to the application's use cases and domain errors to gRPC statuses
// (errors.go). It holds no rules of its own.
package grpcport

import (
	"context"
	"log/slog"

	"github.com/hirfa/hirfa/pkg/fieldmask"
	"github.com/hirfa/hirfa/pkg/resource"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	"github.com/hirfa/hirfa/services/registry/internal/app"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/fieldmaskpb"
)

// Server implements every registry gRPC service.
type Server struct {
	registryv1.UnsafeReferenceServiceServer
	registryv1.UnsafeArtisanServiceServer
	registryv1.UnsafeCooperativeServiceServer
	registryv1.UnsafeAssociationServiceServer
	registryv1.UnsafeEnterpriseServiceServer
	registryv1.UnsafeAuditServiceServer
	registryv1.UnsafeRegistrantServiceServer

	app *app.Registry
	log *slog.Logger
	// MaskCNIE decides whether list responses show the CNIE in full for the
	// caller in ctx (property-level authorization).
	MaskCNIE func(ctx context.Context) bool
}

// New returns the server.
func New(a *app.Registry, log *slog.Logger) *Server {
	return &Server{app: a, log: log, MaskCNIE: func(context.Context) bool { return true }}
}

// Register registers every registry service on s.
func (s *Server) Register(g grpc.ServiceRegistrar) {
	registryv1.RegisterReferenceServiceServer(g, s)
	registryv1.RegisterArtisanServiceServer(g, s)
	registryv1.RegisterCooperativeServiceServer(g, s)
	registryv1.RegisterAssociationServiceServer(g, s)
	registryv1.RegisterEnterpriseServiceServer(g, s)
	registryv1.RegisterAuditServiceServer(g, s)
	registryv1.RegisterRegistrantServiceServer(g, s)
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
