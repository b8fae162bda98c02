package service

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/hirfa/hirfa/pkg/auth"
	"github.com/hirfa/hirfa/pkg/latency"
	registryv1 "github.com/hirfa/hirfa/proto/gen/hirfa/registry/v1"
	typev1 "github.com/hirfa/hirfa/proto/gen/hirfa/type/v1"
	"github.com/hirfa/hirfa/services/registry/internal/app"
	"github.com/hirfa/hirfa/services/registry/internal/domain/bulkimport"
	"github.com/hirfa/hirfa/services/registry/internal/domain/coopname/coopnametest"
)

// BenchmarkNameCheckRPC measures the public name check as its callers see
// it: CheckCooperativeName over a loopback gRPC connection, without a
// token, against a registry on PostgreSQL holding 100,000 cooperatives
// (imported from one file, the set-based path, in seconds), at 1 and at 16
// concurrent callers, each reporting p50, p95, p99 and calls/s
// (pkg/latency's Bench). The registry's gRPC server has no rate limit of
// its own (the anonymous limit is the edge's, HIRFA_RATE_LIMITS at the
// gateway), so none is in this path.
//
// Same-run baselines at the same caller counts: the gRPC health Check, an
// RPC doing no work (the transport's, the interceptors' and the machine's
// share of a call). The writing variant adds one clerk creating
// cooperatives back to back while the 16 callers check: each creation
// hands its names to the index (NameCheck.Written), which the checks
// behind it must see without waiting on the writer or on a read of the
// database.
//
//	tools/dev/services.sh run -- go test -run '^$' -bench NameCheckRPC -benchtime 4000x ./services/registry/internal/service/
//
// -benchtime Nx is the number of calls of each sub-benchmark, shared among
// its callers.
func BenchmarkNameCheckRPC(b *testing.B) {
	const held = 100_000
	e := start(b, postgresURL(b))
	r := rand.New(rand.NewPCG(5, 6))
	file := cooperativeNamesFile(r, held)
	e.svc.App.SetImportLimit(len(file) + 1)
	began := time.Now()
	op, err := e.svc.App.StartImport(clerk("fes-meknes"), app.ImportRequest{Chamber: "fes-meknes", Kind: bulkimport.Cooperatives, File: file}, app.Mutation{Method: importMethod})
	if err != nil {
		b.Fatal(err)
	}
	e.svc.App.WaitImports()
	imported := time.Since(began)

	names := registryv1.NewCooperativeNameServiceClient(e.conn)
	health := healthpb.NewHealthClient(e.conn)
	anonymous := context.Background()
	queries := make([]*registryv1.CheckCooperativeNameRequest, 4096)
	for i := range queries {
		if ar := r.IntN(2) == 0; ar {
			queries[i] = &registryv1.CheckCooperativeNameRequest{NameAr: coopnametest.Name(r, true)}
		} else {
			queries[i] = &registryv1.CheckCooperativeNameRequest{NameFr: coopnametest.Name(r, false)}
		}
	}
	check := func(i int) error {
		_, err := names.CheckCooperativeName(anonymous, queries[i%len(queries)])
		return err
	}
	healthCheck := func(int) error {
		_, err := health.Check(anonymous, &healthpb.HealthCheckRequest{})
		return err
	}
	began = time.Now()
	if err := check(0); err != nil { // the first check builds the index
		b.Fatal(err)
	}
	fmt.Printf("name check RPC: %d cooperatives imported in %s (operation %s), index built in %s, %d cores, load average %s\n",
		held, imported.Round(time.Millisecond), op.ID, time.Since(began).Round(time.Millisecond), runtime.NumCPU(), loadAverage())

	for _, callers := range []int{1, 16} {
		b.Run(fmt.Sprintf("callers=%d/health", callers), func(b *testing.B) { latency.Bench(b, latency.Callers{N: callers}, healthCheck) })
		b.Run(fmt.Sprintf("callers=%d/check", callers), func(b *testing.B) { latency.Bench(b, latency.Callers{N: callers}, check) })
	}
	b.Run("callers=16/check/writing", func(b *testing.B) {
		stop := make(chan struct{})
		var created atomic.Int64
		done := make(chan error, 1)
		w := rand.New(rand.NewPCG(7, 8))
		go func() {
			ctx := e.as(b, auth.RoleChamberClerk, "fes-meknes")
			for {
				select {
				case <-stop:
					done <- nil
					return
				default:
				}
				c := newCoop()
				c.Province = "fes"
				c.DisplayName = &typev1.LocalizedText{Ar: coopnametest.Name(w, true), Fr: coopnametest.Name(w, false)}
				if _, err := e.coops().CreateCooperative(ctx, &registryv1.CreateCooperativeRequest{Parent: "chambers/fes-meknes", Cooperative: c}); err != nil {
					done <- err
					return
				}
				created.Add(1)
			}
		}()
		latency.Bench(b, latency.Callers{N: 16}, check)
		close(stop)
		if err := <-done; err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(created.Load()), "created")
	})
}

// cooperativeNamesFile is an import file of rows new cooperatives in
// Fès-Meknès with names drawn from r, none repeated (the file would reject
// a repeated name).
func cooperativeNamesFile(r *rand.Rand, rows int) []byte {
	var f strings.Builder
	f.WriteString("Dénomination (ar),Dénomination,Province,Activité,Date de création,Capital,Valeur de la part,Adhérentes,Adhérents,Certificat négatif\n")
	seen := map[string]bool{}
	for n := 0; n < rows; {
		ar, fr := coopnametest.Name(r, true), coopnametest.Name(r, false)
		if seen[ar] || seen[fr] {
			continue
		}
		seen[ar], seen[fr] = true, true
		fmt.Fprintf(&f, "%s,%s,fes,F1.B02.A01,,5000,100,4,3,\n", ar, fr)
		n++
	}
	return []byte(f.String())
}
