package service

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/hirfa/hirfa/services/registry/internal/app"
	"github.com/hirfa/hirfa/services/registry/internal/domain/bulkimport"
)

// BenchmarkImportCooperativesNameCheck measures what an import of
// cooperatives costs per row once the name check's index is built (2,000
// names), as the import hands each batch's names to it: each iteration
// imports a file of 1,000 new cooperatives. The checking variants run a
// name check every 50 ms meanwhile, whose background reads of the database
// index the imported rows too (all a replica did before the hand-over).
// The per-row path writes each row in its own transaction.
//
//	tools/dev/services.sh run -- go test -run '^$' -bench ImportCooperativesNameCheck -benchtime 3x ./services/registry/internal/service/
func BenchmarkImportCooperativesNameCheck(b *testing.B) {
	for _, backend := range []string{"sqlite", "postgres"} {
		for _, checking := range []bool{false, true} {
			name := backend
			if checking {
				name += "/checking"
			}
			b.Run(name, func(b *testing.B) {
				url := ""
				if backend == "postgres" {
					url = postgresURL(b)
				}
				benchImportNames(b, start(b, url), checking)
			})
		}
	}
}

func benchImportNames(b *testing.B, e *env, checking bool) {
	const rows = 1000
	r := rand.New(rand.NewPCG(9, 10))
	file := func(rows int) []byte { return cooperativeNamesFile(r, rows) }
	run := func(f []byte) {
		if _, err := e.svc.App.StartImport(clerk("fes-meknes"), app.ImportRequest{Chamber: "fes-meknes", Kind: bulkimport.Cooperatives, File: f}, app.Mutation{Method: importMethod}); err != nil {
			b.Fatal(err)
		}
		e.svc.App.WaitImports()
	}
	check := func() {
		if _, err := e.svc.Port.Names.Check(clerk("fes-meknes"), "", "Coopérative Atlas"); err != nil {
			b.Error(err)
		}
	}
	run(file(2000))
	check() // builds the index
	files := make([][]byte, b.N)
	for i := range files {
		files[i] = file(rows)
	}
	stop, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		for checking {
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
				check()
			}
		}
	}()
	b.ResetTimer()
	began := time.Now()
	for _, f := range files {
		run(f)
	}
	took := time.Since(began)
	b.StopTimer()
	close(stop)
	<-stopped
	e.svc.Port.Names.WaitReads()
	b.ReportMetric(float64(took.Microseconds())/float64(b.N*rows), "µs/row")
}
