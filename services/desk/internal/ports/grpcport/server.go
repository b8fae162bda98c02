// Package grpcport is the desk gRPC transport: it maps protobuf
// messages to the application's use cases (mapping.go) and domain errors to
// gRPC statuses (errors.go, with the catalogue in catalog.go). It holds no
// rules of its own.
package grpcport

import (
	"context"
	"log/slog"

	"google.golang.org/grpc"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/fault/faultgrpc"
	deskv1 "github.com/hirfa/hirfa/proto/gen/hirfa/desk/v1"
	"github.com/hirfa/hirfa/services/desk/internal/app"
)

// ErrorDomain is the ErrorInfo domain of desk errors.
const ErrorDomain = "desk.hirfa"

// Server implements every desk gRPC service.
type Server struct {
	deskv1.UnsafeServiceRequestServiceServer
	deskv1.UnsafeMediationCaseServiceServer
	deskv1.UnsafeDocumentServiceServer
	deskv1.UnsafeProfessionalCardServiceServer
	deskv1.UnsafeVerificationServiceServer
	deskv1.UnsafeRequestTypeServiceServer

	app *app.App
	log *slog.Logger
}

// New returns the server.
func New(a *app.App, log *slog.Logger) *Server { return &Server{app: a, log: log} }

// Register registers every desk service on g.
func (s *Server) Register(g grpc.ServiceRegistrar) {
	deskv1.RegisterServiceRequestServiceServer(g, s)
	deskv1.RegisterMediationCaseServiceServer(g, s)
	deskv1.RegisterDocumentServiceServer(g, s)
	deskv1.RegisterProfessionalCardServiceServer(g, s)
	deskv1.RegisterVerificationServiceServer(g, s)
	deskv1.RegisterRequestTypeServiceServer(g, s)
}

// err is the one place desk errors become gRPC statuses.
func (s *Server) err(ctx context.Context, err error) error {
	return faultgrpc.Error(ctx, s.log, ErrorDomain, err)
}

func invalidVerification(name string) error {
	return fault.Invalid("name", fault.RuleResourceName, "must be verifications/{code}, got %q", name)
}
