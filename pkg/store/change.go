package store

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/hirfa/hirfa/pkg/change"
)

// Change is a change's outbox event and audit record. Tables fill it for
// their resources; a service that keeps a row outside a Table (a review
// queue's state) records its changes with RecordChange, so that no change
// goes without its event and audit record.
type Change struct {
	Name    string // the resource name, the event's subject
	Chamber string
	Time    time.Time
	Type    string // the full event type, e.g. hirfa.registry.v1.ArtisanCreated
	Source  string // the producing service
	// Data is the event's message; DataType its full protobuf name (empty
	// when Data is the stored JSON).
	Data     []byte
	DataType string
	Write    change.Write
	// Before and After are the stored forms the audit record digests.
	Before, After []byte
}

// rows are the outbox and audit inserts of c.
func (c Change) rows(ctx context.Context) []stmt {
	action := c.Write.Action
	if action == "" {
		action = "Changed"
	}
	data := c.Data
	if data == nil {
		data = []byte{}
	}
	now := Micros(c.Time)
	return []stmt{
		{`INSERT INTO outbox (id, type, source, subject, chamber, time, data, data_type, traceparent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			[]any{uuid.NewString(), c.Type, c.Source, c.Name, c.Chamber, now, data, c.DataType, Traceparent(ctx)}},
		{`INSERT INTO audit_records (id, time, actor, role, chamber, method, action, resource, request_id, trace_id, before_digest, after_digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			[]any{uuid.NewString(), now, c.Write.Actor.Subject, c.Write.Actor.Role, c.Chamber, c.Write.Method, action, c.Name, c.Write.RequestID, c.Write.TraceID, digest(c.Before), digest(c.After)}},
	}
}

// RecordChange writes c's outbox event and audit record in x, the
// transaction of the change itself.
func (db *DB) RecordChange(ctx context.Context, x execer, c Change) error {
	for _, st := range c.rows(ctx) {
		if _, err := x.ExecContext(ctx, db.Rebind(st.q), st.args...); err != nil {
			return fmt.Errorf("record change of %s: %w", c.Name, err)
		}
	}
	return nil
}
