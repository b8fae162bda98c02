package sqlstore

import (
	"context"

	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/store"
)

// AuditLog reads the registry's audit trail.
type AuditLog struct{ DB *store.DB }

// List pages through audit records, newest first.
func (a AuditLog) List(ctx context.Context, q paging.ListQuery) (paging.Page[store.AuditRecord], error) {
	return store.ListAudit(ctx, a.DB, q)
}
