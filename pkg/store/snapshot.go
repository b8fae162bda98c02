package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"google.golang.org/protobuf/proto"
)

// SnapshotRecord is one current record as an event, for a producer that
// replays its state (eventbus.WriteSnapshot writes them to the outbox).
type SnapshotRecord struct {
	// Type is the full event type, e.g. hirfa.registry.v1.CooperativeSnapshot.
	Type    string
	Subject string // resource name
	Chamber string
	Time    time.Time // the record's update time: consumers' version
	// DataType is the protobuf message name of Data, e.g.
	// hirfa.registry.v1.Cooperative.
	DataType string
	Data     []byte
}

// SnapshotSuffix ends the type of every snapshot event.
const SnapshotSuffix = "Snapshot"

// SnapshotType is the type of the table's snapshot events, e.g.
// hirfa.registry.v1.CooperativeSnapshot.
func (t *Table[T]) SnapshotType() string { return t.spec.EventType + t.spec.Kind + SnapshotSuffix }

// SnapshotPage reads, inside tx, up to limit current records after the
// opaque token after ("" for the first page) in (chamber, id) order, each as
// a <Kind>Snapshot event carrying the same payload a change would, and
// returns the next token ("" after the last page). On PostgreSQL the rows
// are read FOR SHARE: a concurrent change of one of them commits after the
// snapshot rows enter the outbox, so its event follows them.
func (t *Table[T]) SnapshotPage(ctx context.Context, tx *sql.Tx, after string, limit int) ([]SnapshotRecord, string, error) {
	chamber, id, _ := strings.Cut(after, "\n")
	q := "SELECT " + t.sel + " FROM " + t.spec.Table +
		" WHERE chamber > ? OR (chamber = ? AND id > ?) ORDER BY chamber, id LIMIT ?"
	if t.db.Dialect == Postgres {
		q += " FOR SHARE"
	}
	rows, err := tx.QueryContext(ctx, t.db.Rebind(q), chamber, chamber, id, limit)
	if err != nil {
		return nil, "", fmt.Errorf("snapshot %s: %w", t.spec.Table, err)
	}
	defer rows.Close()
	var out []SnapshotRecord
	next := ""
	for rows.Next() {
		v, err := t.scan(rows)
		if err != nil {
			return nil, "", fmt.Errorf("snapshot %s: %w", t.spec.Table, err)
		}
		m := v.ResourceMeta()
		r := SnapshotRecord{Type: t.SnapshotType(), Subject: t.name(m.Chamber, m.ID),
			Chamber: m.Chamber, Time: m.UpdateTime, DataType: t.spec.DataType}
		if t.spec.Payload != nil {
			if r.Data, err = proto.Marshal(t.spec.Payload(v)); err != nil {
				return nil, "", fmt.Errorf("snapshot %s: encode: %w", r.Subject, err)
			}
		} else {
			_, r.Data, err = t.row(v)
			if err != nil {
				return nil, "", err
			}
		}
		out = append(out, r)
		next = m.Chamber + "\n" + m.ID
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("snapshot %s: %w", t.spec.Table, err)
	}
	if len(out) < limit {
		next = ""
	}
	return out, next, nil
}
