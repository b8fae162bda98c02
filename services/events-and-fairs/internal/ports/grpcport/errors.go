package grpcport

import (
	"context"

	"github.com/hirfa/hirfa/pkg/fault/faultgrpc"
)

// ErrorDomain is the ErrorInfo domain of events-and-fairs errors.
const ErrorDomain = "eventsfairs.hirfa"

// err is the one place events-and-fairs errors become gRPC statuses.
// Registry answers never reach it as statuses: the registry adapter turns
// them into this service's own faults first.
func (s *Server) err(ctx context.Context, err error) error {
	return faultgrpc.Error(ctx, s.log, ErrorDomain, err)
}
