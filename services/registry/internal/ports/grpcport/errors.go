package grpcport

import (
	"context"

	"github.com/hirfa/hirfa/pkg/fault/faultgrpc"
)

// ErrorDomain is the ErrorInfo domain of registry errors.
const ErrorDomain = "registry.hirfa"

// err is the one place registry errors become gRPC statuses.
func (s *Server) err(ctx context.Context, err error) error {
	return faultgrpc.Error(ctx, s.log, ErrorDomain, err)
}
