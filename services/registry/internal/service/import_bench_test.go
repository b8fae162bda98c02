package service

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/services/registry/internal/app"
	"github.com/hirfa/hirfa/services/registry/internal/domain/bulkimport"
)

// BenchmarkImportScale imports HIRFA_BENCH_IMPORT_ROWS artisan rows
// (default 300,000; make bench gives 3,000,000) into a fresh registry on
// PostgreSQL (the COPY path) and on SQLite (the row path) and reports rows/s,
// beside the same run's baseline: psql \copy of the same file into a plain
// table of text columns, and the ratio of the two. It breaks the time down:
// a dry run of the same file first (everything but the writes) and, on
// PostgreSQL, psql \copy of the rows the import stored into the same tables
// without and with their indexes (storedBaseline). It then reports the p95 of the
// first page of the documented list filters, national (chambers/-) and for
// the chamber, over the imported register (the keyset indexes of migration
// 0004). HIRFA_BENCH_IMPORT_BIRTH_DATES sets how many birth dates the rows
// share (default 16,800: 50 years).
//
//	tools/dev/services.sh run -- go test -run '^$' -bench ImportScale -benchtime 1x -timeout 60m ./services/registry/internal/service/
func BenchmarkImportScale(b *testing.B) {
	n := 300_000
	if v, err := strconv.Atoi(os.Getenv("HIRFA_BENCH_IMPORT_ROWS")); err == nil && v > 0 {
		n = v
	}
	// Birth dates: by default spread over 50 years, as in a register (a
	// handful of records per date); HIRFA_BENCH_IMPORT_BIRTH_DATES=1 gives
	// every row one date, the duplicate scan's worst case (each imported
	// record compared with the most records of its date).
	dates := 28 * 12 * 50
	if v, err := strconv.Atoi(os.Getenv("HIRFA_BENCH_IMPORT_BIRTH_DATES")); err == nil && v > 0 {
		dates = v
	}
	rows := make([][]string, n)
	for i := range rows {
		rows[i] = importRow(i)
		if i%2 == 1 {
			rows[i][0], rows[i][2], rows[i][5] = "محمد", "Mohamed", "M"
		}
		d := i % dates
		rows[i][6] = fmt.Sprintf("%02d/%02d/%d", d%28+1, (d/28)%12+1, 1950+(d/336)%50)
	}
	file := csvOf(rows)
	path := filepath.Join(b.TempDir(), "artisans.csv")
	if err := os.WriteFile(path, file, 0o600); err != nil {
		b.Fatal(err)
	}
	for _, backend := range []string{"postgres", "sqlite"} {
		b.Run(backend, func(b *testing.B) {
			url := ""
			if backend == "postgres" {
				url = postgresURL(b)
			}
			e := start(b, url)
			// A multi-million-row file is beyond the upload limit of the
			// gRPC transport, which this benchmark does not go through.
			e.svc.App.SetImportLimit(len(file) + 1)
			var rate float64
			for b.Loop() {
				dryRun(b, e, file, n, backend)
				var before pgCounters
				if backend == "postgres" {
					before = readCounters(b, url)
				}
				took := timedImport(b, e, file, n, false)
				rate = float64(n) / took.Seconds()
				b.ReportMetric(rate, "rows/s")
				fmt.Printf("import %s: %d rows in %s = %.0f rows/s (load average %s)\n", backend, n, took.Round(time.Millisecond), float64(n)/took.Seconds(), loadAverage())
				if backend == "postgres" {
					readCounters(b, url).since(before, n)
				}
			}
			if backend == "postgres" {
				base := copyBaseline(b, url, path, n)
				b.ReportMetric(rate/base, "x-copy")
				fmt.Printf("import postgres / psql \\copy: %.3f×\n", rate/base)
				dir := storedBaseline(b, url, n)
				if os.Getenv("HIRFA_BENCH_IMPORT_INDEXES") != "" {
					indexCosts(b, url, dir, n)
				}
			}
			firstPages(b, e, backend)
		})
	}
}

// dryRun imports file as a dry run and prints its rate: reading, parsing
// and every rule, with the set-based look-ups on PostgreSQL, but no writes;
// the import's time beyond it is the writing.
func dryRun(b *testing.B, e *env, file []byte, n int, backend string) {
	took := timedImport(b, e, file, n, true)
	fmt.Printf("dry run %s (read, check, no writes): %d rows in %s = %.0f rows/s (load average %s)\n", backend, n, took.Round(time.Millisecond), float64(n)/took.Seconds(), loadAverage())
}

// timedImport imports file into fes-meknes (a dry run if dry), waits for it
// and returns how long it took; it fails unless all n rows were accepted.
func timedImport(b *testing.B, e *env, file []byte, n int, dry bool) time.Duration {
	start := time.Now()
	op, err := e.svc.App.StartImport(clerk("fes-meknes"), app.ImportRequest{Chamber: "fes-meknes", Kind: bulkimport.Artisans, File: file, DryRun: dry}, app.Mutation{Method: importMethod})
	if err != nil {
		b.Fatal(err)
	}
	e.svc.App.WaitImports()
	took := time.Since(start)
	done, err := e.svc.App.GetImportOperation(clerk("fes-meknes"), resource.Name{Chamber: "fes-meknes", Collection: bulkimport.Collection, ID: op.ID})
	if err != nil {
		b.Fatal(err)
	}
	if done.Summary.Accepted != n {
		b.Fatalf("import %s (dry run %t): %s, %+v, error %q", done.Name(), dry, done.State, done.Summary, done.Error)
	}
	return took
}

// copyBaseline is psql \copy of the same file into a plain table.
func copyBaseline(b *testing.B, dsn, path string, n int) float64 {
	cols := "gn_ar text, fn_ar text, gn text, fn text, cnie text, sex text, born text, province text, activity text, category text, years text"
	if out, err := exec.Command("psql", dsn, "-v", "ON_ERROR_STOP=1", "-c", "CREATE TABLE copy_baseline ("+cols+")").CombinedOutput(); err != nil {
		b.Fatalf("psql: %v %s", err, out)
	}
	start := time.Now()
	if out, err := exec.Command("psql", dsn, "-v", "ON_ERROR_STOP=1", "-c", `\copy copy_baseline FROM '`+path+`' WITH (FORMAT csv, HEADER true)`).CombinedOutput(); err != nil {
		b.Fatalf("psql \\copy: %v %s", err, out)
	}
	took := time.Since(start)
	b.ReportMetric(float64(n)/took.Seconds(), "copy-rows/s")
	fmt.Printf("baseline psql \\copy: %d rows in %s = %.0f rows/s (load average %s)\n", n, took.Round(time.Millisecond), float64(n)/took.Seconds(), loadAverage())
	return float64(n) / took.Seconds()
}

// storedBaseline is psql \copy of the rows the import stored (each table
// it writes, in its own binary form) into a copy of that table without its
// indexes and into one with all of them: the first is the cost of the data
// itself, the second adds index maintenance, the floor of any path that
// writes these tables with these indexes.
func storedBaseline(b *testing.B, dsn string, n int) (dir string) {
	dir = b.TempDir()
	psql := func(cmd string) {
		if out, err := exec.Command("psql", dsn, "-v", "ON_ERROR_STOP=1", "-c", cmd).CombinedOutput(); err != nil {
			b.Fatalf("psql %s: %v %s", cmd, err, out)
		}
	}
	var plain, indexed time.Duration
	for _, table := range []string{"artisans", "outbox", "audit_records", "duplicate_pending"} {
		file := filepath.Join(dir, table+".bin")
		psql(`\copy ` + table + ` TO '` + file + `' WITH (FORMAT binary)`)
		for _, like := range []struct {
			suffix, including string
			took              *time.Duration
		}{{"_plain", "DEFAULTS", &plain}, {"_indexed", "ALL", &indexed}} {
			psql("CREATE TABLE " + table + like.suffix + " (LIKE " + table + " INCLUDING " + like.including + ")")
			start := time.Now()
			psql(`\copy ` + table + like.suffix + ` FROM '` + file + `' WITH (FORMAT binary)`)
			took := time.Since(start)
			*like.took += took
			fmt.Printf("baseline psql \\copy of the stored %s into %s: %s\n", table, table+like.suffix, took.Round(time.Millisecond))
		}
	}
	fmt.Printf("baseline psql \\copy of the stored rows, no indexes: %.0f rows/s; with the tables' indexes: %.0f rows/s (load average %s)\n",
		float64(n)/plain.Seconds(), float64(n)/indexed.Seconds(), loadAverage())
	return dir
}

// psqlValue runs one query with psql and returns its unaligned output.
func psqlValue(b *testing.B, dsn, query string) string {
	out, err := exec.Command("psql", dsn, "-v", "ON_ERROR_STOP=1", "-At", "-c", query).CombinedOutput()
	if err != nil {
		b.Fatalf("psql %s: %v %s", query, err, out)
	}
	return strings.TrimSpace(string(out))
}

// pgCounters are the server's cumulative counters that explain where an
// import's time goes: WAL written (index maintenance and full-page images
// after each checkpoint), checkpoints, and the database's buffer hits and
// reads (reads miss shared_buffers).
type pgCounters struct {
	dsn                                string
	walBytes, checkpoints, hits, reads int64
	fullPages                          int64
}

func readCounters(b *testing.B, dsn string) pgCounters {
	f := strings.Split(psqlValue(b, dsn, `SELECT pg_current_wal_lsn() - '0/0',
		(SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter),
		(SELECT blks_hit FROM pg_stat_database WHERE datname = current_database()),
		(SELECT blks_read FROM pg_stat_database WHERE datname = current_database()),
		(SELECT wal_fpi FROM pg_stat_wal)`), "|")
	var v [5]int64
	for i := range v {
		x, err := strconv.ParseFloat(f[i], 64)
		if err != nil {
			b.Fatalf("counters %q: %v", f, err)
		}
		v[i] = int64(x)
	}
	return pgCounters{dsn: dsn, walBytes: v[0], checkpoints: v[1], hits: v[2], reads: v[3], fullPages: v[4]}
}

// since prints what the server did between before and c, per row of n.
func (c pgCounters) since(before pgCounters, n int) {
	wal := c.walBytes - before.walBytes
	fmt.Printf("import postgres server: WAL %.0f MB (%.0f bytes/row, %d full-page images), %d checkpoints, buffers %d hit / %d read (shared_buffers %s, max_wal_size %s, wal_compression %s)\n",
		float64(wal)/1e6, float64(wal)/float64(n), c.fullPages-before.fullPages, c.checkpoints-before.checkpoints, c.hits-before.hits, c.reads-before.reads,
		setting(c.dsn, "shared_buffers"), setting(c.dsn, "max_wal_size"), setting(c.dsn, "wal_compression"))
}

func setting(dsn, name string) string {
	out, _ := exec.Command("psql", dsn, "-At", "-c", "SHOW "+name).CombinedOutput()
	return strings.TrimSpace(string(out))
}

// indexCosts copies the stored artisans (storedBaseline's file in dir) into
// an empty copy of the table with each of its indexes alone and prints the
// time and WAL each adds to the copy without indexes: which index costs
// the import what (HIRFA_BENCH_IMPORT_INDEXES=1).
func indexCosts(b *testing.B, dsn, dir string, n int) {
	file := filepath.Join(dir, "artisans.bin")
	copyInto := func(create ...string) (time.Duration, int64) {
		psqlValue(b, dsn, "DROP TABLE IF EXISTS artisans_one")
		psqlValue(b, dsn, "CREATE TABLE artisans_one (LIKE artisans INCLUDING DEFAULTS)")
		for _, c := range create {
			psqlValue(b, dsn, c)
		}
		psqlValue(b, dsn, "CHECKPOINT")
		before := readCounters(b, dsn)
		start := time.Now()
		psqlValue(b, dsn, `\copy artisans_one FROM '`+file+`' WITH (FORMAT binary)`)
		took := time.Since(start)
		return took, readCounters(b, dsn).walBytes - before.walBytes
	}
	plain, plainWAL := copyInto()
	fmt.Printf("index cost: no index: %s, WAL %.1f MB (%.0f rows/s)\n", plain.Round(time.Millisecond), float64(plainWAL)/1e6, float64(n)/plain.Seconds())
	defs := strings.Split(psqlValue(b, dsn, `SELECT indexname || '|' || indexdef FROM pg_indexes WHERE tablename = 'artisans' ORDER BY indexname`), "\n")
	var total time.Duration
	for _, d := range defs {
		name, def, _ := strings.Cut(d, "|")
		def = strings.Replace(strings.Replace(def, " ON public.artisans ", " ON public.artisans_one ", 1), " INDEX "+name+" ", " INDEX "+name+"_one ", 1)
		took, wal := copyInto(def)
		total += took - plain
		fmt.Printf("index cost: %-32s +%6s  +%5.1f MB WAL  (%s)\n", name, (took - plain).Round(time.Millisecond), float64(wal-plainWAL)/1e6, def[strings.Index(def, " USING ")+7:])
	}
	fmt.Printf("index cost: sum of the indexes alone +%s over the copy without them (load average %s)\n", total.Round(time.Millisecond), loadAverage())
}

// loadAverage is the machine's 1, 5 and 15 minute load averages, printed
// with each figure: on a shared machine a rate means little without them.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "unknown"
}

// firstPages reports the p95 of 50 first-page reads per filter.
func firstPages(b *testing.B, e *env, backend string) {
	ministry := auth.NewContext(context.Background(), auth.Principal{Subject: "bench", Role: auth.RoleMinistry})
	for _, q := range []struct{ chamber, filter string }{
		{"-", ""}, {"-", "state = APPLICANT"}, {"-", "gender = FEMALE"}, {"-", "state = SUSPENDED"}, {"-", "state = APPLICANT AND gender = MALE"},
		{"fes-meknes", ""}, {"fes-meknes", "gender = FEMALE"}, {"fes-meknes", "state = REGISTERED"},
	} {
		var ds []time.Duration
		for range 50 {
			lq, err := paging.ListQueryOf("chambers/"+q.chamber, 50, "", q.filter, "")
			if err != nil {
				b.Fatal(err)
			}
			start := time.Now()
			if _, err := e.svc.App.ListArtisans(ministry, lq); err != nil {
				b.Fatal(err)
			}
			ds = append(ds, time.Since(start))
		}
		slices.Sort(ds)
		fmt.Printf("first page %s chambers/%s filter %q: p95 %s\n", backend, q.chamber, q.filter, ds[len(ds)*95/100-1].Round(10*time.Microsecond))
	}
}
