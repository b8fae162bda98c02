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
// A case far over the target (seconds a call) stops timing after
// p95Budget and at least p95MinSamples calls, so that one slow case does
// not hold a 3-million-row run for an hour: it then reports the p95 of the
// calls it timed, and how many (samples) whenever that is fewer than b.N.
func p95(b *testing.B, op func()) {
	took := make([]time.Duration, 0, b.N)
	var spent time.Duration
	for b.Loop() {
		if spent > p95Budget && len(took) >= p95MinSamples {
			continue
		}
		t := time.Now()
		op()
		d := time.Since(t)
		took, spent = append(took, d), spent+d
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)*95/100].Microseconds())/1000, "p95-ms")
	if len(took) < b.N {
		b.ReportMetric(float64(len(took)), "samples")
	}
}

const (
	p95Budget     = 20 * time.Second
	p95MinSamples = 5
)

// BenchmarkFirstPages measures, on PostgreSQL, the first page (50 rows) of
// every documented list filter and order of the four registers through
// their repositories' List: national (chambers/-), in the chamber holding 3
// in 5 rows (fes-meknes) and in the smallest one (dakhla-oued-ed-dahab, 1
// in 100). Each register holds HIRFA_BENCH_LIST_ROWS rows (300,000 unless
// set), the artisans HIRFA_BENCH_LIST_ARTISANS (as many unless set: issue
// 11's target is 3,000,000), filled as fillAtScale describes (12 chambers,
// skewed states, categories, activities and names; a common, a rare and an
// absent name). The same-run baseline is a primary-key read of one
// artisan (Get). Each case reports its p95 in ms.
//
//	HIRFA_BENCH_LIST_ARTISANS=3000000 tools/dev/services.sh run -- go test -run '^$' -bench FirstPages -benchtime 40x -timeout 60m ./services/registry/internal/adapters/sqlstore/
func BenchmarkFirstPages(b *testing.B) {
	n := 300_000
	if v, err := strconv.Atoi(os.Getenv("HIRFA_BENCH_LIST_ROWS")); err == nil && v > 0 {
		n = v
	}
	nArtisans := n
	if v, err := strconv.Atoi(os.Getenv("HIRFA_BENCH_LIST_ARTISANS")); err == nil && v > 0 {
		nArtisans = v
	}
	ctx := context.Background()
	db := benchPostgres(b)
	for _, fill := range []struct {
		table string
		rows  int
		fill  func(testing.TB, *store.DB, int, bool)
	}{
		{"artisans", nArtisans, fillArtisansAtScale}, {"cooperatives", n, fillCooperativesAtScale},
		{"associations", n, fillAssociationsAtScale}, {"enterprises", n, fillEnterprisesAtScale},
	} {
		start := time.Now()
		fill.fill(b, db, fill.rows, true)
		b.Logf("%d %s filled, indexed and analysed in %s", fill.rows, fill.table, time.Since(start).Round(time.Millisecond))
	}
	artisans := sqlstore.NewArtisans(db, nil)
	// Artisans to read by primary key, spread over the register.
	var keys []resource.Name
	rows, err := db.SQL.QueryContext(ctx, "SELECT chamber, id FROM artisans TABLESAMPLE SYSTEM (1) LIMIT 1000")
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		k := resource.Name{Collection: artisan.Collection}
		if err := rows.Scan(&k.Chamber, &k.ID); err != nil {
			b.Fatal(err)
		}
		keys = append(keys, k)
	}
	if err := rows.Close(); err != nil || len(keys) == 0 {
		b.Fatalf("%d keys to read: %v", len(keys), err)
	}
	b.Run("baseline/artisan-get-by-primary-key", func(b *testing.B) {
		i := 0
		p95(b, func() {
			i++
			if _, err := artisans.Get(ctx, keys[i%len(keys)]); err != nil {
				b.Fatal(err)
			}
		})
	})
	names := []filterCase{
		{name: "name-absent-latin", filter: `display_name:"zerhouniya"`}, {name: "name-absent-arabic", filter: `display_name:"زرهونيه"`},
		{name: "name-rare-latin", filter: `display_name:"karatai"`}, {name: "name-rare-arabic", filter: `display_name:"كاراتاي"`},
		{name: "name-common", filter: `display_name:"mohamed"`}, {name: "name-common-family", filter: `display_name:"el fassi"`},
		// A family name of about 1 in 170 people: too rare for every
		// trigram to count as common, so read from the trigram index,
		// which fetches all its rows to order them.
		{name: "name-mid-family", filter: `display_name:"bakkali"`},
	}
	common := append([]filterCase{
		{name: "all"}, {name: "province", filter: `province = "rabat"`}, {name: "province-small", filter: `province = "oued-ed-dahab"`},
		{name: "create-time", filter: `create_time >= "2023-11-14T22:13:20Z"`},
		{name: "order-update-time", order: "update_time desc"}, {name: "order-display-name", order: "display_name"},
		{name: "order-display-name-desc", order: "display_name desc"},
	}, names...)
	registers := []struct {
		name    string
		list    func(paging.ListQuery) error
		filters []filterCase
	}{
		{"artisans", lister(artisans.List), append(append([]filterCase{
			{name: "state", filter: `state = SUSPENDED`}, {name: "gender", filter: `gender = FEMALE`},
			{name: "state-gender", filter: `state = APPLICANT AND gender = FEMALE`},
			{name: "activity", filter: `activity = "F1.B02.A7"`}, {name: "activity-rare", filter: `activity = "F1.B02.A49"`},
			{name: "category-rare", filter: `category = MASTER`}, {name: "nia-absent", filter: `nia = "0101202600001"`},
			// Family names dense in their regions (15,000 holders each
			// at 3 million, over the dense threshold) and rare elsewhere:
			// 36 in Fès-Meknès, which the national count calls dense.
			{name: "name-regional-saharan", filter: `display_name:"reguibi"`}, {name: "name-regional-souss", filter: `display_name:"outaleb"`},
			// The first search of a dense name (no density remembered):
			// the count through the trigram index, then the page.
			{name: "name-mid-family-first-call", filter: `display_name:"bakkali"`, firstCall: true},
			{name: "name-common-family-first-call", filter: `display_name:"el fassi"`, firstCall: true},
			{name: "name-regional-first-call", filter: `display_name:"reguibi"`, firstCall: true},
		}, ordered(artisanOrdered)...), common...)},
		{"cooperatives", lister(sqlstore.NewCooperatives(db, nil).List), append([]filterCase{
			{name: "state", filter: `state = DORMANT`}, {name: "activity", filter: `activity = "F1.B02.A7"`},
			{name: "members-dense", filter: `members >= 7`}, {name: "members-rare", filter: `members >= 150`}, {name: "members-absent", filter: `members >= 500`},
			{name: "capital-dense", filter: `capital_centimes >= 500000`}, {name: "capital-rare", filter: `capital_centimes >= 90000000`},
			{name: "capital-absent", filter: `capital_centimes >= 1000000000`},
		}, common...)},
		{"associations", lister(sqlstore.NewAssociations(db, nil).List), append([]filterCase{
			{name: "state", filter: `state = STAGNANT`}, {name: "category", filter: `category = WOMEN`}, {name: "category-absent", filter: `category = YOUTH`},
		}, common...)},
		{"enterprises", lister(sqlstore.NewEnterprises(db, nil).List), append([]filterCase{
			{name: "state", filter: `state = CLOSED`}, {name: "activity", filter: `activity = "F1.B02.A7"`}, {name: "ice", filter: `ice = "ICE4242"`},
			{name: "supervising-artisan", filter: `supervising_artisan = "chambers/fes-meknes/artisans/f4242"`},
		}, common...)},
	}
	for _, r := range registers {
		for _, f := range r.filters {
			for _, scope := range []struct{ name, chamber string }{{"national", "-"}, {"chamber", "fes-meknes"}, {"small-chamber", "dakhla-oued-ed-dahab"}} {
				b.Run(r.name+"/"+f.name+"/"+scope.name, func(b *testing.B) {
					if f.firstCall {
						defer sqlstore.ForgetNameProbes()()
					}
					p95(b, func() {
						if err := r.list(paging.ListQuery{Chamber: scope.chamber, PageSize: 50, Filter: f.filter, OrderBy: f.order}); err != nil {
							b.Fatalf("%s: %v", f.filter, err)
						}
					})
				})
			}
		}
	}
}

// filterCase is a named list filter and order of BenchmarkFirstPages;
// firstCall makes every iteration a name search's first (see
// ForgetNameProbes).
type filterCase struct {
	name, filter, order string
	firstCall           bool
}

// artisanOrdered are the artisans filters BenchmarkFirstPages also reads
// in each documented non-default order (ordered): values rare (1 in 100
// for the activity and the category, a province of the smallest chamber),
// mid-frequency (a state of 1 in 11) and common (7 in 10, 2 in 5), and
// names absent, rare, mid-frequency, common and regional.
var artisanOrdered = []filterCase{
	{name: "activity-rare", filter: `activity = "F1.B02.A49"`}, {name: "category-rare", filter: `category = MASTER`},
	{name: "province-small", filter: `province = "oued-ed-dahab"`},
	{name: "state", filter: `state = SUSPENDED`}, {name: "state-common", filter: `state = REGISTERED`},
	{name: "gender", filter: `gender = FEMALE`}, {name: "state-gender", filter: `state = APPLICANT AND gender = FEMALE`},
	{name: "name-absent", filter: `display_name:"zerhouniya"`}, {name: "name-rare", filter: `display_name:"karatai"`},
	{name: "name-mid-family", filter: `display_name:"bakkali"`}, {name: "name-common", filter: `display_name:"mohamed"`},
	{name: "name-regional", filter: `display_name:"reguibi"`},
	{name: "state-name-rare", filter: `state = REGISTERED AND display_name:"karatai"`},
}

// ordered is each of fs in each non-default order the lists document
// (update_time newest first, display_name), named after both.
func ordered(fs []filterCase) []filterCase {
	var out []filterCase
	for _, o := range []struct{ name, order string }{{"by-update-time-desc", "update_time desc"}, {"by-display-name", "display_name"}} {
		for _, f := range fs {
			f.name, f.order = f.name+"-"+o.name, o.order
			out = append(out, f)
		}
	}
	return out
}

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
