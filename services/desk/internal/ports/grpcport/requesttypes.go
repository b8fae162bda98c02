package grpcport

import (
	"context"
	"strings"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/fieldmask"
	"github.com/hirfa/hirfa/pkg/grpcserver"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/protomap"
	"github.com/hirfa/hirfa/pkg/resource"
	deskv1 "github.com/hirfa/hirfa/proto/gen/hirfa/desk/v1"
	"github.com/hirfa/hirfa/services/desk/internal/domain/requesttype"
)

// RequestTypePB renders a type as its public message (and outbox payload).
func RequestTypePB(t *requesttype.Type) *deskv1.RequestType {
	return &deskv1.RequestType{
		Name: t.Name(), Label: protomap.Text(t.Label), DeadlineDays: int32(t.DeadlineDays), Active: !t.Inactive,
		CreateTime: protomap.Timestamp(t.CreateTime), UpdateTime: protomap.Timestamp(t.UpdateTime), Etag: t.Etag(),
	}
}

// requestTypeFields copies a type's writable fields.
func requestTypeFields(t *requesttype.Type, p *deskv1.RequestType) {
	t.Label, t.DeadlineDays = protomap.Localized(p.GetLabel()), int(p.GetDeadlineDays())
}

var requestTypeUpdatable = []string{"label", "deadline_days"}

// typeCode reads `requestTypes/{code}` from field.
func typeCode(name, field string) (string, error) {
	code, ok := strings.CutPrefix(name, requesttype.Collection+"/")
	if !ok || !requesttype.ValidCode(code) {
		return "", fault.Invalid(field, fault.RuleResourceName, "must be requestTypes/{code}, got %q", name)
	}
	return code, nil
}

// ListRequestTypes implements RequestTypeService.
func (s *Server) ListRequestTypes(ctx context.Context, req *deskv1.ListRequestTypesRequest) (*deskv1.ListRequestTypesResponse, error) {
	q, err := paging.ListQueryOf("chambers/"+requesttype.NationalScope, req.GetPageSize(), req.GetPageToken(), "", "")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	page, err := s.app.ListRequestTypes(ctx, q)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	resp := &deskv1.ListRequestTypesResponse{NextPageToken: page.NextPageToken}
	for _, t := range page.Items {
		resp.RequestTypes = append(resp.RequestTypes, RequestTypePB(t))
	}
	return resp, nil
}

// GetRequestType implements RequestTypeService.
func (s *Server) GetRequestType(ctx context.Context, req *deskv1.GetRequestTypeRequest) (*deskv1.RequestType, error) {
	code, err := typeCode(req.GetName(), "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	t, err := s.app.GetRequestType(ctx, code)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return RequestTypePB(t), nil
}

// CreateRequestType implements RequestTypeService.
func (s *Server) CreateRequestType(ctx context.Context, req *deskv1.CreateRequestTypeRequest) (*deskv1.RequestType, error) {
	t := &requesttype.Type{Meta: resource.Meta{ID: req.GetRequestTypeId()}}
	requestTypeFields(t, req.GetRequestType())
	out, err := s.app.CreateRequestType(ctx, t, grpcserver.Mutation(ctx, req.GetRequestId(), "", ""))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return RequestTypePB(out), nil
}

// UpdateRequestType implements RequestTypeService.
func (s *Server) UpdateRequestType(ctx context.Context, req *deskv1.UpdateRequestTypeRequest) (*deskv1.RequestType, error) {
	code, err := typeCode(req.GetRequestType().GetName(), "request_type.name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out, err := s.app.UpdateRequestType(ctx, code, req.GetRequestType().GetEtag(), grpcserver.Mutation(ctx, "", "", ""),
		fieldmask.Patch(req.GetRequestType(), req.GetUpdateMask(), requestTypeUpdatable, "request_type", RequestTypePB, requestTypeFields))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return RequestTypePB(out), nil
}

// DeactivateRequestType implements RequestTypeService.
func (s *Server) DeactivateRequestType(ctx context.Context, req *deskv1.DeactivateRequestTypeRequest) (*deskv1.RequestType, error) {
	code, err := typeCode(req.GetName(), "name")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out, err := s.app.DeactivateRequestType(ctx, code, grpcserver.Mutation(ctx, "", req.GetEtag(), ""))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return RequestTypePB(out), nil
}
