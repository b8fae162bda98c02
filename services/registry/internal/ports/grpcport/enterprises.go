package grpcport

import (
	"context"

	"github.com/hirfa/hirfa/pkg/fieldmask"
	"github.com/hirfa/hirfa/pkg/grpcserver"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	"github.com/hirfa/hirfa/services/registry/internal/domain/enterprise"
)

// CreateEnterprise implements EnterpriseService.
func (s *Server) CreateEnterprise(ctx context.Context, req *registryv1.CreateEnterpriseRequest) (*registryv1.Enterprise, error) {
	chamber, err := resource.ParseParent(req.GetParent(), "parent", false)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	e := &enterprise.Enterprise{}
	enterpriseFields(e, req.GetEnterprise())
	out, err := s.app.CreateEnterprise(ctx, chamber, e, grpcserver.Mutation(ctx, req.GetRequestId(), "", ""))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return enterprisePB(out), nil
}

// GetEnterprise implements EnterpriseService.
func (s *Server) GetEnterprise(ctx context.Context, req *registryv1.GetEnterpriseRequest) (*registryv1.Enterprise, error) {
	n, err := resource.ParseName(req.GetName(), enterprise.Collection, "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	e, err := s.app.GetEnterprise(ctx, n)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return enterprisePB(e), nil
}

// ListEnterprises implements EnterpriseService.
func (s *Server) ListEnterprises(ctx context.Context, req *registryv1.ListEnterprisesRequest) (*registryv1.ListEnterprisesResponse, error) {
	q, err := paging.ListQueryOf(req.GetParent(), req.GetPageSize(), req.GetPageToken(), req.GetFilter(), req.GetOrderBy())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	page, err := s.app.ListEnterprises(ctx, q)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	resp := &registryv1.ListEnterprisesResponse{NextPageToken: page.NextPageToken}
	for _, e := range page.Items {
		resp.Enterprises = append(resp.Enterprises, enterprisePB(e))
	}
	return resp, nil
}

// UpdateEnterprise implements EnterpriseService.
func (s *Server) UpdateEnterprise(ctx context.Context, req *registryv1.UpdateEnterpriseRequest) (*registryv1.Enterprise, error) {
	n, err := resource.ParseName(req.GetEnterprise().GetName(), enterprise.Collection, "enterprise.name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out, err := s.app.UpdateEnterprise(ctx, n, grpcserver.Mutation(ctx, "", req.GetEnterprise().GetEtag(), ""),
		fieldmask.Patch(req.GetEnterprise(), req.GetUpdateMask(), enterpriseUpdatable, "enterprise", enterprisePB, enterpriseFields))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return enterprisePB(out), nil
}

// CloseEnterprise implements EnterpriseService.
func (s *Server) CloseEnterprise(ctx context.Context, req *registryv1.CloseEnterpriseRequest) (*registryv1.Enterprise, error) {
	n, err := resource.ParseName(req.GetName(), enterprise.Collection, "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out, err := s.app.CloseEnterprise(ctx, n, grpcserver.Mutation(ctx, req.GetRequestId(), req.GetEtag(), req.GetReason()))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return enterprisePB(out), nil
}
