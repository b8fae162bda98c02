// Command pocketbase-bench is PocketBase v0.36.0 with one "cooperatives"
// collection of the same fields as Hirfa's cooperative and one user, so
// that the benchmark can compare a small chamber's obvious alternative with
// Hirfa's embedded default. It is built by tools/pocketbase/build.sh into
// a throwaway module outside the repository (the directory name starting
// with "_" keeps it out of the tools module): it is a comparison, never a
// dependency of the services.
//
//	pocketbase-bench serve --http 127.0.0.1:8090 --dir DIR
//
// The user is bench@hirfa.local with the password in PB_BENCH_PASSWORD
// (default "bench-password-0"); create and view need an authenticated
// user, as Hirfa's need a bearer token.
package main

import (
	"log"
	"os"

	"github.com/pocketbase/pocketbase"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

func main() {
	app := pocketbase.New()
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		if err := setup(e.App); err != nil {
			return err
		}
		return e.Next()
	})
	if err := app.Start(); err != nil {
		log.Fatal(err)
	}
}

func setup(app core.App) error {
	if _, err := app.FindCollectionByNameOrId("cooperatives"); err != nil {
		c := core.NewBaseCollection("cooperatives")
		authed := "@request.auth.id != ''"
		c.CreateRule = types.Pointer(authed)
		c.ViewRule = types.Pointer(authed)
		c.ListRule = types.Pointer(authed)
		c.Fields.Add(
			&core.TextField{Name: "display_name_ar", Required: true, Max: 200},
			&core.TextField{Name: "display_name_fr", Max: 200},
			&core.TextField{Name: "activity", Required: true, Max: 32},
			&core.TextField{Name: "province", Required: true, Max: 64},
			&core.TextField{Name: "founding_date", Max: 10},
			&core.NumberField{Name: "capital_centimes", OnlyInt: true},
			&core.NumberField{Name: "share_value_centimes", OnlyInt: true},
			&core.NumberField{Name: "members_women", OnlyInt: true},
			&core.NumberField{Name: "members_men", OnlyInt: true},
			&core.TextField{Name: "request_id", Max: 100},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		// One request id per record, as Hirfa's request key.
		c.AddIndex("idx_coop_request_id", true, "request_id", "request_id != ''")
		if err := app.Save(c); err != nil {
			return err
		}
	}
	if _, err := app.FindAuthRecordByEmail("users", "bench@hirfa.local"); err != nil {
		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		u := core.NewRecord(users)
		u.SetEmail("bench@hirfa.local")
		pw := os.Getenv("PB_BENCH_PASSWORD")
		if pw == "" {
			pw = "bench-password-0"
		}
		u.SetPassword(pw)
		u.SetVerified(true)
		if err := app.Save(u); err != nil {
			return err
		}
	}
	return nil
}
