package eventbus_test

import (
	"testing"

	"github.com/hirfa/hirfa/pkg/eventbus"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/testenv"
)

// TestMarkPublishedAddsAtMostOneIndexEntryPerEvent: marking an event
// published must not write it into the outbox's indexes again. Relaying
// n events may add at most as many index pages, over every index of the
// outbox and of where published rows are kept, as one 8-byte key per row
// takes (the outbox's primary key over those n rows). Setting a
// published_time column that the outbox's indexes name rewrote each row
// with a new entry in its primary key, its unique id index and the index
// of publish times: about three times that.
func TestMarkPublishedAddsAtMostOneIndexEntryPerEvent(t *testing.T) {
	dsn := testenv.Postgres(t)
	if dsn == "" {
		return
	}
	ctx := t.Context()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	bus, err := eventbus.Open(eventbus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer bus.Close()
	f := setup(t, db, bus)
	const n = 5000
	// Ids shaped like resource.NewID's, subjects like a table's.
	if _, err := db.SQL.ExecContext(ctx, `INSERT INTO outbox (id, type, source, subject, chamber, time, data, data_type)
		SELECT md5(g::text), 'hirfa.test.v1.ThingCreated', 'test', 'chambers/fes-meknes/things/' || md5(g::text), 'fes-meknes', g, '\x0801'::bytea, 'google.protobuf.Int64Value'
		FROM generate_series(1, $1::int) g`, n); err != nil {
		t.Fatal(err)
	}
	indexBytes := func() int64 {
		t.Helper()
		var b int64
		if err := db.SQL.QueryRowContext(ctx, `SELECT COALESCE(SUM(pg_relation_size(indexrelid)), 0) FROM pg_index
			WHERE indrelid IN (to_regclass('outbox'), to_regclass('outbox_archive'))`).Scan(&b); err != nil {
			t.Fatal(err)
		}
		return b
	}
	var pkey int64
	if err := db.SQL.QueryRowContext(ctx, "SELECT pg_relation_size('outbox_pkey')").Scan(&pkey); err != nil {
		t.Fatal(err)
	}
	before := indexBytes()
	f.relay.Batch = 500
	f.drainRelay(t, f.relay)
	added := indexBytes() - before
	if got, err := bus.Client.XLen(ctx, bus.Stream("test")).Result(); err != nil || got != n {
		t.Fatalf("stream has %d entries (%v), want %d", got, err, n)
	}
	t.Logf("relaying %d events added %d bytes of index pages; the outbox's primary key over them is %d bytes", n, added, pkey)
	if added > pkey {
		t.Errorf("relaying %d events added %d bytes of index pages, more than one 8-byte key per event (%d bytes)", n, added, pkey)
	}
}
