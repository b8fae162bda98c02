package store

import (
	"context"
	"database/sql/driver"
	"path/filepath"
	"strconv"
	"testing"

	"modernc.org/sqlite"
)

// TestStmtCacheBound: a connection that runs more distinct statement texts
// than maxCachedStmts keeps at most that many prepared, still runs every
// one of them, and closes cleanly.
func TestStmtCacheBound(t *testing.T) {
	ctx := context.Background()
	base, err := sqlite.NewConnector("file:" + filepath.Join(t.TempDir(), "bound.db") + "?_pragma=journal_mode(WAL)&_pragma=synchronous(OFF)")
	if err != nil {
		t.Fatal(err)
	}
	dc, err := stmtCacheConnector{base}.Connect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c := dc.(*stmtCacheConn)
	if _, err := c.ExecContext(ctx, "CREATE TABLE t (id INTEGER PRIMARY KEY)", nil); err != nil {
		t.Fatal(err)
	}
	for round := range 2 {
		for i := range 2 * maxCachedStmts {
			// A text per id, as a statement built with its values would.
			q := "INSERT OR REPLACE INTO t (id) VALUES (" + strconv.Itoa(i) + ")"
			if _, err := c.ExecContext(ctx, q, []driver.NamedValue{}); err != nil {
				t.Fatalf("round %d, statement %d: %v", round, i, err)
			}
			if len(c.stmts) > maxCachedStmts {
				t.Fatalf("%d statements kept, more than %d", len(c.stmts), maxCachedStmts)
			}
		}
	}
	if err := c.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
}
