package sqlstore_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/latency"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/services/registry/internal/adapters/sqlstore"
	"github.com/hirfa/hirfa/services/registry/internal/domain/cooperative"
)

// BenchmarkSQLiteCooperativeCreate measures the embedded default's create
// as the registry writes it — the cooperative with its indexes and name
// search index, its outbox event, audit record and request key — through
// SQLite's single writer with group commit, from 32 concurrent callers on
// a fresh database. It reports the CPU time per create (cpu-µs/op, the
// figure that holds on a busy machine), the creates per commit, and
// latency.Bench's percentiles and rate. With -cpuprofile it shows where
// the writer's time goes.
//
//	go test -run '^$' -bench SQLiteCooperativeCreate -benchtime 10000x ./services/registry/internal/adapters/sqlstore/
func BenchmarkSQLiteCooperativeCreate(b *testing.B) {
	ctx := context.Background()
	db, err := store.Open(ctx, "sqlite://"+filepath.Join(b.TempDir(), "registry.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = db.Close() })
	if err := sqlstore.Migrate(ctx, db); err != nil {
		b.Fatal(err)
	}
	repo := sqlstore.NewCooperatives(db, nil)
	actor := change.Actor{Subject: "bench@hirfa.local", Role: "chamber-clerk", Chamber: "fes-meknes"}
	writes, commits := db.GroupStats()
	cpu := latency.ProcessCPU()
	latency.Bench(b, latency.Callers{N: 32}, func(i int) error {
		rid := fmt.Sprintf("bench-%08d", i)
		c := &cooperative.Cooperative{DisplayName: l10n.Text{FR: "Coopérative de charge " + rid, AR: "تعاونية الاختبار " + rid},
			Activity: "F1.B02.A01", Province: "fes", CapitalCentimes: 1_500_000, ShareValueCentimes: 10_000,
			MembersWomen: 4, MembersMen: 3, State: cooperative.Forming}
		c.Chamber, c.ID = "fes-meknes", resource.NewID()
		_, err := repo.Create(ctx, c, change.Write{Action: "Created", RequestID: rid,
			Method: "/hirfa.registry.v1.CooperativeService/CreateCooperative", Actor: actor})
		return err
	})
	b.ReportMetric(float64((latency.ProcessCPU()-cpu).Microseconds())/float64(b.N), "cpu-µs/op")
	w, c := db.GroupStats()
	if c > commits {
		b.ReportMetric(float64(w-writes)/float64(c-commits), "creates/commit")
	}
}
