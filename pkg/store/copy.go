package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"google.golang.org/protobuf/proto"

	"github.com/hirfa/hirfa/pkg/change"
)

// BatchCheck runs set-based checks on a batch before it is written: it
// queries through c, inside the batch's transaction (e.g. one statement
// with "= ANY($1)" over the batch's keys), and returns the indexes of the
// batch's values it refuses; the others are written.
type BatchCheck func(ctx context.Context, c *sql.Conn) (refused map[int]bool, err error)

// CopyMany is CreateMany for large batches on PostgreSQL, at COPY speed
// rather than bound-parameter INSERT speed: check runs its set-based SQL
// first, then the values it left are copied (pgx CopyFrom, binary) straight
// into the resource table, and their outbox events and audit records into
// theirs — all in one transaction, so a row is never stored without its
// event and audit record. Nothing is staged: a staging table cost a second
// copy of every row and an INSERT…SELECT, and its CREATE a catalog write per
// batch. With write false (a dry run) the transaction is rolled back after
// check. A uniqueness violation (a key taken since check) fails the whole
// batch (see IsUnique), as in CreateMany. Request ids are not supported.
func (t *Table[T]) CopyMany(ctx context.Context, vs []T, w change.Write, check BatchCheck, write bool) error {
	if t.db.Dialect != Postgres {
		return errors.New("CopyMany: PostgreSQL only")
	}
	if w.RequestID != "" {
		return errors.New("CopyMany: request ids are not supported")
	}
	if len(vs) == 0 {
		return nil
	}
	conn, err := t.db.SQL.Conn(ctx)
	if err != nil {
		return t.wrap("copy", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN"); err != nil {
		return t.wrap("copy", err)
	}
	done := false
	defer func() {
		if !done {
			_, _ = conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		}
	}()
	var refused map[int]bool
	if check != nil {
		if refused, err = check(ctx, conn); err != nil {
			return t.wrap("copy", err)
		}
	}
	end := "ROLLBACK"
	if write {
		end = "COMMIT"
		if err := t.copyBatch(ctx, conn, vs, refused, w); err != nil {
			return t.wrap("copy", err)
		}
	}
	if _, err := conn.ExecContext(ctx, end); err != nil {
		return t.wrap("copy", err)
	}
	done = true
	return nil
}

// copyBatch copies the values of vs not refused into the resource table,
// the outbox and the audit trail, on conn's open transaction.
func (t *Table[T]) copyBatch(ctx context.Context, conn *sql.Conn, vs []T, refused map[int]bool, w change.Write) error {
	action := w.Action
	if action == "" {
		action = "Changed"
	}
	dataType := ""
	if t.spec.Payload != nil {
		dataType = t.spec.DataType
	}
	now := t.now().Truncate(time.Microsecond)
	at, eventType, trace := Micros(now), t.spec.EventType+eventName(t.spec.Kind, action, w), Traceparent(ctx)
	n := len(vs) - len(refused)
	rows, events, audits := make([][]any, 0, n), make([][]any, 0, n), make([][]any, 0, n)
	for i, v := range vs {
		if refused[i] {
			continue
		}
		m := v.ResourceMeta()
		m.Revision, m.CreateTime, m.UpdateTime = 1, now, now
		args, data, err := t.row(v)
		if err != nil {
			return err
		}
		payload := data
		if t.spec.Payload != nil {
			if payload, err = proto.Marshal(t.spec.Payload(v)); err != nil {
				return fmt.Errorf("encode event: %w", err)
			}
		}
		// Time-ordered (v7) ids: the unique indexes on the outbox's and the
		// audit trail's ids then grow at their right edge instead of taking
		// millions of inserts at random pages.
		event, err := uuid.NewV7()
		if err != nil {
			return err
		}
		audit, err := uuid.NewV7()
		if err != nil {
			return err
		}
		name := t.name(m.Chamber, m.ID)
		rows = append(rows, args)
		events = append(events, []any{event.String(), eventType, t.spec.Source, name, m.Chamber, at, payload, dataType, trace})
		audits = append(audits, []any{audit.String(), at, w.Actor.Subject, w.Actor.Role, m.Chamber, w.Method, action, name, "", w.TraceID, "", digest(data)})
	}
	if len(rows) == 0 {
		return nil
	}
	return conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("CopyMany: driver connection is %T, not pgx", dc)
		}
		for _, cp := range []struct {
			table string
			cols  []string
			rows  [][]any
		}{
			{t.spec.Table, strings.Split(t.cols, ", "), rows},
			{"outbox", []string{"id", "type", "source", "subject", "chamber", "time", "data", "data_type", "traceparent"}, events},
			{"audit_records", []string{"id", "time", "actor", "role", "chamber", "method", "action", "resource", "request_id", "trace_id", "before_digest", "after_digest"}, audits},
		} {
			if _, err := c.Conn().CopyFrom(ctx, pgx.Identifier{cp.table}, cp.cols, pgx.CopyFromRows(cp.rows)); err != nil {
				return err
			}
		}
		return nil
	})
}
