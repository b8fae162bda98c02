package store_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// TestRuntimeRoleCannotChangeAudit: on PostgreSQL the service's runtime role
// may append to and read the audit trail, and cannot UPDATE, DELETE or
// TRUNCATE it, while it still writes its other tables.
func TestRuntimeRoleCannotChangeAudit(t *testing.T) {
	dsn := testenv.Postgres(t)
	if dsn == "" {
		return
	}
	ctx := context.Background()
	owner, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	// Closed after the role is dropped below (cleanups run last first): a
	// deferred Close ran before the cleanup, which then could not drop the
	// role, and the next run against the same server failed to create it.
	t.Cleanup(func() { _ = owner.Close() })
	svc := fstest.MapFS{"postgres/0001_things.sql": {Data: []byte("CREATE TABLE things (id TEXT PRIMARY KEY);")}}
	role := testenv.Role(t, owner.SQL)
	// As a service starts with HIRFA_MIGRATE_DATABASE_URL: migrations as
	// the owner, then the runtime role (HIRFA_DATABASE_URL's user) granted.
	runtime, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	runtime.User = url.User(role)
	migrate := func(ctx context.Context, db *store.DB) error { return store.Migrate(ctx, db, "test", svc) }
	if err := store.MigrateWith(ctx, nil, runtime.String(), dsn, migrate); err != nil {
		t.Fatal(err)
	}
	// One session acting as the runtime role (the owner is a superuser in
	// tests, so SET ROLE stands in for logging in as it).
	conn, err := owner.SQL.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SET ROLE "+role); err != nil {
		t.Fatal(err)
	}
	defer func() { _, _ = conn.ExecContext(context.Background(), "RESET ROLE") }()
	mustExec := func(q string) {
		t.Helper()
		if _, err := conn.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	mustExec(`INSERT INTO audit_records (id, time, actor, role, chamber, method, action, resource, request_id, trace_id, before_digest, after_digest)
		VALUES ('a1', 1, 'clerk', 'chamber-clerk', 'fes-meknes', '/m', 'Created', 'chambers/fes-meknes/x/1', '', '', '', '')`)
	mustExec(`SELECT count(*) FROM audit_records`)
	mustExec(`INSERT INTO things VALUES ('t1')`)
	mustExec(`UPDATE things SET id = 't2'`)
	mustExec(`DELETE FROM things`)
	for _, q := range []string{
		`UPDATE audit_records SET actor = 'someone else'`,
		`DELETE FROM audit_records`,
		`TRUNCATE audit_records`,
		`DROP TRIGGER audit_records_no_change ON audit_records`,
		`ALTER TABLE audit_records DISABLE TRIGGER audit_records_no_change`,
	} {
		_, err := conn.ExecContext(ctx, q)
		if err == nil || !strings.Contains(err.Error(), "permission denied") && !strings.Contains(err.Error(), "must be owner") {
			t.Errorf("%s as the runtime role = %v, want permission denied", q, err)
		}
	}
	var cur string
	if err := owner.SQL.QueryRowContext(ctx, "SELECT current_user").Scan(&cur); err != nil {
		t.Fatal(err)
	}
	if err := store.GrantRuntime(ctx, owner, cur); err == nil {
		t.Error("granting the runtime rights to the owner role itself was accepted")
	}
}
