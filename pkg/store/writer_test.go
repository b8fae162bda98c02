package store_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/hirfa/hirfa/pkg/store"
)

// TestSQLiteSingleWriter: on SQLite every write transaction runs on one
// writer connection, so concurrent writers queue instead of failing busy or
// sleeping in SQLite's busy handler, reads keep their own pool, and every
// acknowledged commit is there after the database is closed and reopened
// (as after a restart).
func TestSQLiteSingleWriter(t *testing.T) {
	ctx := context.Background()
	url := "sqlite://" + filepath.Join(t.TempDir(), "w.db")
	db, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	if got := db.Writer().Stats().MaxOpenConnections; got != 1 {
		t.Fatalf("writer pool allows %d connections, want 1", got)
	}
	if db.Writer() == db.SQL {
		t.Fatal("writes share the read pool")
	}
	if _, err := db.Exec(ctx, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	const writers, each = 32, 20
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				errs <- db.Tx(ctx, func(tx *sql.Tx) error {
					// A read then a write in one transaction: the pattern
					// that deadlocks on a lock upgrade without BEGIN
					// IMMEDIATE.
					var n int
					if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM t").Scan(&n); err != nil {
						return err
					}
					_, err := tx.ExecContext(ctx, "INSERT INTO t (id, v) VALUES (?, ?)", w*each+i, "x")
					return err
				})
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("concurrent write: %v", err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = db.Close() }()
	var n int
	if err := db.SQL.QueryRowContext(ctx, "SELECT COUNT(*) FROM t").Scan(&n); err != nil || n != writers*each {
		t.Fatalf("after reopening: %d rows, %v; want %d", n, err, writers*each)
	}
}

// TestSQLiteReadPoolRefusesWrites: on SQLite a write on the read pool fails
// at once, naming the reason, instead of waiting for the file lock the
// writer holds (and failing busy after busy_timeout under load), while Exec
// and reads inside a held write transaction go through.
func TestSQLiteReadPoolRefusesWrites(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, "sqlite://"+filepath.Join(t.TempDir(), "r.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = db.Close() }()
	if _, err := db.Exec(ctx, "CREATE TABLE t (id INTEGER PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL.ExecContext(ctx, "INSERT INTO t (id) VALUES (1)"); err == nil || !strings.Contains(err.Error(), "readonly") {
		t.Fatalf("a write on the read pool = %v; want a read-only refusal", err)
	}
	// A write transaction held open: reads still answer from the pool.
	held, release := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- db.Tx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, "INSERT INTO t (id) VALUES (2)"); err != nil {
				return err
			}
			close(held)
			<-release
			return nil
		})
	}()
	<-held
	var n int
	if err := db.SQL.QueryRowContext(ctx, "SELECT COUNT(*) FROM t").Scan(&n); err != nil || n != 0 {
		t.Fatalf("read beside a held write = %d, %v; want 0 rows", n, err)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(ctx, "INSERT INTO t (id) VALUES (3)"); err != nil {
		t.Fatal(err)
	}
	if err := db.SQL.QueryRowContext(ctx, "SELECT COUNT(*) FROM t").Scan(&n); err != nil || n != 2 {
		t.Fatalf("rows = %d, %v; want 2", n, err)
	}
}

// TestSQLiteWriterTempStoreMemory: the writer keeps its temporary files
// in memory (PRAGMA temp_store = MEMORY): each member of a group commit
// runs in a savepoint whose journal of the pages it changes otherwise
// spills to a temporary file past 64 KiB, a write to disk of pages the
// commit writes to the log anyway.
func TestSQLiteWriterTempStoreMemory(t *testing.T) {
	ctx := context.Background()
	db := openGroupDB(t, "sqlite://"+filepath.Join(t.TempDir(), "temp.db"))
	defer func() { _ = db.Close() }()
	var mode int
	if err := db.Tx(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, "PRAGMA temp_store").Scan(&mode)
	}); err != nil {
		t.Fatal(err)
	}
	if mode != 2 {
		t.Errorf("the writer's temp_store is %d, want 2 (MEMORY)", mode)
	}
}
