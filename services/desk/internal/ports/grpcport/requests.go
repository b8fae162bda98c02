package grpcport

import (
	"context"

	"github.com/hirfa/hirfa/pkg/grpcserver"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/protomap"
	"github.com/hirfa/hirfa/pkg/resource"
	deskv1 "github.com/hirfa/hirfa/proto/gen/hirfa/desk/v1"
	"github.com/hirfa/hirfa/services/desk/internal/domain/request"
)

func requestName(s, field string) (resource.Name, error) {
	return resource.ParseName(s, request.Collection, field)
}

// CreateServiceRequest implements ServiceRequestService.
func (s *Server) CreateServiceRequest(ctx context.Context, req *deskv1.CreateServiceRequestRequest) (*deskv1.ServiceRequest, error) {
	chamber, err := resource.ParseParent(req.GetParent(), "parent", false)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out, err := s.app.CreateRequest(ctx, chamber, requestFields(req.GetServiceRequest()), grpcserver.Mutation(ctx, req.GetRequestId(), "", ""))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return ServiceRequestPB(out), nil
}

// GetServiceRequest implements ServiceRequestService.
func (s *Server) GetServiceRequest(ctx context.Context, req *deskv1.GetServiceRequestRequest) (*deskv1.ServiceRequest, error) {
	n, err := requestName(req.GetName(), "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	r, err := s.app.GetRequest(ctx, n)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return ServiceRequestPB(r), nil
}

// ListServiceRequests implements ServiceRequestService.
func (s *Server) ListServiceRequests(ctx context.Context, req *deskv1.ListServiceRequestsRequest) (*deskv1.ListServiceRequestsResponse, error) {
	q, err := paging.ListQueryOf(req.GetParent(), req.GetPageSize(), req.GetPageToken(), req.GetFilter(), req.GetOrderBy())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	page, err := s.app.ListRequests(ctx, q, req.GetOverdue())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	resp := &deskv1.ListServiceRequestsResponse{NextPageToken: page.NextPageToken}
	for _, r := range page.Items {
		resp.ServiceRequests = append(resp.ServiceRequests, ServiceRequestPB(r))
	}
	return resp, nil
}

func (s *Server) transition(ctx context.Context, name, etag, action, arg string, answer l10n.Text) (*deskv1.ServiceRequest, error) {
	n, err := requestName(name, "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out, err := s.app.TransitionRequest(ctx, n, grpcserver.Mutation(ctx, "", etag, ""), action, arg, answer)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return ServiceRequestPB(out), nil
}

// StudyServiceRequest implements ServiceRequestService.
func (s *Server) StudyServiceRequest(ctx context.Context, req *deskv1.StudyServiceRequestRequest) (*deskv1.ServiceRequest, error) {
	return s.transition(ctx, req.GetName(), req.GetEtag(), request.Study, req.GetAssignee(), l10n.Text{})
}

// AnswerServiceRequest implements ServiceRequestService.
func (s *Server) AnswerServiceRequest(ctx context.Context, req *deskv1.AnswerServiceRequestRequest) (*deskv1.ServiceRequest, error) {
	return s.transition(ctx, req.GetName(), req.GetEtag(), request.Answer, "", protomap.Localized(req.GetAnswer()))
}

// ForwardServiceRequest implements ServiceRequestService.
func (s *Server) ForwardServiceRequest(ctx context.Context, req *deskv1.ForwardServiceRequestRequest) (*deskv1.ServiceRequest, error) {
	return s.transition(ctx, req.GetName(), req.GetEtag(), request.Forward, req.GetAuthority(), l10n.Text{})
}

// CloseServiceRequest implements ServiceRequestService.
func (s *Server) CloseServiceRequest(ctx context.Context, req *deskv1.CloseServiceRequestRequest) (*deskv1.ServiceRequest, error) {
	return s.transition(ctx, req.GetName(), req.GetEtag(), request.Close, "", l10n.Text{})
}
