package store_test

import (
	"context"
	"path/filepath"
	"testing"

	"modernc.org/sqlite"

	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/testenv"
)

// writerStmtMemory is the heap SQLite's writer connection holds in
// prepared statements (SQLITE_DBSTATUS_STMT_USED).
func writerStmtMemory(t *testing.T, db *store.DB) int {
	t.Helper()
	return testenv.SQLiteStatus(t, db.Writer(), sqlite.DBStatusStmtUsed, false)
}

// TestSQLiteWriterKeepsStatementsPrepared: the writer's connection keeps
// the write statements it ran prepared, instead of parsing each text anew
// on every run, and a kept statement stays right across what could
// invalidate it: a failed run, a change of the table's schema, and a
// close and reopen of the file.
func TestSQLiteWriterKeepsStatementsPrepared(t *testing.T) {
	ctx := context.Background()
	url := "sqlite://" + filepath.Join(t.TempDir(), "prepared.db")
	db := openGroupDB(t, url)
	const insert = "INSERT INTO t (id, v) VALUES (?, ?)"
	for i := range 3 {
		if _, err := db.Exec(ctx, insert, i, "x"); err != nil {
			t.Fatal(err)
		}
	}
	if used := writerStmtMemory(t, db); used == 0 {
		t.Fatal("after three runs of one INSERT the writer holds no prepared statement: each run parsed it anew")
	}
	// A run that fails (the id is taken) leaves the statement usable.
	if _, err := db.Exec(ctx, insert, 1, "again"); err == nil {
		t.Fatal("a taken id was inserted again")
	} else if _, ok := store.UniqueViolation(err); !ok {
		t.Fatalf("a taken id: got %v, want a unique violation", err)
	}
	if _, err := db.Exec(ctx, insert, 3, "x"); err != nil {
		t.Fatalf("the INSERT after a failed run: %v", err)
	}
	// The table changes under the kept statement: SQLite prepares it again.
	for _, q := range []string{"DROP TABLE t", "CREATE TABLE t (v TEXT NOT NULL, extra TEXT NOT NULL DEFAULT 'd', id INTEGER PRIMARY KEY)"} {
		if _, err := db.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec(ctx, insert, 7, "y"); err != nil {
		t.Fatalf("the INSERT after the table was made anew: %v", err)
	}
	// A statement that does not parse is refused, every time.
	for range 2 {
		if _, err := db.Exec(ctx, "INSERT INTO nowhere (id) VALUES (?)", 1); err == nil {
			t.Fatal("an INSERT into a missing table succeeded")
		}
	}
	if err := db.Close(); err != nil {
		t.Fatalf("close with prepared statements kept: %v", err)
	}
	db = openGroupDB(t, url)
	defer func() { _ = db.Close() }()
	var v, extra string
	if err := db.SQL.QueryRowContext(ctx, "SELECT v, extra FROM t WHERE id = 7").Scan(&v, &extra); err != nil {
		t.Fatal(err)
	}
	if v != "y" || extra != "d" {
		t.Errorf("the row written after the schema change is (%q, %q), want (y, d)", v, extra)
	}
}
