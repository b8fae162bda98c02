package store

import (
	"context"
	"errors"
	"fmt"
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
