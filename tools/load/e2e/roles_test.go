package e2e

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// TestRuntimeRoleCannotChangeAuditHistory: `make up` (up.sh) runs each
// service's migrations as its database's owner role and the service as a
// separate runtime role, which reads and appends to the audit trail but
// cannot update, delete, truncate it or switch off its triggers.
func TestRuntimeRoleCannotChangeAuditHistory(t *testing.T) {
	s := newStack(t)
	ctx := t.Context()
	for _, name := range s.Services {
		env, err := s.ServiceEnv(name)
		if err != nil {
			t.Fatal(err)
		}
		runtime, owner := env["HIRFA_DATABASE_URL"], env["HIRFA_MIGRATE_DATABASE_URL"]
		ru, err1 := url.Parse(runtime)
		ou, err2 := url.Parse(owner)
		if err1 != nil || err2 != nil || owner == "" || ru.User.Username() == ou.User.Username() ||
			!strings.HasSuffix(ru.User.Username(), "_app") || !strings.HasSuffix(ou.User.Username(), "_owner") {
			t.Fatalf("%s: runtime %q and owner %q URLs, want two roles (…_app, …_owner)", name, runtime, owner)
		}
		conn, err := pgx.Connect(ctx, runtime)
		if err != nil {
			t.Fatalf("%s: connect as the runtime role: %v", name, err)
		}
		var n int
		if err := conn.QueryRow(ctx, "SELECT count(*) FROM audit_records").Scan(&n); err != nil {
			t.Fatalf("%s: the runtime role cannot read its audit trail: %v", name, err)
		}
		for _, q := range []string{
			"UPDATE audit_records SET actor = 'someone else'",
			"DELETE FROM audit_records",
			"TRUNCATE audit_records",
			"ALTER TABLE audit_records DISABLE TRIGGER ALL",
			"DROP TABLE audit_records",
		} {
			_, err := conn.Exec(ctx, q)
			var pgErr *pgconn.PgError
			if !errors.As(err, &pgErr) || pgErr.Code != "42501" {
				t.Errorf("%s: %s as the runtime role = %v, want permission denied", name, q, err)
			}
		}
		_ = conn.Close(context.Background())
	}
}
