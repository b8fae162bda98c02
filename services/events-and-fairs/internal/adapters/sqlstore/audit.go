package sqlstore

import (
	"context"

	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/store"
)

// AuditLog reads the service's audit trail (the reading code is pkg/store's,
// shared with every service).
type AuditLog struct{ DB *store.DB }

// List pages through the audit records matching q, newest first.
func (a AuditLog) List(ctx context.Context, q paging.ListQuery) (paging.Page[store.AuditRecord], error) {
	return store.ListAudit(ctx, a.DB, q)
}
