package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hirfa/hirfa/pkg/fault"
	"github.com/hirfa/hirfa/pkg/filter"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
)

// AuditRecord is one row of the append-only audit trail.
type AuditRecord struct {
	Seq          int64
	ID           string
	Time         time.Time
	Actor        string
	Role         string
	Chamber      string
	Method       string
	Action       string
	Resource     string
	RequestID    string
	TraceID      string
	BeforeDigest string
	AfterDigest  string
}

var auditFilter = filter.NewSchema(
	filter.Field{Name: "resource", Column: "resource", Type: filter.String},
	filter.Field{Name: "actor", Column: "actor", Type: filter.String},
	filter.Field{Name: "method", Column: "method", Type: filter.String},
	filter.Field{Name: "action", Column: "action", Type: filter.String},
	filter.Field{Name: "time", Column: "time", Type: filter.Timestamp},
)

// ListAudit pages through the audit trail newest first. It only reads:
// there is no code path that changes or deletes audit records, and the
// tables refuse it with triggers.
func ListAudit(ctx context.Context, db *DB, q paging.ListQuery) (paging.Page[AuditRecord], error) {
	var page paging.Page[AuditRecord]
	size := q.PageSize
	switch {
	case size < 0:
		return page, fault.Invalid("page_size", "page_size.non_negative", "must not be negative, got %d", size)
	case size == 0:
		size = DefaultPageSize
	case size > MaxPageSize:
		size = MaxPageSize
	}
	var where []string
	var args []any
	if q.Chamber != resource.Wildcard {
		where, args = append(where, "chamber = ?"), append(args, q.Chamber)
	}
	if q.Filter != "" {
		fw, fargs, err := auditFilter.Compile(q.Filter)
		if err != nil {
			var fe *filter.Error
			if errors.As(err, &fe) {
				return page, fault.Invalid("filter", "filter.invalid", "%s", fe.Error())
			}
			return page, err
		}
		if fw != "" {
			where, args = append(where, "("+fw+")"), append(args, fargs...)
		}
	}
	bound := boundTo(paging.ListQuery{Chamber: q.Chamber, Filter: q.Filter, OrderBy: "audit"})
	if q.PageToken != "" {
		tok, err := decodeToken(q.PageToken)
		seq, convErr := strconv.ParseInt(tok.ID, 10, 64)
		if err != nil || convErr != nil || tok.Query != bound {
			return page, fault.Invalid("page_token", "page_token.invalid", "page token is not valid for this query")
		}
		where, args = append(where, "seq < ?"), append(args, seq)
	}
	query := `SELECT seq, id, time, actor, role, chamber, method, action, resource, request_id, trace_id, before_digest, after_digest FROM audit_records`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += fmt.Sprintf(" ORDER BY seq DESC LIMIT %d", size+1)
	rows, err := db.SQL.QueryContext(ctx, db.Rebind(query), args...)
	if err != nil {
		return page, fmt.Errorf("list audit records: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r AuditRecord
		var us int64
		if err := rows.Scan(&r.Seq, &r.ID, &us, &r.Actor, &r.Role, &r.Chamber, &r.Method, &r.Action, &r.Resource, &r.RequestID, &r.TraceID, &r.BeforeDigest, &r.AfterDigest); err != nil {
			return page, fmt.Errorf("list audit records: %w", err)
		}
		if len(page.Items) == size {
			last := page.Items[size-1]
			page.NextPageToken = encodeToken(pageToken{Query: bound, ID: strconv.FormatInt(last.Seq, 10)})
			break
		}
		r.Time = FromMicros(us)
		page.Items = append(page.Items, r)
	}
	return page, rows.Err()
}
