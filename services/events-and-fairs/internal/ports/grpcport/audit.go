package grpcport

import (
	"context"

	"github.com/hirfa/hirfa/pkg/protomap"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
	eventsfairsv1 "github.com/hirfa/hirfa/proto/gen/hirfa/eventsfairs/v1"
	typev1 "github.com/hirfa/hirfa/proto/gen/hirfa/type/v1"
)

// ListAuditRecords implements AuditService.
func (s *Server) ListAuditRecords(ctx context.Context, req *eventsfairsv1.ListAuditRecordsRequest) (*eventsfairsv1.ListAuditRecordsResponse, error) {
	q, err := resource.ListQueryOf(req.GetParent(), req.GetPageSize(), req.GetPageToken(), req.GetFilter(), "")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	page, err := s.app.ListAuditRecords(ctx, q)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	resp := &eventsfairsv1.ListAuditRecordsResponse{NextPageToken: page.NextPageToken}
	for _, r := range page.Items {
		resp.AuditRecords = append(resp.AuditRecords, auditPB(r))
	}
	return resp, nil
}

// auditPB names a record under the service's own collection
// (eventAuditRecords), so it is not mistaken for one of the registry's.
func auditPB(r store.AuditRecord) *typev1.AuditRecord {
	return &typev1.AuditRecord{
		Name: "chambers/" + r.Chamber + "/eventAuditRecords/" + r.ID, Time: protomap.Timestamp(r.Time), Actor: r.Actor, Role: r.Role,
		Chamber: r.Chamber, Method: r.Method, Action: r.Action, Resource: r.Resource, RequestId: r.RequestID,
		TraceId: r.TraceID, BeforeDigest: r.BeforeDigest, AfterDigest: r.AfterDigest,
	}
}
