// Package grpcport is the registry's gRPC transport: it maps protobuf
// messages to the application's use cases and domain errors to gRPC statuses
// (errors.go). It holds no rules of its own.
package grpcport

import (
	"context"
	"log/slog"

	"google.golang.org/grpc"

	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	"github.com/hirfa/hirfa/services/registry/internal/app"
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
	registryv1.UnsafeImportServiceServer
	registryv1.UnsafeCooperativeNameServiceServer
	registryv1.UnsafeDuplicateServiceServer
	registryv1.UnsafeNameRequestServiceServer

	app *app.Registry
	log *slog.Logger
	// MaskCNIE decides whether responses show the CNIE in full for the
	// caller in ctx (property-level authorization).
	MaskCNIE func(ctx context.Context) bool
	// Names answers the public cooperative name check.
	Names *app.NameCheck
	// Duplicates answers the duplicate review queue.
	Duplicates *app.DuplicateReview
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
	registryv1.RegisterImportServiceServer(g, s)
	registryv1.RegisterCooperativeNameServiceServer(g, s)
	registryv1.RegisterDuplicateServiceServer(g, s)
	registryv1.RegisterNameRequestServiceServer(g, s)
}
