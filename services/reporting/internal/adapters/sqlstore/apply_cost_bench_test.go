package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"

	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/testenv"
	"github.com/hirfa/hirfa/services/reporting/internal/adapters/sqlstore"
	"github.com/hirfa/hirfa/services/reporting/internal/domain/projection"
)

// BenchmarkApplyBatchCost measures what PostgreSQL's backend spends, in CPU
// time read from /proc, per event when the consumer applies batches of
// cooperative creates (each a registrant and its inventory row) through
// ApplyBatch on one connection, the consumer's own statement set minus its
// processed_events rows; and the same without the inventory row: how much
// of an event that row costs. The server must run on this machine.
//
//	tools/dev/services.sh run -- go test -run '^$' -bench ApplyBatchCost -benchtime 20000x ./services/reporting/internal/adapters/sqlstore/
func BenchmarkApplyBatchCost(b *testing.B) {
	const batch = 100 // events a consumer read carries at a few hundred creates a second
	for _, v := range []struct {
		name         string
		organisation bool
	}{{"cooperatives", true}, {"cooperatives-without-inventory-row", false}} {
		b.Run(v.name, func(b *testing.B) {
			ctx := context.Background()
			db, err := store.Open(ctx, testenv.Postgres(b))
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { _ = db.Close() })
			db.SQL.SetMaxOpenConns(1) // one backend, whose CPU is read
			if err := sqlstore.Migrate(ctx, db); err != nil {
				b.Fatal(err)
			}
			p := sqlstore.NewProjector(db)
			provinces := [][3]string{{"fes-meknes", "fes-meknes", "fes"}, {"fes-meknes", "fes-meknes", "meknes"}, {"marrakech-safi", "marrakech-safi", "marrakech"}}
			change := func(run string, i int) projection.Change {
				pr := provinces[i%len(provinces)]
				r := projection.Registrant{Type: projection.Cooperative, Chamber: pr[0], ID: fmt.Sprintf("%s-%08d", run, i), Region: pr[1],
					Province: pr[2], Activity: fmt.Sprintf("F1.B%02d.A01", i%13), State: "FORMING", RegisterDate: "2026-11-28",
					MembersWomen: 4, MembersMen: 3, Version: 1_780_000_000_000_000 + int64(i)}
				c := projection.Change{Op: projection.Upsert, Registrant: &r}
				if v.organisation {
					c.Organisation = &projection.Organisation{Type: r.Type, Chamber: r.Chamber, ID: r.ID,
						DisplayName: l10n.Text{AR: "تعاونية الاختبار " + r.ID, FR: "Coopérative de charge " + r.ID}, Province: r.Province,
						State: r.State, StateDate: "2026-11-28", FoundedDate: "2020-01-15", Version: r.Version}
				}
				return c
			}
			apply := func(run string, from, n int) error {
				changes := make([]projection.Change, n)
				for i := range changes {
					changes[i] = change(run, from+i)
				}
				return db.Tx(ctx, func(tx *sql.Tx) error { return p.ApplyBatch(ctx, tx, changes) })
			}
			// Warm the connection and the tables.
			for i := range 10 {
				if err := apply("warm", i*batch, batch); err != nil {
					b.Fatal(err)
				}
			}
			report := testenv.BackendCPU(b, ctx, db.SQL)
			run := "r" + resource.NewID()
			b.ResetTimer()
			for done := 0; done < b.N; done += batch {
				if err := apply(run, done, min(batch, b.N-done)); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			report("pg-µs/event")
		})
	}
}
