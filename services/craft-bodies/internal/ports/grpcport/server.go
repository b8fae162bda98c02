// Package grpcport is the craft-bodies gRPC transport: it maps protobuf
// messages to the application's use cases and domain errors to gRPC
// statuses (Server.err, through pkg/fault/faultgrpc). It holds no rules of
// its own.
package grpcport

import (
	"context"
	"log/slog"
	"strings"

	"google.golang.org/grpc"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/fault/faultgrpc"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	cbv1 "github.com/hirfa/hirfa/proto/gen/hirfa/craftbodies/v1"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/app"
	"github.com/hirfa/hirfa/services/craft-bodies/internal/domain/craftbody"
)

// ErrorDomain is the ErrorInfo domain of craft-bodies errors.
const ErrorDomain = "craftbodies.hirfa"

// Server implements every craft-bodies gRPC service.
type Server struct {
	cbv1.UnsafeProgrammeServiceServer
	cbv1.UnsafeCraftBodyServiceServer
	cbv1.UnsafeConstitutiveAssemblyServiceServer

	app *app.CraftBodies
	log *slog.Logger
}

// New returns the server.
func New(a *app.CraftBodies, log *slog.Logger) *Server { return &Server{app: a, log: log} }

// Register registers every craft-bodies service on g.
func (s *Server) Register(g grpc.ServiceRegistrar) {
	cbv1.RegisterProgrammeServiceServer(g, s)
	cbv1.RegisterCraftBodyServiceServer(g, s)
	cbv1.RegisterConstitutiveAssemblyServiceServer(g, s)
}

// err is the one place craft-bodies errors become gRPC statuses. Answers of
// the registry and events-and-fairs never reach it as statuses: their
// adapters turn them into this service's own faults first.
func (s *Server) err(ctx context.Context, err error) error {
	return faultgrpc.Error(ctx, s.log, ErrorDomain, err)
}

// bodyName parses chambers/{c}/craftBodies/{id}.
func bodyName(s, field string) (resource.Name, error) {
	return resource.ParseName(s, craftbody.Collection, field)
}

// nestedName parses {body}/{suffix} (census, assembly) into the body.
func nestedName(s, suffix, field string) (resource.Name, error) {
	b, ok := strings.CutSuffix(s, "/"+suffix)
	if !ok {
		return resource.Name{}, fault.Invalid(field, fault.RuleResourceName, "must be chambers/{chamber}/craftBodies/{id}/%s, got %q", suffix, s)
	}
	n, err := resource.ParseName(b, craftbody.Collection, field)
	if err != nil {
		return resource.Name{}, fault.Invalid(field, fault.RuleResourceName, "must be chambers/{chamber}/craftBodies/{id}/%s, got %q", suffix, s)
	}
	return n, nil
}

// childName parses {body}/{collection}/{id} into the body and the id.
func childName(s, collection, field string) (resource.Name, string, error) {
	i := strings.LastIndex(s, "/"+collection+"/")
	if i < 0 {
		return resource.Name{}, "", fault.Invalid(field, fault.RuleResourceName, "must be chambers/{chamber}/craftBodies/{id}/%s/{id}, got %q", collection, s)
	}
	n, err := resource.ParseName(s[:i], craftbody.Collection, field)
	id := s[i+len(collection)+2:]
	if err != nil || id == "" || strings.Contains(id, "/") {
		return resource.Name{}, "", fault.Invalid(field, fault.RuleResourceName, "must be chambers/{chamber}/craftBodies/{id}/%s/{id}, got %q", collection, s)
	}
	return n, id, nil
}

// page is the page request of a nested collection.
func page(pageSize int32, token string) paging.ListQuery {
	return paging.ListQuery{PageSize: int(pageSize), PageToken: token}
}
