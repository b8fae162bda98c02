package grpcport

import (
	"context"
	"github.com/hirfa/hirfa/pkg/protomap"
	"github.com/hirfa/hirfa/pkg/resource"

	"github.com/hirfa/hirfa/pkg/store"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	typev1 "github.com/hirfa/hirfa/proto/gen/hirfa/type/v1"
)

// ListAuditRecords implements AuditService.
func (s *Server) ListAuditRecords(ctx context.Context, req *registryv1.ListAuditRecordsRequest) (*registryv1.ListAuditRecordsResponse, error) {
	q, err := resource.ListQueryOf(req.GetParent(), req.GetPageSize(), req.GetPageToken(), req.GetFilter(), "")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	page, err := s.app.ListAuditRecords(ctx, q)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	resp := &registryv1.ListAuditRecordsResponse{NextPageToken: page.NextPageToken}
	for _, r := range page.Items {
		resp.AuditRecords = append(resp.AuditRecords, auditPB(r))
	}
	return resp, nil
}

func auditPB(r store.AuditRecord) *typev1.AuditRecord {
	return &typev1.AuditRecord{
		Name: "chambers/" + r.Chamber + "/auditRecords/" + r.ID, Time: protomap.Timestamp(r.Time), Actor: r.Actor, Role: r.Role,
		Chamber: r.Chamber, Method: r.Method, Action: r.Action, Resource: r.Resource, RequestId: r.RequestID,
		TraceId: r.TraceID, BeforeDigest: r.BeforeDigest, AfterDigest: r.AfterDigest,
	}
}
