package app

import (
	"context"

	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/store"
)

// AuditLog reads the audit trail.
type AuditLog interface {
	List(ctx context.Context, q paging.ListQuery) (paging.Page[store.AuditRecord], error)
}

// ListAuditRecords pages through the audit trail of a chamber (or all, for
// national roles). Which roles may read it is the access policy's decision;
// which chamber, the tenancy guard's.
func (r *Registry) ListAuditRecords(ctx context.Context, q paging.ListQuery) (paging.Page[store.AuditRecord], error) {
	q, err := r.listScope(ctx, q)
	if err != nil {
		return paging.Page[store.AuditRecord]{}, err
	}
	return r.repos.Audit.List(ctx, q)
}
