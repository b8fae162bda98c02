// Package store is the SQL plumbing shared by every Hirfa service: one code
// path over database/sql for PostgreSQL (pgx) and SQLite (pure-Go modernc),
// embedded migrations applied under a lock, transactions with retry, and a
// generic resource table that writes the resource, its outbox event, its
// audit record and its idempotency key in one transaction.
//
// A table may store a versioned persistence record instead of the entity's
// own JSON (Record, record.go), which also says how a new version is rolled
// out: read old and new, then write new, then migrate the remaining rows.
//
// Times are stored as int64 UNIX microseconds in both dialects, so ordering,
// filters and page tokens behave identically on PostgreSQL and SQLite.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Dialect is the SQL dialect of a DB.
type Dialect int

// Supported dialects.
const (
	Postgres Dialect = iota + 1
	SQLite
)

func (d Dialect) String() string {
	if d == Postgres {
		return "postgres"
	}
	return "sqlite"
}

// DB is a database handle with its dialect.
type DB struct {
	// SQL is the pool reads run on. On SQLite it refuses writes
	// (query_only): write with Tx or Exec, which queue for the writer.
	SQL     *sql.DB
	Dialect Dialect
	// write is SQLite's single writer connection (nil on PostgreSQL, where
	// SQL serves writes too): see Open.
	write *sql.DB
	// group runs SQLite's write transactions on write in groups (group.go).
	group *groupWriter
}

// Writer is the pool write transactions run on: on SQLite its one writer
// connection, on PostgreSQL the pool itself.
func (db *DB) Writer() *sql.DB {
	if db.write != nil {
		return db.write
	}
	return db.SQL
}

// Open connects to url: postgres://… (or postgresql://…) uses pgx;
// sqlite:///abs/path.db or sqlite://rel/path.db uses pure-Go SQLite in WAL
// mode (the parent directory is created). The connection is verified.
func Open(ctx context.Context, rawURL string) (*DB, error) {
	switch {
	case strings.HasPrefix(rawURL, "postgres://"), strings.HasPrefix(rawURL, "postgresql://"):
		db, err := sql.Open("pgx", rawURL)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		db.SetMaxOpenConns(32)
		db.SetMaxIdleConns(32)
		db.SetConnMaxIdleTime(5 * time.Minute)
		return verify(ctx, &DB{SQL: db, Dialect: Postgres})
	case strings.HasPrefix(rawURL, "sqlite://"):
		path := strings.TrimPrefix(rawURL, "sqlite://")
		if path == "" {
			return nil, errors.New("open sqlite: empty path in database URL")
		}
		if dir := filepath.Dir(path); dir != "." {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("open sqlite: %w", err)
			}
		}
		// WAL: readers never wait for the writer, and a commit appends to
		// the log instead of rewriting pages. synchronous=NORMAL in WAL mode
		// syncs at checkpoints, not at every commit: a committed
		// transaction survives the process's crash or kill (the log is in
		// the OS's page cache, and the next open replays it), which is what
		// the restart tests check; only an OS crash or power loss can lose
		// the last commits, never corrupt the file. That is the embedded
		// default's bargain (one machine, no replication); production runs
		// PostgreSQL. temp_store=MEMORY keeps temporary files in memory,
		// above all the journal of each savepoint of a group commit
		// (group.go), which otherwise spills to a file past 64 KiB: a
		// write to disk of pages the commit writes to the log anyway
		// (a fifth of a create's time on the writer).
		q := url.Values{}
		for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(NORMAL)", "temp_store(MEMORY)"} {
			q.Add("_pragma", p)
		}
		// Writers take the lock at BEGIN (BEGIN IMMEDIATE), so two
		// transactions never both read then deadlock upgrading to a write
		// lock.
		q.Set("_txlock", "immediate")
		dsn := "file:" + path + "?" + q.Encode()
		// The read pool refuses writes (query_only): a write there would
		// not queue for the writer below but wait on the file lock while
		// the writer holds it, and fail with SQLITE_BUSY after
		// busy_timeout when the writer is held longer (a large import
		// beside the duplicate scan). Refused at once, such a write fails
		// every test that reaches it instead of the rare loaded run. Its
		// transactions (a consistent read of several statements) begin
		// DEFERRED: they never take the write lock.
		r := url.Values{}
		maps.Copy(r, q)
		r["_pragma"] = append(slices.Clone(q["_pragma"]), "query_only(1)")
		r.Set("_txlock", "deferred")
		db, err := sql.Open("sqlite", "file:"+path+"?"+r.Encode())
		if err != nil {
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		db.SetMaxOpenConns(8)
		// SQLite has one writer at a time. Write transactions queue for
		// one dedicated connection in Go instead of contending for the
		// file lock, where the busy handler's sleeps (up to 100 ms each)
		// made the long tail of concurrent creates; reads keep the pool.
		// Its connection keeps the write statements prepared
		// (stmtcache.go).
		wc, err := sqlite.NewConnector(dsn)
		if err != nil {
			_ = db.Close()
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		w := sql.OpenDB(stmtCacheConnector{wc})
		w.SetMaxOpenConns(1)
		w.SetMaxIdleConns(1)
		w.SetConnMaxIdleTime(0)
		out, err := verify(ctx, &DB{SQL: db, Dialect: SQLite, write: w})
		if err != nil {
			_ = w.Close()
			return nil, err
		}
		out.group = newGroupWriter(w)
		return out, nil
	}
	return nil, fmt.Errorf("database URL must start with postgres:// or sqlite://")
}

func verify(ctx context.Context, db *DB) (*DB, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.SQL.PingContext(ctx); err != nil {
		_ = db.SQL.Close()
		return nil, fmt.Errorf("connect %s: %w", db.Dialect, err)
	}
	return db, nil
}

// Close closes the pools.
func (db *DB) Close() error {
	if db.group != nil {
		db.group.close()
	}
	if db.write != nil {
		_ = db.write.Close()
	}
	return db.SQL.Close()
}

// Rebind turns ? placeholders into $1, $2… for PostgreSQL. Queries in this
// package never contain a literal '?' inside strings.
func (db *DB) Rebind(q string) string {
	if db.Dialect != Postgres {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 8)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// Tx runs fn in a transaction, retrying a few times on serialization
// failures, deadlocks and SQLite busy errors. fn must be safe to re-run. On
// SQLite, fn may share one transaction with other callers' functions, each
// in its own savepoint (group commit, group.go): a failing fn undoes only
// its own writes, and Tx returns nil only after the shared commit. fn
// writes on tx alone: on SQLite a Tx or Exec called from inside fn fails
// with ErrNestedTx.
func (db *DB) Tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(time.Duration(attempt*attempt) * 5 * time.Millisecond):
			}
		}
		err = db.tx(ctx, fn)
		if err == nil || !retryable(err) {
			return err
		}
	}
	return err
}

// Exec runs one write statement: on SQLite as a write transaction of its
// own (Tx), since the read pool SQL refuses writes; on PostgreSQL on the
// pool, where a statement is its own transaction.
func (db *DB) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if db.group == nil {
		return db.SQL.ExecContext(ctx, query, args...)
	}
	var res sql.Result
	err := db.Tx(ctx, func(tx *sql.Tx) (err error) {
		res, err = tx.ExecContext(ctx, query, args...)
		return err
	})
	return res, err
}

func (db *DB) tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if db.group != nil {
		return db.group.do(ctx, fn)
	}
	tx, err := db.Writer().BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

func retryable(err error) bool {
	if errors.Is(err, errGroupLost) {
		return true
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "40001" || pg.Code == "40P01"
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		c := se.Code() & 0xff
		return c == sqlite3.SQLITE_BUSY || c == sqlite3.SQLITE_LOCKED
	}
	return false
}

// UniqueViolation reports whether err is a uniqueness violation, and on what:
// the constraint (index) name on PostgreSQL, "table.column[, table.column]" on
// SQLite. Use IsUnique to test for a specific index.
func UniqueViolation(err error) (string, bool) {
	var pg *pgconn.PgError
	if errors.As(err, &pg) && pg.Code == "23505" {
		return pg.ConstraintName, true
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		if c := se.Code(); c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY {
			msg := se.Error()
			if i := strings.LastIndex(msg, "failed: "); i >= 0 {
				msg = msg[i+len("failed: "):]
			}
			if i := strings.Index(msg, " ("); i >= 0 {
				msg = msg[:i]
			}
			return msg, true
		}
	}
	return "", false
}

// IsUnique reports whether err violates the unique index named index
// (PostgreSQL) whose columns are columns, e.g. "artisans.cnie" (SQLite).
func IsUnique(err error, index, columns string) bool {
	on, ok := UniqueViolation(err)
	return ok && (on == index || on == columns)
}

// Unavailable reports whether err means the database could not be reached
// (as opposed to a query it refused).
func Unavailable(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return strings.HasPrefix(pg.Code, "08") || pg.Code == "57P01" || pg.Code == "57P03"
	}
	var ce *pgconn.ConnectError
	return errors.As(err, &ce) || errors.Is(err, sql.ErrConnDone)
}

// Micros converts a time to stored UNIX microseconds.
func Micros(t time.Time) int64 { return t.UnixMicro() }

// FromMicros converts stored UNIX microseconds to UTC time.
func FromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }

// Lit renders a domain enum value as an SQL string literal, so a query names
// enum values through the domain's constants (store.Lit(artisan.StruckOff))
// instead of repeating them ('STRUCK_OFF'). Only for trusted constants:
// callers' input is always a bound parameter.
func Lit[S ~string](v S) string { return "'" + strings.ReplaceAll(string(v), "'", "''") + "'" }
