// Command hirfa-vs-pocketbase measures Hirfa's embedded default (registry on
// SQLite behind the REST edge, rate limits off) beside PocketBase v0.36.0
// (tools/pocketbase: one collection with the cooperative's fields), both
// over REST with bearer tokens, closed loop with the same callers, in one
// run: create and get by id, req/s and p99 side by side with the ratio,
// and the servers' CPU per operation (PocketBase's process; Hirfa's
// registry and gateway together).
//
// It starts and stops every process itself, each on free loopback ports
// with its data in a temporary directory:
//
//	hirfa-vs-pocketbase -registry bin/registry -gateway bin/gateway -pocketbase "$(tools/pocketbase/build.sh)"
//
// deploy/local/bench.sh (make bench) runs it after the PostgreSQL tables.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/auth/devissuer"
	"github.com/hirfa/hirfa/pkg/latency"
	"github.com/hirfa/hirfa/tools/load"
)

const pbPassword = "bench-password-0"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "hirfa-vs-pocketbase:", err)
		os.Exit(1)
	}
}

type config struct {
	registry, gateway, pocketbase string
	workers                       int
	duration, warmup              time.Duration
	keep                          bool
}

func run(ctx context.Context, args []string, out io.Writer) error {
	var c config
	fs := flag.NewFlagSet("hirfa-vs-pocketbase", flag.ContinueOnError)
	fs.StringVar(&c.registry, "registry", "bin/registry", "registry binary")
	fs.StringVar(&c.gateway, "gateway", "bin/gateway", "gateway binary")
	fs.StringVar(&c.pocketbase, "pocketbase", "", "PocketBase binary built by tools/pocketbase/build.sh")
	fs.IntVar(&c.workers, "workers", 32, "concurrent callers")
	fs.DurationVar(&c.duration, "duration", 10*time.Second, "measured time per scenario")
	fs.DurationVar(&c.warmup, "warmup", 2*time.Second, "unmeasured time before each scenario")
	fs.BoolVar(&c.keep, "keep", false, "keep the temporary directory (logs, databases)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if c.pocketbase == "" {
		return errors.New("-pocketbase is required (tools/pocketbase/build.sh prints its path)")
	}
	dir, err := os.MkdirTemp("", "hirfa-vs-pocketbase-")
	if err != nil {
		return err
	}
	if !c.keep {
		defer os.RemoveAll(dir)
	}
	var procs procs
	defer procs.stop()

	// Hirfa's embedded default, reduced to what a cooperative's create and
	// get touch: the registry on SQLite and the edge, rate limits off.
	key := filepath.Join(dir, "dev-issuer.pem")
	iss, err := devissuer.Load(key)
	if err != nil {
		return err
	}
	regAddr, httpAddr, pbAddr := freeAddr(), freeAddr(), freeAddr()
	common := []string{"HIRFA_AUTH_DEV=true", "HIRFA_AUTH_DEV_KEY_FILE=" + key, "HIRFA_LOG_LEVEL=warn"}
	if err := procs.start(dir, "registry", c.registry, nil, append(common, "HIRFA_GRPC_ADDR="+regAddr,
		"HIRFA_DATABASE_URL=sqlite://"+filepath.Join(dir, "registry.db"), "HIRFA_SEED_DEMO=false",
		// The cooperatives are in a sample activity code, without demo records.
		"HIRFA_SAMPLE_NOMENCLATURE=true")); err != nil {
		return err
	}
	if err := procs.start(dir, "gateway", c.gateway, nil, append(common, "HIRFA_HTTP_ADDR="+httpAddr,
		"HIRFA_REGISTRY_ADDR="+regAddr, "HIRFA_RATE_LIMITS=off")); err != nil {
		return err
	}
	if err := procs.start(dir, "pocketbase", c.pocketbase, []string{"serve", "--http", pbAddr, "--dir", filepath.Join(dir, "pb_data")},
		[]string{"PB_BENCH_PASSWORD=" + pbPassword}); err != nil {
		return err
	}
	hirfaURL, pbURL := "http://"+httpAddr, "http://"+pbAddr
	if err := waitOK(ctx, &procs, hirfaURL+"/readyz"); err != nil {
		return err
	}
	if err := waitOK(ctx, &procs, pbURL+"/api/health"); err != nil {
		return err
	}
	tok, err := iss.Issue(devissuer.Claims{Subject: "bench@hirfa.local", Role: auth.RoleChamberClerk, Chamber: "fes-meknes", TTL: time.Hour})
	if err != nil {
		return err
	}
	pbTok, err := pbToken(ctx, pbURL)
	if err != nil {
		return err
	}
	hc := &http.Client{Transport: &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 256, IdleConnTimeout: 90 * time.Second}}
	hirfa := load.NewREST(hirfaURL, tok, hc)
	pb := &pocketbase{base: pbURL, token: pbTok, hc: hc}

	runID := load.NewRunID()
	var seq atomic.Int64
	hirfaNames, pbIDs := &kept{}, &kept{}
	const parent = "chambers/fes-meknes"
	// The servers' CPU per operation holds on a busy machine, where a
	// rate mostly measures waiting for a core: PocketBase's process
	// against Hirfa's two.
	pbProc, hirfaProcs := procs.pids("pocketbase"), procs.pids("registry", "gateway")
	scenarios := []struct {
		name string
		cpu  []int // the processes that serve it
		op   func(ctx context.Context, w, i int) error
	}{
		{"create PocketBase", pbProc, func(ctx context.Context, _, _ int) error {
			id := fmt.Sprintf("%s-%08d", runID, seq.Add(1))
			rid, err := pb.create(ctx, id)
			pbIDs.add(rid)
			return err
		}},
		{"create Hirfa", hirfaProcs, func(ctx context.Context, _, _ int) error {
			id := fmt.Sprintf("%s-%08d", runID, seq.Add(1))
			out, err := hirfa.CreateCooperative(ctx, parent, id, load.NewCooperative(id))
			hirfaNames.add(out.GetName())
			return err
		}},
		{"get by id PocketBase", pbProc, func(ctx context.Context, w, i int) error { return pb.get(ctx, pbIDs.pick(w, i)) }},
		{"get by id Hirfa", hirfaProcs, func(ctx context.Context, w, i int) error {
			_, err := hirfa.GetCooperative(ctx, hirfaNames.pick(w, i))
			return err
		}},
	}
	results := map[string]load.ClosedResult{}
	cpuPerOp := map[string]time.Duration{}
	fmt.Fprintf(out, "Hirfa embedded (registry on SQLite + REST edge, rate limits off) and PocketBase v0.36.0, REST, bearer tokens, %d callers, %s per scenario after %s warm-up\n",
		c.workers, c.duration, c.warmup)
	for _, s := range scenarios {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		// Every operation of the scenario, warm-up included, against
		// the CPU its servers used meanwhile.
		var ops atomic.Int64
		cpu0, err := cpuOf(s.cpu)
		if err != nil {
			return err
		}
		res := load.Closed(ctx, c.workers, c.warmup, c.duration, func(ctx context.Context, w, i int) error {
			ops.Add(1)
			return s.op(ctx, w, i)
		})
		cpu1, err := cpuOf(s.cpu)
		if err != nil {
			return err
		}
		if n := ops.Load(); n > 0 {
			cpuPerOp[s.name] = (cpu1 - cpu0) / time.Duration(n)
		}
		results[s.name] = res
		fmt.Fprintf(out, "  done: %-22s %8.0f/s p99 %s ms, %d errors, server CPU %d µs/op\n", s.name, res.PerSecond(), ms(res.Latency.P99), res.Errors,
			cpuPerOp[s.name].Microseconds())
		if res.Errors > 0 {
			return fmt.Errorf("%s: %d errors, first: %v (logs in %s with -keep)", s.name, res.Errors, res.FirstErr, dir)
		}
	}
	fmt.Fprintln(out)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "operation\tPocketBase req/s\tp99 ms\tCPU µs/op\tHirfa req/s\tp99 ms\tCPU µs/op\tHirfa/PocketBase\tp99 ≤ PocketBase's\t")
	for _, op := range []string{"create", "get by id"} {
		p, h := results[op+" PocketBase"], results[op+" Hirfa"]
		ratio := 0.0
		if p.PerSecond() > 0 {
			ratio = h.PerSecond() / p.PerSecond()
		}
		fmt.Fprintf(tw, "%s\t%.0f\t%s\t%d\t%.0f\t%s\t%d\t%.2f×\t%s\t\n", op, p.PerSecond(), ms(p.Latency.P99), cpuPerOp[op+" PocketBase"].Microseconds(),
			h.PerSecond(), ms(h.Latency.P99), cpuPerOp[op+" Hirfa"].Microseconds(), ratio, yesNo(h.Latency.P99 <= p.Latency.P99))
	}
	return tw.Flush()
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d)/float64(time.Millisecond)) }

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// kept keeps the first ids created, for the get scenarios to read.
type kept struct {
	mu  sync.Mutex
	ids []string
}

func (k *kept) add(id string) {
	if id == "" {
		return
	}
	k.mu.Lock()
	if len(k.ids) < 2000 {
		k.ids = append(k.ids, id)
	}
	k.mu.Unlock()
}

func (k *kept) pick(w, i int) string { return k.ids[(w*7919+i)%len(k.ids)] }

// pocketbase is a REST client of the benchmark's PocketBase collection.
type pocketbase struct {
	base, token string
	hc          *http.Client
}

func (p *pocketbase) do(ctx context.Context, method, path string, body any, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, p.base+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if p.token != "" {
		req.Header.Set("Authorization", "Bearer "+p.token)
	}
	resp, err := p.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, b)
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}

// create records the same cooperative as load.NewCooperative.
func (p *pocketbase) create(ctx context.Context, requestID string) (string, error) {
	c := load.NewCooperative(requestID)
	var out struct{ ID string }
	err := p.do(ctx, "POST", "/api/collections/cooperatives/records", map[string]any{
		"display_name_ar": c.GetDisplayName().GetAr(), "display_name_fr": c.GetDisplayName().GetFr(),
		"activity": c.GetActivity(), "province": c.GetProvince(), "founding_date": c.GetFoundingDate(),
		"capital_centimes": c.GetCapitalCentimes(), "share_value_centimes": c.GetShareValueCentimes(),
		"members_women": c.GetMembersWomen(), "members_men": c.GetMembersMen(), "request_id": requestID,
	}, &out)
	return out.ID, err
}

func (p *pocketbase) get(ctx context.Context, id string) error {
	var out map[string]any
	return p.do(ctx, "GET", "/api/collections/cooperatives/records/"+id, nil, &out)
}

func pbToken(ctx context.Context, base string) (string, error) {
	p := &pocketbase{base: base, hc: http.DefaultClient}
	var out struct{ Token string }
	if err := p.do(ctx, "POST", "/api/collections/users/auth-with-password",
		map[string]string{"identity": "bench@hirfa.local", "password": pbPassword}, &out); err != nil {
		return "", fmt.Errorf("pocketbase token: %w", err)
	}
	return out.Token, nil
}

// procs are the processes this run started.
type procs struct{ list []proc }

type proc struct {
	name string
	cmd  *exec.Cmd
	done chan struct{} // closed when the process has exited
}

func (p *procs) start(dir, name, bin string, args, env []string) error {
	logf, err := os.Create(filepath.Join(dir, name+".log"))
	if err != nil {
		return err
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", name, err)
	}
	pr := proc{name: name, cmd: cmd, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); _ = logf.Close(); close(pr.done) }()
	p.list = append(p.list, pr)
	return nil
}

// pids are the process ids of the processes named.
func (p *procs) pids(names ...string) []int {
	var out []int
	for _, pr := range p.list {
		if slices.Contains(names, pr.name) {
			out = append(out, pr.cmd.Process.Pid)
		}
	}
	return out
}

// cpuOf is the CPU time the processes pids have used together.
func cpuOf(pids []int) (time.Duration, error) {
	var sum time.Duration
	for _, pid := range pids {
		d, err := latency.PidCPU(pid)
		if err != nil {
			return 0, err
		}
		sum += d
	}
	return sum, nil
}

func (p *procs) exited() error {
	for _, pr := range p.list {
		select {
		case <-pr.done:
			return fmt.Errorf("%s exited during start (run with -keep for its log)", pr.name)
		default:
		}
	}
	return nil
}

func (p *procs) stop() {
	for _, pr := range p.list {
		_ = pr.cmd.Process.Signal(os.Interrupt)
	}
	for _, pr := range p.list {
		select {
		case <-pr.done:
		case <-time.After(10 * time.Second):
			_ = pr.cmd.Process.Kill()
			<-pr.done
		}
	}
}

func waitOK(ctx context.Context, p *procs, url string) error {
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
		}
		if err := p.exited(); err != nil {
			return err
		}
		time.Sleep(200 * time.Millisecond)
	}
	return fmt.Errorf("%s did not answer 200 in time", url)
}

// freeAddr returns a loopback address with a port free right now.
func freeAddr() string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer l.Close()
	return l.Addr().String()
}
