package sqlstore_test

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/store/storetest"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/adapters/sqlstore"
	"github.com/hirfa/hirfa/services/events-and-fairs/internal/domain/agreement"
)

// TestAgreementRecordVersions writes an agreement row in the shape stored
// before the versioned record (the domain struct's JSON, data_version 0)
// and reads it through the current code on SQLite and PostgreSQL; a change
// rewrites it as version 1 with the same content, and a version the code
// does not know is an error.
func TestAgreementRecordVersions(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, open func(t *testing.T) *store.DB) {
		ctx := context.Background()
		db := open(t)
		if err := sqlstore.Migrate(ctx, db); err != nil {
			t.Fatal(err)
		}
		insert := func(id string, version int64, data string) {
			t.Helper()
			_, err := db.SQL.ExecContext(ctx, db.Rebind(`INSERT INTO agreements (chamber, id, revision, create_time, update_time, data, state, start_date, end_date, title_key, data_version)
				VALUES ('fes-meknes', ?, 1, 1, 1, ?, 'SIGNED', '2026-01-01', '2027-12-31', '', ?)`), id, data, version)
			if err != nil {
				t.Fatal(err)
			}
		}
		insert("old", 0, `{"title":{"ar":"اتفاقية","fr":"Convention"},"subject":"Formation","parties":[{"name":{"fr":"Chambre"},"kind":"CHAMBER"},
			{"name":{"ar":"بنك"},"kind":"BANK","country":"MA"}],"commitments":[{"party":1,"description":"Prêts","amount_centimes":25000050}],
			"start_date":"2026-01-01","end_date":"2027-12-31","approving_resolution":"chambers/fes-meknes/assemblies/a1/items/i1","state":"SIGNED"}`)
		insert("future", 9, `{"anything":true}`)
		want := agreement.Agreement{Title: l10n.Text{AR: "اتفاقية", FR: "Convention"}, Subject: "Formation",
			Parties:     []agreement.Party{{Name: l10n.Text{FR: "Chambre"}, Kind: agreement.Chamber}, {Name: l10n.Text{AR: "بنك"}, Kind: agreement.Bank, Country: "MA"}},
			Commitments: []agreement.Commitment{{Party: 1, Description: "Prêts", AmountCentimes: 250_000_50}},
			StartDate:   "2026-01-01", EndDate: "2027-12-31", ApprovingResolution: "chambers/fes-meknes/assemblies/a1/items/i1", State: agreement.Signed}
		content := func(a *agreement.Agreement) agreement.Agreement { c := *a; c.Meta = resource.Meta{}; return c }

		repo := sqlstore.NewAgreements(db, nil)
		name := func(id string) resource.Name {
			return resource.Name{Chamber: "fes-meknes", Collection: agreement.Collection, ID: id}
		}
		got, err := repo.Get(ctx, name("old"))
		if err != nil || !reflect.DeepEqual(content(got), want) {
			t.Fatalf("a version 0 row read through the current code = %+v, %v\nwant %+v", got, err, want)
		}
		if _, err := repo.Get(ctx, name("future")); err == nil {
			t.Fatal("a record of an unknown version was read")
		}
		w := change.Write{Action: "Activated", Method: "/test/Activate", Actor: change.Actor{Subject: "clerk", Role: "chamber-clerk", Chamber: "fes-meknes"}}
		if _, err := repo.Update(ctx, name("old"), w, (*agreement.Agreement).Activate); err != nil {
			t.Fatal(err)
		}
		var version int64
		var data string
		if err := db.SQL.QueryRowContext(ctx, "SELECT data_version, data FROM agreements WHERE id = 'old'").Scan(&version, &data); err != nil {
			t.Fatal(err)
		}
		var stored map[string]any
		if err := json.Unmarshal([]byte(data), &stored); err != nil || version != 1 || stored["state"] != "ACTIVE" || stored["approving_resolution"] != want.ApprovingResolution {
			t.Fatalf("rewritten row = v%d %s (%v); want version 1 with the same keys", version, data, err)
		}
		want.State = agreement.Active
		if got, err = repo.Get(ctx, name("old")); err != nil || !reflect.DeepEqual(content(got), want) {
			t.Fatalf("the version 1 row = %+v, %v\nwant %+v", got, err, want)
		}
	})
}
