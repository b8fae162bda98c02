package grpcport

import (
	"context"

	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/protomap"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
)

// ListAuditRecords implements AuditService.
func (s *Server) ListAuditRecords(ctx context.Context, req *registryv1.ListAuditRecordsRequest) (*registryv1.ListAuditRecordsResponse, error) {
	q, err := paging.ListQueryOf(req.GetParent(), req.GetPageSize(), req.GetPageToken(), req.GetFilter(), "")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	page, err := s.app.ListAuditRecords(ctx, q)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	resp := &registryv1.ListAuditRecordsResponse{NextPageToken: page.NextPageToken}
	for _, r := range page.Items {
		resp.AuditRecords = append(resp.AuditRecords, protomap.AuditRecord(r, "auditRecords"))
	}
	return resp, nil
}
