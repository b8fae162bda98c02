package testenv

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/v9"
)

func TestMain(m *testing.M) { Main(m) }

func TestInCI(t *testing.T) {
	tests := []struct {
		value string
		want  bool
	}{
		{"", false},
		{"true", true},
		{"TRUE", true},
		{"1", true},
		{"false", false},
		{"0", false},
		{"yes", false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("CI=%q", tt.value), func(t *testing.T) {
			t.Setenv("CI", tt.value)
			if got := InCI(); got != tt.want {
				t.Errorf("InCI() = %v, want %v", got, tt.want)
			}
		})
	}
}

// recordingTB records how a test would have ended instead of ending it.
type recordingTB struct {
	testing.TB
	fatal, skip string
}

func (r *recordingTB) Helper()                        {}
func (r *recordingTB) Fatalf(format string, a ...any) { r.fatal = fmt.Sprintf(format, a...) }
func (r *recordingTB) Skipf(format string, a ...any)  { r.skip = fmt.Sprintf(format, a...) }

func TestUnavailableFailsOnlyInCI(t *testing.T) {
	tests := []struct {
		ci        string
		wantFatal bool
	}{
		{ci: "true", wantFatal: true},
		{ci: "1", wantFatal: true},
		{ci: "", wantFatal: false},
	}
	for _, tt := range tests {
		t.Run("CI="+tt.ci, func(t *testing.T) {
			t.Setenv("CI", tt.ci)
			rec := &recordingTB{TB: t}
			Unavailable(rec, errors.New("PostgreSQL unavailable: no initdb"))
			got := rec.skip
			if tt.wantFatal {
				got = rec.fatal
			}
			if !strings.Contains(got, "no initdb") {
				t.Errorf("fatal=%q skip=%q; want the reason in the %s", rec.fatal, rec.skip, map[bool]string{true: "fatal", false: "skip"}[tt.wantFatal])
			}
			if tt.wantFatal && rec.skip != "" {
				t.Errorf("skipped under CI: %q", rec.skip)
			}
			if !tt.wantFatal && rec.fatal != "" {
				t.Errorf("failed outside CI: %q", rec.fatal)
			}
		})
	}
}

func TestAcquireRequiresMain(t *testing.T) {
	mainActive.Store(false)
	defer mainActive.Store(true)
	var l lazyServer
	started := false
	rec := &recordingTB{TB: t}
	srv := acquire(rec, &l, "PostgreSQL", EnvPostgresDSN, func(context.Context) (*server, error) {
		started = true
		return &server{url: "postgres://unused"}, nil
	})
	if !strings.Contains(rec.fatal, "testenv.Main") {
		t.Errorf("fatal = %q, want it to ask for testenv.Main", rec.fatal)
	}
	if srv != nil || started {
		t.Errorf("acquire without Main returned %v, started=%v; want nothing started", srv, started)
	}
}

func TestWithDatabase(t *testing.T) {
	tests := []struct {
		dsn     string
		want    string
		wantErr bool
	}{
		{
			dsn:  "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable",
			want: "postgres://postgres@127.0.0.1:5432/hirfa_t_x?sslmode=disable",
		},
		{
			dsn:  "postgresql://u:p%40ss@db:5433",
			want: "postgresql://u:p%40ss@db:5433/hirfa_t_x",
		},
		{
			dsn:  "postgres://h/other?dbname=other&sslmode=disable",
			want: "postgres://h/hirfa_t_x?dbname=hirfa_t_x&sslmode=disable",
		},
		{
			dsn:  "host=127.0.0.1 port=5432 user=postgres dbname=postgres",
			want: "host=127.0.0.1 port=5432 user=postgres dbname=postgres dbname=hirfa_t_x",
		},
		{dsn: "mysql://root@localhost/db", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.dsn, func(t *testing.T) {
			got, err := withDatabase(tt.dsn, "hirfa_t_x")
			if (err != nil) != tt.wantErr {
				t.Fatalf("withDatabase() error = %v, wantErr %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("withDatabase() = %q, want %q", got, tt.want)
			}
			if err != nil {
				return
			}
			// pgx must read the database name we meant.
			cfg, err := pgx.ParseConfig(got)
			if err != nil {
				t.Fatalf("pgx.ParseConfig(%q): %v", got, err)
			}
			if cfg.Database != "hirfa_t_x" {
				t.Errorf("pgx reads database %q, want hirfa_t_x", cfg.Database)
			}
		})
	}
}

func TestCompareVersions(t *testing.T) {
	tests := []struct {
		a, b string
		sign int
	}{
		{"15", "15", 0},
		{"15", "16", -1},
		{"9.6", "10", -1},
		{"17", "9.6", 1},
		{"9.6", "9", 1},
	}
	for _, tt := range tests {
		got := compareVersions(tt.a, tt.b)
		if (got > 0) != (tt.sign > 0) || (got < 0) != (tt.sign < 0) {
			t.Errorf("compareVersions(%q, %q) = %d, want sign %d", tt.a, tt.b, got, tt.sign)
		}
	}
}

func TestWatchdogRunsCleanupWhenStopped(t *testing.T) {
	marker := filepath.Join(t.TempDir(), "cleaned")
	wd, err := startWatchdog("touch " + shellQuote(marker))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("cleanup ran before stop")
	}
	if err := wd.stop(10 * time.Second); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(marker); err != nil {
		t.Errorf("cleanup did not run: %v", err)
	}
}

func connect(t *testing.T, dsn string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), dsn)
	if err != nil {
		t.Fatalf("connect %s: %v", dsn, err)
	}
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	return conn
}

func TestPostgresGivesEachCallAnEmptyDatabase(t *testing.T) {
	ctx := t.Context()
	dsn1, dsn2 := Postgres(t), Postgres(t)
	if dsn1 == dsn2 {
		t.Fatalf("two calls returned the same DSN %q", dsn1)
	}
	c1, c2 := connect(t, dsn1), connect(t, dsn2)

	var names [2]string
	for i, c := range []*pgx.Conn{c1, c2} {
		if err := c.QueryRow(ctx, "SELECT current_database()").Scan(&names[i]); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(names[i], "hirfa_t_") {
			t.Errorf("database %q lacks the hirfa_t_ prefix", names[i])
		}
		var objects int
		err := c.QueryRow(ctx, `SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')`).Scan(&objects)
		if err != nil {
			t.Fatal(err)
		}
		if objects != 0 {
			t.Errorf("database %s has %d objects, want none", names[i], objects)
		}
		var collation string
		if err := c.QueryRow(ctx, "SELECT datcollate FROM pg_database WHERE datname = current_database()").Scan(&collation); err != nil {
			t.Fatal(err)
		}
		if collation != "C" {
			t.Errorf("database %s collation = %q, want C", names[i], collation)
		}
	}
	if names[0] == names[1] {
		t.Fatalf("both DSNs reach database %q", names[0])
	}

	// What one test writes, the other does not see.
	if _, err := c1.Exec(ctx, "CREATE TABLE t (id int PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	var exists bool
	if err := c2.QueryRow(ctx, "SELECT to_regclass('public.t') IS NOT NULL").Scan(&exists); err != nil {
		t.Fatal(err)
	}
	if exists {
		t.Error("a table created in the first database shows in the second")
	}
}

func TestPostgresDropsDatabaseAfterTest(t *testing.T) {
	// A database of our own to look from; it also skips or fails this test
	// as a whole when there is no server.
	observer := connect(t, Postgres(t))
	var name string
	var open *pgx.Conn
	t.Run("use", func(t *testing.T) {
		// This connection stays open past the subtest, so the drop must
		// force it closed.
		var err error
		open, err = pgx.Connect(t.Context(), Postgres(t))
		if err != nil {
			t.Fatal(err)
		}
		if err := open.QueryRow(t.Context(), "SELECT current_database()").Scan(&name); err != nil {
			t.Fatal(err)
		}
	})
	if open != nil {
		_ = open.Close(context.Background()) // the server closed it already
	}
	if t.Failed() || name == "" {
		t.FailNow()
	}
	var count int
	if err := observer.QueryRow(t.Context(), "SELECT count(*) FROM pg_database WHERE datname = $1", name).Scan(&count); err != nil {
		t.Fatal(err)
	}
	if count != 0 {
		t.Errorf("database %s still exists after its test ended", name)
	}
}

func newRedisClient(t *testing.T, rawURL string) *redis.Client {
	t.Helper()
	opt, err := redis.ParseURL(rawURL)
	if err != nil {
		t.Fatalf("parse %s: %v", rawURL, err)
	}
	c := redis.NewClient(opt)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func TestRedis(t *testing.T) {
	c := newRedisClient(t, Redis(t))
	ctx := t.Context()
	if got, err := c.Ping(ctx).Result(); err != nil || got != "PONG" {
		t.Fatalf("PING = %q, %v; want PONG", got, err)
	}
	key := RedisPrefix(t) + "k"
	if err := c.Set(ctx, key, "v", time.Minute).Err(); err != nil {
		t.Fatal(err)
	}
	if got, err := c.Get(ctx, key).Result(); err != nil || got != "v" {
		t.Errorf("GET = %q, %v; want v", got, err)
	}
}

func TestRedisPrefixIsUniqueAndCleanedUp(t *testing.T) {
	c := newRedisClient(t, Redis(t))
	var prefixes [2]string
	for i := range prefixes {
		t.Run(fmt.Sprint("test", i), func(t *testing.T) {
			prefixes[i] = RedisPrefix(t)
			for _, k := range []string{"a", "b", "c:d"} {
				if err := c.Set(t.Context(), prefixes[i]+k, "v", time.Minute).Err(); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
	if prefixes[0] == prefixes[1] {
		t.Errorf("two tests got the same prefix %q", prefixes[0])
	}
	for _, p := range prefixes {
		keys, err := c.Keys(t.Context(), p+"*").Result()
		if err != nil {
			t.Fatal(err)
		}
		if len(keys) != 0 {
			t.Errorf("keys left under %s after its test: %v", p, keys)
		}
	}
}
