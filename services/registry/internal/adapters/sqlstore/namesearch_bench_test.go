package sqlstore_test

import (
	"context"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/hirfa/hirfa/pkg/paging"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/testenv"
	"github.com/hirfa/hirfa/services/registry/internal/adapters/sqlstore"
	"github.com/hirfa/hirfa/services/registry/internal/domain/artisan"
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
	db := benchPostgres(b)
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

// BenchmarkFirstPages measures, on PostgreSQL, the first page (50 rows) of
// every documented list filter of the four registers through their
// repositories' List, national (chambers/-) and in the chamber holding 3 in
// 5 rows, with HIRFA_BENCH_LIST_ROWS rows in each register (300,000 unless
// set; filled as fillArtisans describes: 5 states, 50 activities, a
// common, a rare and an absent name). The same-run baseline is a
// primary-key read of one artisan (Get). Each case reports its p95 in ms.
//
//	tools/dev/services.sh run -- go test -run '^$' -bench FirstPages -benchtime 40x ./services/registry/internal/adapters/sqlstore/
func BenchmarkFirstPages(b *testing.B) {
	n := 300_000
	if v, err := strconv.Atoi(os.Getenv("HIRFA_BENCH_LIST_ROWS")); err == nil && v > 0 {
		n = v
	}
	ctx := context.Background()
	db := benchPostgres(b)
	for _, fill := range []struct {
		table string
		fill  func(testing.TB, *store.DB, int)
	}{{"artisans", fillArtisans}, {"cooperatives", fillCooperatives}, {"associations", fillAssociations}, {"enterprises", fillEnterprises}} {
		start := time.Now()
		fill.fill(b, db, n)
		b.Logf("%d %s filled and analysed in %s", n, fill.table, time.Since(start).Round(time.Millisecond))
	}
	artisans := sqlstore.NewArtisans(db, nil)
	b.Run("baseline/artisan-get-by-primary-key", func(b *testing.B) {
		i := 0
		p95(b, func() {
			i++
			id := "f" + strconv.Itoa(1+(i*7919)%n)
			chamber := "rabat-sale-kenitra"
			if (1+(i*7919)%n)%5 < 3 {
				chamber = "fes-meknes"
			}
			if _, err := artisans.Get(ctx, resource.Name{Chamber: chamber, Collection: artisan.Collection, ID: id}); err != nil {
				b.Fatal(err)
			}
		})
	})
	names := []filterCase{
		{"name-absent-latin", `display_name:"zerhouniya"`}, {"name-absent-arabic", `display_name:"زرهونيه"`},
		{"name-rare-latin", `display_name:"karatai"`}, {"name-rare-arabic", `display_name:"كاراتاي"`},
		{"name-common", `display_name:"mohamed"`},
	}
	common := append([]filterCase{
		{"all", ""}, {"province", `province = "rabat"`}, {"create-time", `create_time >= "2023-11-14T22:13:20Z"`},
	}, names...)
	registers := []struct {
		name    string
		list    func(paging.ListQuery) error
		filters []filterCase
	}{
		{"artisans", lister(artisans.List), append([]filterCase{
			{"state", `state = SUSPENDED`}, {"gender", `gender = FEMALE`}, {"state-gender", `state = APPLICANT AND gender = FEMALE`},
			{"activity", `activity = "F1.B02.A7"`}, {"category-absent", `category = MASTER`}, {"nia-absent", `nia = "0101202600001"`},
		}, common...)},
		{"cooperatives", lister(sqlstore.NewCooperatives(db, nil).List), append([]filterCase{
			{"state", `state = DORMANT`}, {"activity", `activity = "F1.B02.A7"`}, {"members", `members >= 7`},
		}, common...)},
		{"associations", lister(sqlstore.NewAssociations(db, nil).List), append([]filterCase{
			{"state", `state = STAGNANT`}, {"category", `category = WOMEN`}, {"category-absent", `category = YOUTH`},
		}, common...)},
		{"enterprises", lister(sqlstore.NewEnterprises(db, nil).List), append([]filterCase{
			{"state", `state = CLOSED`}, {"activity", `activity = "F1.B02.A7"`}, {"ice", `ice = "ICE4242"`},
			{"supervising-artisan", `supervising_artisan = "chambers/fes-meknes/artisans/f4242"`},
		}, common...)},
	}
	for _, r := range registers {
		for _, f := range r.filters {
			for _, chamber := range []string{"-", "fes-meknes"} {
				scope := "national"
				if chamber != "-" {
					scope = "chamber"
				}
				b.Run(r.name+"/"+f.name+"/"+scope, func(b *testing.B) {
					p95(b, func() {
						if err := r.list(paging.ListQuery{Chamber: chamber, PageSize: 50, Filter: f.filter}); err != nil {
							b.Fatalf("%s: %v", f.filter, err)
						}
					})
				})
			}
		}
	}
}

// filterCase is a named list filter of BenchmarkFirstPages.
type filterCase struct{ name, filter string }

// lister drops the page of a repository's List: the benchmark times it.
func lister[T any](list func(context.Context, paging.ListQuery) (paging.Page[T], error)) func(paging.ListQuery) error {
	return func(q paging.ListQuery) error {
		_, err := list(context.Background(), q)
		return err
	}
}

// benchPostgres opens and migrates the benchmarks' PostgreSQL database.
func benchPostgres(b *testing.B) *store.DB {
	ctx := context.Background()
	db, err := store.Open(ctx, testenv.Postgres(b))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = db.Close() })
	if err := sqlstore.Migrate(ctx, db); err != nil {
		b.Fatal(err)
	}
	return db
}
