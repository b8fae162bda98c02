package testenv

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Postgres returns a DSN for a new, empty database that only this test uses.
// The database is dropped, even with connections still open, when the test
// ends. It has UTF-8 encoding and the C collation, whatever the server's
// defaults, so that sort orders are the same on every machine.
func Postgres(t testing.TB) string {
	t.Helper()
	srv := acquire(t, &postgresServer, "PostgreSQL", EnvPostgresDSN, startPostgres)
	if srv == nil {
		return ""
	}
	name := "hirfa_t_" + randomHex(8)
	dsn, err := withDatabase(srv.url, name)
	if err != nil {
		t.Fatalf("testenv: %s: %v", EnvPostgresDSN, err)
		return ""
	}

	ident := pgx.Identifier{name}.Sanitize()
	// template0 guarantees an empty database even on a shared server whose
	// template1 holds objects.
	create := "CREATE DATABASE " + ident + " TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"
	if err := adminExec(t.Context(), srv.url, create); err != nil {
		t.Fatalf("testenv: create test database: %v", err)
		return ""
	}
	t.Cleanup(func() {
		// The test's context is already cancelled when cleanups run.
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := adminExec(ctx, srv.url, "DROP DATABASE IF EXISTS "+ident+" WITH (FORCE)"); err != nil {
			t.Errorf("testenv: drop test database: %v", err)
		}
	})
	return dsn
}

// adminExec runs one statement on its own connection to the server's
// administrative database.
func adminExec(ctx context.Context, dsn, sql string) (err error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer func() {
		if cerr := conn.Close(context.WithoutCancel(ctx)); cerr != nil && err == nil {
			err = fmt.Errorf("close: %w", cerr)
		}
	}()
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("exec: %w", err)
	}
	return nil
}

// withDatabase returns dsn pointing at database name instead. It accepts
// both URL (postgres://...) and keyword/value (host=... user=...) forms.
func withDatabase(dsn, name string) (string, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			return "", fmt.Errorf("parse DSN: %w", err)
		}
		u.Path = "/" + name
		u.RawPath = ""
		q := u.Query()
		if q.Has("dbname") { // libpq lets a dbname parameter override the path
			q.Set("dbname", name)
			u.RawQuery = q.Encode()
		}
		return u.String(), nil
	}
	if strings.Contains(dsn, "://") {
		return "", fmt.Errorf("DSN is neither a postgres:// URL nor keyword/value pairs")
	}
	// In keyword/value form the last setting of a keyword wins.
	return strings.TrimSpace(dsn + " dbname=" + name), nil
}

// postgresBinDir finds the directory with initdb and pg_ctl: HIRFA_PG_BINDIR,
// else the highest version under /usr/lib/postgresql (Debian's layout), else
// the directory of initdb on PATH.
func postgresBinDir() (string, error) {
	if dir := os.Getenv("HIRFA_PG_BINDIR"); dir != "" {
		return dir, nil
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb") // the pattern is valid
	if len(matches) > 0 {
		slices.SortFunc(matches, func(a, b string) int {
			return compareVersions(versionOf(a), versionOf(b))
		})
		return filepath.Dir(matches[len(matches)-1]), nil
	}
	initdb, err := exec.LookPath("initdb")
	if err != nil {
		return "", errors.New("PostgreSQL binaries not found (install the postgresql package, or set HIRFA_PG_BINDIR)")
	}
	return filepath.Dir(initdb), nil
}

// versionOf returns the version directory of a /usr/lib/postgresql/V/bin/x path.
func versionOf(path string) string {
	return filepath.Base(filepath.Dir(filepath.Dir(path)))
}

// compareVersions compares dotted numeric versions such as "9.6" and "15".
func compareVersions(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < max(len(as), len(bs)); i++ {
		var x, y int
		if i < len(as) {
			x, _ = strconv.Atoi(as[i]) // a non-number sorts as 0
		}
		if i < len(bs) {
			y, _ = strconv.Atoi(bs[i])
		}
		if x != y {
			return x - y
		}
	}
	return 0
}

// startPostgres initialises a cluster in a temporary directory and starts it
// on a free port. As root, initdb and pg_ctl run as the postgres user, since
// they refuse to run as root.
func startPostgres(ctx context.Context) (_ *server, err error) {
	bin, err := postgresBinDir()
	if err != nil {
		return nil, err
	}
	var asPG []string // command prefix that runs a program as the postgres user
	dir, err := os.MkdirTemp("", "hirfa-testenv-pg-")
	if err != nil {
		return nil, fmt.Errorf("temp dir: %w", err)
	}
	if os.Geteuid() == 0 {
		asPG = []string{"runuser", "-u", "postgres", "--"}
		if err := chownToPostgres(dir); err != nil {
			_ = os.RemoveAll(dir)
			return nil, err
		}
	}
	data := filepath.Join(dir, "data")
	logFile := filepath.Join(dir, "postgres.log")
	pgctl := filepath.Join(bin, "pg_ctl")

	// Arm the cleanup before anything can be left running.
	stop := shellJoin(append(slices.Clone(asPG), pgctl, "-D", data, "-m", "fast", "-w", "-t", "30", "stop")...)
	wd, err := startWatchdog(stop + " >/dev/null 2>&1; rm -rf " + shellQuote(dir))
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	defer func() {
		if err != nil {
			// The start error says more than a cleanup error would. The
			// watchdog removes dir; removing it here too covers a watchdog
			// that could not run its commands.
			_ = wd.stop(time.Minute)
			_ = os.RemoveAll(dir)
		}
	}()

	if err := initCluster(ctx, bin, asPG, data); err != nil {
		return nil, err
	}
	if err := appendFile(filepath.Join(data, "postgresql.conf"), postgresConf); err != nil {
		return nil, err
	}

	for range 5 {
		var port int
		port, err = freePort()
		if err != nil {
			return nil, err
		}
		err = pgCtlStart(ctx, asPG, pgctl, data, logFile, port)
		if err == nil {
			dsn := fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
			return &server{url: dsn, stop: func() error { return wd.stop(time.Minute) }}, nil
		}
		if !errors.Is(err, errPortTaken) {
			return nil, err
		}
	}
	return nil, err
}

// initdbArgs are the initdb options besides -D. They are part of the
// cluster cache key, in the same way as tools/dev/services.sh computes it,
// so both share one cache.
var initdbArgs = []string{"-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"}

// initCluster creates a new cluster in data: a copy of a cached pristine
// cluster when there is one, else a run of initdb whose result is then
// cached. initdb takes seconds on a busy machine; copying takes a fraction.
// The cache is only a shortcut: any trouble with it falls back to initdb.
func initCluster(ctx context.Context, bin string, asPG []string, data string) error {
	cache := clusterCacheDir(ctx, bin)
	if cache != "" {
		if _, err := os.Stat(filepath.Join(cache, "PG_VERSION")); err == nil {
			// As root, cp -a keeps the files owned by postgres.
			if err := run(ctx, "cp", "-a", cache, data); err == nil {
				return nil
			}
			_ = os.RemoveAll(data)
		}
	}
	argv := append(slices.Clone(asPG), filepath.Join(bin, "initdb"), "-D", data)
	if err := run(ctx, append(argv, initdbArgs...)...); err != nil {
		return fmt.Errorf("initdb: %w", err)
	}
	if cache != "" {
		saveClusterCache(ctx, data, cache)
	}
	return nil
}

// clusterCacheDir returns where a pristine cluster made by this PostgreSQL
// build and initdbArgs is cached, or "" when there is no cache directory.
func clusterCacheDir(ctx context.Context, bin string) string {
	base, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	out, err := exec.CommandContext(ctx, filepath.Join(bin, "postgres"), "--version").Output()
	if err != nil {
		return ""
	}
	key := bin + "|" + strings.TrimSpace(string(out)) + "|" + strings.Join(initdbArgs, " ")
	sum := sha256.Sum256([]byte(key))
	return filepath.Join(base, "hirfa", "pg-cluster-"+hex.EncodeToString(sum[:8]))
}

// saveClusterCache copies a fresh cluster into the cache. The copy is made
// under a temporary name and renamed into place, so concurrent test binaries
// never see half a cluster; the loser of a race drops its copy.
func saveClusterCache(ctx context.Context, data, cache string) {
	if err := os.MkdirAll(filepath.Dir(cache), 0o755); err != nil {
		return
	}
	tmp := cache + ".tmp-" + randomHex(4)
	if err := run(ctx, "cp", "-a", data, tmp); err != nil {
		_ = os.RemoveAll(tmp)
		return
	}
	if err := os.Rename(tmp, cache); err != nil {
		_ = os.RemoveAll(tmp)
	}
}

// postgresConf is appended to a throwaway cluster's postgresql.conf. Its data
// is disposable, so crash safety is traded for speed; no Unix socket, as the
// DSN uses TCP and socket paths have a short length limit.
const postgresConf = `
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
`

func pgCtlStart(ctx context.Context, asPG []string, pgctl, data, logFile string, port int) error {
	argv := append(slices.Clone(asPG), pgctl, "-D", data, "-l", logFile, "-w", "-t", "60", "-o", "-p "+strconv.Itoa(port), "start")
	if err := run(ctx, argv...); err != nil {
		tail := logTail(logFile, 15)
		if strings.Contains(tail, "could not bind") || strings.Contains(tail, "already in use") {
			return fmt.Errorf("%w: %d", errPortTaken, port)
		}
		return fmt.Errorf("pg_ctl start: %w\n%s", err, tail)
	}
	return nil
}

func chownToPostgres(dir string) error {
	u, err := user.Lookup("postgres")
	if err != nil {
		return fmt.Errorf("running as root needs the postgres user: %w", err)
	}
	uid, err := strconv.Atoi(u.Uid)
	if err != nil {
		return fmt.Errorf("postgres uid: %w", err)
	}
	gid, err := strconv.Atoi(u.Gid)
	if err != nil {
		return fmt.Errorf("postgres gid: %w", err)
	}
	if err := os.Chown(dir, uid, gid); err != nil {
		return fmt.Errorf("chown temp dir: %w", err)
	}
	return nil
}

func appendFile(path, text string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("open %s: %w", filepath.Base(path), err)
	}
	if _, err := f.WriteString(text); err != nil {
		_ = f.Close()
		return fmt.Errorf("write %s: %w", filepath.Base(path), err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", filepath.Base(path), err)
	}
	return nil
}
