package testenv

import (
	"context"
	"database/sql"
	"testing"

	"modernc.org/sqlite"
)

// SQLiteStatus reads a counter of one SQLite connection of db
// (sqlite3_db_status: op's current value), resetting it when reset is set.
// Give it a pool of one connection, as the writer of store.DB is, so the
// counter is that of the connection every statement ran on; it waits while
// the connection is in use.
func SQLiteStatus(tb testing.TB, db *sql.DB, op sqlite.DBStatusOp, reset bool) int {
	tb.Helper()
	conn, err := db.Conn(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	defer func() { _ = conn.Close() }()
	var cur int
	err = conn.Raw(func(dc any) error {
		st, ok := dc.(sqlite.DBStatus)
		if !ok {
			tb.Fatalf("the driver connection %T does not report sqlite.DBStatus", dc)
		}
		var err error
		cur, _, err = st.Status(op, reset)
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return cur
}
