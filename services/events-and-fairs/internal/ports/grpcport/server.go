// Package grpcport is the events-and-fairs gRPC transport: it maps protobuf
// messages to the application's use cases and domain errors to gRPC
// statuses (errors.go). It holds no rules of its own.
package grpcport

import (
	"log/slog"

	"google.golang.org/grpc"

	"github.com/hirfa/hirfa/pkg/paging"
	eventsfairsv1 "github.com/hirfa/hirfa/proto/gen/hirfa/eventsfairs/v1"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/app"
)

// Server implements every events-and-fairs gRPC service.
type Server struct {
	eventsfairsv1.UnsafeEventServiceServer
	eventsfairsv1.UnsafeFairServiceServer
	eventsfairsv1.UnsafeRegistrationServiceServer
	eventsfairsv1.UnsafeAssemblyServiceServer
	eventsfairsv1.UnsafeAgreementServiceServer
	eventsfairsv1.UnsafeAuditServiceServer

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
	eventsfairsv1.RegisterAuditServiceServer(g, s)
}

// childQuery is the page request of a nested collection.
func childQuery(pageSize int32, token, filter, orderBy string) paging.ListQuery {
	return paging.ListQuery{PageSize: int(pageSize), PageToken: token, Filter: filter, OrderBy: orderBy}
}
