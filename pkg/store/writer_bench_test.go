package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
)

// BenchmarkSQLiteCreate measures concurrent creates on SQLite (32
// goroutines): "table" is Table.Create through the single writer with group
// commit (resource, outbox event, audit record and request key in one
// savepoint of a shared transaction; it reports the creates per commit),
// "table-ungrouped" the same with one commit per create (the writer before
// group commit); the baseline "raw-pool" runs the same four INSERTs as plain SQL in BEGIN
// IMMEDIATE transactions on a pool of 8 connections that all write, as the
// write path was before the single writer. Each reports its p99 latency.
//
//	go test -run '^$' -bench SQLiteCreate -benchtime 2000x ./pkg/store/
func BenchmarkSQLiteCreate(b *testing.B) {
	ctx := context.Background()
	open := func(b *testing.B) (*store.DB, string) {
		path := filepath.Join(b.TempDir(), "bench.db")
		db, err := store.Open(ctx, "sqlite://"+path)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = db.Close() })
		if err := store.Migrate(ctx, db, "storetest", widgetMigrations); err != nil {
			b.Fatal(err)
		}
		return db, path
	}
	w := func(i int64) change.Write {
		return change.Write{Action: "Created", RequestID: fmt.Sprintf("req-%d", i), Method: "/test/Write",
			Actor: change.Actor{Subject: "clerk", Role: "chamber-clerk", Chamber: "fes-meknes"}}
	}
	run := func(b *testing.B, op func(i int64) error) {
		var n atomic.Int64
		var mu sync.Mutex
		var lat []time.Duration
		b.SetParallelism(16) // 32 callers on 2 cores (GOMAXPROCS=2)
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			var mine []time.Duration
			for pb.Next() {
				start := time.Now()
				if err := op(n.Add(1)); err != nil {
					b.Error(err)
					return
				}
				mine = append(mine, time.Since(start))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		})
		b.StopTimer()
		slices.Sort(lat)
		if len(lat) > 0 {
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
		}
	}
	table := func(b *testing.B, grouped bool) {
		db, _ := open(b)
		if !grouped {
			store.UngroupedWrites(db)
		}
		t := store.NewTable(db, widgetSpec())
		run(b, func(i int64) error {
			v := &widget{Name: "Zellige", Count: i, State: "ON"}
			v.Chamber, v.ID = "fes-meknes", resource.NewID()
			_, _, err := t.Create(ctx, v, w(i))
			return err
		})
		if writes, commits := db.GroupStats(); commits > 0 {
			b.ReportMetric(float64(writes)/float64(commits), "creates/commit")
		}
	}
	b.Run("table", func(b *testing.B) { table(b, true) })
	b.Run("table-ungrouped", func(b *testing.B) { table(b, false) })
	b.Run("raw-pool", func(b *testing.B) {
		_, path := open(b)
		q := url.Values{}
		for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(NORMAL)"} {
			q.Add("_pragma", p)
		}
		q.Set("_txlock", "immediate")
		raw, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
		if err != nil {
			b.Fatal(err)
		}
		raw.SetMaxOpenConns(8)
		defer func() { _ = raw.Close() }()
		run(b, func(i int64) error {
			tx, err := raw.BeginTx(ctx, nil)
			if err != nil {
				return err
			}
			defer func() { _ = tx.Rollback() }()
			id, now := resource.NewID(), time.Now().UnixMicro()
			for _, st := range []struct {
				q    string
				args []any
			}{
				{"INSERT INTO widgets (chamber, id, revision, create_time, update_time, data, state, count, name_key, code) VALUES (?, ?, 1, ?, ?, ?, 'ON', ?, 'zellige', NULL)",
					[]any{"fes-meknes", id, now, now, `{"name":"Zellige","state":"ON"}`, i}},
				{"INSERT INTO outbox (id, type, source, subject, chamber, time, data, data_type, traceparent) VALUES (?, 'hirfa.storetest.v1.WidgetCreated', 'storetest', ?, 'fes-meknes', ?, ?, '', '')",
					[]any{uuid.NewString(), "chambers/fes-meknes/widgets/" + id, now, []byte("Zellige")}},
				{"INSERT INTO audit_records (id, time, actor, role, chamber, method, action, resource, request_id, trace_id, before_digest, after_digest) VALUES (?, ?, 'clerk', 'chamber-clerk', 'fes-meknes', '/test/Write', 'Created', ?, ?, '', '', '')",
					[]any{uuid.NewString(), now, "chambers/fes-meknes/widgets/" + id, fmt.Sprintf("req-%d", i)}},
				{"INSERT INTO request_keys (key, resource, time) VALUES (?, ?, ?)", []any{fmt.Sprintf("k-%d", i), "fes-meknes|" + id, now}},
			} {
				if _, err := tx.ExecContext(ctx, st.q, st.args...); err != nil {
					return err
				}
			}
			return tx.Commit()
		})
	})
}
