package load

import (
	"context"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
)

// GRPC calls the registry directly over gRPC.
type GRPC struct {
	coops registryv1.CooperativeServiceClient
	token string
}

var _ Client = (*GRPC)(nil)

// NewGRPC returns a client over conn that sends token as a bearer token
// (none when empty). It adds no retry of its own: Run and the callers
// decide when to send a request again.
func NewGRPC(conn grpc.ClientConnInterface, token string) *GRPC {
	return &GRPC{coops: registryv1.NewCooperativeServiceClient(conn), token: token}
}

// Authorize adds the bearer token to ctx's outgoing metadata.
func Authorize(ctx context.Context, token string) context.Context {
	if token == "" {
		return ctx
	}
	return metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+token)
}

// GetCooperative calls CooperativeService.GetCooperative.
func (g *GRPC) GetCooperative(ctx context.Context, name string) (*registryv1.Cooperative, error) {
	out, err := g.coops.GetCooperative(Authorize(ctx, g.token), &registryv1.GetCooperativeRequest{Name: name})
	return out, fromGRPC(err)
}

// CreateCooperative calls CooperativeService.CreateCooperative.
func (g *GRPC) CreateCooperative(ctx context.Context, parent, requestID string, c *registryv1.Cooperative) (*registryv1.Cooperative, error) {
	out, err := g.coops.CreateCooperative(Authorize(ctx, g.token), &registryv1.CreateCooperativeRequest{Parent: parent, Cooperative: c, RequestId: requestID})
	return out, fromGRPC(err)
}

// ListCooperatives calls CooperativeService.ListCooperatives.
func (g *GRPC) ListCooperatives(ctx context.Context, req *registryv1.ListCooperativesRequest) (*registryv1.ListCooperativesResponse, error) {
	out, err := g.coops.ListCooperatives(Authorize(ctx, g.token), req)
	return out, fromGRPC(err)
}
