package store

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// GrantRuntime gives role, the PostgreSQL role the service runs as, what the
// service needs on the tables the migrations (run as the owner role) made:
// read and write every table of the current schema, except the audit trail,
// which it may only read and append to. Row triggers alone cannot keep the
// trail immutable: TRUNCATE fires none and the table's owner can drop them;
// a role that owns nothing and holds no UPDATE, DELETE or TRUNCATE right on
// audit_records cannot change history at all. Run it after Migrate, as the
// owner, on every start (grants are idempotent; new tables get theirs).
func GrantRuntime(ctx context.Context, owner *DB, role string) error {
	if owner.Dialect != Postgres {
		return errors.New("grant runtime role: PostgreSQL only")
	}
	if role == "" {
		return errors.New("grant runtime role: no role")
	}
	var schema, current string
	if err := owner.SQL.QueryRowContext(ctx, "SELECT current_schema(), current_user").Scan(&schema, &current); err != nil {
		return fmt.Errorf("grant runtime role: %w", err)
	}
	if role == current {
		return fmt.Errorf("grant runtime role: %q is the owner role the migrations ran as; the service must run as another role", role)
	}
	r, s := quoteIdent(role), quoteIdent(schema)
	for _, q := range []string{
		"GRANT USAGE ON SCHEMA " + s + " TO " + r,
		"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " + s + " TO " + r,
		"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA " + s + " TO " + r,
		"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_records FROM " + r,
		"REVOKE TRUNCATE ON ALL TABLES IN SCHEMA " + s + " FROM " + r,
	} {
		if _, err := owner.SQL.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("grant runtime role: %s: %w", q, err)
		}
	}
	return nil
}

// quoteIdent quotes a PostgreSQL identifier.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// MigrateWith runs migrate for a service whose runtime database is db (opened
// from runtimeURL). With an owner URL (HIRFA_MIGRATE_DATABASE_URL) the
// migrations run as the owner role on their own connection, and the runtime
// role (runtimeURL's user) is then granted only what GrantRuntime allows;
// without one they run on db itself (SQLite, or a single-role PostgreSQL
// where the row triggers are the only guard of the audit trail).
func MigrateWith(ctx context.Context, db *DB, runtimeURL, ownerURL string, migrate func(context.Context, *DB) error) error {
	if ownerURL == "" {
		return migrate(ctx, db)
	}
	u, err := url.Parse(runtimeURL)
	if err != nil || u.User.Username() == "" {
		return errors.New("migrate as owner: HIRFA_DATABASE_URL must name the runtime role (postgres://ROLE@host/db)")
	}
	owner, err := Open(ctx, ownerURL)
	if err != nil {
		return fmt.Errorf("migrate as owner: %w", err)
	}
	defer owner.Close()
	if err := migrate(ctx, owner); err != nil {
		return err
	}
	return GrantRuntime(ctx, owner, u.User.Username())
}
