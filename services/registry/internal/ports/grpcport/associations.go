package grpcport

import (
	"context"

	"github.com/hirfa/hirfa/pkg/fieldmask"
	"github.com/hirfa/hirfa/pkg/grpcserver"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	"github.com/hirfa/hirfa/services/registry/internal/domain/association"
)

// CreateAssociation implements AssociationService.
func (s *Server) CreateAssociation(ctx context.Context, req *registryv1.CreateAssociationRequest) (*registryv1.Association, error) {
	chamber, err := resource.ParseParent(req.GetParent(), "parent", false)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	a := &association.Association{}
	associationFields(a, req.GetAssociation())
	out, err := s.app.CreateAssociation(ctx, chamber, a, grpcserver.Mutation(ctx, req.GetRequestId(), "", ""))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return associationPB(out), nil
}

// GetAssociation implements AssociationService.
func (s *Server) GetAssociation(ctx context.Context, req *registryv1.GetAssociationRequest) (*registryv1.Association, error) {
	n, err := resource.ParseName(req.GetName(), association.Collection, "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	a, err := s.app.GetAssociation(ctx, n)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return associationPB(a), nil
}

// ListAssociations implements AssociationService.
func (s *Server) ListAssociations(ctx context.Context, req *registryv1.ListAssociationsRequest) (*registryv1.ListAssociationsResponse, error) {
	q, err := paging.ListQueryOf(req.GetParent(), req.GetPageSize(), req.GetPageToken(), req.GetFilter(), req.GetOrderBy())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	page, err := s.app.ListAssociations(ctx, q)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	resp := &registryv1.ListAssociationsResponse{NextPageToken: page.NextPageToken}
	for _, a := range page.Items {
		resp.Associations = append(resp.Associations, associationPB(a))
	}
	return resp, nil
}

// UpdateAssociation implements AssociationService.
func (s *Server) UpdateAssociation(ctx context.Context, req *registryv1.UpdateAssociationRequest) (*registryv1.Association, error) {
	n, err := resource.ParseName(req.GetAssociation().GetName(), association.Collection, "association.name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out, err := s.app.UpdateAssociation(ctx, n, grpcserver.Mutation(ctx, "", req.GetAssociation().GetEtag(), ""),
		fieldmask.Patch(req.GetAssociation(), req.GetUpdateMask(), associationUpdatable, "association", associationPB, associationFields))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return associationPB(out), nil
}

func (s *Server) transitionAssociation(ctx context.Context, name, etag, requestID, reason string, action association.Action) (*registryv1.Association, error) {
	n, err := resource.ParseName(name, association.Collection, "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out, err := s.app.TransitionAssociation(ctx, n, action, grpcserver.Mutation(ctx, requestID, etag, reason))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return associationPB(out), nil
}

// ActivateAssociation implements AssociationService.
func (s *Server) ActivateAssociation(ctx context.Context, req *registryv1.ActivateAssociationRequest) (*registryv1.Association, error) {
	return s.transitionAssociation(ctx, req.GetName(), req.GetEtag(), req.GetRequestId(), "", "activate")
}

// MarkStagnantAssociation implements AssociationService.
func (s *Server) MarkStagnantAssociation(ctx context.Context, req *registryv1.MarkStagnantAssociationRequest) (*registryv1.Association, error) {
	return s.transitionAssociation(ctx, req.GetName(), req.GetEtag(), req.GetRequestId(), req.GetReason(), "mark stagnant")
}

// ReactivateAssociation implements AssociationService.
func (s *Server) ReactivateAssociation(ctx context.Context, req *registryv1.ReactivateAssociationRequest) (*registryv1.Association, error) {
	return s.transitionAssociation(ctx, req.GetName(), req.GetEtag(), req.GetRequestId(), "", "reactivate")
}

// DissolveAssociation implements AssociationService.
func (s *Server) DissolveAssociation(ctx context.Context, req *registryv1.DissolveAssociationRequest) (*registryv1.Association, error) {
	return s.transitionAssociation(ctx, req.GetName(), req.GetEtag(), req.GetRequestId(), req.GetReason(), "dissolve")
}
