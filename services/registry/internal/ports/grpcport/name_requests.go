package grpcport

import (
	"context"
	"time"

	"google.golang.org/genproto/googleapis/api/httpbody"
	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/proto"

	"github.com/hirfa/hirfa/pkg/grpcserver"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/protomap"
	"github.com/hirfa/hirfa/pkg/resource"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	"github.com/hirfa/hirfa/services/registry/internal/domain/namerequest"
)

// nameRequestPB maps a request; now decides overdue and expired.
func nameRequestPB(q *namerequest.Request, now time.Time) *registryv1.NameRequest {
	out := &registryv1.NameRequest{
		Name:         q.Name(),
		Founder:      q.Founder,
		State:        registryv1.NameRequest_State(registryv1.NameRequest_State_value[string(q.State)]),
		DueTime:      protomap.Timestamp(q.DueTime),
		Overdue:      q.Overdue(now),
		ApprovedName: int32(q.ApprovedName),
		Certificate:  q.Certificate,
		ExpiryDate:   string(q.ExpiryDate),
		Expired:      q.State == namerequest.Approved && q.Expired(now),
		Decider:      q.Decider,
		RejectReason: q.RejectReason,
		Cooperative:  q.Cooperative,
		CreateTime:   protomap.Timestamp(q.CreateTime),
		UpdateTime:   protomap.Timestamp(q.UpdateTime),
		Etag:         q.Etag(),
		Demo:         q.Demo,
	}
	if !q.DecideTime.IsZero() {
		out.DecideTime = protomap.Timestamp(q.DecideTime)
	}
	for _, n := range q.Names {
		out.ProposedNames = append(out.ProposedNames, &registryv1.ProposedName{Ar: n.AR, Fr: n.FR})
	}
	return out
}

// NameRequestEvent is the outbox payload of a name request change.
func NameRequestEvent(q *namerequest.Request) proto.Message { return nameRequestPB(q, q.UpdateTime) }

// CreateNameRequest implements NameRequestService.
func (s *Server) CreateNameRequest(ctx context.Context, req *registryv1.CreateNameRequestRequest) (*registryv1.NameRequest, error) {
	chamber, err := resource.ParseParent(req.GetParent(), "parent", false)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	p := req.GetNameRequest()
	q := &namerequest.Request{Founder: p.GetFounder()}
	for _, n := range p.GetProposedNames() {
		q.Names = append(q.Names, namerequest.Proposal{AR: n.GetAr(), FR: n.GetFr()})
	}
	out, err := s.app.CreateNameRequest(ctx, chamber, q, grpcserver.Mutation(ctx, req.GetRequestId(), "", ""))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return nameRequestPB(out, time.Now()), nil
}

// GetNameRequest implements NameRequestService.
func (s *Server) GetNameRequest(ctx context.Context, req *registryv1.GetNameRequestRequest) (*registryv1.NameRequest, error) {
	n, err := resource.ParseName(req.GetName(), namerequest.Collection, "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	q, err := s.app.GetNameRequest(ctx, n)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return nameRequestPB(q, time.Now()), nil
}

// ListNameRequests implements NameRequestService.
func (s *Server) ListNameRequests(ctx context.Context, req *registryv1.ListNameRequestsRequest) (*registryv1.ListNameRequestsResponse, error) {
	q, err := paging.ListQueryOf(req.GetParent(), req.GetPageSize(), req.GetPageToken(), req.GetFilter(), req.GetOrderBy())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	page, err := s.app.ListNameRequests(ctx, q, req.GetOverdue())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	now := time.Now()
	resp := &registryv1.ListNameRequestsResponse{NextPageToken: page.NextPageToken}
	for _, r := range page.Items {
		resp.NameRequests = append(resp.NameRequests, nameRequestPB(r, now))
	}
	return resp, nil
}

// ApproveNameRequest implements NameRequestService.
func (s *Server) ApproveNameRequest(ctx context.Context, req *registryv1.ApproveNameRequestRequest) (*registryv1.NameRequest, error) {
	n, err := resource.ParseName(req.GetName(), namerequest.Collection, "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	q, err := s.app.ApproveNameRequest(ctx, n, int(req.GetApprovedName()), grpcserver.Mutation(ctx, req.GetRequestId(), req.GetEtag(), ""))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return nameRequestPB(q, time.Now()), nil
}

// RejectNameRequest implements NameRequestService.
func (s *Server) RejectNameRequest(ctx context.Context, req *registryv1.RejectNameRequestRequest) (*registryv1.NameRequest, error) {
	n, err := resource.ParseName(req.GetName(), namerequest.Collection, "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	q, err := s.app.RejectNameRequest(ctx, n, req.GetReason(), grpcserver.Mutation(ctx, req.GetRequestId(), req.GetEtag(), req.GetReason()))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return nameRequestPB(q, time.Now()), nil
}

// WithdrawNameRequest implements NameRequestService.
func (s *Server) WithdrawNameRequest(ctx context.Context, req *registryv1.WithdrawNameRequestRequest) (*registryv1.NameRequest, error) {
	n, err := resource.ParseName(req.GetName(), namerequest.Collection, "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	q, err := s.app.WithdrawNameRequest(ctx, n, grpcserver.Mutation(ctx, req.GetRequestId(), req.GetEtag(), ""))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return nameRequestPB(q, time.Now()), nil
}

// DownloadNameCertificate implements NameRequestService.
func (s *Server) DownloadNameCertificate(ctx context.Context, req *registryv1.DownloadNameCertificateRequest) (*httpbody.HttpBody, error) {
	n, err := resource.ParseName(req.GetName(), namerequest.Collection, "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	d, err := s.app.NameCertificate(ctx, n)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	_ = grpc.SetHeader(ctx, metadata.Pairs("content-disposition", `attachment; filename="`+d.Filename+`"`))
	return &httpbody.HttpBody{ContentType: d.ContentType, Data: d.Body}, nil
}
