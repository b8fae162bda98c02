package eventbus

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/hirfa/hirfa/pkg/store"
)

// SnapshotSuffix ends the type of every snapshot event.
const SnapshotSuffix = "Snapshot"

// IsSnapshot reports whether an event type is a snapshot (rebuild) event.
func IsSnapshot(eventType string) bool { return strings.HasSuffix(eventType, SnapshotSuffix) }

// SnapshotRecord is one current record a producer replays.
type SnapshotRecord struct {
	// Type is the full event type, e.g. hirfa.registry.v1.CooperativeSnapshot
	// (SnapshotType builds it).
	Type    string
	Subject string // resource name
	Chamber string
	Time    time.Time // the record's update time
	// DataType is the protobuf message name of Data, e.g.
	// hirfa.registry.v1.Cooperative.
	DataType string
	Data     []byte
}

// SnapshotType is the snapshot event type of a resource kind:
// SnapshotType("hirfa.registry.v1.", "Cooperative") is
// "hirfa.registry.v1.CooperativeSnapshot".
func SnapshotType(eventTypePrefix, kind string) string {
	return eventTypePrefix + kind + SnapshotSuffix
}

// SnapshotPage reads one page of current records inside tx, after the
// opaque token after ("" for the first page), returning the next token (""
// after the last page). On PostgreSQL it must read with FOR SHARE: the
// snapshot rows then enter the outbox before any concurrent change to the
// same records, so a consumer never applies an older state after a newer
// one.
type SnapshotPage func(ctx context.Context, tx *sql.Tx, after string) (records []SnapshotRecord, next string, err error)

// WriteSnapshot replays a producer's current state as events: each page is
// read and written to the outbox in one transaction, one snapshot event per
// record, and the relay publishes them like any other event. It returns how
// many events it wrote. A consumer rebuilding a projection empties it,
// then applies the snapshot events (IsSnapshot) as upserts.
func WriteSnapshot(ctx context.Context, db *store.DB, source string, page SnapshotPage) (int, error) {
	total, after := 0, ""
	for {
		var next string
		var n int
		err := db.Tx(ctx, func(tx *sql.Tx) error {
			recs, nx, err := page(ctx, tx, after)
			if err != nil {
				return err
			}
			for _, r := range recs {
				_, err := tx.ExecContext(ctx, db.Rebind(`INSERT INTO outbox (id, type, source, subject, chamber, time, data, data_type, traceparent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
					uuid.NewString(), r.Type, source, r.Subject, r.Chamber, store.Micros(r.Time), nonNil(r.Data), r.DataType, store.Traceparent(ctx))
				if err != nil {
					return fmt.Errorf("snapshot %s: %w", r.Subject, err)
				}
			}
			next, n = nx, len(recs)
			return nil
		})
		if err != nil {
			return total, fmt.Errorf("write snapshot: %w", err)
		}
		total += n
		if next == "" {
			return total, nil
		}
		after = next
	}
}

func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}
