// Command hirfa-load sends a bounded, fixed-rate mix of GetCooperative and
// CreateCooperative calls to the registry, through the REST edge or
// directly over gRPC, retries UNAVAILABLE/503 with the same request_id, and
// reports latencies, failures and (with -verify) whether every acknowledged
// create is present exactly once.
//
//	hirfa-load -rate 200 -duration 30s -creates 0.3 -verify
//	hirfa-load -grpc 127.0.0.1:9101 -rate 500 -duration 10s
//
// Tokens come from -token, or are issued for -role/-chamber with the local
// dev issuer's key (-key, default $HIRFA_AUTH_DEV_KEY_FILE, as make up and
// make run print it).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/auth/devissuer"
	"github.com/hirfa/hirfa/tools/load"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "hirfa-load:", err)
		os.Exit(1)
	}
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("hirfa-load", flag.ContinueOnError)
	httpURL := fs.String("http", envOr("HIRFA_STACK_HTTP", "http://127.0.0.1:8080"), "REST edge base URL")
	grpcAddr := fs.String("grpc", "", "registry gRPC address; when set, calls go there instead of the edge")
	token := fs.String("token", "", "bearer token (default: one issued with -key for -role and -chamber)")
	key := fs.String("key", envOr("HIRFA_AUTH_DEV_KEY_FILE", "var/dev-issuer.pem"), "dev issuer key file")
	role := fs.String("role", string(auth.RoleChamberClerk), "role of the issued token")
	chamber := fs.String("chamber", "fes-meknes", "chamber of the issued token and of the creates")
	rate := fs.Float64("rate", 200, "requests started per second")
	duration := fs.Duration("duration", 30*time.Second, "how long to send")
	creates := fs.Float64("creates", 0.3, "share of creates (the rest are reads)")
	seed := fs.Int("seed", 20, "cooperatives to create before the run, for reads")
	retry := fs.Bool("retry", true, "retry UNAVAILABLE/503/429 with the same request_id (up to 60s)")
	verify := fs.Bool("verify", false, "afterwards, check every acknowledged create is present exactly once")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *token == "" {
		iss, err := devissuer.Load(*key)
		if err != nil {
			return err
		}
		ch := *chamber
		if auth.Role(*role).National() {
			ch = ""
		}
		if *token, err = iss.Issue(devissuer.Claims{Subject: "load@hirfa.local", Role: auth.Role(*role), Chamber: ch, TTL: time.Hour}); err != nil {
			return err
		}
	}
	var c load.Client = load.NewREST(*httpURL, *token, nil)
	target := *httpURL
	if *grpcAddr != "" {
		conn, err := grpc.NewClient(*grpcAddr, grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			return err
		}
		defer conn.Close()
		c, target = load.NewGRPC(conn, *token), "grpc://"+*grpcAddr
	}
	policy := load.NoRetry
	if *retry {
		policy = load.DefaultRetry
	}
	parent := "chambers/" + *chamber

	runID := load.NewRunID()
	var names []string
	for i := range *seed {
		id := fmt.Sprintf("%s-seed%04d", runID, i)
		var co string
		_, err := policy.Do(ctx, func(ctx context.Context) error {
			o, err := c.CreateCooperative(ctx, parent, id, load.NewCooperative(id))
			co = o.GetName()
			return err
		})
		if err != nil {
			return fmt.Errorf("seed: %w", err)
		}
		names = append(names, co)
	}
	fmt.Fprintf(out, "%s: %.0f req/s for %s, %.0f%% creates in %s, retry=%v\n", target, *rate, *duration, *creates*100, parent, *retry)
	rep, err := load.Run(ctx, c, load.Config{Rate: *rate, Duration: *duration, CreateShare: *creates, Parent: parent, RunID: runID, Seed: names, Retry: policy})
	if err != nil {
		return err
	}
	fmt.Fprint(out, rep.Summary())
	for i, f := range rep.Failed() {
		if i == 10 {
			fmt.Fprintf(out, "  … %d failures in all\n", len(rep.Failed()))
			break
		}
		fmt.Fprintf(out, "  failed %s #%d after %d attempts: %v\n", f.Op, f.Seq, f.Attempts, f.Err)
	}
	var problems []error
	if n := len(rep.Failed()); n > 0 {
		problems = append(problems, fmt.Errorf("%d requests failed", n))
	}
	if *verify {
		vctx := context.WithoutCancel(ctx)
		v, err := load.Verify(vctx, c, parent, rep, load.DefaultRetry)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "verification: %s\n", v)
		if !v.OK() {
			problems = append(problems, errors.New("verification failed"))
		}
	}
	return errors.Join(problems...)
}
