package eventbus

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/hirfa/hirfa/pkg/store"
	eventv1 "github.com/hirfa/hirfa/proto/gen/hirfa/event/v1"
)

// SnapshotSuffix ends the type of every snapshot event.
const SnapshotSuffix = store.SnapshotSuffix

// IsSnapshot reports whether an event type is a snapshot (rebuild) event.
func IsSnapshot(eventType string) bool { return strings.HasSuffix(eventType, SnapshotSuffix) }

// SnapshotRecord is one current record a producer replays.
type SnapshotRecord = store.SnapshotRecord

// SnapshotType is the snapshot event type of a resource kind:
// SnapshotType("hirfa.registry.v1.", "Cooperative") is
// "hirfa.registry.v1.CooperativeSnapshot".
func SnapshotType(eventTypePrefix, kind string) string {
	return eventTypePrefix + kind + SnapshotSuffix
}

// SnapshotCompletedType is the type of the marker that ends one kind's
// snapshot run: its payload is an eventv1.SnapshotCompleted naming the
// kind's snapshot event type, the run and how many records it wrote.
const SnapshotCompletedType = "hirfa.event.v1.SnapshotCompleted"

// SnapshotSkew is how far the clocks of a producer's replicas may differ.
// A marker's start time is the run's start less this, so that a record
// written by another replica just after the run began, which the run may
// not mention, still has a later update time than the start and is kept.
var SnapshotSkew = time.Minute

// SnapshotPage is the snapshot of one resource kind: the type of its
// snapshot events (also named when the kind has no record at all, so the
// marker still tells consumers it is empty) and its reader.
type SnapshotPage struct {
	Type string // e.g. hirfa.registry.v1.CooperativeSnapshot
	// Read reads one page of current records inside tx, after the opaque
	// token after ("" for the first page), returning the next token (""
	// after the last page). On PostgreSQL it must read with FOR SHARE: the
	// snapshot rows then enter the outbox before any concurrent change to
	// the same records, so a consumer never applies an older state after a
	// newer one.
	Read func(ctx context.Context, tx *sql.Tx, after string) (records []SnapshotRecord, next string, err error)
}

// TableSnapshot is the snapshot page of a store table (store.Table's
// SnapshotPage, 200 records a page).
func TableSnapshot[T store.Entity](t *store.Table[T]) SnapshotPage {
	return SnapshotPage{Type: t.SnapshotType(), Read: func(ctx context.Context, tx *sql.Tx, after string) ([]SnapshotRecord, string, error) {
		return t.SnapshotPage(ctx, tx, after, 200)
	}}
}

// WriteSnapshot replays a producer's current state of one kind as one
// snapshot run: each page is read and written to the outbox in one
// transaction, one snapshot event per record, and a SnapshotCompleted
// marker follows the last page; every event of the run carries the run's
// id (Envelope.snapshot_id). The relay publishes them like any other
// event. It returns how many snapshot events it wrote (the marker not
// counted). A consumer applies the snapshot events (IsSnapshot) as
// upserts, marking what the run mentioned, and on the marker removes what
// it holds of the kind that the run did not mention and that is older
// than the run's start: a deletion it missed. A run cut short writes no
// marker, so it removes nothing.
func WriteSnapshot(ctx context.Context, db *store.DB, source string, page SnapshotPage) (int, error) {
	run, start := uuid.NewString(), time.Now().Add(-SnapshotSkew)
	total, after := 0, ""
	for {
		var next string
		var n int
		err := db.Tx(ctx, func(tx *sql.Tx) error {
			recs, nx, err := page.Read(ctx, tx, after)
			if err != nil {
				return err
			}
			for _, r := range recs {
				if err := writeOutbox(ctx, db, tx, source, run, r); err != nil {
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
			break
		}
		after = next
	}
	data, err := proto.Marshal(&eventv1.SnapshotCompleted{Type: page.Type, SnapshotId: run, Count: int64(total), StartTime: timestamppb.New(start)})
	if err != nil {
		return total, fmt.Errorf("write snapshot marker: %w", err)
	}
	marker := SnapshotRecord{Type: SnapshotCompletedType, Subject: page.Type, Time: time.Now(),
		DataType: string((&eventv1.SnapshotCompleted{}).ProtoReflect().Descriptor().FullName()), Data: data}
	if err := db.Tx(ctx, func(tx *sql.Tx) error { return writeOutbox(ctx, db, tx, source, run, marker) }); err != nil {
		return total, fmt.Errorf("write snapshot marker: %w", err)
	}
	return total, nil
}

func writeOutbox(ctx context.Context, db *store.DB, tx *sql.Tx, source, run string, r SnapshotRecord) error {
	_, err := tx.ExecContext(ctx, db.Rebind(`INSERT INTO outbox (id, type, source, subject, chamber, time, data, data_type, traceparent, snapshot_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		uuid.NewString(), r.Type, source, r.Subject, r.Chamber, store.Micros(r.Time), nonNil(r.Data), r.DataType, store.Traceparent(ctx), run)
	return err
}

func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// SnapshotAll writes the snapshot run of every kind in turn (a service's
// tables, parents first) and returns how many snapshot events it wrote.
func SnapshotAll(ctx context.Context, db *store.DB, source string, pages ...SnapshotPage) (int, error) {
	total := 0
	for _, p := range pages {
		n, err := WriteSnapshot(ctx, db, source, p)
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}
