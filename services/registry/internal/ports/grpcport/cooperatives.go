package grpcport

import (
	"context"

	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/hirfa/hirfa/pkg/fieldmask"
	"github.com/hirfa/hirfa/pkg/grpcserver"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	"github.com/hirfa/hirfa/services/registry/internal/domain/cooperative"
)

// CreateCooperative implements CooperativeService.
func (s *Server) CreateCooperative(ctx context.Context, req *registryv1.CreateCooperativeRequest) (*registryv1.Cooperative, error) {
	chamber, err := resource.ParseParent(req.GetParent(), "parent", false)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	c := &cooperative.Cooperative{}
	cooperativeFields(c, req.GetCooperative())
	out, err := s.app.CreateCooperative(ctx, chamber, c, grpcserver.Mutation(ctx, req.GetRequestId(), "", ""))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return cooperativePB(out), nil
}

// GetCooperative implements CooperativeService.
func (s *Server) GetCooperative(ctx context.Context, req *registryv1.GetCooperativeRequest) (*registryv1.Cooperative, error) {
	n, err := resource.ParseName(req.GetName(), cooperative.Collection, "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	c, err := s.app.GetCooperative(ctx, n)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return cooperativePB(c), nil
}

// ListCooperatives implements CooperativeService.
func (s *Server) ListCooperatives(ctx context.Context, req *registryv1.ListCooperativesRequest) (*registryv1.ListCooperativesResponse, error) {
	q, err := paging.ListQueryOf(req.GetParent(), req.GetPageSize(), req.GetPageToken(), req.GetFilter(), req.GetOrderBy())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	page, err := s.app.ListCooperatives(ctx, q)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	resp := &registryv1.ListCooperativesResponse{NextPageToken: page.NextPageToken}
	for _, c := range page.Items {
		resp.Cooperatives = append(resp.Cooperatives, cooperativePB(c))
	}
	return resp, nil
}

// UpdateCooperative implements CooperativeService.
func (s *Server) UpdateCooperative(ctx context.Context, req *registryv1.UpdateCooperativeRequest) (*registryv1.Cooperative, error) {
	n, err := resource.ParseName(req.GetCooperative().GetName(), cooperative.Collection, "cooperative.name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out, err := s.app.UpdateCooperative(ctx, n, grpcserver.Mutation(ctx, "", req.GetCooperative().GetEtag(), ""),
		fieldmask.Patch(req.GetCooperative(), req.GetUpdateMask(), cooperativeUpdatable, "cooperative", cooperativePB, cooperativeFields))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return cooperativePB(out), nil
}

// DeleteCooperative implements CooperativeService.
func (s *Server) DeleteCooperative(ctx context.Context, req *registryv1.DeleteCooperativeRequest) (*emptypb.Empty, error) {
	n, err := resource.ParseName(req.GetName(), cooperative.Collection, "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	if err := s.app.DeleteCooperative(ctx, n, grpcserver.Mutation(ctx, "", req.GetEtag(), "")); err != nil {
		return nil, s.err(ctx, err)
	}
	return &emptypb.Empty{}, nil
}

func (s *Server) transitionCooperative(ctx context.Context, name, etag, requestID, reason string, action cooperative.Action) (*registryv1.Cooperative, error) {
	n, err := resource.ParseName(name, cooperative.Collection, "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out, err := s.app.TransitionCooperative(ctx, n, action, grpcserver.Mutation(ctx, requestID, etag, reason))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return cooperativePB(out), nil
}

// RegisterCooperative implements CooperativeService: the registration
// consumes the name certificate it gives.
func (s *Server) RegisterCooperative(ctx context.Context, req *registryv1.RegisterCooperativeRequest) (*registryv1.Cooperative, error) {
	n, err := resource.ParseName(req.GetName(), cooperative.Collection, "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out, err := s.app.RegisterCooperative(ctx, n, req.GetNameCertificate(), grpcserver.Mutation(ctx, req.GetRequestId(), req.GetEtag(), ""))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return cooperativePB(out), nil
}

// ActivateCooperative implements CooperativeService.
func (s *Server) ActivateCooperative(ctx context.Context, req *registryv1.ActivateCooperativeRequest) (*registryv1.Cooperative, error) {
	return s.transitionCooperative(ctx, req.GetName(), req.GetEtag(), req.GetRequestId(), "", "activate")
}

// MarkDormantCooperative implements CooperativeService.
func (s *Server) MarkDormantCooperative(ctx context.Context, req *registryv1.MarkDormantCooperativeRequest) (*registryv1.Cooperative, error) {
	return s.transitionCooperative(ctx, req.GetName(), req.GetEtag(), req.GetRequestId(), req.GetReason(), "mark dormant")
}

// ReactivateCooperative implements CooperativeService.
func (s *Server) ReactivateCooperative(ctx context.Context, req *registryv1.ReactivateCooperativeRequest) (*registryv1.Cooperative, error) {
	return s.transitionCooperative(ctx, req.GetName(), req.GetEtag(), req.GetRequestId(), "", "reactivate")
}

// LiquidateCooperative implements CooperativeService.
func (s *Server) LiquidateCooperative(ctx context.Context, req *registryv1.LiquidateCooperativeRequest) (*registryv1.Cooperative, error) {
	return s.transitionCooperative(ctx, req.GetName(), req.GetEtag(), req.GetRequestId(), req.GetReason(), "liquidate")
}

// DissolveCooperative implements CooperativeService.
func (s *Server) DissolveCooperative(ctx context.Context, req *registryv1.DissolveCooperativeRequest) (*registryv1.Cooperative, error) {
	return s.transitionCooperative(ctx, req.GetName(), req.GetEtag(), req.GetRequestId(), req.GetReason(), "dissolve")
}
