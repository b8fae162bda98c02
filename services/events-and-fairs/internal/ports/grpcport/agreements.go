package grpcport

import (
	"context"

	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/hirfa/hirfa/pkg/fieldmask"
	"github.com/hirfa/hirfa/pkg/grpcserver"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	eventsfairsv1 "github.com/hirfa/hirfa/proto/gen/hirfa/eventsfairs/v1"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/agreement"
)

func agreementName(s, field string) (resource.Name, error) {
	return resource.ParseName(s, agreement.Collection, field)
}

// CreateAgreement implements AgreementService.
func (s *Server) CreateAgreement(ctx context.Context, req *eventsfairsv1.CreateAgreementRequest) (*eventsfairsv1.Agreement, error) {
	chamber, err := resource.ParseParent(req.GetParent(), "parent", false)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	a := &agreement.Agreement{}
	agreementFields(a, req.GetAgreement())
	out, err := s.app.CreateAgreement(ctx, chamber, a, grpcserver.Mutation(ctx, req.GetRequestId(), "", ""))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return agreementPB(out), nil
}

// GetAgreement implements AgreementService.
func (s *Server) GetAgreement(ctx context.Context, req *eventsfairsv1.GetAgreementRequest) (*eventsfairsv1.Agreement, error) {
	n, err := agreementName(req.GetName(), "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	a, err := s.app.GetAgreement(ctx, n)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return agreementPB(a), nil
}

// ListAgreements implements AgreementService.
func (s *Server) ListAgreements(ctx context.Context, req *eventsfairsv1.ListAgreementsRequest) (*eventsfairsv1.ListAgreementsResponse, error) {
	q, err := paging.ListQueryOf(req.GetParent(), req.GetPageSize(), req.GetPageToken(), req.GetFilter(), req.GetOrderBy())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	page, err := s.app.ListAgreements(ctx, q)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	resp := &eventsfairsv1.ListAgreementsResponse{NextPageToken: page.NextPageToken}
	for _, a := range page.Items {
		resp.Agreements = append(resp.Agreements, agreementPB(a))
	}
	return resp, nil
}

// ListExpiringAgreements implements AgreementService.
func (s *Server) ListExpiringAgreements(ctx context.Context, req *eventsfairsv1.ListExpiringAgreementsRequest) (*eventsfairsv1.ListExpiringAgreementsResponse, error) {
	q, err := paging.ListQueryOf(req.GetParent(), req.GetPageSize(), req.GetPageToken(), "", "")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	page, err := s.app.ListExpiringAgreements(ctx, q, int(req.GetWithinDays()))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	resp := &eventsfairsv1.ListExpiringAgreementsResponse{NextPageToken: page.NextPageToken}
	for _, a := range page.Items {
		resp.Agreements = append(resp.Agreements, agreementPB(a))
	}
	return resp, nil
}

// UpdateAgreement implements AgreementService.
func (s *Server) UpdateAgreement(ctx context.Context, req *eventsfairsv1.UpdateAgreementRequest) (*eventsfairsv1.Agreement, error) {
	n, err := agreementName(req.GetAgreement().GetName(), "agreement.name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out, err := s.app.UpdateAgreement(ctx, n, grpcserver.Mutation(ctx, "", req.GetAgreement().GetEtag(), ""),
		fieldmask.Patch(req.GetAgreement(), req.GetUpdateMask(), agreementUpdatable, "agreement", agreementPB, agreementFields))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return agreementPB(out), nil
}

// DeleteAgreement implements AgreementService.
func (s *Server) DeleteAgreement(ctx context.Context, req *eventsfairsv1.DeleteAgreementRequest) (*emptypb.Empty, error) {
	n, err := agreementName(req.GetName(), "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	if err := s.app.DeleteAgreement(ctx, n, grpcserver.Mutation(ctx, "", req.GetEtag(), "")); err != nil {
		return nil, s.err(ctx, err)
	}
	return &emptypb.Empty{}, nil
}

// ApproveAgreement implements AgreementService.
func (s *Server) ApproveAgreement(ctx context.Context, req *eventsfairsv1.ApproveAgreementRequest) (*eventsfairsv1.Agreement, error) {
	n, err := agreementName(req.GetName(), "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	res, err := itemName(req.GetResolution())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out, err := s.app.ApproveAgreement(ctx, n, res, grpcserver.Mutation(ctx, req.GetRequestId(), req.GetEtag(), ""))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return agreementPB(out), nil
}

func (s *Server) transitionAgreement(ctx context.Context, name, etag, requestID, reason string, action agreement.Action) (*eventsfairsv1.Agreement, error) {
	n, err := agreementName(name, "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out, err := s.app.TransitionAgreement(ctx, n, action, grpcserver.Mutation(ctx, requestID, etag, reason))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return agreementPB(out), nil
}

// SignAgreement implements AgreementService.
func (s *Server) SignAgreement(ctx context.Context, req *eventsfairsv1.SignAgreementRequest) (*eventsfairsv1.Agreement, error) {
	return s.transitionAgreement(ctx, req.GetName(), req.GetEtag(), req.GetRequestId(), "", agreement.Sign)
}

// ActivateAgreement implements AgreementService.
func (s *Server) ActivateAgreement(ctx context.Context, req *eventsfairsv1.ActivateAgreementRequest) (*eventsfairsv1.Agreement, error) {
	return s.transitionAgreement(ctx, req.GetName(), req.GetEtag(), req.GetRequestId(), "", agreement.Activate)
}

// ExpireAgreement implements AgreementService.
func (s *Server) ExpireAgreement(ctx context.Context, req *eventsfairsv1.ExpireAgreementRequest) (*eventsfairsv1.Agreement, error) {
	return s.transitionAgreement(ctx, req.GetName(), req.GetEtag(), req.GetRequestId(), "", agreement.Expire)
}

// TerminateAgreement implements AgreementService.
func (s *Server) TerminateAgreement(ctx context.Context, req *eventsfairsv1.TerminateAgreementRequest) (*eventsfairsv1.Agreement, error) {
	return s.transitionAgreement(ctx, req.GetName(), req.GetEtag(), req.GetRequestId(), req.GetReason(), agreement.Terminate)
}
