package sqlstore_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/territory"
	"github.com/hirfa/hirfa/pkg/testenv"
	"github.com/hirfa/hirfa/services/reporting/internal/adapters/sqlstore"
	"github.com/hirfa/hirfa/services/reporting/internal/domain/stats"
)

// TestRegisterStatisticsScale loads HIRFA_BENCH_ARTISANS artisans (e.g.
// 3000000) into PostgreSQL, spread over the 75 provinces, 172 activities,
// 3 categories, 4 states, 2 genders and ten years of registrations, and
// prints the latency of registerStatistics grouped by province (national
// and for one chamber) beside the same GROUP BY on the fact table. It is a
// benchmark (make bench runs it with 3,000,000; without the variable it
// loads 100,000): the figures are reported, never asserted, so no timing
// can make a test run fail.
func BenchmarkRegisterStatisticsScale(b *testing.B) {
	t := b
	n := os.Getenv("HIRFA_BENCH_ARTISANS")
	if n == "" {
		n = "100000"
	}
	ctx := context.Background()
	db, err := store.Open(ctx, testenv.Postgres(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := sqlstore.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	terr, err := territory.Load()
	if err != nil {
		t.Fatal(err)
	}
	var values []string
	for i, p := range terr.Provinces {
		values = append(values, fmt.Sprintf("(%d, '%s', '%s')", i, p.RegionID, p.ID))
	}
	start := time.Now()
	load := `WITH prov(idx, region, province) AS (VALUES ` + strings.Join(values, ", ") + `)
		INSERT INTO registrant_facts SELECT 'ARTISAN', p.region, 'a' || i, p.region, p.province,
			'F' || (1 + i % 2) || '.B' || (i % 13) || '.A' || (i * 7 % 172),
			(ARRAY['GRADUATE','EXPERIENCED','MASTER'])[1 + i % 3], (ARRAY['REGISTERED','REGISTERED','SUSPENDED','APPLICANT'])[1 + (i / 3) % 4],
			(ARRAY['FEMALE','MALE'])[1 + (i / 7) % 2], d, substr(d, 1, 7), 0, 0, 1, 0
		FROM generate_series(1, ` + n + `) i
		JOIN prov p ON p.idx = i % ` + fmt.Sprint(len(values)) + `
		CROSS JOIN LATERAL (SELECT to_char(DATE '2015-01-01' + (i % 3650), 'YYYY-MM-DD') AS d) dd`
	if _, err := db.SQL.ExecContext(ctx, load); err != nil {
		t.Fatal(err)
	}
	if err := sqlstore.NewProjector(db).RebuildCounts(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL.ExecContext(ctx, "ANALYZE"); err != nil {
		t.Fatal(err)
	}
	t.Logf("loaded %s artisans and built the cubes in %s", n, time.Since(start).Round(time.Second))
	st := sqlstore.NewStats(db)
	measure := func(name string, runs int, f func() error) time.Duration {
		var ds []time.Duration
		for i := 0; i < runs; i++ {
			s := time.Now()
			if err := f(); err != nil {
				t.Fatal(err)
			}
			ds = append(ds, time.Since(s))
		}
		slices.Sort(ds)
		p95 := ds[(len(ds)*95+99)/100-1]
		t.Logf("%-48s p50 %8s  p95 %8s  (%d runs)", name, ds[len(ds)/2].Round(10*time.Microsecond), p95.Round(10*time.Microsecond), runs)
		return p95
	}
	national := measure("registerStatistics national by province", 100, func() error {
		rows, err := st.RegisterStatistics(ctx, stats.RegisterQuery{Chamber: stats.Wildcard, Type: "ARTISAN", GroupBy: []string{"province"}})
		if err == nil && len(rows) != len(values) {
			err = fmt.Errorf("%d rows", len(rows))
		}
		return err
	})
	chamber := measure("registerStatistics fes-meknes by province, state", 100, func() error {
		_, err := st.RegisterStatistics(ctx, stats.RegisterQuery{Chamber: "fes-meknes", Type: "ARTISAN", GroupBy: []string{"province", "state"}, Filter: `state = REGISTERED`})
		return err
	})
	measure("registerStatistics national by activity_branch", 20, func() error {
		_, err := st.RegisterStatistics(ctx, stats.RegisterQuery{Chamber: stats.Wildcard, Type: "ARTISAN", GroupBy: []string{"activity_branch"}})
		return err
	})
	base := measure("baseline: GROUP BY province on the facts", 5, func() error {
		rows, err := db.SQL.QueryContext(ctx, "SELECT province, COUNT(*) FROM registrant_facts WHERE registrant_type = 'ARTISAN' AND deleted = 0 GROUP BY province")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
		}
		return rows.Err()
	})
	t.Logf("speed-up at p95: %.0f×", float64(base)/float64(national))
	b.ReportMetric(float64(national.Microseconds())/1000, "national-p95-ms")
	b.ReportMetric(float64(chamber.Microseconds())/1000, "chamber-p95-ms")
	b.ReportMetric(float64(base)/float64(national), "speedup-vs-groupby")
}
