package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"time"
)

//go:embed migrations
var platformMigrations embed.FS

// migrationLockKey is the PostgreSQL advisory lock id that serialises
// migrations when several replicas start at once ("hirfa" in ASCII).
const migrationLockKey = 0x6869726661

// MigrateEmbedded is Migrate for a service whose migrations are embedded
// as a folder named migrations (//go:embed migrations), the layout every
// service's sqlstore has.
func MigrateEmbedded(ctx context.Context, db *DB, service string, embedded fs.FS) error {
	sub, err := fs.Sub(embedded, "migrations")
	if err != nil {
		return err
	}
	return Migrate(ctx, db, service, sub)
}

// Embedded is a service's migrate function: MigrateEmbedded of its
// embedded migrations folder, as sqlstore.Migrate declares it.
func Embedded(service string, embedded fs.FS) func(context.Context, *DB) error {
	return func(ctx context.Context, db *DB) error { return MigrateEmbedded(ctx, db, service, embedded) }
}

// Migrate applies, in order, the platform migrations of this package and then
// the service's migrations from fsys (files <dialect>/NNNN_name.sql). Each file
// runs once, in its own transaction, recorded in schema_migrations. On
// PostgreSQL the whole run holds an advisory lock so concurrent replicas wait
// instead of racing; SQLite serialises writers by itself.
func Migrate(ctx context.Context, db *DB, service string, fsys fs.FS) error {
	// The writer: on SQLite the read pool refuses writes.
	conn, err := db.Writer().Conn(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer conn.Close()
	if db.Dialect == Postgres {
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrationLockKey); err != nil {
			return fmt.Errorf("migrate: lock: %w", err)
		}
		defer func() {
			_, _ = conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrationLockKey)
		}()
	}
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version TEXT PRIMARY KEY, applied_time BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	sets := []struct {
		prefix string
		fsys   fs.FS
	}{{"platform", platformMigrations}, {service, fsys}}
	for _, set := range sets {
		dir := "migrations/" + db.Dialect.String()
		if set.prefix != "platform" {
			dir = db.Dialect.String()
		}
		if err := applyDir(ctx, db, conn, set.prefix, set.fsys, dir); err != nil {
			return err
		}
	}
	return nil
}

func applyDir(ctx context.Context, db *DB, conn *sql.Conn, prefix string, fsys fs.FS, dir string) error {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return fmt.Errorf("migrate %s: %w", prefix, err)
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sql") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	for _, name := range names {
		version := prefix + "/" + strings.TrimSuffix(name, ".sql")
		var one int
		err := conn.QueryRowContext(ctx, db.Rebind("SELECT 1 FROM schema_migrations WHERE version = ?"), version).Scan(&one)
		if err == nil {
			continue
		}
		if err != sql.ErrNoRows {
			return fmt.Errorf("migrate %s: %w", version, err)
		}
		body, err := fs.ReadFile(fsys, dir+"/"+name)
		if err != nil {
			return fmt.Errorf("migrate %s: %w", version, err)
		}
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("migrate %s: %w", version, err)
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			_ = tx.Rollback()
			return fmt.Errorf("migrate %s: %w", version, err)
		}
		if _, err := tx.ExecContext(ctx, db.Rebind("INSERT INTO schema_migrations (version, applied_time) VALUES (?, ?)"),
			version, time.Now().UnixMicro()); err != nil {
			_ = tx.Rollback()
			return fmt.Errorf("migrate %s: %w", version, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migrate %s: %w", version, err)
		}
	}
	return nil
}
