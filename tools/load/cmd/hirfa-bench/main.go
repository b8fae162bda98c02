// Command hirfa-bench measures the registry in one run, closed loop (each
// worker sends its next call when the previous one answered), and prints a
// table: a bare gRPC health Check as the baseline of the process layout,
// GetChamber (public) without and with a token (the cost of
// authentication), GetCooperative over gRPC, the same Get through the REST
// edge (and the REST/gRPC ratio), and CreateCooperative at 16 and 32
// concurrent callers.
// With the processes' pids (-stack, -pg) it also shows where the CPU time
// goes: registry, gateway, PostgreSQL and the benchmark itself, per
// request. deploy/local/bench.sh (make bench) starts a stack and runs it.
//
//	hirfa-bench -http http://127.0.0.1:8080 -grpc 127.0.0.1:9101 -key var/dev-issuer.pem
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"syscall"
	"text/tabwriter"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/auth/devissuer"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	"github.com/hirfa/hirfa/tools/load"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "hirfa-bench:", err)
		os.Exit(1)
	}
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// scenario is one row of the table.
type scenario struct {
	name    string
	workers int
	op      func(ctx context.Context, worker, call int) error
}

type row struct {
	scenario
	res load.ClosedResult
	cpu map[string]time.Duration // per process group, during the window
	// busy is the share of the machine's CPU in use during the window.
	busy float64
	// pg is the PostgreSQL server's CPU during the window by database
	// (client backends) or process type (the server's own processes).
	pg map[string]time.Duration
}

type config struct {
	httpURL, grpcAddr, key, stackDir, pgDSN string
	duration, warmup                        time.Duration
	workers, conns, seed                    int
	only                                    string
}

func run(ctx context.Context, args []string, out io.Writer) error {
	var c config
	fs := flag.NewFlagSet("hirfa-bench", flag.ContinueOnError)
	fs.StringVar(&c.httpURL, "http", envOr("HIRFA_STACK_HTTP", "http://127.0.0.1:8080"), "REST edge base URL")
	fs.StringVar(&c.grpcAddr, "grpc", envOr("HIRFA_STACK_REGISTRY_ADDR", "127.0.0.1:9101"), "registry gRPC address")
	fs.StringVar(&c.key, "key", envOr("HIRFA_AUTH_DEV_KEY_FILE", "var/dev-issuer.pem"), "dev issuer key file")
	fs.StringVar(&c.stackDir, "stack", envOr("HIRFA_STACK_DIR", ""), "up.sh state directory, to read the services' pids (CPU accounting)")
	fs.StringVar(&c.pgDSN, "pg", envOr("HIRFA_STACK_POSTGRES_URL", ""), "PostgreSQL DSN, to find the server's processes (CPU accounting)")
	fs.DurationVar(&c.duration, "duration", 10*time.Second, "measured time per scenario")
	fs.DurationVar(&c.warmup, "warmup", 2*time.Second, "unmeasured time before each scenario")
	fs.IntVar(&c.workers, "workers", 32, "concurrent callers of the read scenarios")
	fs.IntVar(&c.conns, "conns", 4, "gRPC connections the callers share")
	fs.IntVar(&c.seed, "seed", 200, "cooperatives created before the reads")
	fs.StringVar(&c.only, "only", "", "run only the scenarios whose name contains this")
	if err := fs.Parse(args); err != nil {
		return err
	}
	iss, err := devissuer.Load(c.key)
	if err != nil {
		return err
	}
	tok, err := iss.Issue(devissuer.Claims{Subject: "bench@hirfa.local", Role: auth.RoleChamberClerk, Chamber: "fes-meknes", TTL: time.Hour})
	if err != nil {
		return err
	}
	conns := make([]*grpc.ClientConn, c.conns)
	for i := range conns {
		// Plain clients without a retry policy: the numbers are those of
		// single calls.
		if conns[i], err = grpc.NewClient(c.grpcAddr, grpc.WithTransportCredentials(insecure.NewCredentials())); err != nil {
			return err
		}
		defer conns[i].Close()
	}
	conn := func(w int) *grpc.ClientConn { return conns[w%len(conns)] }
	rest := load.NewREST(c.httpURL, tok, nil)
	const parent = "chambers/fes-meknes"

	names, err := seed(ctx, load.NewGRPC(conns[0], tok), parent, c.seed)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "seeded %d cooperatives; %d s per scenario after %s warm-up, %d gRPC connections\n\n",
		len(names), int(c.duration.Seconds()), c.warmup, c.conns)

	pick := func(w, i int) string { return names[(w*7919+i)%len(names)] }
	runID := load.NewRunID()
	var seq atomic.Int64
	create := func(cl load.Client) func(ctx context.Context, w, i int) error {
		return func(ctx context.Context, w, i int) error {
			id := fmt.Sprintf("%s-%08d", runID, seq.Add(1))
			_, err := cl.CreateCooperative(ctx, parent, id, load.NewCooperative(id))
			return err
		}
	}
	grpcClients := make([]*load.GRPC, c.conns)
	for i := range grpcClients {
		grpcClients[i] = load.NewGRPC(conns[i], tok)
	}
	grpcCreate := func(ctx context.Context, w, i int) error { return create(grpcClients[w%len(grpcClients)])(ctx, w, i) }

	scenarios := []scenario{
		{"health Check (gRPC, baseline)", c.workers, func(ctx context.Context, w, _ int) error {
			_, err := healthpb.NewHealthClient(conn(w)).Check(ctx, &healthpb.HealthCheckRequest{})
			return err
		}},
		{"GetChamber (gRPC, public: no token)", c.workers, func(ctx context.Context, w, _ int) error {
			_, err := registryv1.NewReferenceServiceClient(conn(w)).GetChamber(ctx, &registryv1.GetChamberRequest{Name: parent})
			return err
		}},
		{"GetChamber (gRPC, with token)", c.workers, func(ctx context.Context, w, _ int) error {
			_, err := registryv1.NewReferenceServiceClient(conn(w)).GetChamber(load.Authorize(ctx, tok), &registryv1.GetChamberRequest{Name: parent})
			return err
		}},
		{"GetCooperative (gRPC)", c.workers, func(ctx context.Context, w, i int) error {
			_, err := grpcClients[w%len(grpcClients)].GetCooperative(ctx, pick(w, i))
			return err
		}},
		{"GetCooperative (REST edge)", c.workers, func(ctx context.Context, w, i int) error {
			_, err := rest.GetCooperative(ctx, pick(w, i))
			return err
		}},
		{"GetChamber (REST edge, public)", c.workers, func(ctx context.Context, w, _ int) error {
			return rest.Do(ctx, "GET", "/v1/"+parent, nil, nil, &registryv1.Chamber{})
		}},
		{"CreateCooperative (gRPC)", 16, grpcCreate},
		{"CreateCooperative (gRPC)", 32, grpcCreate},
		{"CreateCooperative (REST edge)", 32, create(rest)},
	}

	groups, note := processGroups(ctx, c)
	if note != "" {
		fmt.Fprintln(out, note)
	}
	var rows []row
	for _, s := range scenarios {
		if c.only != "" && !strings.Contains(s.name, c.only) {
			continue
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		rows = append(rows, measure(ctx, c, s, groups))
		r := rows[len(rows)-1]
		fmt.Fprintf(out, "  done: %-36s %3d workers %8.0f/s\n", r.name, r.workers, r.res.PerSecond())
	}
	fmt.Fprintln(out)
	full, cached := tokenCost(iss, tok)
	printTable(out, rows, groups, full, cached)
	for _, r := range rows {
		if r.res.Errors > 0 {
			return fmt.Errorf("%s: %d errors, first: %v", r.name, r.res.Errors, r.res.FirstErr)
		}
	}
	return nil
}

// seed creates n cooperatives to read.
func seed(ctx context.Context, c load.Client, parent string, n int) ([]string, error) {
	runID := load.NewRunID()
	names := make([]string, 0, n)
	for i := range n {
		id := fmt.Sprintf("%s-seed%05d", runID, i)
		var name string
		_, err := load.DefaultRetry.Do(ctx, func(ctx context.Context) error {
			out, err := c.CreateCooperative(ctx, parent, id, load.NewCooperative(id))
			name = out.GetName()
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("seed: %w", err)
		}
		names = append(names, name)
	}
	if len(names) == 0 {
		return nil, errors.New("seed: at least one cooperative is needed")
	}
	return names, nil
}

// processGroups lists the processes whose CPU time is accounted, as far
// as they can be found; the note says what is missing.
func processGroups(ctx context.Context, c config) ([]procGroup, string) {
	groups := []procGroup{{name: "bench", pid: os.Getpid()}}
	var missing []string
	for _, name := range []string{"registry", "gateway"} {
		if c.stackDir == "" {
			missing = append(missing, name)
			continue
		}
		pid, err := readPid(filepath.Join(c.stackDir, name+".pid"))
		if err != nil {
			missing = append(missing, name)
			continue
		}
		groups = append(groups, procGroup{name: name, pid: pid})
	}
	if c.pgDSN == "" {
		missing = append(missing, "postgres")
	} else if pm, err := postmaster(ctx, c.pgDSN); err != nil {
		missing = append(missing, "postgres ("+err.Error()+")")
	} else {
		groups = append(groups, procGroup{name: "postgres", pid: pm, children: true})
	}
	if len(missing) > 0 {
		return groups, "CPU accounting without: " + strings.Join(missing, ", ") + " (pass -stack and -pg)"
	}
	return groups, ""
}

func measure(ctx context.Context, c config, s scenario, groups []procGroup) row {
	before := map[string]time.Duration{}
	var busy0, total0 time.Duration
	var pg0 map[int]pgProcess
	// Snapshot CPU counters when the measured window opens: after warm-up.
	snapped := make(chan struct{})
	snap := time.AfterFunc(c.warmup, func() {
		defer close(snapped)
		for _, g := range groups {
			before[g.name], _ = cpuTime(g)
		}
		busy0, total0, _ = machineBusy()
		if c.pgDSN != "" {
			pg0, _ = pgProcesses(ctx, c.pgDSN)
		}
	})
	res := load.Closed(ctx, s.workers, c.warmup, c.duration, s.op)
	r := row{scenario: s, res: res, cpu: map[string]time.Duration{}}
	if snap.Stop() {
		return r // ended before the window opened
	}
	<-snapped
	for _, g := range groups {
		if t, err := cpuTime(g); err == nil {
			r.cpu[g.name] = t - before[g.name]
		}
	}
	if pg0 != nil {
		if pg1, err := pgProcesses(ctx, c.pgDSN); err == nil {
			r.pg = pgSplit(pg0, pg1)
		}
	}
	if busy1, total1, err := machineBusy(); err == nil && total1 > total0 {
		r.busy = float64(busy1-busy0) / float64(total1-total0)
	}
	return r
}

// tokenCost times verifying the benchmark's token in this process on one
// core: in full (ES256 signature and claims, what a service pays for a
// token it has not seen) and from the verified-token cache the services
// keep (HIRFA_AUTH_CACHE_TTL).
func tokenCost(iss *devissuer.Issuer, tok string) (full, cached time.Duration) {
	timeIt := func(cacheTTL time.Duration) time.Duration {
		cfg := iss.VerifierConfig()
		cfg.CacheTTL = cacheTTL
		v, err := auth.NewVerifier(cfg)
		if err != nil {
			return 0
		}
		const n = 2000
		start := time.Now()
		for range n {
			if _, err := v.Verify(context.Background(), tok); err != nil {
				return 0
			}
		}
		return time.Since(start) / n
	}
	return timeIt(0), timeIt(time.Minute)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f", float64(d)/float64(time.Millisecond)) }

func printTable(out io.Writer, rows []row, groups []procGroup, verifyFull, verifyCached time.Duration) {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := "scenario\tworkers\treq/s\tp50 ms\tp99 ms\terrors\tmachine busy\t"
	for _, g := range groups {
		head += g.name + " CPU µs/req\t"
	}
	fmt.Fprintln(tw, head)
	for _, r := range rows {
		line := fmt.Sprintf("%s\t%d\t%.0f\t%s\t%s\t%d\t%.0f%%\t", r.name, r.workers, r.res.PerSecond(), ms(r.res.Latency.P50), ms(r.res.Latency.P99), r.res.Errors, 100*r.busy)
		for _, g := range groups {
			per := "-"
			if t, ok := r.cpu[g.name]; ok && r.res.Latency.Count > 0 {
				per = fmt.Sprintf("%.1f", float64(t.Microseconds())/float64(r.res.Latency.Count))
			}
			line += per + "\t"
		}
		fmt.Fprintln(tw, line)
	}
	_ = tw.Flush()

	find := func(name string, workers int) *row {
		for i := range rows {
			if rows[i].name == name && (workers == 0 || rows[i].workers == workers) {
				return &rows[i]
			}
		}
		return nil
	}
	fmt.Fprintln(out)
	fmt.Fprintf(out, "(CPU µs/req: CPU time each process spent per request in the window; machine busy: share of\n all cores in use during the window, other work on the machine included)\n\n")
	for _, r := range rows {
		if r.pg == nil || r.res.Latency.Count == 0 || !strings.HasPrefix(r.name, "Create") {
			continue
		}
		labels := make([]string, 0, len(r.pg))
		for l, t := range r.pg {
			if t > 0 {
				labels = append(labels, l)
			}
		}
		sort.Slice(labels, func(i, j int) bool { return r.pg[labels[i]] > r.pg[labels[j]] })
		parts := make([]string, len(labels))
		for i, l := range labels {
			parts[i] = fmt.Sprintf("%s %.0f", l, float64(r.pg[l].Microseconds())/float64(r.res.Latency.Count))
		}
		fmt.Fprintf(out, "postgres CPU µs/req by database or process, %s at %d callers: %s\n", r.name, r.workers, strings.Join(parts, ", "))
	}
	fmt.Fprintln(out)
	g, rs := find("GetCooperative (gRPC)", 0), find("GetCooperative (REST edge)", 0)
	if g != nil {
		fmt.Fprintf(out, "target Get ≥ 5000/s with p99 ≤ 20 ms: %.0f/s p99 %s ms → %s\n", g.res.PerSecond(), ms(g.res.Latency.P99),
			verdict(g.res.PerSecond() >= 5000 && g.res.Latency.P99 <= 20*time.Millisecond))
	}
	if g != nil && rs != nil && g.res.PerSecond() > 0 {
		ratio := rs.res.PerSecond() / g.res.PerSecond()
		fmt.Fprintf(out, "target REST ≥ 50%% of gRPC for this Get: %.0f%% → %s\n", 100*ratio, verdict(ratio >= 0.5))
	}
	for _, w := range []int{16, 32} {
		if c := find("CreateCooperative (gRPC)", w); c != nil {
			fmt.Fprintf(out, "target Create ≥ 1500/s with p99 ≤ 50 ms (%d callers): %.0f/s p99 %s ms → %s\n", w, c.res.PerSecond(), ms(c.res.Latency.P99),
				verdict(c.res.PerSecond() >= 1500 && c.res.Latency.P99 <= 50*time.Millisecond))
		}
	}
	pub, authd, h := find("GetChamber (gRPC, public: no token)", 0), find("GetChamber (gRPC, with token)", 0), find("health Check (gRPC, baseline)", 0)
	if pub != nil && authd != nil {
		fmt.Fprintf(out, "cost of authentication (GetChamber without → with a token): %.0f/s → %.0f/s, registry CPU %s → %s µs/req\n",
			pub.res.PerSecond(), authd.res.PerSecond(), perReq(pub, "registry"), perReq(authd, "registry"))
	}
	fmt.Fprintf(out, "token verification in this process: %.1f µs in full (ES256), %.1f µs from the verified-token cache\n",
		float64(verifyFull.Nanoseconds())/1000, float64(verifyCached.Nanoseconds())/1000)
	if h != nil && pub != nil && g != nil {
		fmt.Fprintf(out, "registry CPU per request: health %s, GetChamber %s, GetCooperative %s µs (the difference is the database read)\n",
			perReq(h, "registry"), perReq(pub, "registry"), perReq(g, "registry"))
	}
}

func perReq(r *row, group string) string {
	t, ok := r.cpu[group]
	if !ok || r.res.Latency.Count == 0 {
		return "?"
	}
	return fmt.Sprintf("%.0f", float64(t.Microseconds())/float64(r.res.Latency.Count))
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "MISSED"
}
