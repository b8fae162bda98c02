package testenv

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"
)

// Role creates a PostgreSQL role that cannot log in, for a test that acts
// as a service's runtime role (SET ROLE: the test's owner is a superuser,
// so that stands in for logging in as it), and drops it with what it was
// granted when the test ends. Its name is unique per call, so a run against
// a server a failed run left a role on still starts.
func Role(tb testing.TB, db *sql.DB) string {
	tb.Helper()
	name := strings.ToLower(fmt.Sprintf("hirfa_rt_%d", time.Now().UnixNano()))
	if _, err := db.ExecContext(context.Background(), "CREATE ROLE "+name+" NOLOGIN"); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		_, _ = db.ExecContext(context.Background(), "DROP OWNED BY "+name)
		_, _ = db.ExecContext(context.Background(), "DROP ROLE "+name)
	})
	return name
}
