package sqlstore_test

import (
	"context"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/testenv"
	"github.com/hirfa/hirfa/services/registry/internal/adapters/sqlstore"
)

// BenchmarkNameSearch measures the first page of display_name:"…" on
// PostgreSQL with HIRFA_BENCH_SEARCH_ARTISANS artisans (300,000 unless set): the
// repository's List, which reads the trigram index, beside the query the
// registry ran before it (the same page with LIKE '%…%' alone, a scan of
// the register), in the same run on the same data. Names: absent, rare
// (about 1 in 4,900 rows) and common (1 in 20), in Latin and Arabic script,
// national (chambers/-) and in the chamber holding 3 in 5 rows. Each case
// reports its p95 in ms.
//
//	tools/dev/services.sh run -- go test -run '^$' -bench NameSearch -benchtime 40x ./services/registry/internal/adapters/sqlstore/
func BenchmarkNameSearch(b *testing.B) {
	n := 300_000
	if v, err := strconv.Atoi(os.Getenv("HIRFA_BENCH_SEARCH_ARTISANS")); err == nil && v > 0 {
		n = v
	}
	ctx := context.Background()
	db, err := store.Open(ctx, testenv.Postgres(b))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = db.Close() })
	if err := sqlstore.Migrate(ctx, db); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	fillArtisans(b, db, n)
	b.Logf("%d artisans filled and analysed in %s", n, time.Since(start).Round(time.Millisecond))
	repo := sqlstore.NewArtisans(db, nil)
	for _, name := range []struct{ what, q string }{
		{"absent-latin", "zerhouniya"}, {"absent-arabic", "زرهونيه"},
		{"rare-latin", "karatai"}, {"rare-arabic", "كاراتاي"},
		{"common-latin", "mohamed"},
	} {
		for _, chamber := range []string{"-", "fes-meknes"} {
			scope := "national"
			if chamber != "-" {
				scope = "chamber"
			}
			b.Run(name.what+"/"+scope+"/indexed", func(b *testing.B) {
				p95(b, func() {
					if _, err := repo.List(ctx, paging.ListQuery{Chamber: chamber, PageSize: 50, Filter: `display_name:"` + name.q + `"`}); err != nil {
						b.Fatal(err)
					}
				})
			})
			b.Run(name.what+"/"+scope+"/like-scan-baseline", func(b *testing.B) {
				q, args := "SELECT chamber, id, revision, create_time, update_time, data FROM artisans WHERE display_key LIKE ?", []any{"%" + name.q + "%"}
				if chamber != "-" {
					q, args = q+" AND chamber = ?", append(args, chamber)
				}
				q = db.Rebind(q + " ORDER BY create_time, chamber, id LIMIT 51")
				p95(b, func() {
					rows, err := db.SQL.QueryContext(ctx, q, args...)
					if err != nil {
						b.Fatal(err)
					}
					for rows.Next() {
					}
					if err := rows.Close(); err != nil {
						b.Fatal(err)
					}
				})
			})
		}
	}
}

// p95 runs op b.N times and reports the 95th percentile of its durations.
func p95(b *testing.B, op func()) {
	took := make([]time.Duration, 0, b.N)
	for b.Loop() {
		t := time.Now()
		op()
		took = append(took, time.Since(t))
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)*95/100].Microseconds())/1000, "p95-ms")
}
