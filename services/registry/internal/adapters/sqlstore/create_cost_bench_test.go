package sqlstore_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/eventbus"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/testenv"
	"github.com/hirfa/hirfa/services/registry/internal/adapters/sqlstore"
	"github.com/hirfa/hirfa/services/registry/internal/domain/cooperative"
)

// BenchmarkCreateCost measures what PostgreSQL's backend spends, in CPU
// time read from /proc, on one cooperative create as the registry writes
// it (the cooperative, its outbox event, its audit record and its request
// key in one statement), on one connection, beside a bare statement
// (SELECT 1: the round trip's own cost) and beside the same create with
// parts of its indexes dropped, each on a fresh database: how much of the
// create each part costs; and with the outbox relay publishing every 100
// creates on the same backend (what marking each event published adds).
// The server must run on this machine.
//
//	tools/dev/services.sh run -- go test -run '^$' -bench CreateCost -benchtime 3000x ./services/registry/internal/adapters/sqlstore/
func BenchmarkCreateCost(b *testing.B) {
	for _, v := range []struct {
		name  string
		drop  []string // indexes or constraints dropped before the creates
		alter string   // a statement run before the creates
		bare  bool
		relay bool // the outbox relay publishes after every 100 creates, on the same backend
	}{
		{name: "select-1", bare: true},
		{name: "create"},
		{name: "create-and-relay", relay: true},
		{name: "create-name-grams-gin-without-pending-list", alter: "ALTER INDEX cooperatives_name_grams SET (fastupdate = off)"},
		{name: "create-without-name-grams-gin", drop: []string{"INDEX cooperatives_name_grams"}},
		{name: "create-without-list-indexes", drop: []string{"INDEX cooperatives_name_grams",
			"INDEX cooperatives_activity_page", "INDEX cooperatives_capital", "INDEX cooperatives_create", "INDEX cooperatives_members",
			"INDEX cooperatives_name_page", "INDEX cooperatives_national", "INDEX cooperatives_national_activity",
			"INDEX cooperatives_national_name", "INDEX cooperatives_national_state", "INDEX cooperatives_national_update",
			"INDEX cooperatives_province_chamber_page", "INDEX cooperatives_province_page", "INDEX cooperatives_state_page",
			"INDEX cooperatives_update_page"}},
		{name: "create-without-event-and-audit-id-indexes", drop: []string{"CONSTRAINT outbox_id_key ON outbox", "CONSTRAINT audit_records_id_key ON audit_records"}},
	} {
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
			for _, d := range v.drop {
				q := "DROP " + d
				if what, table, ok := strings.Cut(d, " ON "); ok {
					q = "ALTER TABLE " + table + " DROP " + what
				}
				if _, err := db.SQL.ExecContext(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
			if v.alter != "" {
				if _, err := db.SQL.ExecContext(ctx, v.alter); err != nil {
					b.Fatal(err)
				}
			}
			var relay *eventbus.Relay
			if v.relay {
				bus, err := eventbus.Open(eventbus.Options{URL: testenv.Redis(b), Prefix: testenv.RedisPrefix(b)})
				if err != nil {
					b.Fatal(err)
				}
				relay = &eventbus.Relay{DB: db, Bus: bus, Source: sqlstore.Source}
			}
			repo := sqlstore.NewCooperatives(db, nil)
			run := "r" + resource.NewID()
			create := func(i int) error {
				if v.bare {
					_, err := db.SQL.ExecContext(ctx, "SELECT 1")
					return err
				}
				if relay != nil && i%100 == 99 {
					if _, err := relay.RelayOnce(ctx); err != nil {
						return err
					}
				}
				id := fmt.Sprintf("%s-%08d", run, i)
				c := &cooperative.Cooperative{DisplayName: l10n.Text{AR: "تعاونية الاختبار " + id, FR: "Coopérative de charge " + id},
					Activity: "F1.B02.A01", Province: "fes", FoundingDate: "2020-01-15", CapitalCentimes: 1_500_000, ShareValueCentimes: 10_000,
					MembersWomen: 4, MembersMen: 3, State: cooperative.Forming}
				c.Chamber, c.ID = "fes-meknes", resource.NewID()
				_, err := repo.Create(ctx, c, change.Write{Action: "Created", Method: "/hirfa.registry.v1.CooperativeService/CreateCooperative",
					RequestID: id, Actor: change.Actor{Subject: "bench@hirfa.local", Role: "chamber-clerk"}, TraceID: "0af7651916cd43dd8448eb211c80319c"})
				return err
			}
			// Warm the connection's statement cache and the tables.
			for i := range 200 {
				if err := create(-1 - i); err != nil {
					b.Fatal(err)
				}
			}
			report := testenv.BackendCPU(b, ctx, db.SQL)
			b.ResetTimer()
			for i := range b.N {
				if err := create(i); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			report("pg-µs/op")
		})
	}
}
