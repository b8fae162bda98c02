package service

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
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
				stop := func() {}
				if backend == "postgres" {
					stop = sampleWaits(b, url)
				}
				took := timedImport(b, e, file, n, false)
				stop()
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
	var set []string
	for _, name := range []string{"shared_buffers", "wal_buffers", "max_wal_size", "wal_compression", "fsync", "synchronous_commit", "full_page_writes"} {
		set = append(set, name+" "+setting(c.dsn, name))
	}
	fmt.Printf("import postgres server: WAL %.0f MB (%.0f bytes/row, %d full-page images), %d checkpoints, buffers %d hit / %d read (%s)\n",
		float64(wal)/1e6, float64(wal)/float64(n), c.fullPages-before.fullPages, c.checkpoints-before.checkpoints, c.hits-before.hits, c.reads-before.reads,
		strings.Join(set, ", "))
}

func setting(dsn, name string) string {
	out, _ := exec.Command("psql", dsn, "-At", "-c", "SHOW "+name).CombinedOutput()
	return strings.TrimSpace(string(out))
}

// indexCosts inserts the stored artisans (storedBaseline's file in dir,
// loaded once into a plain table) into an empty copy of the table with each
// of its indexes alone, and with variants of the trigram index, and prints
// what each adds to the insert without indexes: time, WAL and buffers, as
// EXPLAIN (ANALYZE, BUFFERS, WAL) counts them for that statement alone (the
// server-wide counters also count autovacuum and checkpoints, which on a
// loaded machine drown an index's share). Autovacuum is off on both tables.
// Time is the better of two runs (HIRFA_BENCH_IMPORT_INDEXES=1).
func indexCosts(b *testing.B, dsn, dir string, n int) {
	psqlValue(b, dsn, "CREATE TABLE artisans_src (LIKE artisans INCLUDING DEFAULTS) WITH (autovacuum_enabled = off)")
	psqlValue(b, dsn, `\copy artisans_src FROM '`+filepath.Join(dir, "artisans.bin")+`' WITH (FORMAT binary)`)
	psqlValue(b, dsn, "VACUUM ANALYZE artisans_src")
	type cost struct {
		ms                                  float64
		hit, read, dirtied, walRecords, wal float64
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	// insert runs the statement on one connection and reads that backend's
	// CPU time from /proc around it: on a loaded machine wall time says more
	// about the neighbours than about the index. A statement of create
	// starting with SET is a setting of that session.
	insert := func(create ...string) cost {
		psqlValue(b, dsn, "DROP TABLE IF EXISTS artisans_one")
		psqlValue(b, dsn, "CREATE TABLE artisans_one (LIKE artisans INCLUDING DEFAULTS) WITH (autovacuum_enabled = off)")
		conn, err := db.Conn(ctx)
		if err != nil {
			b.Fatal(err)
		}
		defer conn.Close()
		for _, c := range create {
			if _, err := conn.ExecContext(ctx, c); err != nil {
				b.Fatalf("%s: %v", c, err)
			}
		}
		var pid int
		if err := conn.QueryRowContext(ctx, "SELECT pg_backend_pid()").Scan(&pid); err != nil {
			b.Fatal(err)
		}
		var plan []struct {
			Plan struct {
				Hit     float64 `json:"Shared Hit Blocks"`
				Read    float64 `json:"Shared Read Blocks"`
				Dirtied float64 `json:"Shared Dirtied Blocks"`
				Records float64 `json:"WAL Records"`
				Bytes   float64 `json:"WAL Bytes"`
			}
		}
		var out string
		cpu0 := backendCPU(b, pid)
		if err := conn.QueryRowContext(ctx, "EXPLAIN (ANALYZE, BUFFERS, WAL, FORMAT JSON) INSERT INTO artisans_one SELECT * FROM artisans_src").Scan(&out); err != nil {
			b.Fatal(err)
		}
		cpu := backendCPU(b, pid) - cpu0
		if err := json.Unmarshal([]byte(out), &plan); err != nil || len(plan) != 1 {
			b.Fatalf("explain: %v %s", err, out)
		}
		p := plan[0].Plan
		return cost{float64(cpu.Milliseconds()), p.Hit, p.Read, p.Dirtied, p.Records, p.Bytes}
	}
	insert() // reads artisans_src into shared buffers: the runs measured find it there
	plain := insert()
	fmt.Printf("index cost (backend CPU, WAL and buffers of INSERT … SELECT of the %d stored rows): no index: %.0f ms, %.0f WAL records, %.1f MB WAL, buffers %.0f hit / %.0f read / %.0f dirtied (%.0f rows/s)\n",
		n, plain.ms, plain.walRecords, plain.wal/1e6, plain.hit, plain.read, plain.dirtied, float64(n)/plain.ms*1000)
	defs := strings.Split(psqlValue(b, dsn, `SELECT indexname || '|' || indexdef FROM pg_indexes WHERE tablename = 'artisans' ORDER BY indexname`), "\n")
	// Variants of the trigram index: its pending list off, and larger.
	defs = append(defs,
		"gin_fastupdate_off|CREATE INDEX gin_fastupdate_off ON public.artisans USING gin (name_grams) WITH (fastupdate = off)",
		"gin_pending_16MB|CREATE INDEX gin_pending_16MB ON public.artisans USING gin (name_grams) WITH (gin_pending_list_limit = 16384)",
		"gin_pending_64MB|CREATE INDEX gin_pending_64MB ON public.artisans USING gin (name_grams) WITH (gin_pending_list_limit = 65536)",
		"gin_work_mem_64MB|CREATE INDEX gin_work_mem_64MB ON public.artisans USING gin (name_grams);;SET work_mem = '64MB'",
		// Both, as the import's transactions set them (importSettings in
		// sqlstore): a 64 MB pending list merged 64 MB of work_mem at a
		// time. The merge of what the statement leaves pending (the
		// import's SettleArtisans) is not counted here.
		"gin_pending_64MB_work_mem_64MB|CREATE INDEX gin_pending_64MB_work_mem_64MB ON public.artisans USING gin (name_grams) WITH (gin_pending_list_limit = 65536);;SET work_mem = '64MB'",
		// The duplicate queue's statement trigger (0010), into a scratch
		// queue: its transition table holds the statement's whole rows
		// (spilled to a temporary file beyond work_mem), then one INSERT.
		"duplicate_trigger|"+duplicateTrigger,
		"duplicate_trigger_work_mem_64MB|"+duplicateTrigger+";;SET work_mem = '64MB'")
	// HIRFA_BENCH_IMPORT_INDEXES other than 1 is a regular expression: the
	// indexes and variants to measure.
	var only *regexp.Regexp
	if v := os.Getenv("HIRFA_BENCH_IMPORT_INDEXES"); v != "1" {
		only = regexp.MustCompile(v)
	}
	var total float64
	for _, d := range defs {
		name, def, _ := strings.Cut(d, "|")
		if only != nil && !only.MatchString(name) {
			continue
		}
		if strings.HasPrefix(name, "duplicate_") {
			psqlValue(b, dsn, "DROP TABLE IF EXISTS duplicate_one; CREATE TABLE duplicate_one (LIKE duplicate_pending INCLUDING ALL)")
		}
		def = strings.Replace(strings.Replace(def, " ON public.artisans ", " ON public.artisans_one ", 1), " INDEX "+name+" ", " INDEX "+name+"_one ", 1)
		c := insert(strings.Split(def, ";;")...)
		if strings.HasPrefix(name, "artisans_") {
			total += c.ms - plain.ms
		}
		fmt.Printf("index cost: %-32s %+7.0f ms %+8.0f WAL records %+6.1f MB WAL %+8.0f hit %+6.0f read %+6.0f dirtied  (%s)\n", name,
			c.ms-plain.ms, c.walRecords-plain.walRecords, (c.wal-plain.wal)/1e6, c.hit-plain.hit, c.read-plain.read, c.dirtied-plain.dirtied, def[strings.Index(def, " USING ")+7:])
	}
	if only != nil {
		return
	}
	all := insert(strings.Split(psqlValue(b, dsn, `SELECT replace(replace(indexdef, ' ON public.artisans ', ' ON public.artisans_one '), ' INDEX artisans_', ' INDEX one_artisans_') || ';' FROM pg_indexes WHERE tablename = 'artisans'`), "\n")...)
	fmt.Printf("index cost: sum of the indexes alone %+.0f ms; all of them together %+.0f ms, %+.0f WAL records, %+.1f MB WAL, %+.0f hit, %+.0f read, %+.0f dirtied (load average %s)\n",
		total, all.ms-plain.ms, all.walRecords-plain.walRecords, (all.wal-plain.wal)/1e6, all.hit-plain.hit, all.read-plain.read, all.dirtied-plain.dirtied, loadAverage())
}

// sampleWaits samples, every 50 ms until the returned stop is called, what
// the server's active client backends are doing (their wait event, or
// "on CPU" when they wait for nothing), and stop prints the shares: whether
// an import's backends compute (index maintenance) or wait (WAL, buffers,
// locks), which says whether more parallel batches or server settings can
// help.
func sampleWaits(b *testing.B, dsn string) (stop func()) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		b.Fatal(err)
	}
	done, finished := make(chan struct{}), make(chan map[string]int)
	go func() {
		counts := map[string]int{}
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				finished <- counts
				return
			case <-tick.C:
			}
			rows, err := db.Query(`SELECT coalesce(wait_event_type || ':' || wait_event, 'on CPU') FROM pg_stat_activity
				WHERE backend_type = 'client backend' AND state = 'active' AND pid <> pg_backend_pid()`)
			if err != nil {
				continue
			}
			for rows.Next() {
				var w string
				if rows.Scan(&w) == nil {
					counts[w]++
				}
			}
			rows.Close()
		}
	}()
	return func() {
		close(done)
		counts := <-finished
		db.Close()
		total := 0
		keys := make([]string, 0, len(counts))
		for k, c := range counts {
			total += c
			keys = append(keys, k)
		}
		slices.SortFunc(keys, func(a, b string) int { return counts[b] - counts[a] })
		var parts []string
		for _, k := range keys {
			parts = append(parts, fmt.Sprintf("%s %.0f%%", k, 100*float64(counts[k])/float64(total)))
		}
		fmt.Printf("import postgres backends (%d samples of active backends): %s\n", total, strings.Join(parts, ", "))
	}
}

// duplicateTrigger is migration 0010's trigger on artisans_one, writing
// into duplicate_one.
const duplicateTrigger = `CREATE OR REPLACE FUNCTION duplicate_one() RETURNS trigger AS $$
BEGIN
    INSERT INTO duplicate_one (chamber, id, seq) SELECT chamber, id, 1 FROM changed
    ON CONFLICT (chamber, id) DO UPDATE SET seq = duplicate_one.seq + 1;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER duplicate_one AFTER INSERT ON artisans_one
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION duplicate_one()`

// backendCPU is the CPU time (user and system) of process pid so far.
func backendCPU(b *testing.B, pid int) time.Duration {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		b.Fatal(err)
	}
	// Fields after the command name (which may hold spaces): utime and
	// stime are the 12th and 13th, in clock ticks (100 a second on Linux).
	f := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	ut, _ := strconv.Atoi(f[11])
	st, _ := strconv.Atoi(f[12])
	return time.Duration(ut+st) * 10 * time.Millisecond
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
