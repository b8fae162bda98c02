package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/hirfa/hirfa/pkg/change"
)

// CreateMany inserts vs (each with Meta.Chamber and Meta.ID set) in one
// transaction, each with its outbox event and audit record, as three
// multi-row INSERTs instead of one transaction per resource: the bulk
// import's path. All or nothing: a uniqueness violation anywhere fails the
// whole batch (returned as is, see IsUnique) and the caller retries the rows
// one by one to find the culprit. Request ids are not supported (w.RequestID
// must be empty): a batch is made idempotent by its callers' ids.
func (t *Table[T]) CreateMany(ctx context.Context, vs []T, w change.Write) error {
	if len(vs) == 0 {
		return nil
	}
	if w.RequestID != "" {
		return errors.New("CreateMany: request ids are not supported")
	}
	now := t.now().Truncate(time.Microsecond)
	// Rows per statement: under SQLite's 32,766 and PostgreSQL's 65,535
	// bound parameters for the widest of the three tables.
	width := 12 + len(t.spec.Columns) // audit has 12, the resource 6 + columns
	if width < 12 {
		width = 12
	}
	per := 30000 / width
	var res, out, aud [][]any
	for _, v := range vs {
		m := v.ResourceMeta()
		m.Revision, m.CreateTime, m.UpdateTime = 1, now, now
		args, data, err := t.row(v)
		if err != nil {
			return err
		}
		st, err := t.changeStatements(ctx, v, w, nil, data)
		if err != nil {
			return err
		}
		res, out, aud = append(res, args), append(out, st[0].args), append(aud, st[1].args)
	}
	err := t.db.Tx(ctx, func(tx *sql.Tx) error {
		for _, ins := range []struct {
			head string
			rows [][]any
		}{
			{"INSERT INTO " + t.spec.Table + " (" + t.cols + ") VALUES ", res},
			{"INSERT INTO outbox (id, type, source, subject, chamber, time, data, data_type, traceparent) VALUES ", out},
			{"INSERT INTO audit_records (id, time, actor, role, chamber, method, action, resource, request_id, trace_id, before_digest, after_digest) VALUES ", aud},
		} {
			for start := 0; start < len(ins.rows); start += per {
				chunk := ins.rows[start:min(start+per, len(ins.rows))]
				var b strings.Builder
				var args []any
				b.WriteString(ins.head)
				one := "(" + placeholders(len(chunk[0])) + ")"
				for i, r := range chunk {
					if i > 0 {
						b.WriteString(", ")
					}
					b.WriteString(one)
					args = append(args, r...)
				}
				if _, err := tx.ExecContext(ctx, t.db.Rebind(b.String()), args...); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return t.wrap("create", err)
}
