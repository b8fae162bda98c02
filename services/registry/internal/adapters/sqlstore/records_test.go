package sqlstore_test

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/hirfa/hirfa/pkg/change"
	"github.com/hirfa/hirfa/pkg/l10n"
	"github.com/hirfa/hirfa/pkg/resource"
	"github.com/hirfa/hirfa/pkg/store"
	"github.com/hirfa/hirfa/pkg/store/storetest"
	"github.com/hirfa/hirfa/services/registry/internal/adapters/sqlstore"
	"github.com/hirfa/hirfa/services/registry/internal/domain/artisan"
	"github.com/hirfa/hirfa/services/registry/internal/domain/association"
	"github.com/hirfa/hirfa/services/registry/internal/domain/enterprise"
)

// TestRecordVersions writes an artisan, an enterprise and an association row in the
// shape stored before the versioned record (the domain struct's JSON,
// data_version 0) and reads them through the current code on SQLite and
// PostgreSQL; a change rewrites each as version 1 with the same content,
// and a version the code does not know is an error.
func TestRecordVersions(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, open func(t *testing.T) *store.DB) {
		ctx := context.Background()
		db := open(t)
		if err := sqlstore.Migrate(ctx, db); err != nil {
			t.Fatal(err)
		}
		exec := func(query string, args ...any) {
			t.Helper()
			if _, err := db.SQL.ExecContext(ctx, db.Rebind(query), args...); err != nil {
				t.Fatal(err)
			}
		}
		stored := func(table string) (int64, map[string]any) {
			t.Helper()
			var version int64
			var data string
			if err := db.SQL.QueryRowContext(ctx, "SELECT data_version, data FROM "+table+" WHERE id = 'old'").Scan(&version, &data); err != nil {
				t.Fatal(err)
			}
			var m map[string]any
			if err := json.Unmarshal([]byte(data), &m); err != nil {
				t.Fatal(err)
			}
			return version, m
		}
		w := change.Write{Action: "Changed", Method: "/test/Change", Actor: change.Actor{Subject: "clerk", Role: "chamber-clerk", Chamber: "fes-meknes"}}

		t.Run("artisan", func(t *testing.T) {
			insert := func(id string, version int64, data string) {
				exec(`INSERT INTO artisans (chamber, id, revision, create_time, update_time, data, state, province, activity, category, gender, cnie, nia, display_key, data_version)
					VALUES ('fes-meknes', ?, 1, 1, 1, ?, 'SUSPENDED', 'fes', 'F1.B02.A02', 'MASTER', 'FEMALE', ?, ?, 'khadija tazi', ?)`, id, data, "AB1234"+id[:1], "NIA-"+id, version)
			}
			insert("old", 0, `{"given_name_ar":"خديجة","family_name_ar":"التازي","given_name_latin":"Khadija","family_name_latin":"Tazi","cnie":"AB1234o",
				"gender":"FEMALE","birth_date":"1985-03-12","province":"fes","activity":"F1.B02.A02","category":"MASTER","diploma_reference":"D-9",
				"years_of_practice":12,"amin_certificate_reference":"AMIN-3","contact":{"phone":"+212600000001"},"state":"SUSPENDED","state_reason":"unpaid dues",
				"nia":"NIA-old","register_time":"2024-05-06T07:08:09Z","merged_from":[{"name":"chambers/fes-meknes/artisans/dup","time":"2025-01-02T03:04:05Z",
				"actor":"clerk","role":"chamber-clerk","reason":"same person","taken":["contact"],"nia":"NIA-dup"}],"demo":true}`)
			insert("future", 9, `{"anything":true}`)
			registered := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
			want := artisan.Artisan{GivenNameAR: "خديجة", FamilyNameAR: "التازي", GivenNameLatin: "Khadija", FamilyNameLatin: "Tazi", CNIE: "AB1234o",
				Gender: artisan.Female, BirthDate: "1985-03-12", Province: "fes", Activity: "F1.B02.A02", Category: artisan.Master, DiplomaReference: "D-9",
				YearsOfPractice: 12, AminCertificateReference: "AMIN-3", Contact: l10n.Contact{Phone: "+212600000001"}, State: artisan.Suspended,
				StateReason: "unpaid dues", NIA: "NIA-old", RegisterTime: &registered, Demo: true,
				MergedFrom: []artisan.MergeNote{{Name: "chambers/fes-meknes/artisans/dup", Time: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC),
					Actor: "clerk", Role: "chamber-clerk", Reason: "same person", Taken: []string{"contact"}, NIA: "NIA-dup"}}}
			content := func(a *artisan.Artisan) artisan.Artisan { c := *a; c.Meta = resource.Meta{}; return c }
			name := func(id string) resource.Name {
				return resource.Name{Chamber: "fes-meknes", Collection: artisan.Collection, ID: id}
			}
			repo := sqlstore.NewArtisans(db, nil)
			got, err := repo.Get(ctx, name("old"))
			if err != nil || !reflect.DeepEqual(content(got), want) {
				t.Fatalf("a version 0 row read through the current code = %+v, %v\nwant %+v", got, err, want)
			}
			if _, err := repo.Get(ctx, name("future")); err == nil {
				t.Fatal("a record of an unknown version was read")
			}
			if _, err := repo.Update(ctx, name("old"), w, func(a *artisan.Artisan) error { return a.StrikeOff("left the trade") }); err != nil {
				t.Fatal(err)
			}
			version, m := stored("artisans")
			merged, _ := m["merged_from"].([]any)
			if version != 1 || m["state"] != "STRUCK_OFF" || m["state_reason"] != "left the trade" || m["register_time"] != "2024-05-06T07:08:09Z" || len(merged) != 1 {
				t.Fatalf("rewritten row = v%d %v; want version 1 with the same keys", version, m)
			}
			want.State, want.StateReason = artisan.StruckOff, "left the trade"
			if got, err = repo.Get(ctx, name("old")); err != nil || !reflect.DeepEqual(content(got), want) {
				t.Fatalf("the version 1 row = %+v, %v\nwant %+v", got, err, want)
			}
		})

		t.Run("enterprise", func(t *testing.T) {
			insert := func(id string, version int64, data string) {
				exec(`INSERT INTO enterprises (chamber, id, revision, create_time, update_time, data, state, province, activity, ice, supervising_artisan, display_key, data_version)
					VALUES ('fes-meknes', ?, 1, 1, 1, ?, 'ACTIVE', 'fes', 'pottery', ?, 'chambers/fes-meknes/artisans/a1', 'atelier', ?)`, id, data, "00200000000000"+id[:1], version)
			}
			insert("old", 0, `{"display_name":{"ar":"ورشة","fr":"Atelier"},"ice":"002000000000000","rc":"RC-12","activity":"pottery","province":"fes",
				"supervising_artisan":"chambers/fes-meknes/artisans/a1","contact":{"phone":"+212600000000","email":"a@example.ma","address":"Fès"},"state":"ACTIVE","demo":true}`)
			insert("future", 9, `{"anything":true}`)
			want := enterprise.Enterprise{DisplayName: l10n.Text{AR: "ورشة", FR: "Atelier"}, ICE: "002000000000000", RC: "RC-12", Activity: "pottery",
				Province: "fes", SupervisingArtisan: "chambers/fes-meknes/artisans/a1",
				Contact: l10n.Contact{Phone: "+212600000000", Email: "a@example.ma", Address: "Fès"}, State: enterprise.Active, Demo: true}
			content := func(e *enterprise.Enterprise) enterprise.Enterprise { c := *e; c.Meta = resource.Meta{}; return c }
			name := func(id string) resource.Name {
				return resource.Name{Chamber: "fes-meknes", Collection: enterprise.Collection, ID: id}
			}
			repo := sqlstore.NewEnterprises(db, nil)
			got, err := repo.Get(ctx, name("old"))
			if err != nil || !reflect.DeepEqual(content(got), want) {
				t.Fatalf("a version 0 row read through the current code = %+v, %v\nwant %+v", got, err, want)
			}
			if _, err := repo.Get(ctx, name("future")); err == nil {
				t.Fatal("a record of an unknown version was read")
			}
			if _, err := repo.Update(ctx, name("old"), w, func(e *enterprise.Enterprise) error { return e.Close("ceased trading") }); err != nil {
				t.Fatal(err)
			}
			version, m := stored("enterprises")
			if version != 1 || m["state"] != "CLOSED" || m["state_reason"] != "ceased trading" || m["supervising_artisan"] != want.SupervisingArtisan || m["demo"] != true {
				t.Fatalf("rewritten row = v%d %v; want version 1 with the same keys", version, m)
			}
			want.State, want.StateReason = enterprise.Closed, "ceased trading"
			if got, err = repo.Get(ctx, name("old")); err != nil || !reflect.DeepEqual(content(got), want) {
				t.Fatalf("the version 1 row = %+v, %v\nwant %+v", got, err, want)
			}
		})

		t.Run("association", func(t *testing.T) {
			insert := func(id string, version int64, data string) {
				exec(`INSERT INTO associations (chamber, id, revision, create_time, update_time, data, state, province, category, display_key, data_version)
					VALUES ('fes-meknes', ?, 1, 1, 1, ?, 'DECLARED', 'fes', 'WOMEN', 'association', ?)`, id, data, version)
			}
			insert("old", 0, `{"display_name":{"ar":"جمعية","fr":"Association"},"object":"Tissage","province":"fes",
				"receipt":{"number":"R-7","provisional_date":"2025-03-01","definitive_date":"2025-04-20"},"president":"chambers/fes-meknes/artisans/a2",
				"last_general_assembly_date":"2026-02-01","category":"WOMEN","contact":{"email":"b@example.ma"},"state":"DECLARED"}`)
			insert("future", 9, `{"anything":true}`)
			want := association.Association{DisplayName: l10n.Text{AR: "جمعية", FR: "Association"}, Object: "Tissage", Province: "fes",
				Receipt:   association.Receipt{Number: "R-7", ProvisionalDate: "2025-03-01", DefinitiveDate: "2025-04-20"},
				President: "chambers/fes-meknes/artisans/a2", LastGeneralAssemblyDate: "2026-02-01", Category: "WOMEN",
				Contact: l10n.Contact{Email: "b@example.ma"}, State: association.Declared}
			content := func(a *association.Association) association.Association { c := *a; c.Meta = resource.Meta{}; return c }
			name := func(id string) resource.Name {
				return resource.Name{Chamber: "fes-meknes", Collection: association.Collection, ID: id}
			}
			repo := sqlstore.NewAssociations(db, nil)
			got, err := repo.Get(ctx, name("old"))
			if err != nil || !reflect.DeepEqual(content(got), want) {
				t.Fatalf("a version 0 row read through the current code = %+v, %v\nwant %+v", got, err, want)
			}
			if _, err := repo.Get(ctx, name("future")); err == nil {
				t.Fatal("a record of an unknown version was read")
			}
			if _, err := repo.Update(ctx, name("old"), w, (*association.Association).Activate); err != nil {
				t.Fatal(err)
			}
			version, m := stored("associations")
			receipt, _ := m["receipt"].(map[string]any)
			if version != 1 || m["state"] != "ACTIVE" || m["last_general_assembly_date"] != "2026-02-01" || receipt["definitive_date"] != "2025-04-20" {
				t.Fatalf("rewritten row = v%d %v; want version 1 with the same keys", version, m)
			}
			want.State = association.Active
			if got, err = repo.Get(ctx, name("old")); err != nil || !reflect.DeepEqual(content(got), want) {
				t.Fatalf("the version 1 row = %+v, %v\nwant %+v", got, err, want)
			}
		})
	})
}
