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

// StageCheck runs set-based checks on a staged batch: it reads the staging
// table stage through c (inside the batch's transaction) and deletes from it
// the rows it refuses; the rows left are written.
type StageCheck func(ctx context.Context, c *sql.Conn, stage string) error

// CopyMany is CreateMany for large batches on PostgreSQL, at COPY speed
// rather than bound-parameter INSERT speed: vs are copied (pgx CopyFrom)
// into a temporary staging table shaped like the resource table, check runs
// its set-based SQL against it, and the rows it left are inserted by
// INSERT…SELECT with their outbox events and audit records — all in one
// transaction, so a row is never stored without its event and audit record.
// With write false (a dry run) the transaction is rolled back after check.
// A uniqueness violation fails the whole batch (see IsUnique), as in
// CreateMany. Request ids are not supported.
func (t *Table[T]) CopyMany(ctx context.Context, vs []T, w change.Write, check StageCheck, write bool) error {
	if t.db.Dialect != Postgres {
		return errors.New("CopyMany: PostgreSQL only")
	}
	if w.RequestID != "" {
		return errors.New("CopyMany: request ids are not supported")
	}
	if len(vs) == 0 {
		return nil
	}
	now := t.now().Truncate(time.Microsecond)
	rows := make([][]any, len(vs))
	for i, v := range vs {
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
		rows[i] = append(args, t.name(m.Chamber, m.ID), payload, digest(data), event.String(), audit.String())
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
	if err := t.copyBatch(ctx, conn, rows, w, now, check, write); err != nil {
		return t.wrap("copy", err)
	}
	end := "COMMIT"
	if !write {
		end = "ROLLBACK"
	}
	if _, err := conn.ExecContext(ctx, end); err != nil {
		return t.wrap("copy", err)
	}
	done = true
	return nil
}

// Columns of the staging table besides the resource's own: the change's
// resource name, event payload, audit digest, event id and audit id.
var stageExtra = []string{"change_name", "change_payload", "change_digest", "change_event", "change_audit"}

func (t *Table[T]) copyBatch(ctx context.Context, conn *sql.Conn, rows [][]any, w change.Write, now time.Time, check StageCheck, write bool) error {
	stage := "stage_" + t.spec.Table
	// A temporary table lives in the session's local buffers (no WAL, no
	// shared-buffer contention) and is dropped with the transaction.
	if _, err := conn.ExecContext(ctx, "CREATE TEMP TABLE "+stage+" (LIKE "+t.spec.Table+
		", change_name TEXT NOT NULL, change_payload BYTEA NOT NULL, change_digest TEXT NOT NULL, change_event TEXT NOT NULL, change_audit TEXT NOT NULL) ON COMMIT DROP"); err != nil {
		return err
	}
	cols := append(strings.Split(t.cols, ", "), stageExtra...)
	err := conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("CopyMany: driver connection is %T, not pgx", dc)
		}
		_, err := c.Conn().CopyFrom(ctx, pgx.Identifier{stage}, cols, pgx.CopyFromRows(rows))
		return err
	})
	if err != nil {
		return err
	}
	if check != nil {
		if err := check(ctx, conn, stage); err != nil {
			return err
		}
	}
	if !write {
		return nil
	}
	action := w.Action
	if action == "" {
		action = "Changed"
	}
	dataType := ""
	if t.spec.Payload != nil {
		dataType = t.spec.DataType
	}
	at := Micros(now)
	for _, st := range []stmt{
		{"INSERT INTO " + t.spec.Table + " (" + t.cols + ") SELECT " + t.cols + " FROM " + stage, nil},
		{`INSERT INTO outbox (id, type, source, subject, chamber, time, data, data_type, traceparent)
			SELECT change_event, $1, $2, change_name, chamber, $3, change_payload, $4, $5 FROM ` + stage,
			[]any{t.spec.EventType + eventName(t.spec.Kind, action, w), t.spec.Source, at, dataType, Traceparent(ctx)}},
		{`INSERT INTO audit_records (id, time, actor, role, chamber, method, action, resource, request_id, trace_id, before_digest, after_digest)
			SELECT change_audit, $1, $2, $3, chamber, $4, $5, change_name, '', $6, '', change_digest FROM ` + stage,
			[]any{at, w.Actor.Subject, w.Actor.Role, w.Method, action, w.TraceID}},
	} {
		if _, err := conn.ExecContext(ctx, st.q, st.args...); err != nil {
			return err
		}
	}
	return nil
}
