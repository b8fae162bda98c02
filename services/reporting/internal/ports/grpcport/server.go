// Package grpcport is the reporting gRPC transport: it maps protobuf
// messages to the application's use cases and errors to gRPC statuses. It
// holds no rules of its own.
package grpcport

import (
	"context"
	"log/slog"
	"strings"

	"google.golang.org/grpc"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/fault/faultgrpc"
	"github.com/hirfa/hirfa/pkg/resource"
	reportingv1 "github.com/hirfa/hirfa/proto/gen/hirfa/reporting/v1"
	"github.com/hirfa/hirfa/services/reporting/internal/app"
)

// ErrorDomain is the ErrorInfo domain of reporting errors.
const ErrorDomain = "reporting.hirfa"

// Server implements every reporting gRPC service.
type Server struct {
	reportingv1.UnsafeStatisticsServiceServer
	reportingv1.UnsafeTargetServiceServer
	reportingv1.UnsafeReportServiceServer
	reportingv1.UnsafeDeadLetterServiceServer
	reportingv1.UnsafeInventoryServiceServer

	app *app.Reporting
	log *slog.Logger
}

// New returns the server.
func New(a *app.Reporting, log *slog.Logger) *Server { return &Server{app: a, log: log} }

// Register registers every reporting service on g.
func (s *Server) Register(g grpc.ServiceRegistrar) {
	reportingv1.RegisterStatisticsServiceServer(g, s)
	reportingv1.RegisterTargetServiceServer(g, s)
	reportingv1.RegisterReportServiceServer(g, s)
	reportingv1.RegisterDeadLetterServiceServer(g, s)
	reportingv1.RegisterInventoryServiceServer(g, s)
}

// err is the one place reporting errors become gRPC statuses.
func (s *Server) err(ctx context.Context, err error) error {
	return faultgrpc.Error(ctx, s.log, ErrorDomain, err)
}

// scope parses a scope (chambers/{chamber} or chambers/-) to the chamber id
// or resource.Wildcard.
func scope(s, field string) (string, error) {
	c, ok := strings.CutPrefix(s, "chambers/")
	if !ok || c == "" || strings.Contains(c, "/") {
		return "", fault.Invalid(field, "scope.format", "must be chambers/{chamber} or chambers/- (national), got %q", s)
	}
	if c == resource.Wildcard {
		return c, nil
	}
	return resource.ParseParent(s, field, false)
}
